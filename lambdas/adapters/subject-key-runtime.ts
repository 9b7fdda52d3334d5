import type { Metrics } from '@aws-lambda-powertools/metrics';
import { SubjectKeyring } from '#domain/encryption/subject-keyring';
import type { AwsClients } from './aws-clients.ts';
import { DynamoSubjectKeys } from './dynamo-subject-keys.ts';
import { kmsCallMetrics } from './kms-call-metrics.ts';
import { KmsDataKeys } from './kms-data-keys.ts';

/** Where a function finds subjects' keys: the variables `subjectKeyEnvironment` names. */
export interface SubjectKeyNames {
  readonly SUBJECT_KEY_TABLE_NAME: string;
  /** The region's data key (ARN on AWS, alias locally). */
  readonly SUBJECT_KEY_KMS_KEY: string;
}

/**
 * A container's subject keys (docs/encryption.md): the region's subject-key table and data key, with
 * the keyring's cache, and its KMS calls counted in `metrics` when the function publishes metrics.
 */
export function subjectKeysOf(
  clients: AwsClients,
  names: SubjectKeyNames,
  metrics?: Metrics,
): SubjectKeyring {
  return new SubjectKeyring(
    new DynamoSubjectKeys(clients.dynamo, names.SUBJECT_KEY_TABLE_NAME),
    new KmsDataKeys(clients.kms, names.SUBJECT_KEY_KMS_KEY),
    metrics ? { kmsCalls: kmsCallMetrics(metrics) } : {},
  );
}

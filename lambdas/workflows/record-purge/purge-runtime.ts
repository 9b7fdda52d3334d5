import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from '#adapters/aws-clients';
import { DynamoErasureStore } from '#adapters/dynamo-erasure-store';
import { DynamoPurgeQueue } from '#adapters/dynamo-purge-queue';
import { DynamoRecordStore } from '#adapters/dynamo-record-store';
import { S3ErasureObjects } from '#adapters/s3-erasure-objects';
import { SfnWorkflowStarter } from '#adapters/sfn-workflow-starter';
import { purgeHoldCheck } from '#domain/holds/hold-checks';
import { StoredHolds } from '#domain/holds/stored-holds';
import { RecordPurge } from '#domain/purge/record-purge';
import type { WorkflowStarter } from '#domain/privacy/workflow-starter';
import { parseEnvironment } from '#lib/platform/function-environment';
import {
  type RecordPurgeEnvironment,
  recordPurgeEnvironmentSchema,
} from '#lib/platform/record-purge-environment';
import { recordingStagingRegionFor } from '#lib/residency/index';

export interface PurgeRuntime {
  readonly env: RecordPurgeEnvironment;
  readonly logger: Logger;
  readonly purge: RecordPurge;
  /** Only where the daily starter runs (it has the state machine's ARN). */
  readonly workflow?: WorkflowStarter;
}

let runtime: PurgeRuntime | undefined;

/** Made once per container: the region's table and the buckets records keep objects in. */
export function getPurgeRuntime(): PurgeRuntime {
  if (!runtime) {
    const env = parseEnvironment(recordPurgeEnvironmentSchema);
    // Fails closed: a region whose recordings are staged elsewhere must be able to purge them there.
    if (
      recordingStagingRegionFor(env.HOME_REGION) &&
      (!env.RECORDING_STAGING_BUCKET || !env.RECORDING_STAGING_REGION)
    ) {
      throw new Error('RECORDING_STAGING_BUCKET and RECORDING_STAGING_REGION must be set in this region');
    }
    const clients = createAwsClients();
    const records = new DynamoRecordStore(clients.dynamo, env.TABLE_NAME);
    runtime = {
      env,
      logger: new Logger({
        serviceName: 'helpdesk-record-purge',
        persistentKeys: { region: env.HOME_REGION },
      }),
      purge: new RecordPurge({
        store: records,
        erasure: new DynamoErasureStore(clients.dynamo, env.TABLE_NAME),
        objects: new S3ErasureObjects(clients.s3, {
          attachments: env.ATTACHMENTS_BUCKET,
          recordings: env.RECORDINGS_BUCKET,
          recordingStaging:
            env.RECORDING_STAGING_BUCKET && env.RECORDING_STAGING_REGION
              ? { bucket: env.RECORDING_STAGING_BUCKET, client: clients.s3In(env.RECORDING_STAGING_REGION) }
              : undefined,
        }),
        queue: new DynamoPurgeQueue(clients.dynamo, env.TABLE_NAME),
        // A due record a legal hold covers stays in the trash until the hold ends (docs/legal-holds.md).
        held: purgeHoldCheck(new StoredHolds(records), records, () => new Date()),
      }),
      workflow: env.PURGE_STATE_MACHINE_ARN
        ? new SfnWorkflowStarter(clients.sfn, env.PURGE_STATE_MACHINE_ARN)
        : undefined,
    };
  }
  return runtime;
}

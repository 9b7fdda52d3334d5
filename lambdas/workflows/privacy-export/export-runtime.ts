import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from '#adapters/aws-clients';
import { parseEnvironment } from '#lib/platform/function-environment';
import { DynamoRecordStore } from '#adapters/dynamo-record-store';
import { S3ExportFiles } from '#adapters/s3-export-files';
import { RequestProgress } from '#domain/privacy/request-progress';
import { SubjectExport } from '#domain/privacy/subject-export';
import {
  type PrivacyExportEnvironment,
  privacyExportEnvironmentSchema,
} from '#lib/platform/privacy-export-environment';

export interface ExportRuntime {
  readonly env: PrivacyExportEnvironment;
  readonly logger: Logger;
  readonly progress: RequestProgress;
  readonly export: SubjectExport;
}

let runtime: ExportRuntime | undefined;

/** Made once per container: the region's records table, exports bucket and the buckets files come from. */
export function getExportRuntime(): ExportRuntime {
  if (!runtime) {
    const env = parseEnvironment(privacyExportEnvironmentSchema);
    const clients = createAwsClients();
    const store = new DynamoRecordStore(clients.dynamo, env.TABLE_NAME);
    const now = () => new Date();
    const progress = new RequestProgress({ store, now });
    runtime = {
      env,
      // Named here too: locally one workflow process serves every workflow of its region.
      logger: new Logger({
        serviceName: 'helpdesk-privacy-export',
        persistentKeys: { region: env.HOME_REGION },
      }),
      progress,
      export: new SubjectExport({
        store,
        files: new S3ExportFiles(clients.s3, env.EXPORTS_BUCKET),
        progress,
        now,
        storedFiles: { attachments: env.ATTACHMENTS_BUCKET, recordings: env.RECORDINGS_BUCKET },
      }),
    };
  }
  return runtime;
}

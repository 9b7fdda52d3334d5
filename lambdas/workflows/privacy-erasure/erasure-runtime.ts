import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from '#adapters/aws-clients';
import { parseEnvironment } from '#lib/platform/function-environment';
import { DynamoErasureStore } from '#adapters/dynamo-erasure-store';
import { DynamoPendingUploads } from '#adapters/dynamo-pending-uploads';
import { subjectKeysBeside } from '#adapters/record-sealing';
import { DynamoRecordStore } from '#adapters/dynamo-record-store';
import { S3ErasureObjects } from '#adapters/s3-erasure-objects';
import { S3ExportFiles } from '#adapters/s3-export-files';
import { S3ObjectStore } from '#adapters/s3-object-store';
import { OrphanUploadSweep } from '#domain/attachments/orphan-upload-sweep';
import { S3MigrationFiles } from '#adapters/s3-migration-files';
import { SfnWorkflowStarter } from '#adapters/sfn-workflow-starter';
import { MigrationsBeforeErasure } from '#domain/migrations/migrations-before-erasure';
import { PrivacyDeadlines } from '#domain/privacy/privacy-deadlines';
import { erasureWorkflowActor, RequestProgress } from '#domain/privacy/request-progress';
import { SubjectErasure } from '#domain/privacy/subject-erasure';
import { StoredHolds } from '#domain/holds/stored-holds';
import { recordingStagingRegionFor } from '#lib/residency/index';
import {
  type PrivacyErasureEnvironment,
  privacyErasureEnvironmentSchema,
} from '#lib/platform/privacy-erasure-environment';

export interface ErasureRuntime {
  readonly env: PrivacyErasureEnvironment;
  readonly logger: Logger;
  readonly progress: RequestProgress;
  readonly erasure: SubjectErasure;
  /** The account's migrations an erasure waits for, and whose files it deletes. */
  readonly migrations: MigrationsBeforeErasure;
  /** Only where the deadline watch runs (it has the state machine's ARN). */
  readonly deadlines?: PrivacyDeadlines;
  /** Run by the deadline watch too: removes attachment objects no record keeps once their upload is due. */
  readonly uploadSweep: OrphanUploadSweep;
}

let runtime: ErasureRuntime | undefined;

/** Made once per container: the region's table, the buckets records keep objects in, the trash. */
export function getErasureRuntime(): ErasureRuntime {
  if (!runtime) {
    const env = parseEnvironment(privacyErasureEnvironmentSchema);
    // Fails closed: a region whose recordings are staged elsewhere must be able to erase them there.
    const stagedIn = recordingStagingRegionFor(env.HOME_REGION);
    if (stagedIn && (!env.RECORDING_STAGING_BUCKET || !env.RECORDING_STAGING_REGION)) {
      throw new Error('RECORDING_STAGING_BUCKET and RECORDING_STAGING_REGION must be set in this region');
    }
    const clients = createAwsClients();
    const store = new DynamoRecordStore(clients.dynamo, env.TABLE_NAME);
    const erasureStore = new DynamoErasureStore(clients.dynamo, env.TABLE_NAME);
    const now = () => new Date();
    const progress = new RequestProgress({ store, now, actor: erasureWorkflowActor });
    runtime = {
      env,
      // Named here too: locally one workflow process serves every workflow of its region.
      logger: new Logger({
        serviceName: 'helpdesk-privacy-erasure',
        persistentKeys: { region: env.HOME_REGION },
      }),
      progress,
      migrations: new MigrationsBeforeErasure({
        store,
        files: new S3MigrationFiles(clients.s3, env.MIGRATIONS_BUCKET),
        now,
        actor: erasureWorkflowActor,
      }),
      erasure: new SubjectErasure({
        store,
        erasure: erasureStore,
        objects: new S3ErasureObjects(clients.s3, {
          attachments: env.ATTACHMENTS_BUCKET,
          recordings: env.RECORDINGS_BUCKET,
          trash: env.TRASH_BUCKET,
          recordingStaging:
            env.RECORDING_STAGING_BUCKET && env.RECORDING_STAGING_REGION
              ? {
                  bucket: env.RECORDING_STAGING_BUCKET,
                  client: clients.s3In(env.RECORDING_STAGING_REGION),
                }
              : undefined,
        }),
        workFiles: new S3ExportFiles(clients.s3, env.TRASH_BUCKET),
        exports: new S3ExportFiles(clients.s3, env.EXPORTS_BUCKET),
        progress,
        holds: new StoredHolds(store),
        // The same keyring as the stores' (its cache drops a destroyed key at once).
        keys: subjectKeysBeside(clients.dynamo, env.TABLE_NAME),
        now,
      }),
      deadlines: env.ERASURE_STATE_MACHINE_ARN
        ? new PrivacyDeadlines({
            store,
            erasure: erasureStore,
            erasureWorkflow: new SfnWorkflowStarter(clients.sfn, env.ERASURE_STATE_MACHINE_ARN),
            now,
          })
        : undefined,
      uploadSweep: new OrphanUploadSweep({
        uploads: new DynamoPendingUploads(clients.dynamo, env.TABLE_NAME),
        store,
        objects: new S3ObjectStore(clients.s3),
        bucket: env.ATTACHMENTS_BUCKET,
        now,
      }),
    };
  }
  return runtime;
}

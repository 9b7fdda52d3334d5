import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AccountStore } from '#domain/account';
import type { RecordStore } from '#domain/records/record-store';
import type { ObjectStore } from '#domain/object-store';
import type { PendingUploads } from '#domain/attachments/pending-uploads';
import type { ObjectVersions } from '#domain/object-versions';
import { LeasedRateLimiter } from '#domain/rate-lease';
import type { PortalSecretStore } from '#domain/contacts/portal-token';
import { PortalSecrets } from '#domain/contacts/portal-secrets';
import { defaultScopeCacheMs } from '#domain/agents/ticket-scope';
import type { ExportFiles } from '#domain/privacy/export-files';
import type { WorkflowStarter } from '#domain/privacy/workflow-starter';
import type { MigrationFiles, MigrationLedger } from '#domain/migrations/migration-files';
import { defaultRateLimitPerMinute, type RateLimiter } from '#domain/rate-limit';
import { type FunctionEnvironment, parseFunctionEnvironment } from '#lib/platform/function-environment';
import { createAwsClients } from './aws-clients.ts';
import { DynamoAccountStore } from './dynamo-account-store.ts';
import { DynamoMigrationLedger } from './dynamo-migration-ledger.ts';
import { DynamoRateBudget } from './dynamo-rate-budget.ts';
import { DynamoRecordStore } from './dynamo-record-store.ts';
import { DynamoPortalSecretStore } from './dynamo-portal-secret-store.ts';
import { DynamoPendingUploads } from './dynamo-pending-uploads.ts';
import { KmsSecretCipher } from './kms-secret-cipher.ts';
import { newRecordId } from './record-ids.ts';
import { S3ExportFiles } from './s3-export-files.ts';
import { S3MigrationFiles } from './s3-migration-files.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { S3ObjectVersions } from './s3-versions.ts';
import { SfnWorkflowStarter } from './sfn-workflow-starter.ts';

/** Everything a handler needs, made once per container from the function's environment. */
export interface Runtime {
  readonly env: FunctionEnvironment;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly accounts: AccountStore;
  readonly records: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
  readonly objects: ObjectStore;
  /** Attachment objects about to be stored, noted first so the orphan sweep finds those no record keeps. */
  readonly pendingUploads: PendingUploads;
  /** The region's export bundles, whose download URLs are presigned when a request is read. */
  readonly exportFiles: ExportFiles;
  /** Where this region's recordings are staged first, if anywhere (EEA: the US staging bucket). */
  readonly recordingStaging?: {
    readonly bucket: string;
    readonly objects: ObjectStore;
    readonly versions: ObjectVersions;
  };
  /** Only the functions with PORTAL_SECRET_KEY (they issue or verify portal tokens); cached for minutes. */
  readonly portalSecrets?: PortalSecretStore;
  /** How long a container trusts an agent's profile (role, scope): TICKET_SCOPE_CACHE_SECONDS, default 5 s. */
  readonly scopeCacheMs: number;
  /** Starts this region's export workflow (only the privacy requests function has one). */
  readonly exportWorkflow?: WorkflowStarter;
  /** The region's erasure workflow, for the functions whose calls erase or restore. */
  readonly erasureWorkflow?: WorkflowStarter;
  /** The migrations bucket, ledger and workflow (only the migrations function has them). */
  readonly migrations?: {
    readonly files: MigrationFiles;
    readonly ledger: MigrationLedger;
    readonly workflow?: WorkflowStarter;
  };
  readonly rateLimit: { readonly limiter: RateLimiter; readonly perMinute: number; readonly now: () => Date };
}

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
  if (!runtime) {
    const env = parseFunctionEnvironment();
    const clients = createAwsClients();
    runtime = {
      env,
      // Logs carry ids and outcomes only; handlers never log request bodies, query strings or headers.
      logger: new Logger({
        serviceName: env.POWERTOOLS_SERVICE_NAME,
        persistentKeys: { region: env.HOME_REGION },
      }),
      // Dimensions are fixed values only (service, route template): see lambdas/http/request-metrics.ts.
      metrics: new Metrics({
        namespace: env.POWERTOOLS_METRICS_NAMESPACE,
        serviceName: env.POWERTOOLS_SERVICE_NAME,
      }),
      accounts: new DynamoAccountStore(clients.dynamo, env.TABLE_NAME),
      records: new DynamoRecordStore(clients.dynamo, env.TABLE_NAME),
      now: () => new Date(),
      newId: newRecordId,
      objects: new S3ObjectStore(clients.s3),
      pendingUploads: new DynamoPendingUploads(clients.dynamo, env.TABLE_NAME),
      exportFiles: new S3ExportFiles(clients.s3, env.EXPORTS_BUCKET),
      recordingStaging: recordingStagingOf(env, clients),
      portalSecrets: env.PORTAL_SECRET_KEY
        ? new PortalSecrets(
            new DynamoPortalSecretStore(
              clients.dynamo,
              env.TABLE_NAME,
              new KmsSecretCipher(clients.kms, env.PORTAL_SECRET_KEY),
            ),
            Date.now,
          )
        : undefined,
      scopeCacheMs: Number(env.TICKET_SCOPE_CACHE_SECONDS ?? defaultScopeCacheMs / 1000) * 1000,
      exportWorkflow: env.PRIVACY_STATE_MACHINE_ARN
        ? new SfnWorkflowStarter(clients.sfn, env.PRIVACY_STATE_MACHINE_ARN)
        : undefined,
      erasureWorkflow: env.ERASURE_STATE_MACHINE_ARN
        ? new SfnWorkflowStarter(clients.sfn, env.ERASURE_STATE_MACHINE_ARN)
        : undefined,
      migrations: env.MIGRATIONS_BUCKET
        ? {
            files: new S3MigrationFiles(clients.s3, env.MIGRATIONS_BUCKET),
            ledger: new DynamoMigrationLedger(clients.dynamo, env.TABLE_NAME),
            workflow: env.MIGRATION_STATE_MACHINE_ARN
              ? new SfnWorkflowStarter(clients.sfn, env.MIGRATION_STATE_MACHINE_ARN)
              : undefined,
          }
        : undefined,
      rateLimit: {
        limiter: new LeasedRateLimiter(new DynamoRateBudget(clients.dynamo, env.TABLE_NAME)),
        perMinute: Number(env.RATE_LIMIT_PER_MINUTE ?? defaultRateLimitPerMinute),
        now: () => new Date(),
      },
    };
  }
  return runtime;
}

/** The staging bucket in another region where this region's recordings land first, with one client. */
function recordingStagingOf(env: FunctionEnvironment, clients: ReturnType<typeof createAwsClients>) {
  if (!env.RECORDING_STAGING_BUCKET || !env.RECORDING_STAGING_REGION) return undefined;
  const client = clients.s3In(env.RECORDING_STAGING_REGION);
  return {
    bucket: env.RECORDING_STAGING_BUCKET,
    objects: new S3ObjectStore(client),
    versions: new S3ObjectVersions(client),
  };
}

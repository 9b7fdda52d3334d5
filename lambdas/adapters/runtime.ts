import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AccountStore } from '#domain/account';
import { defaultKeyCacheMs } from '#domain/api-key';
import type { ApiKeyStore } from '#domain/api-keys/api-key-store';
import type { AccountDirectory } from '#domain/operators/account-directory';
import type { RecordStore } from '#domain/records/record-store';
import type { ErasureStore } from '#domain/privacy/erasure-store';
import type { ObjectStore } from '#domain/object-store';
import type { PendingUploads } from '#domain/attachments/pending-uploads';
import type { ObjectVersions } from '#domain/object-versions';
import { LeasedRateLimiter } from '#domain/rate-lease';
import type { PortalSecretStore } from '#domain/contacts/portal-token';
import { PortalSecrets } from '#domain/contacts/portal-secrets';
import { defaultScopeCacheMs } from '#domain/agents/ticket-scope';
import type { ExportFiles } from '#domain/privacy/export-files';
import type { WorkflowStarter } from '#domain/privacy/workflow-starter';
import type { TicketJobStore } from '#domain/ticket-jobs/ticket-job-store';
import type { MigrationFiles, MigrationLedger } from '#domain/migrations/migration-files';
import { defaultRateLimitPerMinute, type RateLimiter } from '#domain/rate-limit';
import { type ApiFunctionName, apiFunctions } from '#lib/platform/api-routes';
import {
  type ApiFunctionAccess,
  apiEnvironmentSchema,
  type ObjectAccess,
  type WorkflowName,
  workflowArnVariables,
  localLoopbackIssuersVariable,
  workflowsOf,
} from '#lib/platform/function-access';
import { parseEnvironment } from '#lib/platform/function-environment';
import type { HostingRegionKey } from '#lib/residency/index';
import { type AwsClients, createAwsClients } from './aws-clients.ts';
import { DynamoAccountDirectory } from './dynamo-account-directory.ts';
import { DynamoAccountStore } from './dynamo-account-store.ts';
import { DynamoApiKeyStore } from './dynamo-api-key-store.ts';
import { DynamoMigrationLedger } from './dynamo-migration-ledger.ts';
import { DynamoRateBudget } from './dynamo-rate-budget.ts';
import { DynamoRecordStore } from './dynamo-record-store.ts';
import { DynamoErasureStore } from './dynamo-erasure-store.ts';
import { DynamoPortalSecretStore } from './dynamo-portal-secret-store.ts';
import { DynamoPendingUploads } from './dynamo-pending-uploads.ts';
import { DynamoSsoSettingsStore } from './dynamo-sso-settings-store.ts';
import { OidcTokenVerifier } from './oidc-token-verifier.ts';
import type { SsoDependencies } from '#http/sso-auth';
import { KmsSecretCipher } from './kms-secret-cipher.ts';
import { newRecordId } from './record-ids.ts';
import { S3ExportFiles } from './s3-export-files.ts';
import { S3MigrationFiles } from './s3-migration-files.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { S3ObjectVersions } from './s3-versions.ts';
import { SfnWorkflowStarter } from './sfn-workflow-starter.ts';
import { DynamoTicketJobs } from './dynamo-ticket-jobs.ts';

/** What every API function has, whatever it may reach. */
export interface BaseRuntime {
  /** The function's environment as its declared access's schema parsed it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeRegion: HostingRegionKey;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => Date;
  readonly newId: () => number;
}

/** A function with the records table: it authenticates callers and counts their requests. */
export interface TableRuntime {
  readonly accounts: AccountStore;
  readonly records: RecordStore;
  /** Soft erasures' trash, read only (an erasure's preview counts what a permanent one would purge). */
  readonly erasureTrash: Pick<ErasureStore, 'trashPage' | 'trashed'>;
  /** Agents' API keys: issued, listed, revoked (docs/api-keys.md). */
  readonly apiKeys: ApiKeyStore;
  /** How long a container trusts an agent's profile (role, scope): TICKET_SCOPE_CACHE_SECONDS, default 5 s. */
  readonly scopeCacheMs: number;
  /** How long a container trusts a resolved API key: API_KEY_CACHE_SECONDS, default 30 s. */
  readonly keyCacheMs: number;
  readonly rateLimit: { readonly limiter: RateLimiter; readonly perMinute: number; readonly now: () => Date };
  /** Single sign-on: the accounts' settings and the OpenID Connect token verifier (keys cached per container). */
  readonly sso: SsoDependencies;
}

/** A function that issues or verifies portal tokens: their secrets, decrypted with the data key, cached for minutes. */
export interface PortalSecretsRuntime {
  readonly portalSecrets: PortalSecretStore;
}

/** One bucket's objects as a function reaches them. */
export interface BucketObjects {
  readonly bucket: string;
  readonly objects: ObjectStore;
}

type AccessOf<N extends ApiFunctionName> = (typeof apiFunctions)[N]['access'];
type Declares<A, B extends string> = A extends { objects: { [K in B]: readonly ObjectAccess[] } }
  ? true
  : false;
type WorkflowsOf<A> = A extends { workflows: infer W }
  ? | (W extends { start: readonly (infer S)[] } ? S : never)
    | (W extends { describe: readonly (infer D)[] } ? D : never)
  : never;

/**
 * The runtime of API function `N`: only the stores and clients its declared access allows, so code that
 * reaches for anything else does not compile (and the function has no permission for it on AWS).
 */
export type RuntimeFor<N extends ApiFunctionName> = BaseRuntime &
  (AccessOf<N> extends { table: 'read' | 'readWrite' } ? TableRuntime : unknown) &
  (AccessOf<N> extends { portalSecrets: true } ? PortalSecretsRuntime : unknown) &
  (AccessOf<N> extends { accountDirectory: true }
    ? { readonly accounts: AccountStore; readonly directory: AccountDirectory }
    : unknown) &
  (Declares<AccessOf<N>, 'attachments'> extends true
    ? {
        readonly attachments: BucketObjects;
        /** Attachment objects about to be stored, noted first so the orphan sweep finds those no record keeps. */
        readonly pendingUploads: PendingUploads;
      }
    : unknown) &
  (Declares<AccessOf<N>, 'recordings'> extends true
    ? {
        /** The home recordings bucket; absent where the region hosts no recordings. */
        readonly recordings: { readonly bucket?: string; readonly objects: ObjectStore };
        /** Where uploads land first when that is another region's bucket (EEA: US staging). */
        readonly recordingStaging?: BucketObjects & { readonly versions: ObjectVersions };
      }
    : unknown) &
  (Declares<AccessOf<N>, 'exports'> extends true ? { readonly exportFiles: ExportFiles } : unknown) &
  (Declares<AccessOf<N>, 'migrations'> extends true
    ? { readonly migrationFiles: MigrationFiles; readonly migrationLedger: MigrationLedger }
    : unknown) &
  ('ticketJobs' extends WorkflowsOf<AccessOf<N>> ? { readonly ticketJobs: TicketJobStore } : unknown) &
  ([WorkflowsOf<AccessOf<N>>] extends [never]
    ? unknown
    : { readonly workflows: Readonly<Record<WorkflowsOf<AccessOf<N>>, WorkflowStarter>> });

const runtimes = new Map<ApiFunctionName, unknown>();

/** The runtime of API function `name`, made once per container from its environment and declared access. */
export function getRuntime<N extends ApiFunctionName>(name: N): RuntimeFor<N> {
  let runtime = runtimes.get(name) as RuntimeFor<N> | undefined;
  if (!runtime) {
    runtime = buildRuntime(apiFunctions[name].access) as RuntimeFor<N>;
    runtimes.set(name, runtime);
  }
  return runtime;
}

/** Builds what `access` allows, from an environment parsed by the schema derived from it. */
export function buildRuntime(
  access: ApiFunctionAccess,
  env: NodeJS.ProcessEnv = process.env,
  clients: AwsClients = createAwsClients(env),
): BaseRuntime & Record<string, unknown> {
  const parsed = parseEnvironment(apiEnvironmentSchema(access), env) as Record<string, string | undefined>;
  const homeRegion = parsed.HOME_REGION as HostingRegionKey;
  const required = (variable: string) => {
    const value = parsed[variable];
    if (!value) throw new Error(`Invalid function environment: ${variable}`);
    return value;
  };
  const runtime: BaseRuntime & Record<string, unknown> = {
    env: parsed,
    homeRegion,
    // Logs carry ids and outcomes only; handlers never log request bodies, query strings or headers.
    logger: new Logger({
      serviceName: required('POWERTOOLS_SERVICE_NAME'),
      persistentKeys: { region: homeRegion },
    }),
    // Dimensions are fixed values only (service, route template): see lambdas/http/request-metrics.ts.
    metrics: new Metrics({
      namespace: required('POWERTOOLS_METRICS_NAMESPACE'),
      serviceName: required('POWERTOOLS_SERVICE_NAME'),
    }),
    now: () => new Date(),
    newId: newRecordId,
  };
  if (access.table) {
    const table = required('TABLE_NAME');
    const records = new DynamoRecordStore(clients.dynamo, table);
    const allowLoopbackHttpIssuers = parsed[localLoopbackIssuersVariable] === 'allow';
    Object.assign(runtime, {
      sso: {
        allowLoopbackHttpIssuers,
        settings: new DynamoSsoSettingsStore(clients.dynamo, table),
        verifier: new OidcTokenVerifier({
          now: () => new Date(),
          allowLoopbackHttp: allowLoopbackHttpIssuers,
        }),
        newId: newRecordId,
        now: () => new Date(),
        mayWrite: access.table === 'readWrite',
      },
      accounts: new DynamoAccountStore(clients.dynamo, table),
      records,
      erasureTrash: new DynamoErasureStore(clients.dynamo, table),
      apiKeys: new DynamoApiKeyStore(clients.dynamo, table),
      keyCacheMs: Number(parsed.API_KEY_CACHE_SECONDS ?? defaultKeyCacheMs / 1000) * 1000,
      scopeCacheMs: Number(parsed.TICKET_SCOPE_CACHE_SECONDS ?? defaultScopeCacheMs / 1000) * 1000,
      rateLimit: {
        limiter: new LeasedRateLimiter(new DynamoRateBudget(clients.dynamo, table)),
        perMinute: Number(parsed.RATE_LIMIT_PER_MINUTE ?? defaultRateLimitPerMinute),
        now: () => new Date(),
      },
    } satisfies TableRuntime);
    if (access.objects?.migrations)
      runtime.migrationLedger = new DynamoMigrationLedger(clients.dynamo, table);
    // Bulk ticket jobs live beside the records; only the function that starts them keeps them.
    if (access.workflows?.start?.includes('ticketJobs'))
      runtime.ticketJobs = new DynamoTicketJobs(clients.dynamo, table);
    if (access.objects?.attachments) runtime.pendingUploads = new DynamoPendingUploads(clients.dynamo, table);
    if (access.portalSecrets) {
      const cipher = new KmsSecretCipher(clients.kms, required('PORTAL_SECRET_KEY'));
      runtime.portalSecrets = new PortalSecrets(
        new DynamoPortalSecretStore(clients.dynamo, table, cipher),
        Date.now,
      );
    }
  }
  if (access.accountDirectory) {
    const table = required('TABLE_NAME');
    runtime.accounts ??= new DynamoAccountStore(clients.dynamo, table);
    runtime.directory = new DynamoAccountDirectory(clients.dynamo, table);
  }
  const objects = new S3ObjectStore(clients.s3);
  if (access.objects?.attachments) runtime.attachments = { bucket: required('ATTACHMENTS_BUCKET'), objects };
  if (access.objects?.recordings || access.objects?.recordingUploads) {
    runtime.recordings = { bucket: parsed.RECORDINGS_BUCKET, objects };
    const stagingBucket = parsed.RECORDING_STAGING_BUCKET;
    const stagingRegion = parsed.RECORDING_STAGING_REGION;
    if (stagingBucket && stagingRegion) {
      const client = clients.s3In(stagingRegion);
      runtime.recordingStaging = {
        bucket: stagingBucket,
        objects: new S3ObjectStore(client),
        versions: new S3ObjectVersions(client),
      };
    }
  }
  if (access.objects?.exports)
    runtime.exportFiles = new S3ExportFiles(clients.s3, required('EXPORTS_BUCKET'));
  if (access.objects?.migrations) {
    runtime.migrationFiles = new S3MigrationFiles(clients.s3, required('MIGRATIONS_BUCKET'));
  }
  const workflows = workflowsOf(access);
  if (workflows.length > 0) {
    runtime.workflows = Object.fromEntries(
      workflows.map((workflow: WorkflowName) => [
        workflow,
        new SfnWorkflowStarter(clients.sfn, required(workflowArnVariables[workflow])),
      ]),
    );
  }
  return runtime;
}

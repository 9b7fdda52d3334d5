import { z } from 'zod';
import { type HostingRegionKey, hostingRegionKeys } from '#lib/residency/index';
import {
  awsRegionSchema,
  bucketNameSchema,
  metricsNamespace,
  stateMachineArnSchema,
} from './function-environment.ts';

/**
 * What an API function may reach, declared once beside its routes (`apiFunctions`). The API stack
 * derives the function's IAM policy from it, the function construct and the handler's cold start its
 * environment schema, and the runtime builds only these clients and stores: a function that did not
 * declare a resource has no permission for it, no setting naming it and no code path to it.
 */
export interface ApiFunctionAccess {
  /**
   * The region's records table: `read` (GetItem, BatchGetItem, Query) or `readWrite` (also PutItem,
   * UpdateItem, DeleteItem, BatchWriteItem, ConditionCheckItem). A function with the table
   * authenticates its callers (API keys live there) and spends their rate budget; absent: neither.
   */
  readonly table?: 'read' | 'readWrite';
  /**
   * Objects of the region's buckets the function reads (GetObject, HEAD, presigned GETs), writes
   * (PutObject, presigned PUTs) or deletes with every version (`deleteVersions`: only staged recordings,
   * which never stay in the staging region; at home the purge deletes).
   */
  readonly objects?: { readonly [B in ApiBucket]?: readonly ObjectAccess[] };
  /** The region's workflows the function starts, or whose executions it describes. */
  readonly workflows?: {
    readonly start?: readonly WorkflowName[];
    readonly describe?: readonly WorkflowName[];
  };
  /**
   * The function issues or verifies requesters' portal tokens: it encrypts and decrypts their secret
   * with the region's data key directly, and only with that purpose in the encryption context.
   */
  readonly portalSecrets?: true;
  /**
   * The function administers the region's accounts for the vendor's operators: it reads accounts and
   * the account directory, and writes accounts with their first admin, key and audit entries. Only
   * the table actions that takes (GetItem, BatchGetItem, Query, PutItem, UpdateItem, ConditionCheckItem,
   * on the table itself, no index); no API keys are checked, no request budget spent.
   */
  readonly accountDirectory?: true;
}

/**
 * What a role may do with subjects' data keys (docs/encryption.md): `use` reads a subject's key,
 * creating it on first use; `destroy` replaces a key by its tombstone. Every function reaching the
 * records table uses them (its records are sealed); only the erasure's outcome destroys them. The
 * functions find the key table from the records table's name, so no variable names it.
 */
export type SubjectKeyAccess = 'use' | 'destroy';

/**
 * Buckets as API functions see them. `recordingUploads` is where new recordings land: the US staging
 * bucket for EEA accounts (the residency hold), else the home recordings bucket itself.
 */
export const apiBuckets = ['attachments', 'recordings', 'recordingUploads', 'exports', 'migrations'] as const;
export type ApiBucket = (typeof apiBuckets)[number];
export type ObjectAccess = 'read' | 'write' | 'deleteVersions';

export const workflowNames = ['privacyExport', 'privacyErasure', 'migration', 'ticketJobs'] as const;
export type WorkflowName = (typeof workflowNames)[number];

/** The environment variable that carries each workflow's state machine ARN. */
export const workflowArnVariables = {
  privacyExport: 'PRIVACY_STATE_MACHINE_ARN',
  privacyErasure: 'ERASURE_STATE_MACHINE_ARN',
  migration: 'MIGRATION_STATE_MACHINE_ARN',
  ticketJobs: 'TICKET_JOB_STATE_MACHINE_ARN',
} as const satisfies Record<WorkflowName, string>;

/**
 * Each bucket's environment variable, and the key prefix under which its objects live (ids only:
 * `accounts/<account>/…`, `exports/<account>/…`, `migrations/<account>/…`): functions reach nothing
 * outside it.
 */
export const apiBucketSettings = {
  attachments: { variable: 'ATTACHMENTS_BUCKET', prefix: 'accounts/' },
  recordings: { variable: 'RECORDINGS_BUCKET', prefix: 'accounts/' },
  recordingUploads: { variable: 'RECORDING_STAGING_BUCKET', prefix: 'accounts/' },
  exports: { variable: 'EXPORTS_BUCKET', prefix: 'exports/' },
  migrations: { variable: 'MIGRATIONS_BUCKET', prefix: 'migrations/' },
} as const satisfies Record<ApiBucket, { variable: string; prefix: string }>;

/** The data key (portal-token secrets, subject keys are encrypted with it): its ARN on AWS, its alias locally. */
const keyIdSchema = z
  .string()
  .regex(/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:)?(key\/[0-9a-f-]{36}|alias\/[A-Za-z0-9/_-]{1,250})$/);

/** What every API function's environment holds, whatever it declared. */
const everyFunction = {
  HOME_REGION: z.enum(hostingRegionKeys),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  /** CloudWatch namespace of the functions' metrics (embedded metric format in their logs). */
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1),
};

/** The variable that lets loopback SSO issuers use http: local platform only. */
export const localLoopbackIssuersVariable = 'SSO_LOCAL_LOOPBACK_ISSUERS';

/** What a function with the table holds: it authenticates callers and counts their requests. */
const withTable = {
  TABLE_NAME: z.string().min(3),
  /** Requests per minute an account may make to this region's API unless its key says otherwise. */
  RATE_LIMIT_PER_MINUTE: z
    .string()
    .regex(/^[1-9][0-9]{0,6}$/)
    .optional(),
  /** How long a container trusts a resolved API key, in seconds (default 30; docs/api-keys.md). */
  API_KEY_CACHE_SECONDS: z
    .string()
    .regex(/^[0-9]{1,3}$/)
    .optional(),
  /** How long a container trusts an agent's ticket scope, in seconds (default 5). */
  TICKET_SCOPE_CACHE_SECONDS: z
    .string()
    .regex(/^[0-9]{1,3}$/)
    .optional(),
  /**
   * Set only by the local platform (local/local-environment.ts), never on AWS (an infra test asserts
   * it): SSO issuers on a loopback host may use plain http. Anything but `allow` means https only.
   */
  [localLoopbackIssuersVariable]: z.literal('allow').optional(),
};

/**
 * The environment schema of a function with `access`: the variables it declared are required, except
 * where a hosting region has no such resource (recordings live in the US and the EEA only; only the
 * EEA stages its uploads in another region), which is optional and checked where it is used.
 */
export function apiEnvironmentSchema(access: ApiFunctionAccess) {
  const shape: Record<string, z.ZodType> = { ...everyFunction };
  if (access.table) Object.assign(shape, withTable);
  if (access.accountDirectory) shape.TABLE_NAME = withTable.TABLE_NAME;
  for (const bucket of apiBuckets) {
    if (!access.objects?.[bucket]) continue;
    if (bucket === 'recordingUploads') {
      // Absent where uploads land in the home recordings bucket itself (the US).
      shape.RECORDING_STAGING_BUCKET = bucketNameSchema.optional();
      shape.RECORDING_STAGING_REGION = awsRegionSchema.optional();
      shape.RECORDINGS_BUCKET = bucketNameSchema.optional();
    } else {
      shape[apiBucketSettings[bucket].variable] =
        bucket === 'recordings' ? bucketNameSchema.optional() : bucketNameSchema;
    }
  }
  for (const workflow of workflowsOf(access)) shape[workflowArnVariables[workflow]] = stateMachineArnSchema;
  if (access.portalSecrets) shape.PORTAL_SECRET_KEY = keyIdSchema;
  return z.object(shape);
}

/** The names of a hosting region's resources that API functions may be given (deterministic names). */
export interface ApiResourceNames {
  readonly region: HostingRegionKey;
  readonly tableName: string;
  /** The region's subject-key table (`subjectKeyTableName`). */
  readonly subjectKeyTableName: string;
  /** This region's buckets by their API role; recordings only where the region stores them. */
  readonly buckets: { readonly [B in Exclude<ApiBucket, 'recordingUploads'>]?: string };
  /** Where this region's recordings are uploaded first, if not into its own recordings bucket. */
  readonly recordingStaging?: { readonly bucketName: string; readonly awsRegion: string };
  readonly stateMachineArns: Readonly<Record<WorkflowName, string>>;
  /** The data key portal-token secrets and subject keys are encrypted with (its ARN on AWS, its alias locally). */
  readonly dataKeyId: string;
}

/** The environment a function with `access` gets: only the names of what it may reach. */
export function apiFunctionEnvironment(
  serviceName: string,
  access: ApiFunctionAccess,
  names: ApiResourceNames,
): Record<string, string | undefined> {
  const environment: Record<string, string | undefined> = {
    HOME_REGION: names.region,
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
  };
  if (access.table || access.accountDirectory) environment.TABLE_NAME = names.tableName;
  for (const bucket of apiBuckets) {
    if (!access.objects?.[bucket]) continue;
    if (bucket === 'recordingUploads') {
      environment.RECORDINGS_BUCKET = names.buckets.recordings;
      environment.RECORDING_STAGING_BUCKET = names.recordingStaging?.bucketName;
      environment.RECORDING_STAGING_REGION = names.recordingStaging?.awsRegion;
    } else environment[apiBucketSettings[bucket].variable] = names.buckets[bucket];
  }
  for (const workflow of workflowsOf(access)) {
    environment[workflowArnVariables[workflow]] = names.stateMachineArns[workflow];
  }
  if (access.portalSecrets) environment.PORTAL_SECRET_KEY = names.dataKeyId;
  return environment;
}

/** The workflows a function starts or watches. */
export function workflowsOf(access: ApiFunctionAccess): WorkflowName[] {
  return [...new Set([...(access.workflows?.start ?? []), ...(access.workflows?.describe ?? [])])];
}

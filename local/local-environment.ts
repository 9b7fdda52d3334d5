import { bucketsIn } from '#lib/platform/bucket-design';
import { apiFunctions } from '#lib/platform/api-routes';
import {
  type ApiResourceNames,
  apiEnvironmentSchema,
  apiFunctionEnvironment,
  localLoopbackIssuersVariable,
} from '#lib/platform/function-access';
import { migrationEnvironmentSchema } from '#lib/platform/migration-environment';
import {
  bucketName,
  keyAlias,
  migrationStateMachineName,
  privacyErasureStateMachineName,
  recordPurgeStateMachineName,
  retentionStateMachineName,
  privacyExportStateMachineName,
  stateMachineArn,
  subjectKeyTableName,
  tableName,
  ticketJobStateMachineName,
} from '#lib/platform/names';
import { privacyErasureEnvironmentSchema } from '#lib/platform/privacy-erasure-environment';
import { privacyExportEnvironmentSchema } from '#lib/platform/privacy-export-environment';
import { recordPurgeEnvironmentSchema } from '#lib/platform/record-purge-environment';
import { recordingTransferEnvironmentSchema } from '#lib/platform/recording-transfer-environment';
import { retentionEnvironmentSchema } from '#lib/platform/retention-environment';
import { ticketJobEnvironmentSchema } from '#lib/platform/ticket-job-environment';
import {
  eeaRegionKey,
  type HostingRegionKey,
  hostingRegions,
  recordingStagingRegionFor,
} from '#lib/residency/index';
import { localAwsAccountId, localCredentials } from './local-credentials.ts';

export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  /** The local KMS endpoint (local/emulators/kms-emulator.ts) with every region's data key; the API needs it. */
  readonly kms?: string;
}

/** The region's local Step Functions endpoint (its workflow server), for the functions that start workflows. */
export interface WorkflowEndpoint {
  readonly sfn: string;
}

/** A state machine's ARN as the local Step Functions endpoint names it (the same one CDK builds from its name). */
const localStateMachineArn = (region: HostingRegionKey, name: string) =>
  stateMachineArn('aws', hostingRegions[region].awsRegion, localAwsAccountId, name);

/** Names of a region's local resources: the same derivation the CDK stacks use. */
export function localResourceNames(region: HostingRegionKey) {
  return {
    table: tableName(region),
    subjectKeyTable: subjectKeyTableName(region),
    buckets: Object.fromEntries(
      bucketsIn(region).map((design) => [design.kind, bucketName(region, design.kind, localAwsAccountId)]),
    ) as Record<string, string>,
  };
}

/**
 * The environment a region's API functions get locally: one process serves them all, so it holds what
 * each function gets on AWS (each checked by its own schema, as the CDK construct does), plus the SDK's
 * own endpoint variables pointing at the emulators. Each handler still parses only the variables its
 * declared access names at cold start, and builds only what it declared (lambdas/adapters/runtime.ts).
 */
export function localFunctionEnvironment(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
  workflows?: WorkflowEndpoint,
): Record<string, string> {
  const names = localResourceNames(region);
  const staging = recordingStagingRegionFor(region);
  const resources: ApiResourceNames = {
    region,
    tableName: names.table,
    subjectKeyTableName: names.subjectKeyTable,
    buckets: {
      attachments: names.buckets.attachments,
      exports: names.buckets.exports,
      migrations: names.buckets.migrations,
      recordings: names.buckets.recordings,
    },
    recordingStaging: staging && {
      bucketName: localResourceNames(staging).buckets['recording-staging'] ?? '',
      awsRegion: hostingRegions[staging].awsRegion,
    },
    // The same ARNs the CDK API stack builds from the deterministic names (local account id).
    stateMachineArns: {
      privacyExport: localStateMachineArn(region, privacyExportStateMachineName(region)),
      privacyErasure: localStateMachineArn(region, privacyErasureStateMachineName(region)),
      migration: localStateMachineArn(region, migrationStateMachineName(region)),
      ticketJobs: localStateMachineArn(region, ticketJobStateMachineName(region)),
    },
    // The local KMS endpoint resolves the data key's alias in the region the request is signed for.
    dataKeyId: keyAlias(region, 'data'),
  };
  const merged: Record<string, string | undefined> = {};
  for (const spec of Object.values(apiFunctions)) {
    const environment = apiFunctionEnvironment('helpdesk-api', spec.access, resources);
    apiEnvironmentSchema(spec.access).parse(environment);
    Object.assign(merged, environment);
  }
  return {
    ...definedOnly(merged),
    // The local identity provider is plain http on a loopback port: allowed here, never on AWS.
    [localLoopbackIssuersVariable]: 'allow',
    ...localAwsEnvironment(region, endpoints),
    ...(workflows && { AWS_ENDPOINT_URL_SFN: workflows.sfn }),
  };
}

/**
 * The environment of a region's workflow functions locally (the recording transfer in the staging
 * region), validated by the schema the handlers parse, plus the emulator endpoints.
 */
export function localWorkflowEnvironment(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
): Record<string, string> {
  const names = localResourceNames(region);
  const home = hostingRegions[eeaRegionKey].awsRegion;
  const transfer = names.buckets['recording-staging']
    ? recordingTransferEnvironmentSchema.parse({
        STAGING_BUCKET: names.buckets['recording-staging'],
        HOME_AWS_REGION: home,
        HOME_RECORDINGS_BUCKET: localResourceNames(eeaRegionKey).buckets.recordings,
        HOME_TABLE_NAME: tableName(eeaRegionKey),
        HOME_DATA_KEY: `arn:aws:kms:${home}:${localAwsAccountId}:${keyAlias(eeaRegionKey, 'data')}`,
        POWERTOOLS_SERVICE_NAME: 'helpdesk-recording-transfer',
      })
    : {};
  const privacyExport = privacyExportEnvironmentSchema.parse({
    HOME_REGION: region,
    TABLE_NAME: names.table,
    EXPORTS_BUCKET: names.buckets.exports,
    ATTACHMENTS_BUCKET: names.buckets.attachments,
    RECORDINGS_BUCKET: names.buckets.recordings,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-privacy-export',
  });
  const staging = recordingStagingRegionFor(region);
  const privacyErasure = privacyErasureEnvironmentSchema.parse({
    HOME_REGION: region,
    TABLE_NAME: names.table,
    ATTACHMENTS_BUCKET: names.buckets.attachments,
    RECORDINGS_BUCKET: names.buckets.recordings,
    TRASH_BUCKET: names.buckets.trash,
    EXPORTS_BUCKET: names.buckets.exports,
    MIGRATIONS_BUCKET: names.buckets.migrations,
    RECORDING_STAGING_BUCKET: staging && localResourceNames(staging).buckets['recording-staging'],
    RECORDING_STAGING_REGION: staging && hostingRegions[staging].awsRegion,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-privacy-erasure',
    // The deadline watch runs here on its schedule and starts purges on the local endpoint.
    ERASURE_STATE_MACHINE_ARN: localStateMachineArn(region, privacyErasureStateMachineName(region)),
  });
  const recordPurge = recordPurgeEnvironmentSchema.parse({
    HOME_REGION: region,
    TABLE_NAME: names.table,
    ATTACHMENTS_BUCKET: names.buckets.attachments,
    RECORDINGS_BUCKET: names.buckets.recordings,
    RECORDING_STAGING_BUCKET: staging && localResourceNames(staging).buckets['recording-staging'],
    RECORDING_STAGING_REGION: staging && hostingRegions[staging].awsRegion,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-record-purge',
    // The daily purge schedule runs here and starts the purge on the local endpoint.
    PURGE_STATE_MACHINE_ARN: localStateMachineArn(region, recordPurgeStateMachineName(region)),
  });
  const migration = migrationEnvironmentSchema.parse({
    HOME_REGION: region,
    TABLE_NAME: names.table,
    MIGRATIONS_BUCKET: names.buckets.migrations,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-migration',
  });
  // The daily retention start runs here on its schedule and starts the run on the local endpoint.
  const retention = retentionEnvironmentSchema.parse({
    HOME_REGION: region,
    TABLE_NAME: names.table,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-retention',
    RETENTION_STATE_MACHINE_ARN: localStateMachineArn(region, retentionStateMachineName(region)),
    ERASURE_STATE_MACHINE_ARN: localStateMachineArn(region, privacyErasureStateMachineName(region)),
  });
  const ticketJobs = ticketJobEnvironmentSchema.parse({
    HOME_REGION: region,
    TABLE_NAME: names.table,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-ticket-jobs',
  });
  return {
    ...ticketJobs,
    ...definedOnly(retention),
    ...migration,
    ...definedOnly(privacyExport),
    ...definedOnly(recordPurge),
    ...definedOnly(privacyErasure),
    ...definedOnly(transfer),
    HOSTING_REGION: region,
    ...localAwsEnvironment(region, endpoints),
  };
}

function definedOnly(environment: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** What every local function process has: its AWS region, the emulators' credentials and endpoints. */
function localAwsEnvironment(region: HostingRegionKey, endpoints: EmulatorEndpoints): Record<string, string> {
  return {
    AWS_REGION: hostingRegions[region].awsRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    ...(endpoints.kms && { AWS_ENDPOINT_URL_KMS: endpoints.kms }),
    POWERTOOLS_DEV: 'false',
  };
}

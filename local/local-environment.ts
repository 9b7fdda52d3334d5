import { bucketsIn } from '#lib/platform/bucket-design';
import {
  type FunctionEnvironment,
  functionEnvironmentSchema,
  metricsNamespace,
} from '#lib/platform/function-environment';
import { bucketName, tableName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegions } from '#lib/residency/index';
import { localAwsAccountId, localCredentials } from './local-credentials.ts';

export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
}

/** Names of a region's local resources: the same derivation the CDK stacks use. */
export function localResourceNames(region: HostingRegionKey) {
  return {
    table: tableName(region),
    buckets: Object.fromEntries(
      bucketsIn(region).map((design) => [design.kind, bucketName(region, design.kind, localAwsAccountId)]),
    ) as Record<string, string>,
  };
}

/**
 * The environment a region's functions get locally: the same variables the CDK function construct
 * sets (validated by the same schema), plus the SDK's own endpoint variables pointing at the emulators.
 */
export function localFunctionEnvironment(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
): Record<string, string> {
  const names = localResourceNames(region);
  const functionEnvironment: FunctionEnvironment = functionEnvironmentSchema.parse({
    HOME_REGION: region,
    TABLE_NAME: names.table,
    ATTACHMENTS_BUCKET: names.buckets.attachments,
    TRASH_BUCKET: names.buckets.trash,
    EXPORTS_BUCKET: names.buckets.exports,
    RECORDINGS_BUCKET: names.buckets.recordings,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-api',
    POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
  });
  return {
    ...(Object.fromEntries(
      Object.entries(functionEnvironment).filter(([, value]) => value !== undefined),
    ) as Record<string, string>),
    AWS_REGION: hostingRegions[region].awsRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    POWERTOOLS_DEV: 'false',
  };
}

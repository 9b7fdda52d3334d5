import { Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  type ApiFunctionName,
  apiFunctions,
  apiRoutes,
  portalTokenFunctions,
} from '#lib/platform/api-routes';
import {
  executionArn,
  httpApiName,
  migrationStateMachineName,
  privacyErasureStateMachineName,
  privacyExportStateMachineName,
  stateMachineArn,
} from '#lib/platform/names';
import { metricsNamespace } from '#lib/platform/function-environment';
import { portalSecretPurpose } from '#lib/platform/portal-secret-encryption';
import type { HostingRegionKey } from '#lib/residency/index';
import { pascalCase } from './construct-ids.ts';
import { grantKeyUseByAlias } from './key-grants.ts';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import { PlatformFunction } from './platform-function.ts';
import { PlatformLogGroup } from './platform-log-group.ts';
import { grantStagedRecordingDeletion } from './staged-recording-grants.ts';
import type { RecordsTable } from './records-table.ts';
import type { SecureBucket } from './secure-bucket.ts';

/** The region's data the API functions read and write. */
export interface RegionalDataAccess {
  readonly table: RecordsTable;
  readonly attachments: SecureBucket;
  readonly trash: SecureBucket;
  readonly exports: SecureBucket;
  /** Only the migrations function reads and writes it. */
  readonly migrations: SecureBucket;
  /** Only in regions that store call recordings (US, EEA). */
  readonly recordings?: SecureBucket;
  /** Encrypts the table and the buckets. */
  readonly dataKey: IKey;
}

/** A bucket in another region where this region's recordings land first (EEA: the US staging bucket). */
export interface RecordingStagingAccess {
  readonly bucketName: string;
  readonly awsRegion: string;
  readonly dataKeyAlias: string;
}

export interface RegionalHttpApiProps {
  readonly region: HostingRegionKey;
  readonly recordingStaging?: RecordingStagingAccess;
  readonly data: RegionalDataAccess;
  readonly logsKey: IKey;
  /** Default stage throttling. @default 100 requests/s steady, bursts of 200 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/**
 * One JSON line per request; ids, route template and outcome only: no client IP or user agent (kept a
 * year, they would be personal data; API Gateway offers no truncated IP), no path, headers, query
 * strings or bodies. See docs/personal-data.md.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

const authenticationInHandlers =
  'Clients authenticate with a Freshdesk-compatible API key over HTTP Basic, verified inside each handler against the region table; API Gateway authorizers (IAM, Cognito) cannot check those keys.';

/**
 * The HTTP API of a hosting region (API Gateway HTTP API, payload format 2.0): one `PlatformFunction` per
 * entry of `apiFunctions`, one route per entry of `apiRoutes`, a `$default` stage with JSON access logs in
 * a one-year encrypted log group and default throttling. Function logs go to the region's log archive as
 * helpdesk application logs, access logs as API access logs. Every function may read and write the region's
 * records and objects, and use the data key only through DynamoDB and S3 of this region.
 */
export class RegionalHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Readonly<Record<ApiFunctionName, PlatformFunction>>;

  constructor(scope: Construct, id: string, props: RegionalHttpApiProps) {
    super(scope, id);
    const { data, region } = props;
    const stack = Stack.of(this);

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: httpApiName(region),
      description: `Helpdesk ${region} regional API`,
      createDefaultStage: false,
    });
    const accessLogs = new PlatformLogGroup(this, 'AccessLogs', {
      encryptionKey: props.logsKey,
      archive: { region, route: 'api-access' },
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs.logGroup),
        format: accessLogFormat,
      },
    });

    // Built from the deterministic name: the API does not reference the Workflows stack (no cycle).
    const privacyExportArn = stateMachineArn(
      stack.partition,
      stack.region,
      stack.account,
      privacyExportStateMachineName(region),
    );
    const privacyErasureArn = stateMachineArn(
      stack.partition,
      stack.region,
      stack.account,
      privacyErasureStateMachineName(region),
    );
    // The calls that erase or restore: admins' v2 deletions and the privacy requests API.
    const startsErasures = (name: ApiFunctionName) =>
      name === 'privacyRequests' || name === 'contacts' || name === 'agents';
    const migrationArn = stateMachineArn(
      stack.partition,
      stack.region,
      stack.account,
      migrationStateMachineName(region),
    );
    const functions = {} as Record<ApiFunctionName, PlatformFunction>;
    for (const [name, spec] of Object.entries(apiFunctions) as [
      ApiFunctionName,
      (typeof apiFunctions)[ApiFunctionName],
    ][]) {
      const fn = new PlatformFunction(this, pascalCase(name), {
        entry: spec.entry,
        description: `Helpdesk ${region}: ${spec.description}`,
        logsKey: props.logsKey,
        // The API is the helpdesk product's (Freshdesk v2) API: its logs are helpdesk application logs.
        logArchive: { region, route: 'helpdesk-application' },
        environment: {
          HOME_REGION: region,
          TABLE_NAME: data.table.tableName,
          ATTACHMENTS_BUCKET: data.attachments.bucketName,
          TRASH_BUCKET: data.trash.bucketName,
          EXPORTS_BUCKET: data.exports.bucketName,
          RECORDINGS_BUCKET: data.recordings?.bucketName,
          ...(name === 'calls' &&
            props.recordingStaging && {
              RECORDING_STAGING_BUCKET: props.recordingStaging.bucketName,
              RECORDING_STAGING_REGION: props.recordingStaging.awsRegion,
            }),
          ...(name === 'privacyRequests' && { PRIVACY_STATE_MACHINE_ARN: privacyExportArn }),
          ...(startsErasures(name) && { ERASURE_STATE_MACHINE_ARN: privacyErasureArn }),
          ...(name === 'migrations' && {
            MIGRATIONS_BUCKET: data.migrations.bucketName,
            MIGRATION_STATE_MACHINE_ARN: migrationArn,
          }),
          ...(portalTokenFunctions.includes(name) && { PORTAL_SECRET_KEY: data.dataKey.keyArn }),
          POWERTOOLS_SERVICE_NAME: `helpdesk-${name}`,
          POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        },
      });
      if (portalTokenFunctions.includes(name)) {
        // Portal-token secrets are encrypted with the data key directly (not through DynamoDB or S3), and
        // only with their purpose in the encryption context: the grant decrypts nothing else.
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'PortalTokenSecrets',
            actions: ['kms:Encrypt', 'kms:Decrypt'],
            resources: [data.dataKey.keyArn],
            conditions: { StringEquals: { 'kms:EncryptionContext:purpose': portalSecretPurpose } },
          }),
        );
      }
      if (name === 'privacyRequests') {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'StartPrivacyExport',
            actions: ['states:StartExecution'],
            resources: [privacyExportArn],
          }),
        );
      }
      if (startsErasures(name)) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'StartPrivacyErasure',
            actions: ['states:StartExecution'],
            resources: [privacyErasureArn],
          }),
        );
      }
      if (name === 'migrations') {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'StartMigration',
            actions: ['states:StartExecution'],
            resources: [migrationArn],
          }),
        );
        // Reads how a run's execution stands, so a run whose execution ended is not shown running.
        const migrationExecutions = executionArn(migrationArn, '*');
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'WatchMigrationRuns',
            actions: ['states:DescribeExecution'],
            resources: [migrationExecutions],
          }),
        );
        acknowledgeNagRule(
          fn.role,
          `AwsSolutions-IAM5[Resource::${nagFindingFor(fn.role, migrationExecutions)}]`,
          "Executions are named per migration run at run time; the wildcard spans the migration state machine's executions only.",
        );
        // Presigns uploads and report downloads, and checks uploads arrived.
        data.migrations.grantObjectReadWrite(fn.role);
      }
      if (name === 'calls' && props.recordingStaging) grantRecordingStaging(fn.role, props.recordingStaging);
      data.table.grantRecordAccess(fn.role);
      for (const bucket of [data.attachments, data.trash, data.exports, data.recordings]) {
        bucket?.grantObjectReadWrite(fn.role);
      }
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'DataKeyViaRegionalDynamoDbAndS3',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [data.dataKey.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': [
                `dynamodb.${stack.region}.amazonaws.com`,
                `s3.${stack.region}.amazonaws.com`,
              ],
            },
          },
        }),
      );
      functions[name] = fn;
    }
    this.functions = functions;

    const integrations = new Map<ApiFunctionName, HttpLambdaIntegration>();
    for (const route of apiRoutes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(
          `${pascalCase(route.function)}Integration`,
          functions[route.function].function,
          {
            payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
          },
        );
        integrations.set(route.function, integration);
      }
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }

    acknowledgeNagRule(this.api, 'AwsSolutions-APIG4', authenticationInHandlers);
    acknowledgeNagRule(this.api, 'AwsSolutions-COG4', authenticationInHandlers);
  }

  /** The API's base URL. */
  get url(): string {
    return this.stage.url;
  }
}

/**
 * The calls function presigns uploads into the staging bucket and checks whether a recording arrived
 * there; deleting a call deletes its staged recording's versions (recording keys only, no listing of
 * anything else).
 */
function grantRecordingStaging(role: Role, staging: RecordingStagingAccess): void {
  const stack = Stack.of(role);
  const objects = `${stack.formatArn({ service: 's3', region: '', account: '', resource: staging.bucketName })}/*`;
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [objects] }),
  );
  acknowledgeNagRule(
    role,
    `AwsSolutions-IAM5[Resource::${nagFindingFor(role, objects)}]`,
    "Recording keys are made at run time; the wildcard spans the staging bucket's objects only.",
  );
  grantKeyUseByAlias(role, {
    awsRegion: staging.awsRegion,
    alias: staging.dataKeyAlias,
    actions: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
    viaServices: ['s3'],
    reason:
      "Uploads into the staging bucket are encrypted with the staging region's data key, named by alias.",
  });
  grantStagedRecordingDeletion(
    role,
    staging.bucketName,
    'Deleting a call deletes its staged recording; recording keys are made per call at run time, the wildcard spans recording keys of the staging bucket only.',
  );
}

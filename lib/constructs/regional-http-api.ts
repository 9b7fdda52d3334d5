import { NestedStack, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  type ApiFunctionName,
  type ApiFunctionSpec,
  apiFunctions,
  apiRoutes,
  iamRoutes,
} from '#lib/platform/api-routes';
import { apiEnvironmentSchema, apiFunctionEnvironment } from '#lib/platform/function-access';
import {
  httpApiName,
  migrationStateMachineName,
  ticketJobStateMachineName,
  operatorPolicyName,
  privacyErasureStateMachineName,
  privacyExportStateMachineName,
  stateMachineArn,
  subjectKeyTableName,
} from '#lib/platform/names';
import type { HostingRegionKey } from '#lib/residency/index';
import { pascalCase } from './construct-ids.ts';
import { type ApiResources, grantApiFunctionAccess } from './api-function-access.ts';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import { PlatformFunction } from './platform-function.ts';
import { PlatformLogGroup } from './platform-log-group.ts';
import type { RecordsTable } from './records-table.ts';
import type { SecureBucket } from './secure-bucket.ts';

/** The region's data the API functions read and write. */
export interface RegionalDataAccess {
  readonly table: RecordsTable;
  readonly attachments: SecureBucket;
  readonly exports: SecureBucket;
  readonly migrations: SecureBucket;
  /** Only in regions that store call recordings (US, EEA). */
  readonly recordings?: SecureBucket;
  /** Encrypts the table and the buckets. */
  readonly dataKey: IKey;
}

export interface RegionalHttpApiProps {
  readonly region: HostingRegionKey;
  readonly recordingStaging?: ApiResources['recordingStaging'];
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
  'Clients authenticate with a Freshdesk-compatible API key over HTTP Basic, a requester portal token or an agent OpenID Connect token of the account identity provider, verified inside each handler against the region table and the issuer keys; API Gateway authorizers (IAM, Cognito, a JWT authorizer with one fixed issuer) cannot check those: each account has its own issuer. GET /api/v2/health and /api/v2/openapi.json are public by design and reach no data (their functions have no data permissions). The operator routes (/operator/v1/…) are authorized by AWS IAM.';

/**
 * The HTTP API of a hosting region (API Gateway HTTP API, payload format 2.0): one `PlatformFunction` per
 * entry of `apiFunctions`, one route per entry of `apiRoutes`, a `$default` stage with JSON access logs in
 * a one-year encrypted log group and default throttling. Function logs go to the region's log archive as
 * helpdesk application logs, access logs as API access logs. Each function gets only what its `access`
 * declares (lib/platform/api-routes.ts): the settings naming it and the permissions to use it.
 */
export class RegionalHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Readonly<Record<ApiFunctionName, PlatformFunction>>;
  /**
   * The API's routes and integrations, in a nested stack of their own: a stack holds at most 500
   * resources, and one route is one resource (docs/deploy.md "Room in the API stack").
   */
  readonly routes: NestedStack;
  /** What the vendor attaches to its operator roles: invoke the operator routes, nothing else. */
  readonly operatorAccess: ManagedPolicy;

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

    // Built from the deterministic names: the API does not reference the Workflows stack (no cycle).
    const machineArn = (name: string) => stateMachineArn(stack.partition, stack.region, stack.account, name);
    const resources: ApiResources = {
      region,
      tableName: data.table.tableName,
      subjectKeyTableName: subjectKeyTableName(region),
      dataKey: data.dataKey,
      dataKeyId: data.dataKey.keyArn,
      buckets: {
        attachments: data.attachments.bucketName,
        exports: data.exports.bucketName,
        migrations: data.migrations.bucketName,
        recordings: data.recordings?.bucketName,
      },
      recordingStaging: props.recordingStaging,
      stateMachineArns: {
        privacyExport: machineArn(privacyExportStateMachineName(region)),
        privacyErasure: machineArn(privacyErasureStateMachineName(region)),
        migration: machineArn(migrationStateMachineName(region)),
        ticketJobs: machineArn(ticketJobStateMachineName(region)),
      },
    };
    const functions = {} as Record<ApiFunctionName, PlatformFunction>;
    for (const [name, spec] of Object.entries(apiFunctions) as [ApiFunctionName, ApiFunctionSpec][]) {
      const fn = new PlatformFunction(this, pascalCase(name), {
        entry: spec.entry,
        description: `Helpdesk ${region}: ${spec.description}`,
        logsKey: props.logsKey,
        // The API is the helpdesk product's (Freshdesk v2) API: its logs are helpdesk application logs.
        logArchive: { region, route: 'helpdesk-application' },
        environment: apiFunctionEnvironment(`helpdesk-${name}`, spec.access, resources),
        environmentSchema: apiEnvironmentSchema(spec.access),
      });
      grantApiFunctionAccess(fn.role, spec.access, resources);
      functions[name] = fn;
    }
    this.functions = functions;

    this.routes = new NestedStack(this, 'Routes', {
      description: `Helpdesk ${region}: the routes of the regional API and their Lambda integrations`,
    });
    const iamAuthorizer = new HttpIamAuthorizer();
    const integrations = new Map<ApiFunctionName, HttpLambdaIntegration>();
    for (const route of apiRoutes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(
          `${pascalCase(route.function)}Integration`,
          functions[route.function].function,
          {
            payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
            // One invoke permission per function for this API, not one per route: it would cost a
            // resource per route.
            scopePermissionToRoute: false,
          },
        );
        integrations.set(route.function, integration);
      }
      new HttpRoute(this.routes, `${route.method}${route.path}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        ...(route.authorization === 'iam' && { authorizer: iamAuthorizer }),
      });
    }

    // execute-api:Invoke on exactly the operator routes (any stage: the API has only `$default`).
    const operatorRouteArns = iamRoutes.map((route) =>
      this.api.arnForExecuteApi(route.method, route.path.replace(/\{\w+\}/g, '*'), '*'),
    );
    this.operatorAccess = new ManagedPolicy(this, 'OperatorAccess', {
      managedPolicyName: operatorPolicyName(region),
      description: `Operators of the helpdesk ${region} region: the operator routes of its API (docs/operators.md)`,
      statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: operatorRouteArns })],
    });
    for (const arn of operatorRouteArns) {
      acknowledgeNagRule(
        this.operatorAccess,
        `AwsSolutions-IAM5[Resource::${nagFindingFor(this.operatorAccess, arn)}]`,
        'One operator route of this API: the wildcards stand for its only stage ($default) and the account id in the path; no other route is granted.',
      );
    }

    for (const routes of [this.api, this.routes]) {
      acknowledgeNagRule(routes, 'AwsSolutions-APIG4', authenticationInHandlers);
      acknowledgeNagRule(routes, 'AwsSolutions-COG4', authenticationInHandlers);
    }
  }

  /** The API's base URL. */
  get url(): string {
    return this.stage.url;
  }
}

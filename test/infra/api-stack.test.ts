import { Aws } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFunctionEnvironment } from '#lib/constructs/platform-function';
import { apiEnvironmentSchema, localLoopbackIssuersVariable } from '#lib/platform/function-access';
import {
  type ApiFunctionName,
  apiFunctions,
  apiRoutes,
  iamRoutes,
  portalTokenFunctions,
} from '#lib/platform/api-routes';
import { bucketName, keyAlias, stackNames, tableName } from '#lib/platform/names';
import { hostingRegion as hostingRegionOf, hostingRegionKeys, retention } from '#lib/residency/index';
import {
  type CfnResourceJson,
  resourcesOfType,
  statementsOf,
  type SynthesizedPlatform,
  type SynthesizedStack,
  synthesizePlatform,
} from './platform.ts';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform();
});

/** Follows a `Fn::ImportValue` in `api` to the data stack output it reads and returns that value. */
function importedValue(data: SynthesizedStack, value: unknown): unknown {
  const importName = (value as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
  if (importName === undefined) throw new Error(`Not an import: ${JSON.stringify(value)}`);
  const outputs = (data.json.Outputs ?? {}) as Record<string, { Value: unknown; Export?: { Name: string } }>;
  const output = Object.values(outputs).find((candidate) => candidate.Export?.Name === importName);
  if (!output) throw new Error(`No export ${importName}`);
  return output.Value;
}

function keyArnOf(data: SynthesizedStack, alias: string): unknown {
  const [[, aliasResource] = []] = resourcesOfType(data, 'AWS::KMS::Alias').filter(
    ([, r]) => r.Properties?.AliasName === alias,
  );
  return aliasResource?.Properties?.TargetKeyId;
}

describe.each(hostingRegionKeys)('API stack of %s', (region) => {
  const api = () => platform.regions[region].api;
  const routes = () => platform.regions[region].apiRoutes;
  const data = () => platform.regions[region].data;

  it('keeps every log group of the API for a year, encrypted with the logs key', () => {
    // Prepare
    const logsKeyArn = keyArnOf(data(), keyAlias(region, 'logs'));
    const logGroups = resourcesOfType(api(), 'AWS::Logs::LogGroup');

    // Assess: one per function plus the access log (the data stack's one is tested with the log archive)
    expect(logGroups).toHaveLength(Object.keys(apiFunctions).length + 1);
    for (const [id, logGroup] of logGroups) {
      expect(logGroup.Properties?.RetentionInDays, id).toBe(retention.logGroupDays);
      expect(logGroup.Properties?.RetentionInDays, id).toBe(365);
      expect(importedValue(data(), logGroup.Properties?.KmsKeyId), id).toEqual(logsKeyArn);
      expect(logGroup.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('runs one Node.js 22 arm64 function per API function, traced, logging JSON into its own log group', () => {
    // Prepare
    const functions = resourcesOfType(api(), 'AWS::Lambda::Function');
    const logGroupIds = new Set(resourcesOfType(api(), 'AWS::Logs::LogGroup').map(([id]) => id));

    // Assess
    expect(functions).toHaveLength(Object.keys(apiFunctions).length);
    for (const [id, fn] of functions) {
      const props = fn.Properties as Record<string, unknown> & {
        LoggingConfig: { LogFormat: string; LogGroup: { Ref: string } };
      };
      expect(props.Runtime, id).toBe('nodejs22.x');
      expect(props.Architectures, id).toEqual(['arm64']);
      expect(props.Handler, id).toBe('index.handler');
      expect(props.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig.LogFormat, id).toBe('JSON');
      expect(logGroupIds.has(props.LoggingConfig.LogGroup.Ref), id).toBe(true);
    }
  });

  it('gives each function the names of what it may reach, and nothing else', () => {
    // Prepare: the variables each function must have beyond HOME_REGION and its Powertools settings.
    const hasRecordings = region === 'us' || region === 'eea';
    const stagesRecordings = region === 'eea';
    const expected: Record<ApiFunctionName, string[]> = {
      health: [],
      openapi: [],
      account: ['TABLE_NAME'],
      auditLog: ['TABLE_NAME'],
      contacts: ['TABLE_NAME', 'ERASURE_STATE_MACHINE_ARN', 'PORTAL_SECRET_KEY'],
      agents: ['TABLE_NAME'],
      tickets: ['TABLE_NAME', 'ATTACHMENTS_BUCKET', 'PORTAL_SECRET_KEY'],
      calls: [
        'TABLE_NAME',
        ...(hasRecordings ? ['RECORDINGS_BUCKET'] : []),
        ...(stagesRecordings ? ['RECORDING_STAGING_BUCKET', 'RECORDING_STAGING_REGION'] : []),
      ],
      privacyRequests: [
        'TABLE_NAME',
        'EXPORTS_BUCKET',
        'PRIVACY_STATE_MACHINE_ARN',
        'ERASURE_STATE_MACHINE_ARN',
      ],
      migrations: ['TABLE_NAME', 'MIGRATIONS_BUCKET', 'MIGRATION_STATE_MACHINE_ARN'],
      roles: ['TABLE_NAME'],
      companies: ['TABLE_NAME'],
      groups: ['TABLE_NAME'],
      chats: ['TABLE_NAME'],
      satisfactionRatings: ['TABLE_NAME', 'PORTAL_SECRET_KEY'],
      timeEntries: ['TABLE_NAME'],
      discussions: ['TABLE_NAME'],
      solutions: ['TABLE_NAME'],
      fields: ['TABLE_NAME'],
      integrationLinks: ['TABLE_NAME'],
      operators: ['TABLE_NAME'],
      sso: ['TABLE_NAME'],
      retentionPolicies: ['TABLE_NAME'],
      ticketJobs: ['TABLE_NAME', 'TICKET_JOB_STATE_MACHINE_ARN'],
    };
    const always = ['HOME_REGION', 'NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME'];

    // Act
    const variables = functionsByName(api()).map(([name, fn]) => {
      const env = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      return [name, env] as const;
    });

    // Assess
    expect(variables.map(([name]) => name).sort()).toEqual(Object.keys(apiFunctions).sort());
    for (const [name, env] of variables) {
      expect(Object.keys(env).sort(), name).toEqual([...always, ...expected[name]].sort());
      expect(env.HOME_REGION, name).toBe(region);
      // Plain-http SSO issuers are a local-platform setting only: never on AWS (docs/sso.md).
      expect(env, name).not.toHaveProperty(localLoopbackIssuersVariable);
      if (env.TABLE_NAME) expect(env.TABLE_NAME, name).toBe(tableName(region));
    }
  });

  it('grants each function only the table, objects, key uses and workflows it declared', () => {
    // Prepare: what every function's role may do, as "action resource [condition]" lines, by intent.
    const { awsRegion } = hostingRegionOf(region);
    const table = `arn:<AWS::Partition>:dynamodb:${awsRegion}:<AWS::AccountId>:table/${tableName(region)}`;
    const bucket = (kind: string) =>
      `arn:<AWS::Partition>:s3:::${bucketName(region, kind, '<AWS::AccountId>')}`;
    const machine = (name: string) =>
      `arn:<AWS::Partition>:states:${awsRegion}:<AWS::AccountId>:stateMachine:helpdesk-${region}-${name}`;
    const reads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'].flatMap((action) => [
      `${action} ${table}`,
      `${action} ${table}/index/*`,
    ]);
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
    ].flatMap((action) => [`${action} ${table}`, `${action} ${table}/index/*`]);
    const keyVia = (service: string, actions: string[]) =>
      actions.map((action) => `${action} <data key> via ${service}.${awsRegion}.amazonaws.com`);
    // Every function reaching the table also makes and unwraps accounts' lookup keys (docs/encryption.md).
    // And seals and opens records with subjects' keys: their table, and the data key for that purpose.
    const subjectKeys = `arn:<AWS::Partition>:dynamodb:${awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-subject-keys`;
    const tableKey = [
      ...keyVia('dynamodb', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']),
      ...['kms:Decrypt', 'kms:GenerateDataKey'].map((action) => `${action} <data key> purpose lookup-key`),
      `dynamodb:GetItem ${subjectKeys}`,
      `dynamodb:PutItem ${subjectKeys}`,
      ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => `${action} <data key> purpose subject-key`),
    ];
    const rateBudget = [`dynamodb:UpdateItem ${table} leading keys A#*#RATE#*`];
    const objects = (kind: string, prefix: string, access: ('read' | 'write')[]) => [
      ...(access.includes('read')
        ? [`s3:GetObject ${bucket(kind)}/${prefix}*`, `s3:ListBucket ${bucket(kind)} prefix ${prefix}*`]
        : []),
      ...(access.includes('write') ? [`s3:PutObject ${bucket(kind)}/${prefix}*`] : []),
    ];
    const readWrite = [...reads, ...writes, ...tableKey];
    const portalSecrets = ['kms:Encrypt', 'kms:Decrypt'].map(
      (action) => `${action} <data key> purpose portal-token-secret`,
    );
    const stagedRecordings = `${bucketName('us', 'recording-staging', '<AWS::AccountId>')}`;
    const recordings = region === 'us' || region === 'eea';
    const stagingBucket = `arn:<AWS::Partition>:s3:::${bucketName('us', 'recording-staging', '<AWS::AccountId>')}`;
    const expected: Record<ApiFunctionName, string[]> = {
      health: [],
      openapi: [],
      account: [...reads, ...rateBudget, ...tableKey],
      auditLog: [...reads, ...rateBudget, ...tableKey],
      contacts: [...readWrite, ...portalSecrets, `states:StartExecution ${machine('privacy-erasure')}`],
      agents: readWrite,
      tickets: [
        ...readWrite,
        ...portalSecrets,
        ...objects('attachments', 'accounts/', ['read', 'write']),
        ...keyVia('s3', ['kms:Decrypt', 'kms:GenerateDataKey']),
      ],
      calls: [
        ...readWrite,
        ...(recordings ? objects('recordings', 'accounts/', ['read']) : []),
        ...(region === 'us' ? objects('recordings', 'accounts/', ['read', 'write']) : []),
        ...(region === 'eea'
          ? [
              `s3:GetObject ${stagingBucket}/accounts/*`,
              `s3:PutObject ${stagingBucket}/accounts/*`,
              `s3:ListBucket ${stagingBucket} prefix accounts/*`,
              ...['kms:Decrypt', 'kms:GenerateDataKey'].map(
                (action) => `${action} alias/helpdesk-us-data via s3.us-east-1.amazonaws.com`,
              ),
              // A deleted call's recording still in its hold goes with every version; nothing else.
              ...['s3:DeleteObject', 's3:DeleteObjectVersion'].map(
                (action) =>
                  `${action} arn:<AWS::Partition>:s3:::${stagedRecordings}/accounts/*/calls/*/recording`,
              ),
              `s3:ListBucketVersions arn:<AWS::Partition>:s3:::${stagedRecordings} prefix accounts/*/calls/*/recording`,
              `s3:GetBucketVersioning arn:<AWS::Partition>:s3:::${stagedRecordings}`,
            ]
          : []),
        ...(recordings
          ? keyVia('s3', ['kms:Decrypt', ...(region === 'us' ? ['kms:GenerateDataKey'] : [])])
          : []),
      ],
      privacyRequests: [
        ...readWrite,
        ...objects('exports', 'exports/', ['read']),
        ...keyVia('s3', ['kms:Decrypt']),
        `states:StartExecution ${machine('privacy-export')}`,
        `states:StartExecution ${machine('privacy-erasure')}`,
      ],
      migrations: [
        ...readWrite,
        ...objects('migrations', 'migrations/', ['read', 'write']),
        ...keyVia('s3', ['kms:Decrypt', 'kms:GenerateDataKey']),
        `states:StartExecution ${machine('migration')}`,
        `states:DescribeExecution ${machine('migration').replace(':stateMachine:', ':execution:')}:*`,
      ],
      roles: readWrite,
      companies: readWrite,
      groups: readWrite,
      chats: readWrite,
      satisfactionRatings: [...readWrite, ...portalSecrets],
      timeEntries: readWrite,
      discussions: readWrite,
      solutions: readWrite,
      fields: readWrite,
      integrationLinks: readWrite,
      // Account administration: the table itself (no index), no deletes, no request budget.
      operators: [
        ...[
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ].map((action) => `${action} ${table}`),
        ...tableKey,
      ],
      sso: readWrite,
      retentionPolicies: readWrite,
      // Stores bulk jobs and only starts their workflow: it neither describes nor stops executions.
      ticketJobs: [...readWrite, `states:StartExecution ${machine('ticket-jobs')}`],
    };

    for (const [name, fn] of functionsByName(api())) {
      // Act
      const roleId = (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const lines = statementsOf(api(), roleId).flatMap(permissionLines);

      // Assess: its own log group and tracing, and exactly what it declared.
      expect(
        lines.filter((line) => line.startsWith('logs:')),
        name,
      ).toHaveLength(2);
      expect(lines.filter((line) => line.startsWith('xray:')).sort(), name).toEqual([
        'xray:PutTelemetryRecords *',
        'xray:PutTraceSegments *',
      ]);
      const data = lines.filter((line) => !line.startsWith('logs:') && !line.startsWith('xray:'));
      expect(new Set(data), name).toEqual(new Set(expected[name]));
    }
  });

  it('routes every API route to a Lambda proxy integration with payload format 2.0', () => {
    // Act
    const routeKeys = resourcesOfType(routes(), 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties?.RouteKey,
    );
    const integrations = resourcesOfType(routes(), 'AWS::ApiGatewayV2::Integration');

    // Assess
    expect(routeKeys.sort()).toEqual(apiRoutes.map((route) => `${route.method} ${route.path}`).sort());
    expect(integrations).toHaveLength(new Set(apiRoutes.map((route) => route.function)).size);
    for (const [id, integration] of integrations) {
      expect(integration.Properties, id).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
  });

  it('lets API Gateway invoke each function once for this API, so routes grow the stack by one resource each', () => {
    // Act
    const permissions = resourcesOfType(routes(), 'AWS::Lambda::Permission');

    // Assess: a permission per route would cost one resource per route.
    expect(permissions).toHaveLength(new Set(apiRoutes.map((route) => route.function)).size);
    for (const [id, permission] of permissions) {
      expect(permission.Properties, id).toMatchObject({ Principal: 'apigateway.amazonaws.com' });
      expect(JSON.stringify(permission.Properties?.SourceArn), id).toContain('/*/*/*');
    }
  });

  it('keeps the routes in a nested stack, so each stack stays well under the 500 resources CloudFormation takes', () => {
    // Act
    const count = (stack: SynthesizedStack) => Object.keys(stack.json.Resources).length;
    const nestedStacks = resourcesOfType(api(), 'AWS::CloudFormation::Stack');

    // Assess: the functions (7 resources each) in the API stack, the routes (1 each) in their own.
    expect(nestedStacks).toHaveLength(1);
    expect(resourcesOfType(api(), 'AWS::ApiGatewayV2::Route')).toHaveLength(0);
    expect(count(api())).toBeLessThan(400);
    expect(count(routes())).toBeLessThan(400);
  });

  it('authorizes the operator routes by AWS IAM, and no other route', () => {
    // Act
    const routeProperties = resourcesOfType(routes(), 'AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties ?? {},
    );

    // Assess
    const byKey = new Map(
      routeProperties.map((route) => [route.RouteKey as string, route.AuthorizationType ?? 'NONE']),
    );
    const operatorKeys = iamRoutes.map((route) => `${route.method} ${route.path}`);
    expect(operatorKeys.length).toBeGreaterThan(0);
    for (const route of apiRoutes) {
      const key = `${route.method} ${route.path}`;
      expect(byKey.get(key), key).toBe(route.path.startsWith('/operator/') ? 'AWS_IAM' : 'NONE');
    }
    expect(operatorKeys.every((key) => key.split(' ')[1]?.startsWith('/operator/v1/'))).toBe(true);
  });

  it('offers a managed policy that invokes the operator routes of this API only, and outputs its ARN and the API URL', () => {
    // Prepare
    const [[policyId, policy] = []] = resourcesOfType(api(), 'AWS::IAM::ManagedPolicy');
    const apiId = resourcesOfType(api(), 'AWS::ApiGatewayV2::Api')[0]?.[0];

    // Act
    const document = policy?.Properties?.PolicyDocument as {
      Statement: { Effect: string; Action: string; Resource: unknown[] }[];
    };
    const resources = document.Statement.flatMap((statement) => statement.Resource).map((resource) =>
      JSON.stringify(resource),
    );

    // Assess
    expect(policy?.Properties?.ManagedPolicyName).toBe(`helpdesk-${region}-operator-access`);
    expect(document.Statement).toHaveLength(1);
    expect(document.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    expect(resources).toHaveLength(iamRoutes.length);
    for (const route of iamRoutes) {
      const suffix = `/*/${route.method}${route.path.replace(/\{\w+\}/g, '*')}`;
      expect(
        resources.filter(
          (resource) => resource.includes(`"${suffix}"`) && resource.includes(`"Ref":"${apiId}"`),
        ),
        suffix,
      ).toHaveLength(1);
    }
    const outputs = api().json.Outputs as Record<string, { Value: unknown }>;
    expect(outputs.OperatorPolicyArn?.Value).toEqual({ Ref: policyId });
    expect(outputs.ApiUrl).toBeDefined();
  });

  it('serves a throttled $default stage that writes access logs to its log group', () => {
    // Prepare
    const [[, stage] = []] = resourcesOfType(api(), 'AWS::ApiGatewayV2::Stage');
    const props = stage?.Properties as {
      StageName: string;
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
      DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    };

    // Assess
    expect(props.StageName).toBe('$default');
    const [logGroupId] = props.AccessLogSettings.DestinationArn['Fn::GetAtt'];
    expect(api().json.Resources[logGroupId]?.Type).toBe('AWS::Logs::LogGroup');
    expect(JSON.parse(props.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId' });
    expect(props.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(props.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
  });

  it('writes access logs without client IP, user agent, path or query string', () => {
    // Prepare
    const [[, stage] = []] = resourcesOfType(api(), 'AWS::ApiGatewayV2::Stage');
    const format = (stage?.Properties as { AccessLogSettings: { Format: string } }).AccessLogSettings.Format;
    const variables = Object.values(JSON.parse(format) as Record<string, string>);

    // Assess: only ids, the route template and the outcome (docs/personal-data.md).
    expect(format).not.toMatch(/identity|sourceIp|userAgent|path|query|header/i);
    expect(variables.sort()).toEqual(
      [
        '$context.integrationErrorMessage',
        '$context.integrationLatency',
        '$context.integrationStatus',
        '$context.requestId',
        '$context.requestTime',
        '$context.responseLatency',
        '$context.responseLength',
        '$context.routeKey',
        '$context.status',
      ].sort(),
    );
  });

  it('lets only the functions that issue or verify portal tokens encrypt and decrypt with the data key directly, for that purpose only, and table functions make lookup keys', () => {
    // Prepare
    const dataKeyArn = keyArnOf(data(), keyAlias(region, 'data'));
    const policies = resourcesOfType(api(), 'AWS::IAM::Policy');
    const byName = resourcesOfType(api(), 'AWS::Lambda::Function').map(([, fn]) => {
      const props = fn.Properties as {
        Role: { 'Fn::GetAtt': [string, string] };
        Environment: { Variables: Record<string, unknown> };
      };
      const roleId = props.Role['Fn::GetAtt'][0];
      const statements = policies
        .filter(
          ([, policy]) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]),
        )
        .flatMap(
          ([, policy]) =>
            (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
        );
      const name = String(props.Environment.Variables.POWERTOOLS_SERVICE_NAME).replace('helpdesk-', '');
      return { name, variables: props.Environment.Variables, statements };
    });

    // Act
    const direct = byName.map(({ name, variables, statements }) => ({
      name,
      key: variables.PORTAL_SECRET_KEY,
      grants: statements.filter(
        (s) =>
          JSON.stringify(s.Action).includes('kms:') &&
          !JSON.stringify(s.Condition).includes('kms:ViaService') &&
          !JSON.stringify(s.Condition).includes('lookup-key') &&
          !JSON.stringify(s.Condition).includes('subject-key'),
      ),
      lookupKeys: statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('lookup-key')),
    }));

    // Assess
    expect(
      direct
        .filter((fn) => fn.grants.length > 0)
        .map((fn) => fn.name)
        .sort(),
    ).toEqual([...portalTokenFunctions].sort());
    for (const { name, key, grants } of direct) {
      if (!portalTokenFunctions.includes(name as (typeof portalTokenFunctions)[number])) {
        expect(key, name).toBeUndefined();
        continue;
      }
      expect(importedValue(data(), key), name).toEqual(dataKeyArn);
      expect(grants, name).toHaveLength(1);
      expect(grants[0], name).toMatchObject({
        Sid: 'PortalTokenSecrets',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'portal-token-secret' } },
      });
      expect(importedValue(data(), grants[0]?.Resource), name).toEqual(dataKeyArn);
    }
    // Accounts' lookup keys: made and unwrapped directly, with their purpose only, by every function
    // reaching the records table, and by no other.
    for (const { name, lookupKeys } of direct) {
      const access: { table?: unknown; accountDirectory?: unknown } =
        apiFunctions[name as ApiFunctionName].access;
      const reachesTable = Boolean(access.table ?? access.accountDirectory);
      expect(lookupKeys, name).toHaveLength(reachesTable ? 1 : 0);
      if (!reachesTable) continue;
      expect(lookupKeys[0], name).toMatchObject({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'lookup-key' } },
      });
      expect(importedValue(data(), lookupKeys[0]?.Resource), name).toEqual(dataKeyArn);
    }
  });

  it('deploys after its data stack', () => {
    const artifact = platform.assembly.getStackByName(stackNames(region).api);
    expect(artifact.dependencies.map((dependency) => dependency.id)).toContain(stackNames(region).data);
  });
});

describe('function environment validation at synth time', () => {
  const schema = apiEnvironmentSchema(apiFunctions.tickets.access);
  const valid = {
    HOME_REGION: 'eea',
    TABLE_NAME: 'helpdesk-eea-records',
    ATTACHMENTS_BUCKET: `helpdesk-eea-attachments-${Aws.ACCOUNT_ID}`,
    PORTAL_SECRET_KEY: 'alias/helpdesk-eea-data',
    POWERTOOLS_SERVICE_NAME: 'helpdesk-test',
    POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk',
  };

  it('accepts names that are only known at deploy time and drops absent optional variables', () => {
    // Act
    const environment = validateFunctionEnvironment({ ...valid, RATE_LIMIT_PER_MINUTE: undefined }, schema);

    // Assess
    expect(environment.ATTACHMENTS_BUCKET).toBe(valid.ATTACHMENTS_BUCKET);
    expect(environment).not.toHaveProperty('RATE_LIMIT_PER_MINUTE');
  });

  it('rejects what the handlers would reject at cold start, naming the variables', () => {
    // Prepare
    const invalid = { ...valid, HOME_REGION: 'mars', TABLE_NAME: '' };

    // Act / Assess
    expect(() => validateFunctionEnvironment(invalid, schema)).toThrow(/HOME_REGION.*TABLE_NAME/);
  });
});

/** The API functions of a stack by their name in `apiFunctions` (from their service name). */
function functionsByName(stack: SynthesizedStack): [ApiFunctionName, CfnResourceJson][] {
  return resourcesOfType(stack, 'AWS::Lambda::Function').map(([, fn]) => {
    const env = (fn.Properties?.Environment as { Variables: Record<string, string> }).Variables;
    return [env.POWERTOOLS_SERVICE_NAME?.replace(/^helpdesk-/, '') as ApiFunctionName, fn];
  });
}

/**
 * A policy statement as "action resource [condition]" lines: the data key import as `<data key>`, a
 * key named by alias as that alias, and the conditions that narrow a grant spelled out.
 */
function permissionLines(statement: {
  actions: string[];
  resources: string[];
  condition?: unknown;
}): string[] {
  const condition = (statement.condition ?? {}) as Record<string, Record<string, unknown>>;
  const via = condition.StringEquals?.['kms:ViaService'];
  const alias = condition['ForAnyValue:StringEquals']?.['kms:ResourceAliases'];
  const leadingKeys = condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  const prefix = condition.StringLike?.['s3:prefix'];
  const purpose = condition.StringEquals?.['kms:EncryptionContext:purpose'];
  const suffix = [
    via ? ` via ${[via].flat().join(',')}` : '',
    leadingKeys ? ` leading keys ${[leadingKeys].flat().join(',')}` : '',
    prefix ? ` prefix ${[prefix].flat().join(',')}` : '',
    purpose ? ` purpose ${String(purpose)}` : '',
  ].join('');
  const known = [
    'kms:ViaService',
    'kms:ResourceAliases',
    'dynamodb:LeadingKeys',
    's3:prefix',
    'kms:EncryptionContext:purpose',
  ];
  const unknown = Object.values(condition).flatMap((c) => Object.keys(c).filter((k) => !known.includes(k)));
  if (unknown.length > 0) throw new Error(`Unexpected condition keys: ${unknown.join(', ')}`);
  return statement.actions.flatMap((action) =>
    statement.resources.map((resource) => {
      const target = alias
        ? String(alias)
        : resource.startsWith('<import:') && resource.includes('DataKey')
          ? '<data key>'
          : resource;
      return `${action} ${target}${suffix}`;
    }),
  );
}

import { Aws } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFunctionEnvironment } from '#lib/constructs/platform-function';
import type { FunctionEnvironment } from '#lib/platform/function-environment';
import { apiFunctions, apiRoutes, portalTokenFunctions } from '#lib/platform/api-routes';
import { bucketName, keyAlias, stackNames, tableName } from '#lib/platform/names';
import { hostingRegionKeys, retention } from '#lib/residency/index';
import {
  resourcesOfType,
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

  it("gives every function its region's table and bucket names, and recordings only where they are stored", () => {
    // Prepare
    const hasRecordings = region === 'us' || region === 'eea';
    const name = (kind: string) => ({
      'Fn::Join': ['', [bucketName(region, kind, ''), { Ref: 'AWS::AccountId' }]],
    });

    // Act
    const environments = resourcesOfType(api(), 'AWS::Lambda::Function').map(
      ([, fn]) => (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables,
    );

    // Assess
    for (const variables of environments) {
      expect(variables).toMatchObject({
        HOME_REGION: region,
        TABLE_NAME: tableName(region),
        ATTACHMENTS_BUCKET: name('attachments'),
        TRASH_BUCKET: name('trash'),
        EXPORTS_BUCKET: name('exports'),
      });
      expect(typeof variables.POWERTOOLS_SERVICE_NAME).toBe('string');
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('Helpdesk');
      if (hasRecordings) expect(variables.RECORDINGS_BUCKET).toEqual(name('recordings'));
      else expect(variables).not.toHaveProperty('RECORDINGS_BUCKET');
    }
  });

  it('routes every API route to a Lambda proxy integration with payload format 2.0', () => {
    // Act
    const routeKeys = resourcesOfType(api(), 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties?.RouteKey,
    );
    const integrations = resourcesOfType(api(), 'AWS::ApiGatewayV2::Integration');

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

  it("lets functions use the data key through this region's DynamoDB and S3, and directly only for portal-token secrets", () => {
    // Prepare
    const dataKeyArn = keyArnOf(data(), keyAlias(region, 'data'));
    const statements = resourcesOfType(api(), 'AWS::IAM::Policy').flatMap(
      ([, policy]) =>
        (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );

    // Act
    const kms = statements.filter(
      (s) =>
        JSON.stringify(s.Action).includes('kms:') &&
        !JSON.stringify(s.Condition).includes('ResourceAliases') &&
        s.Sid !== 'PortalTokenSecrets',
    );

    // Assess
    expect(kms.length).toBe(Object.keys(apiFunctions).length);
    for (const statement of kms) {
      expect(importedValue(data(), statement.Resource)).toEqual(dataKeyArn);
      expect(statement.Condition).toEqual({
        StringEquals: {
          'kms:ViaService': [
            `dynamodb.${platform.stacks[region].api.region}.amazonaws.com`,
            `s3.${platform.stacks[region].api.region}.amazonaws.com`,
          ],
        },
      });
    }
  });

  it('lets only the functions that issue or verify portal tokens encrypt and decrypt with the data key directly, for that purpose only', () => {
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
          !JSON.stringify(s.Condition).includes('kms:ViaService'),
      ),
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
  });

  it('deploys after its data stack', () => {
    const artifact = platform.assembly.getStackByName(stackNames(region).api);
    expect(artifact.dependencies.map((dependency) => dependency.id)).toContain(stackNames(region).data);
  });
});

describe('function environment validation at synth time', () => {
  const valid: FunctionEnvironment = {
    HOME_REGION: 'eea',
    TABLE_NAME: 'helpdesk-eea-records',
    ATTACHMENTS_BUCKET: `helpdesk-eea-attachments-${Aws.ACCOUNT_ID}`,
    TRASH_BUCKET: 'helpdesk-eea-trash-123456789012',
    EXPORTS_BUCKET: 'helpdesk-eea-exports-123456789012',
    POWERTOOLS_SERVICE_NAME: 'helpdesk-test',
    POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk',
  };

  it('accepts names that are only known at deploy time and drops absent optional variables', () => {
    // Act
    const environment = validateFunctionEnvironment(valid);

    // Assess
    expect(environment.ATTACHMENTS_BUCKET).toBe(valid.ATTACHMENTS_BUCKET);
    expect(environment).not.toHaveProperty('RECORDINGS_BUCKET');
  });

  it('rejects what the handlers would reject at cold start, naming the variables', () => {
    // Prepare
    const invalid = { ...valid, HOME_REGION: 'mars', TABLE_NAME: '' } as unknown as FunctionEnvironment;

    // Act / Assess
    expect(() => validateFunctionEnvironment(invalid)).toThrow(/HOME_REGION.*TABLE_NAME/);
  });
});

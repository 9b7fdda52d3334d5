import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildRuntime } from '../../lambdas/adapters/runtime.ts';
import { type ApiFunctionName, apiFunctions, apiRoutes } from '../../lib/platform/api-routes.ts';
import {
  type ApiResourceNames,
  apiEnvironmentSchema,
  apiFunctionEnvironment,
} from '../../lib/platform/function-access.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  dynamo.reset();
  vi.unstubAllEnvs();
});
afterAll(() => dynamo.restore());

/** An EEA deployment's names (the region that has every kind of resource, staging included). */
const names: ApiResourceNames = {
  region: 'eea',
  tableName: 'helpdesk-eea-records',
  subjectKeyTableName: 'helpdesk-eea-subject-keys',
  buckets: {
    attachments: 'helpdesk-eea-attachments-123456789012',
    exports: 'helpdesk-eea-exports-123456789012',
    migrations: 'helpdesk-eea-migrations-123456789012',
    recordings: 'helpdesk-eea-recordings-123456789012',
  },
  recordingStaging: { bucketName: 'helpdesk-us-recording-staging-123456789012', awsRegion: 'us-east-1' },
  stateMachineArns: {
    privacyExport: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-privacy-export',
    privacyErasure: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-privacy-erasure',
    migration: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-migration',
    ticketJobs: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-ticket-jobs',
  },
  dataKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/0f8fad5b-d9cb-469f-a165-70867728950e',
};

/** Exactly the environment the API stack gives function `name`, nothing of the others'. */
const environmentOf = (name: ApiFunctionName) =>
  Object.fromEntries(
    Object.entries(apiFunctionEnvironment(`helpdesk-${name}`, apiFunctions[name].access, names)).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );

describe('API function runtimes, built from what each function declared', () => {
  it('builds no store, client or workflow starter a function did not declare', () => {
    // Act
    const parts = Object.fromEntries(
      (Object.keys(apiFunctions) as ApiFunctionName[]).map((name) => {
        const runtime = buildRuntime(apiFunctions[name].access, environmentOf(name));
        const workflows = Object.keys((runtime.workflows as object | undefined) ?? {}).sort();
        const built = Object.keys(runtime)
          .filter((key) => !['env', 'homeRegion', 'logger', 'metrics', 'now', 'newId'].includes(key))
          .sort();
        return [name, { built, workflows }];
      }),
    );

    // Assess: health and the OpenAPI document have nothing; each other function only its own.
    const table = [
      'accounts',
      'apiKeys',
      'erasureTrash',
      'keyCacheMs',
      'rateLimit',
      'records',
      'scopeCacheMs',
      'sso',
    ];
    expect(parts.health).toEqual({ built: [], workflows: [] });
    expect(parts.openapi).toEqual({ built: [], workflows: [] });
    expect(parts.account).toEqual({ built: table, workflows: [] });
    expect(parts.companies).toEqual({ built: table, workflows: [] });
    expect(parts.tickets).toEqual({
      built: [...table, 'attachments', 'pendingUploads', 'portalSecrets'].sort(),
      workflows: [],
    });
    expect(parts.calls).toEqual({
      built: [...table, 'recordingStaging', 'recordings'].sort(),
      workflows: [],
    });
    expect(parts.privacyRequests).toEqual({
      built: [...table, 'exportFiles', 'workflows'].sort(),
      workflows: ['privacyErasure', 'privacyExport'],
    });
    expect(parts.migrations).toEqual({
      built: [...table, 'migrationFiles', 'migrationLedger', 'workflows'].sort(),
      workflows: ['migration'],
    });
    expect(parts.contacts).toEqual({
      built: [...table, 'portalSecrets', 'workflows'].sort(),
      workflows: ['privacyErasure'],
    });
  });

  it('refuses to start without a variable its declaration names', () => {
    const env = { ...environmentOf('privacyRequests'), EXPORTS_BUCKET: undefined };
    expect(() => buildRuntime(apiFunctions.privacyRequests.access, env)).toThrow(
      'Invalid function environment: EXPORTS_BUCKET',
    );
  });

  it.each(Object.keys(apiFunctions) as ApiFunctionName[])(
    'serves %s with only its own environment (no missing dependency, no 500)',
    async (name) => {
      // Prepare: the function's own variables only, and an API key no account has.
      for (const [variable, value] of Object.entries(environmentOf(name))) vi.stubEnv(variable, value);
      vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
      apiEnvironmentSchema(apiFunctions[name].access).parse(process.env);
      dynamo.on(GetCommand).resolves({});
      const route = apiRoutes.find((candidate) => candidate.function === name && candidate.method === 'GET');
      const routeKey = route ? `GET ${route.path}` : `POST /api/v2/${name}`;
      const event = {
        version: '2.0',
        routeKey,
        rawPath: routeKey.split(' ')[1]?.replace('{id}', '1'),
        rawQueryString: '',
        headers: { authorization: `Basic ${Buffer.from('eea_unknownkey0123456789:X').toString('base64')}` },
        pathParameters: { id: '1' },
        requestContext: { http: { method: 'GET' }, requestId: 'r' },
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2;
      const { handler } = (await import(`../../${apiFunctions[name].entry}`)) as {
        handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;
      };

      // Act
      const response = await handler(event, { awsRequestId: 'r', functionName: name } as Context);

      // Assess: public routes answer, authenticated ones refuse the unknown key, the operator routes an
      // event without the IAM identity API Gateway passes on (fail closed); none fails to start.
      const expected = name === 'health' || name === 'openapi' ? 200 : name === 'operators' ? 403 : 401;
      expect(response.statusCode, name).toBe(expected);
    },
  );
});

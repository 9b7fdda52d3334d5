import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../lambdas/api/openapi-document.ts';
import { apiRoutes } from '../../lib/platform/api-routes.ts';

describe('the OpenAPI document', () => {
  it('describes every route of the API with its method', () => {
    const document = buildOpenApiDocument();

    for (const route of apiRoutes.filter((candidate) => candidate.authorization !== 'iam')) {
      expect(
        document.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  it("leaves out the vendor's IAM-authorized operator routes", () => {
    // Act
    const paths = Object.keys(buildOpenApiDocument().paths);

    // Assess
    expect(paths.filter((path) => path.startsWith('/operator/'))).toEqual([]);
    expect(apiRoutes.some((route) => route.authorization === 'iam')).toBe(true);
  });

  it('is committed exactly as the code generates it (run `npm run openapi` after changing the API)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));

    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('documents the request body a contact create accepts, with its limits', () => {
    const body = buildOpenApiDocument().paths['/api/v2/contacts']?.post as {
      requestBody: {
        content: { 'application/json': { schema: { properties: Record<string, { maxLength?: number }> } } };
      };
    };

    expect(body.requestBody.content['application/json'].schema.properties.name?.maxLength).toBe(255);
  });
});

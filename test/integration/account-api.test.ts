import { describe, expect, inject, it } from 'vitest';
import { hostingRegionKeys, hostingRegions } from '../../lib/residency/index.ts';
import { getJson } from './http-client.ts';

const platform = inject('localPlatform');

describe('GET /api/v2/account on the local platform', () => {
  it.each(hostingRegionKeys)('answers the %s demo account with its own home region', async (region) => {
    // Prepare
    const { url, apiKey, accountId } = platform.regions[region];

    // Act
    const response = await getJson(`${url}/api/v2/account`, apiKey);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      account_id: accountId,
      home_region: region,
      aws_region: hostingRegions[region].awsRegion,
    });
    expect(response.body.products).toContain('helpdesk');
  });

  it('gives India no product that stores call recordings', async () => {
    const { url, apiKey } = platform.regions.in;

    const response = await getJson(`${url}/api/v2/account`, apiKey);

    expect(response.body.products).toEqual(['helpdesk', 'service_desk']);
  });

  it('refuses a request without credentials with 401 in the documented error format', async () => {
    const response = await getJson(`${platform.regions.eea.url}/api/v2/account`);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(response.body).toEqual({
      description: expect.any(String),
      errors: [{ code: 'invalid_credentials', message: expect.any(String) }],
      code: 'invalid_credentials',
      message: expect.any(String),
    });
  });

  it('refuses an unknown API key of the right region with 401', async () => {
    const response = await getJson(`${platform.regions.eea.url}/api/v2/account`, 'eea_not-a-real-key-at-all');

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid_credentials');
  });

  it("sends another region's account to its home region with 421", async () => {
    const response = await getJson(`${platform.regions.us.url}/api/v2/account`, platform.regions.eea.apiKey);

    expect(response.status).toBe(421);
    expect(response.body).toMatchObject({ code: 'wrong_region', home_region: 'eea' });
    expect(response.body.message).toContain('European Economic Area');
  });
});

describe('GET /api/v2/health', () => {
  it.each(hostingRegionKeys)('reports the %s API alive without credentials', async (region) => {
    const response = await getJson(`${platform.regions[region].url}/api/v2/health`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', region });
  });

  it('answers an unknown path with 404 as API Gateway does', async () => {
    const response = await getJson(`${platform.regions.au.url}/api/v2/nothing-here`);

    expect(response.status).toBe(404);
  });
});

describe('GET /api/v2/openapi.json', () => {
  it('serves the OpenAPI document without credentials', async () => {
    const response = await getJson(`${platform.regions.in.url}/api/v2/openapi.json`);

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toContain('/api/v2/tickets/{id}/conversations');
  });
});

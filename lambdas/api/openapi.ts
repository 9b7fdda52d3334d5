import document from '../../openapi.json' with { type: 'json' };
import { getRuntime } from '#adapters/runtime';
import { lazyHandler, publicApi } from '#http/api-handler';
import { jsonResponse } from '#http/responses';

/** GET /api/v2/openapi.json: the committed OpenAPI document (a test keeps it equal to the code). */
export const handler = lazyHandler(() =>
  publicApi(getRuntime('openapi'), async () => jsonResponse(200, document)),
);

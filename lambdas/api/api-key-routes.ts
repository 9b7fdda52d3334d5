import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import {
  type ApiKeyService,
  apiKeyView,
  type issuedApiKeyViewSchema,
} from '#domain/api-keys/api-key-service';
import { createApiKeySchema } from '#domain/api-keys/api-key-options';
import { parseJsonBody, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import type { RouteHandler } from '#http/routed-api';

type IssuedKey = z.infer<typeof issuedApiKeyViewSchema>;

/** A body is optional (none: a key without options); one that is sent is validated. */
const optionsOf = (event: APIGatewayProxyEventV2) =>
  event.body ? parseJsonBody(event, createApiKeySchema) : createApiKeySchema.parse({});

/**
 * API keys (docs/api-keys.md): /api/v2/api_keys for the caller's own keys, and
 * /api/v2/agents/{id}/api_keys for an administrator acting on any agent's (or anyone on their own).
 */
export function apiKeyRoutes(keys: ApiKeyService): Record<string, RouteHandler> {
  return {
    'GET /api/v2/api_keys': async (_event, principal) =>
      jsonResponse(200, (await keys.list(principal, principal.agentId)).map(apiKeyView)),
    'POST /api/v2/api_keys': async (event, principal) =>
      jsonResponse(
        201,
        (await keys.create(principal, principal.agentId, optionsOf(event))) satisfies IssuedKey,
      ),
    'DELETE /api/v2/api_keys/{id}': async (event, principal) => {
      await keys.revoke(principal, principal.agentId, pathId(event));
      return noContent();
    },
    'GET /api/v2/agents/{id}/api_keys': async (event, principal) =>
      jsonResponse(200, (await keys.list(principal, pathId(event))).map(apiKeyView)),
    'POST /api/v2/agents/{id}/api_keys': async (event, principal) =>
      jsonResponse(201, (await keys.create(principal, pathId(event), optionsOf(event))) satisfies IssuedKey),
    'DELETE /api/v2/agents/{id}/api_keys/{key_id}': async (event, principal) => {
      await keys.revoke(principal, pathId(event), pathId(event, 'key_id'));
      return noContent();
    },
  };
}

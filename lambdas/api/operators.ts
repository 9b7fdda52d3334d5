import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { getRuntime } from '#adapters/runtime';
import { type Account, accountView } from '#domain/account';
import { NotFoundError } from '#domain/errors';
import type { OperatorAuditRecord } from '#domain/operators/account-directory';
import { AccountService, changeProductsSchema, createAccountSchema } from '#domain/operators/account-service';
import { auditView } from '#domain/records/audit-view';
import { lazyHandler } from '#http/api-handler';
import { operatorApi } from '#http/operator-api';
import { parseJsonBody, parseQuery } from '#http/request';
import { jsonResponse } from '#http/responses';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';

const listQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const accountIdSchema = z.uuid();

/** The account an operator names in the path; anything but an account id is not found. */
function accountIdOf(event: APIGatewayProxyEventV2): string {
  const parsed = accountIdSchema.safeParse(event.pathParameters?.id);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}

const view = (account: Account) => ({ ...accountView(account), version: account.version ?? 1 });
const auditRecordView = (entry: OperatorAuditRecord) => ({
  account_id: entry.accountId,
  ...auditView(entry),
});

/**
 * /operator/v1/…: the vendor's operators manage the region's accounts. API Gateway authorizes every
 * route by AWS IAM; each action is audited with the operator's IAM-derived id (docs/operators.md).
 */
export function createOperatorsHandler(deps: {
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly service: AccountService;
}) {
  const { service } = deps;
  return operatorApi(deps, {
    'POST /operator/v1/accounts': async (event, operator) => {
      const request = parseJsonBody(event, createAccountSchema);
      const created = await service.create(request, operator);
      return jsonResponse(201, {
        account: view(created.account),
        admin: { agent_id: created.adminAgentId, api_key: created.apiKey },
      });
    },
    'GET /operator/v1/accounts': async (event) => {
      const query = parseQuery(event, listQuerySchema);
      const page = await service.list(query.limit, query.cursor);
      return jsonResponse(200, { accounts: page.accounts.map(view), next_cursor: page.nextCursor ?? null });
    },
    'GET /operator/v1/accounts/{id}': async (event) =>
      jsonResponse(200, view(await service.get(accountIdOf(event)))),
    'POST /operator/v1/accounts/{id}/suspend': async (event, operator) =>
      jsonResponse(200, view(await service.suspend(accountIdOf(event), operator))),
    'POST /operator/v1/accounts/{id}/reactivate': async (event, operator) =>
      jsonResponse(200, view(await service.reactivate(accountIdOf(event), operator))),
    'PUT /operator/v1/accounts/{id}/products': async (event, operator) => {
      const accountId = accountIdOf(event);
      const { products } = parseJsonBody(event, changeProductsSchema);
      return jsonResponse(200, view(await service.changeProducts(accountId, products, operator)));
    },
    'GET /operator/v1/audit': async (event) => {
      const query = parseQuery(event, listQuerySchema);
      const page = await deps.service.audit(query.limit, query.cursor);
      return jsonResponse(200, {
        entries: page.entries.map(auditRecordView),
        next_cursor: page.nextCursor ?? null,
      });
    },
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('operators');
  return createOperatorsHandler({
    ...runtime,
    service: new AccountService({
      accounts: runtime.accounts,
      directory: runtime.directory,
      homeRegion: runtime.homeRegion,
      now: runtime.now,
      newId: runtime.newId,
      newAccountId: randomUUID,
    }),
  });
});

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lambdas/domain/account.ts';
import { allPermissions } from '../../lambdas/domain/roles/permission-catalogue.ts';
import { routePermission, routePermissions } from '../../lambdas/http/route-permissions.ts';
import { apiRoutes, iamRoutes } from '../../lib/platform/api-routes.ts';

const routeKeys = apiRoutes.map((route) => `${route.method} ${route.path}`);
const check = async (principal: Principal, routeKey: string) =>
  routePermission().before?.({
    event: { routeKey } as APIGatewayProxyEventV2,
    context: { principal },
  } as never);

const agent = (overrides: Partial<Principal> = {}): Principal => ({
  accountId: 'a',
  agentId: 1,
  role: 'agent',
  ...overrides,
});

describe('the route table and its permissions', () => {
  it('declares a permission for every route, and for no route that does not exist', () => {
    // Prepare
    const declared = Object.keys(routePermissions);

    // Act
    const undeclared = routeKeys.filter((key) => !declared.includes(key));
    const unknown = declared.filter((key) => !routeKeys.includes(key));

    // Assess
    expect(undeclared).toEqual([]);
    expect(unknown).toEqual([]);
  });

  it('declares only permissions of the catalogue, public only for the unauthenticated functions and iam only for the operator routes', () => {
    // Prepare
    const requirements = Object.entries(routePermissions);

    // Act
    const invalid = requirements.filter(
      ([, requirement]) =>
        !['public', 'signed_in', 'iam'].includes(requirement) &&
        !allPermissions.includes(requirement as never),
    );
    const iamDeclared = requirements.filter(([, requirement]) => requirement === 'iam').map(([key]) => key);
    const publicRoutes = apiRoutes.filter(
      (route) =>
        routePermissions[`${route.method} ${route.path}` as keyof typeof routePermissions] === 'public',
    );

    // Assess
    expect(invalid).toEqual([]);
    expect(new Set(publicRoutes.map((route) => route.function))).toEqual(new Set(['health', 'openapi']));
    expect(iamDeclared.sort()).toEqual(iamRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });
});

describe('the route permission check', () => {
  it('lets a fixed agent work tickets but not read the audit log', async () => {
    // Prepare
    const principal = agent();

    // Act
    const tickets = check(principal, 'PUT /api/v2/tickets/{id}');
    const audit = check(principal, 'GET /api/v2/audit_log');

    // Assess
    await expect(tickets).resolves.toBeUndefined();
    await expect(audit).rejects.toMatchObject({ name: 'AccessDeniedError' });
  });

  it("checks a custom role's permissions, reads and lists included", async () => {
    // Prepare
    const principal = agent({ permissions: ['tickets.view', 'admin.fields'] });

    // Act
    const list = check(principal, 'GET /api/v2/tickets');
    const update = check(principal, 'PUT /api/v2/tickets/{id}');
    const contacts = check(principal, 'GET /api/v2/contacts');
    const fields = check(principal, 'POST /api/v2/admin/ticket_fields');

    // Assess
    await expect(list).resolves.toBeUndefined();
    await expect(update).rejects.toMatchObject({ name: 'AccessDeniedError' });
    await expect(contacts).rejects.toMatchObject({ name: 'AccessDeniedError' });
    await expect(fields).resolves.toBeUndefined();
  });

  it('refuses a route that declares nothing, even to an administrator (fail closed)', async () => {
    // Prepare
    const principal = agent({ role: 'account_admin' });

    // Act
    const undeclared = check(principal, 'GET /api/v2/not_a_route');
    const publicRoute = check(principal, 'GET /api/v2/health');

    // Assess
    await expect(undeclared).rejects.toMatchObject({ name: 'AccessDeniedError' });
    await expect(publicRoute).rejects.toMatchObject({ name: 'AccessDeniedError' });
  });

  it('leaves requesters to their own allow-list, and lets any agent read their own profile', async () => {
    // Prepare
    const requester = agent({ contactId: 9, permissions: [] });
    const bare = agent({ permissions: [] });

    // Act
    const requesterTickets = check(requester, 'GET /api/v2/tickets');
    const me = check(bare, 'GET /api/v2/agents/me');

    // Assess
    await expect(requesterTickets).resolves.toBeUndefined();
    await expect(me).resolves.toBeUndefined();
  });
});

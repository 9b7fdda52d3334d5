import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lambdas/domain/account.ts';
import { requireAdmin } from '../../lambdas/domain/agents/permissions.ts';
import {
  adminAreas,
  allPermissions,
  fixedRolePermissions,
} from '../../lambdas/domain/roles/permission-catalogue.ts';
import { hasPermission, permissionsOf } from '../../lambdas/domain/roles/permission-check.ts';

const principal = (overrides: Partial<Principal>): Principal => ({
  accountId: 'a',
  agentId: 1,
  role: 'agent',
  ...overrides,
});

describe('the fixed roles as permission sets', () => {
  it.each(['account_admin', 'admin'] as const)('gives %s every permission', (role) => {
    // Act
    const held = permissionsOf(principal({ role }));

    // Assess
    expect([...held].sort()).toEqual([...allPermissions].sort());
  });

  it.each(['supervisor', 'agent'] as const)(
    'gives %s every resource permission but no admin area, request management or export',
    (role) => {
      // Prepare
      const caller = principal({ role });

      // Act
      const admin = adminAreas.filter((area) => hasPermission(caller, `admin.${area}`));

      // Assess
      expect(admin).toEqual([]);
      expect(hasPermission(caller, 'privacy_requests.manage')).toBe(false);
      expect(hasPermission(caller, 'exports.download')).toBe(false);
      expect(hasPermission(caller, 'privacy_requests.create')).toBe(true);
      for (const action of ['view', 'create', 'edit', 'delete'] as const) {
        expect(hasPermission(caller, `tickets.${action}`)).toBe(true);
      }
      expect(fixedRolePermissions[role].length).toBe(allPermissions.length - adminAreas.length - 2);
    },
  );

  it("takes a custom role's permissions over the base role's, and gives a requester none", () => {
    // Prepare
    const custom = principal({ role: 'agent', permissions: ['tickets.view'] });
    const requester = principal({ contactId: 4 });

    // Act
    const customHeld = permissionsOf(custom);
    const requesterHeld = permissionsOf(requester);

    // Assess
    expect(customHeld).toEqual(['tickets.view']);
    expect(requesterHeld).toEqual([]);
  });

  it('counts a custom role as an administrator only with every admin area', () => {
    // Prepare
    const every = principal({ permissions: adminAreas.map((area) => `admin.${area}` as const) });
    const some = principal({ permissions: ['admin.fields'] });

    // Act
    const refusal = () => requireAdmin(some, 'do this');

    // Assess
    expect(() => requireAdmin(every, 'do this')).not.toThrow();
    expect(refusal).toThrow('Only an administrator may do this.');
    expect(() => requireAdmin(principal({ role: 'admin' }), 'do this')).not.toThrow();
  });
});

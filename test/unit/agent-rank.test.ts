import { describe, expect, it } from 'vitest';
import type { Role } from '../../lambdas/domain/account.ts';
import { requireAccountAdmin, requireRankOver } from '../../lambdas/domain/agents/agent-rank.ts';

const allowed = (actor: Role, target: Role) => {
  try {
    requireRankOver({ role: actor }, target, 'act');
    return true;
  } catch {
    return false;
  }
};

describe('how far a role reaches over other agents', () => {
  it('lets an account admin act on everyone, an admin on all but account admins, others on no administrator', () => {
    // Act
    const table = (['account_admin', 'admin', 'supervisor', 'agent'] as const).map((actor) => [
      actor,
      allowed(actor, 'account_admin'),
      allowed(actor, 'admin'),
      allowed(actor, 'supervisor'),
      allowed(actor, 'agent'),
    ]);

    // Assess
    expect(table).toEqual([
      ['account_admin', true, true, true, true],
      ['admin', false, true, true, true],
      ['supervisor', false, false, true, true],
      ['agent', false, false, true, true],
    ]);
  });

  it('refuses with 403 naming the role needed', () => {
    expect(() => requireRankOver({ role: 'admin' }, 'account_admin', 'issue keys to this agent')).toThrow(
      expect.objectContaining({
        name: 'AccessDeniedError',
        message: expect.stringContaining('account_admin'),
      }),
    );
  });

  it('keeps the identity settings to account admins, never a requester', () => {
    expect(() => requireAccountAdmin({ role: 'account_admin' }, 'x')).not.toThrow();
    expect(() => requireAccountAdmin({ role: 'admin' }, 'x')).toThrow(/account admin/);
    expect(() => requireAccountAdmin({ role: 'account_admin', contactId: 5 }, 'x')).toThrow(/account admin/);
  });
});

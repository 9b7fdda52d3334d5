import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lambdas/domain/account.ts';
import { seesCannedResponse } from '../../lambdas/domain/canned-responses/canned-response-visibility.ts';

const agent: Principal = { accountId: 'a', agentId: 7, role: 'agent' };
const admin: Principal = { accountId: 'a', agentId: 8, role: 'admin' };

describe('who sees a canned response', () => {
  it('shows one for all agents to everyone', () => {
    expect(seesCannedResponse(agent, [], { visibility: 0, group_ids: [], created_by: 1 })).toBe(true);
  });

  it('shows a personal one to its author only, admins included', () => {
    const personal = { visibility: 1, group_ids: [], created_by: 7 } as const;

    expect(seesCannedResponse(agent, [], personal)).toBe(true);
    expect(seesCannedResponse(admin, [], personal)).toBe(false);
  });

  it('shows a group one to the agents of its groups and to whoever manages canned responses', () => {
    const grouped = { visibility: 2, group_ids: [3, 4], created_by: 1 } as const;

    expect(seesCannedResponse(agent, [4], grouped)).toBe(true);
    expect(seesCannedResponse(agent, [5], grouped)).toBe(false);
    expect(seesCannedResponse(admin, [], grouped)).toBe(true);
    expect(
      seesCannedResponse(
        { ...agent, permissions: ['canned_responses.view', 'admin.canned_responses'] },
        [],
        grouped,
      ),
    ).toBe(true);
  });
});

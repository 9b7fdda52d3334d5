import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lambdas/domain/account.ts';
import type { SharingRuleFields } from '../../lambdas/domain/roles/sharing-rule-service.ts';
import { ticketSharingOf } from '../../lambdas/domain/roles/ticket-sharing.ts';
import { ticketAccessOf, ticketFilterFor } from '../../lambdas/domain/tickets/ticket-access.ts';

const share = (
  groupId: number,
  withGroup: number,
  access: 'read_only' | 'read_write',
): SharingRuleFields => ({
  name: 'share',
  group_id: groupId,
  action: 'share',
  shared_with_group_id: withGroup,
  access,
});
const hide = (groupId: number): SharingRuleFields => ({
  name: 'hide',
  group_id: groupId,
  action: 'hide',
  shared_with_group_id: null,
  access: null,
});
const ticketOf = (group: number | null, responder: number | null = null) => ({
  requester_id: 100,
  responder_id: responder,
  group_id: group,
});

describe('sharing rules', () => {
  it("shows a group's tickets read-only to members of the group shared with, with group scope", () => {
    // Prepare
    const ticketSharing = ticketSharingOf([share(1, 2, 'read_only')], {
      role: 'agent',
      ticket_scope: 2,
      group_ids: [2],
    });
    const member: Principal = {
      accountId: 'a',
      agentId: 7,
      role: 'agent',
      ticketScope: { scope: 2, groupIds: [2] },
      ticketSharing,
    };

    // Act
    const shared = ticketAccessOf(member, ticketOf(1));
    const own = ticketAccessOf(member, ticketOf(2));
    const other = ticketAccessOf(member, ticketOf(3));

    // Assess
    expect(shared).toBe('read');
    expect(own).toBe('write');
    expect(other).toBe('none');
  });

  it('lets read-write win over read-only, and ignores members of other groups', () => {
    // Prepare
    const rules = [share(1, 2, 'read_only'), share(1, 3, 'read_write')];

    // Act
    const both = ticketSharingOf(rules, { role: 'agent', ticket_scope: 2, group_ids: [2, 3] });
    const outsider = ticketSharingOf(rules, { role: 'agent', ticket_scope: 2, group_ids: [4] });

    // Assess
    expect(both).toEqual({ readGroupIds: [], writeGroupIds: [1], hiddenGroupIds: [] });
    expect(outsider).toBeUndefined();
  });

  it('hides a group from global-scope agents outside it, never from its members nor administrators', () => {
    // Prepare
    const rules = [hide(1)];
    const outsider: Principal = {
      accountId: 'a',
      agentId: 7,
      role: 'supervisor',
      ticketSharing: ticketSharingOf(rules, { role: 'supervisor', ticket_scope: 1, group_ids: [] }),
    };

    // Act
    const hidden = ticketAccessOf(outsider, ticketOf(1));
    const assigned = ticketAccessOf(outsider, ticketOf(1, 7));
    const member = ticketSharingOf(rules, { role: 'agent', ticket_scope: 1, group_ids: [1] });
    const admin = ticketSharingOf(rules, { role: 'admin', ticket_scope: 1, group_ids: [] });

    // Assess
    expect(hidden).toBe('none');
    expect(assigned).toBe('write');
    expect(ticketFilterFor(outsider)).toBeDefined();
    expect(member).toBeUndefined();
    expect(admin).toBeUndefined();
  });
});

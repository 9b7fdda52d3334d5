import { describe, expect, it } from 'vitest';
import { currentAgentAccess } from '../../lambdas/domain/agents/agent-principal.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';

/** Our RecordStore interface answering the records it is told by `type#id`, and sharing rules. */
function storeOf(records: Record<string, object | undefined>, rules: object[] = []) {
  return {
    async get(_accountId: string, ref: RecordRef) {
      const fields = records[`${ref.type}#${ref.id}`];
      return fields && { fields };
    },
    async list() {
      return { records: rules.map((fields) => ({ fields })), hasMore: false };
    },
  } as unknown as RecordStore;
}

describe("an agent's access with a custom role", () => {
  it("carries the custom role's permissions as stored now", async () => {
    // Prepare
    const store = storeOf({
      'agent#7': { role: 'agent', custom_role_id: 5 },
      'role#5': { name: 'Viewer', permissions: ['tickets.view'] },
    });

    // Act
    const access = await currentAgentAccess(store, 'a', 7);

    // Assess
    expect(access).toEqual({ role: 'agent', permissions: ['tickets.view'] });
  });

  it('carries no permission at all when the role is gone (fail closed)', async () => {
    // Prepare
    const store = storeOf({ 'agent#7': { role: 'agent', custom_role_id: 5 } });

    // Act
    const access = await currentAgentAccess(store, 'a', 7);

    // Assess
    expect(access).toEqual({ role: 'agent', permissions: [] });
  });

  it("applies the account's sharing rules to a scoped member", async () => {
    // Prepare
    const store = storeOf({ 'agent#7': { role: 'agent', ticket_scope: 2, group_ids: [2] } }, [
      { name: 'r', group_id: 1, action: 'share', shared_with_group_id: 2, access: 'read_only' },
    ]);

    // Act
    const access = await currentAgentAccess(store, 'a', 7);

    // Assess
    expect(access?.ticketSharing).toEqual({ readGroupIds: [1], writeGroupIds: [], hiddenGroupIds: [] });
    expect(access?.permissions).toBeUndefined();
  });
});

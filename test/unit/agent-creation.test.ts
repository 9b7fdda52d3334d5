import { describe, expect, it } from 'vitest';
import { createAgentSchema } from '../../lambdas/domain/agents/agent-creation.ts';
import { deriveAgent, newAgent, updateAgentSchema } from '../../lambdas/domain/agents/agent-service.ts';

describe('the create-agent schema', () => {
  it('takes every field an agent may be updated with, and role_ids', () => {
    // Act
    const created = Object.keys(createAgentSchema.shape).sort();

    // Assess
    expect(created).toEqual([...new Set([...Object.keys(updateAgentSchema.shape), 'role_ids'])].sort());
  });

  it('requires email and ticket_scope, as v2 does, and refuses unknown fields', () => {
    const missing = createAgentSchema.safeParse({ name: 'A' });
    const unknown = createAgentSchema.safeParse({ email: 'a@example.test', ticket_scope: 1, owner: true });

    expect(missing.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(['email', 'ticket_scope']);
    expect(unknown.success).toBe(false);
    expect(createAgentSchema.safeParse({ email: 'a@example.test', ticket_scope: 3 }).success).toBe(true);
  });
});

describe("an agent's e-mail claim", () => {
  it('is the normalised address while the agent is live, and none once they live on as a contact', () => {
    // Prepare
    const agent = newAgent('acc', 7, '2026-12-07T10:00:00Z', {
      name: 'A',
      email: ' Agent@Example.TEST ',
      role: 'agent',
    });

    // Act
    const contact = deriveAgent({ ...agent, supersededBy: { type: 'contact', id: 7 } });

    // Assess
    expect(agent.uniqueValues).toEqual({ email: 'agent@example.test' });
    expect(contact.uniqueValues).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { isAgentsOwn } from '../../lambdas/domain/privacy/erasure-plan.ts';
import { descendantKeysOf } from '../../lambdas/domain/purge/descendants.ts';
import { exportCategoryOf } from '../../lambdas/domain/privacy/export-categories.ts';

/**
 * A ticket watch is wholly its agent's: erasure deletes it (not anonymises it), export names it, and
 * its ticket's purge takes it along.
 */
describe("an agent's ticket watches", () => {
  it('are deleted by the erasure of their agent, as the profile is; contributions are not', () => {
    expect(isAgentsOwn(7, { type: 'ticket_watch', id: 123 })).toBe(true);
    expect(isAgentsOwn(7, { type: 'agent', id: 7 })).toBe(true);
    expect(isAgentsOwn(7, { type: 'time_entry', id: 123 })).toBe(false);
    expect(isAgentsOwn(7, { type: 'ticket', id: 7 })).toBe(false);
  });

  it('are exported as watched_tickets', () => {
    expect(exportCategoryOf('ticket_watch')).toBe('watched_tickets');
  });

  it('are purged with their ticket', () => {
    expect(descendantKeysOf({ type: 'ticket', id: 5 })).toContain('ticket#5#ticket_watch');
  });
});

import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { PrivacyRequestService } from '#domain/privacy/privacy-request-service';
import type { WorkflowStarter } from '#domain/privacy/workflow-starter';
import { RecordTrash } from '#domain/purge/record-trash';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { StoredRecord } from '#domain/records/record';
import { TicketService } from '#domain/tickets/ticket-service';
import type { RetentionRuleKind } from './retention-policy.ts';

/** The actor of a rule's deletions in the audit log: the platform, named after the rule (ids only). */
export const retentionActorId = (policyId: number) => `retention-rule-${policyId}`;

/** The note of an erasure request a rule files for an inactive contact: ids only, naming the rule. */
export const retentionErasureNote = (policyId: number) => `Filed by retention policy ${policyId}.`;

/**
 * The principal a rule acts as within its account: an administrator's reach (global ticket scope) whose
 * changes are audited with the rule as actor (`system`, `retention-rule-<id>`), never an agent.
 */
export function retentionPrincipal(accountId: string, policyId: number): Principal {
  return {
    accountId,
    agentId: 0,
    role: 'account_admin',
    systemActor: { type: 'system', id: retentionActorId(policyId) },
  };
}

export interface RetentionTrashDependencies extends ContactServiceDependencies {
  /** Starts erasure executions: needed by `inactive_contacts` rules only. */
  readonly erasureWorkflow?: WorkflowStarter;
}

/**
 * Sends matched records to the trash through their normal soft deletion (restorable until the 60-day
 * purge): a ticket with its huddle and attachments (TicketService), a call with its recording (kept
 * with the call, purged with it), a chat with its messages (deleted with it, restored with it). An
 * inactive contact's deletion is a soft erasure request the rule files and verifies, run by the
 * erasure workflow (restorable for 60 days like any soft erasure).
 */
export class RetentionTrash {
  private readonly tickets: TicketService;
  private readonly records: RecordLifecycle<object>;
  private readonly chats: RecordTrash;
  private readonly requests: PrivacyRequestService;

  constructor(private readonly deps: RetentionTrashDependencies) {
    this.tickets = new TicketService(deps);
    // Only soft deletion goes through it, which derives nothing.
    this.records = new RecordLifecycle(deps, (record) => record, 'The record changed during its deletion.');
    // A chat goes as DELETE /api/v2/chats/{id} takes it: with its live messages, in bounded batches.
    this.chats = new RecordTrash(deps);
    this.requests = new PrivacyRequestService(deps);
  }

  async trash(principal: Principal, rule: RetentionRuleKind, record: StoredRecord<object>): Promise<void> {
    if (rule === 'closed_tickets') return this.tickets.softDelete(principal, record.ref.id);
    if (rule === 'calls') return this.records.commit([this.records.deletion(principal, record)]);
    return this.chats.deleteWithDescendants(principal, record.ref);
  }

  /**
   * Ends what a deletion of this rule cut off (a retried step): a chat already in the trash takes its
   * messages still live with it. Nothing else is left over by a deletion.
   */
  async finish(principal: Principal, rule: RetentionRuleKind, record: StoredRecord<object>): Promise<void> {
    if (rule === 'chats') await this.chats.deleteWithDescendants(principal, record.ref);
  }

  /**
   * Files and starts the soft erasure of an inactive contact, verified by the rule (`retention_rule`),
   * unless the contact has an open erasure request already. `filed` also for the request this rule
   * filed since `since` (a retried step's earlier attempt), which is started if it was not.
   */
  eraseContact(
    principal: Principal,
    policyId: number,
    contactId: number,
    since: string,
  ): Promise<'filed' | 'skipped'> {
    if (!this.deps.erasureWorkflow) throw new Error('An inactive_contacts rule needs the erasure workflow');
    return this.requests.eraseByRetentionRule(principal, contactId, retentionErasureNote(policyId), since);
  }
}

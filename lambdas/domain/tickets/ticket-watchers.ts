import { z } from 'zod';
import type { Principal } from '#domain/account';
import { ConflictError, ValidationError } from '#domain/errors';
import type { Paging } from '#domain/records/paging';
import { pagesUnder } from '#domain/records/parent-pages';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordPage, RecordStore } from '#domain/records/record-store';
import type { StoredRecord } from '#domain/records/record';
import { mayAccessTicket, readTicket } from './ticket-access.ts';
import type { TicketFields } from './ticket-schema.ts';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/** POST /tickets/{id}/watch: v2's optional `user_id`, the agent to add (the caller by default). */
export const watchSchema = z.object({ user_id: z.number().int().positive() }).partial().strict();
/** Most tickets one bulk_watch or bulk_unwatch names. */
export const maxBulkWatchIds = 100;
const ticketIds = z.array(z.number().int().positive()).min(1).max(maxBulkWatchIds);
/** POST /tickets/bulk_watch (v2: `ids`, optional `user_id`). */
export const bulkWatchSchema = z
  .object({ ids: ticketIds, user_id: z.number().int().positive().optional() })
  .strict();
/** PUT /tickets/bulk_unwatch (v2: `ids`). */
export const bulkUnwatchSchema = z.object({ ids: ticketIds }).strict();

/** GET /tickets/{id}/watchers (v2): the watching agents' ids. */
export const ticketWatchersViewSchema = z.strictObject({ watcher_ids: z.array(z.number().int()) });

/** A link between an agent and a ticket they watch: the agent's personal data (their subject). */
export interface TicketWatchFields {
  readonly ticket_id: number;
  readonly agent_id: number;
}
type StoredWatch = StoredRecord<TicketWatchFields>;

/** A watch holds ids only: nothing in it is sealed (docs/encryption.md). */
export const ticketWatchPersonalFields: PersonalFieldDeclaration<TicketWatchFields> = {
  ticket_id: 'plain',
  agent_id: 'plain',
};

export const ticketWatchersKey = (ticketId: number) => `ticket#${ticketId}#ticket_watch`;
export const agentWatchesKey = (agentId: number) => `agent#${agentId}#ticket_watch`;
const watchValue = (ticketId: number, agentId: number) => `${ticketId}:${agentId}`;

/**
 * A watch is listed under its ticket (its watchers; the ticket's purge takes it along) and under its
 * agent (what they watch, `filter=watching`), names the agent as its subject (erasure removes it,
 * export shows it), and is unique per ticket and agent.
 */
export const deriveWatch = (record: StoredWatch): StoredWatch => ({
  ...record,
  subjects: [{ kind: 'agent', id: record.fields.agent_id }],
  parent: { key: ticketWatchersKey(record.fields.ticket_id) },
  secondaryParent: { key: agentWatchesKey(record.fields.agent_id) },
  uniqueValues: { watch: watchValue(record.fields.ticket_id, record.fields.agent_id) },
});

/**
 * Ticket watchers (v2): an agent watches the tickets they may see; watching again, or unwatching what
 * one does not watch, changes nothing. Unwatching soft-deletes the link (the 60-day purge removes it).
 */
export class TicketWatchers {
  private readonly lifecycle: RecordLifecycle<TicketWatchFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(deps, deriveWatch, 'The agent watches the ticket already.');
  }

  /** The caller (or the live agent `userId`) watches the ticket, which must be within the caller's scope. */
  async watch(principal: Principal, ticketId: number, userId?: number): Promise<void> {
    await readTicket(this.deps.store, principal, ticketId);
    const agentId = userId ?? principal.agentId;
    if (userId !== undefined) await this.requireLiveAgent(principal, userId);
    await this.add(principal, ticketId, agentId);
  }

  /** The caller stops watching the ticket (within their scope); 204 also when they did not watch it. */
  async unwatch(principal: Principal, ticketId: number): Promise<void> {
    await readTicket(this.deps.store, principal, ticketId);
    await this.remove(principal, ticketId, principal.agentId);
  }

  /** The agents watching a ticket within the caller's scope, by id, in the order they started. */
  async watcherIds(principal: Principal, ticketId: number): Promise<number[]> {
    await readTicket(this.deps.store, principal, ticketId);
    const ids: number[] = [];
    const live = (record: StoredRecord<object>) => !record.deletedAt;
    for await (const page of pagesUnder(
      this.deps.store,
      principal.accountId,
      [ticketWatchersKey(ticketId)],
      live,
    )) {
      ids.push(...page.map((record) => (record.fields as TicketWatchFields).agent_id));
    }
    return ids;
  }

  /**
   * Every ticket of `ids` watched (or, `watching: false`, unwatched) by the caller or `userId`. All
   * tickets are checked first (404 naming none if one is missing or out of scope), then each link is
   * written on its own: a retry after a failure finishes what is left.
   */
  async bulk(
    principal: Principal,
    ids: readonly number[],
    watching: boolean,
    userId?: number,
  ): Promise<void> {
    const unique = [...new Set(ids)];
    for (const id of unique) await readTicket(this.deps.store, principal, id);
    if (userId !== undefined) await this.requireLiveAgent(principal, userId);
    const agentId = userId ?? principal.agentId;
    for (const id of unique) {
      if (watching) await this.add(principal, id, agentId);
      else await this.remove(principal, id, agentId);
    }
  }

  /**
   * The caller's watched tickets that they may see and that are live, newest watch first: a Query of
   * their watches, then the tickets by BatchGet (a page may be short by those left out).
   */
  async watchedTickets(principal: Principal, paging: Paging): Promise<RecordPage<TicketFields>> {
    const watches = await this.deps.store.listByParent<TicketWatchFields>(
      principal.accountId,
      agentWatchesKey(principal.agentId),
      { ...paging, secondary: true },
    );
    const refs = watches.records.map((watch) => ({ type: 'ticket' as const, id: watch.fields.ticket_id }));
    const tickets = await this.deps.store.getMany<TicketFields>(principal.accountId, refs);
    const byId = new Map(tickets.map((ticket) => [ticket.ref.id, ticket]));
    const records = refs
      .map((ref) => byId.get(ref.id))
      .filter((ticket): ticket is StoredRecord<TicketFields> => Boolean(ticket && !ticket.deletedAt))
      .filter((ticket) => mayAccessTicket(principal, ticket.fields));
    return { records, hasMore: watches.hasMore, next: watches.next };
  }

  private async add(principal: Principal, ticketId: number, agentId: number): Promise<void> {
    const existing = await this.findWatch(principal.accountId, ticketId, agentId);
    if (existing !== undefined) return;
    const at = this.deps.now().toISOString();
    try {
      await this.lifecycle.create(
        principal,
        {
          accountId: principal.accountId,
          ref: { type: 'ticket_watch', id: this.deps.newId() },
          version: 1,
          createdAt: at,
          updatedAt: at,
          fields: { ticket_id: ticketId, agent_id: agentId },
          subjects: [],
        },
        ['ticket_id', 'agent_id'],
      );
    } catch (error) {
      // Watched at the same moment by another request: the link is there, which is what was asked.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private async remove(principal: Principal, ticketId: number, agentId: number): Promise<void> {
    const id = await this.findWatch(principal.accountId, ticketId, agentId);
    if (id === undefined) return;
    try {
      await this.lifecycle.softDelete(principal, { type: 'ticket_watch', id });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private findWatch(accountId: string, ticketId: number, agentId: number) {
    return this.deps.store.findByUniqueValue(
      accountId,
      'ticket_watch',
      'watch',
      watchValue(ticketId, agentId),
    );
  }

  private async requireLiveAgent(principal: Principal, agentId: number): Promise<void> {
    const agent = await this.deps.store.get(principal.accountId, { type: 'agent', id: agentId });
    if (!agent || agent.deletedAt || agent.supersededBy) {
      throw new ValidationError([
        { field: 'user_id', message: 'There is no agent with this id', code: 'invalid_value' },
      ]);
    }
  }
}

import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { ValidationError } from '#domain/errors';
import type { Paging } from '#domain/records/paging';
import { RecordTrash } from '#domain/purge/record-trash';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import { mayAccessTicket, mayChangeTicketChild, readTicket } from '#domain/tickets/ticket-access';
import type { TicketFields } from '#domain/tickets/ticket-schema';
import {
  type TimerState,
  secondsOf,
  startTimer,
  stopTimer,
  timeSpentOf,
  timeSpentPattern,
  toggleTimer,
} from './timer.ts';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

const timeSpent = z.string().regex(timeSpentPattern, 'It should be in the hh:mm format');
const instant = z.iso.datetime({ offset: true });
const settable = {
  agent_id: z.number().int().positive(),
  billable: z.boolean(),
  executed_at: instant,
  note: z.string().max(10_000),
  start_time: instant,
  time_spent: timeSpent,
  timer_running: z.boolean(),
};

/** POST /tickets/{id}/time_entries, Freshdesk v2 fields. */
export const createTimeEntrySchema = z.object(settable).partial().strict();
/** PUT /time_entries/{id}. */
export const updateTimeEntrySchema = z
  .object(settable)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });
export type TimeEntryInput = z.infer<typeof createTimeEntrySchema>;

/** GET /time_entries filters (v2). */
export interface TimeEntryFilters {
  readonly company_id?: number;
  readonly agent_id?: number;
  readonly executed_after?: string;
  readonly executed_before?: string;
  readonly billable?: boolean;
}

export interface TimeEntryFields extends TimerState {
  ticket_id: number;
  agent_id: number;
  /** The ticket's company when the entry was added (v2 filters by it). */
  company_id: number | null;
  billable: boolean;
  note: string;
  executed_at: string;
}

export type StoredTimeEntry = StoredRecord<TimeEntryFields>;

/** Which time entry fields are personal: the agent's note (docs/encryption.md). */
export const timeEntryPersonalFields: PersonalFieldDeclaration<TimeEntryFields> = {
  ticket_id: 'plain',
  agent_id: 'plain',
  company_id: 'plain',
  billable: 'plain',
  note: 'personal',
  executed_at: 'plain',
  timer_running: 'plain',
  start_time: 'plain',
  time_spent_in_seconds: 'plain',
};
const timeEntryRef = (id: number): RecordRef => ({ type: 'time_entry', id });
export const ticketTimeEntriesKey = (ticketId: number) => `ticket#${ticketId}#time_entry`;
/** The entries whose timer runs, per agent: at most one, as in v2. */
const runningTimerKey = (agentId: number) => `agent#${agentId}#running_time_entry`;

/**
 * A time entry is its agent's work record (the note is their free text), listed under its ticket, and
 * under its agent while its timer runs.
 */
export const deriveTimeEntry = (record: StoredTimeEntry): StoredTimeEntry => ({
  ...record,
  subjects: [{ kind: 'agent', id: record.fields.agent_id }],
  parent: { key: ticketTimeEntriesKey(record.fields.ticket_id) },
  secondaryParent: record.fields.timer_running ? { key: runningTimerKey(record.fields.agent_id) } : undefined,
});

/**
 * Time entries on tickets (Freshdesk v2): add, list per ticket or account-wide, update, start and stop
 * the timer, delete. An entry belongs to its ticket: reachable only while the ticket is live and in
 * the caller's scope (changes need write access to it); a deleted ticket's entries answer 404. An agent
 * has one timer running at most: starting one stops the agent's other, in the same transaction.
 */
export class TimeEntryService {
  private readonly lifecycle: RecordLifecycle<TimeEntryFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(deps, deriveTimeEntry, 'The time entry changed since you read it.');
    this.trash = new RecordTrash(deps);
  }

  async create(principal: Principal, ticketId: number, input: TimeEntryInput): Promise<StoredTimeEntry> {
    const ticket = await readTicket<TicketFields>(this.deps.store, principal, ticketId, { toChange: true });
    const now = this.deps.now();
    const at = now.toISOString();
    const agentId = input.agent_id ?? principal.agentId;
    await this.requireAgent(principal, agentId);
    // v2: without a duration the timer runs; a duration given records work already done.
    const running = input.timer_running ?? input.time_spent === undefined;
    checkTimerFields(running, input, now);
    const record: StoredTimeEntry = {
      accountId: principal.accountId,
      ref: timeEntryRef(this.deps.newId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        ticket_id: ticket.ref.id,
        agent_id: agentId,
        company_id: ticket.fields.company_id,
        billable: input.billable ?? true,
        note: input.note ?? '',
        executed_at: input.executed_at ?? at,
        timer_running: running,
        start_time: input.start_time ?? at,
        time_spent_in_seconds: input.time_spent ? secondsOf(input.time_spent) : 0,
      },
      subjects: [],
    };
    const created = deriveTimeEntry(record);
    const others = running ? await this.stopOthers(principal, created, now) : [];
    const audit = this.lifecycle.audit(principal, 'create', created, Object.keys(input));
    await this.lifecycle.commit([{ create: created, audit }, ...others]);
    return created;
  }

  /** A live ticket's entries, oldest first. */
  async listForTicket(principal: Principal, ticketId: number, paging: Paging) {
    await readTicket(this.deps.store, principal, ticketId);
    return this.deps.store.listByParent<TimeEntryFields>(
      principal.accountId,
      ticketTimeEntriesKey(ticketId),
      {
        ...paging,
        oldestFirst: true,
      },
    );
  }

  /**
   * The account's entries, most recently changed first, filtered as v2 filters them; entries of tickets
   * deleted or out of the caller's scope are left out (a page may then come back short).
   */
  async list(principal: Principal, filters: TimeEntryFilters, paging: Paging) {
    const page = await this.deps.store.list<TimeEntryFields>(principal.accountId, 'time_entry', {
      ...paging,
      where: (record) => matchesFilters(record.fields, filters),
    });
    const ticketIds = [...new Set(page.records.map((record) => record.fields.ticket_id))];
    const tickets = await this.deps.store.getMany<TicketFields>(
      principal.accountId,
      ticketIds.map((id) => ({ type: 'ticket', id })),
    );
    const reachable = new Set(
      tickets
        .filter((ticket) => !ticket.deletedAt && mayAccessTicket(principal, ticket.fields))
        .map((ticket) => ticket.ref.id),
    );
    return { ...page, records: page.records.filter((record) => reachable.has(record.fields.ticket_id)) };
  }

  /**
   * Applies v2's update: `timer_running` starts or stops the timer (stopping adds the time since it
   * started), `time_spent` replaces the duration of a stopped timer.
   */
  async update(principal: Principal, id: number, input: TimeEntryInput): Promise<StoredTimeEntry> {
    const entry = await this.reachable(principal, id);
    if (input.agent_id !== undefined) await this.requireAgent(principal, input.agent_id);
    const now = this.deps.now();
    const { time_spent, timer_running, start_time, ...plain } = input;
    let timer: TimeEntryFields = { ...entry.fields, ...plain };
    if (timer_running !== undefined) {
      timer = timer_running ? startTimer(timer, now) : stopTimer(timer, now);
    }
    checkTimerFields(timer.timer_running, input, now);
    if (start_time !== undefined) timer = { ...timer, start_time };
    if (time_spent !== undefined) timer = { ...timer, time_spent_in_seconds: secondsOf(time_spent) };
    return this.store(principal, entry, timer, now);
  }

  async toggle(principal: Principal, id: number): Promise<StoredTimeEntry> {
    const entry = await this.reachable(principal, id);
    const now = this.deps.now();
    return this.store(principal, entry, toggleTimer(entry.fields, now), now);
  }

  /** Stores an entry's new fields, with the agent's other timer stopped if its own now runs. */
  private async store(
    principal: Principal,
    previous: StoredTimeEntry,
    fields: TimeEntryFields,
    now: Date,
  ): Promise<StoredTimeEntry> {
    const change = this.lifecycle.change(principal, previous, fields);
    if (!change) return previous;
    const others = fields.timer_running ? await this.stopOthers(principal, change.next, now) : [];
    await this.lifecycle.commit([change, ...others]);
    return change.next;
  }

  /** The changes stopping the timers of the entry's agent that run beside the entry's own (v2: one). */
  private async stopOthers(principal: Principal, entry: StoredTimeEntry, now: Date) {
    const { records } = await this.deps.store.listByParent<TimeEntryFields>(
      principal.accountId,
      runningTimerKey(entry.fields.agent_id),
      { page: 1, perPage: 10, secondary: true },
    );
    const running = await this.deps.store.getMany<TimeEntryFields>(
      principal.accountId,
      records.filter((other) => other.ref.id !== entry.ref.id).map((other) => other.ref),
    );
    return running
      .filter((other) => !other.deletedAt && other.fields.timer_running)
      .flatMap((other) => this.lifecycle.change(principal, other, stopTimer(other.fields, now)) ?? []);
  }

  /**
   * Brings a deleted entry back exactly as it was (within 60 days), while its ticket is live (else 409)
   * and within the caller's scope to change.
   */
  restore(principal: Principal, id: number): Promise<void> {
    return this.trash.restore(principal, timeEntryRef(id), mayChangeTicketChild(this.deps.store));
  }

  async softDelete(principal: Principal, id: number): Promise<void> {
    const entry = await this.reachable(principal, id);
    await this.lifecycle.softDelete(principal, entry.ref);
  }

  /** A live entry whose ticket is live and the caller may change; anything else is not found. */
  private async reachable(principal: Principal, id: number): Promise<StoredTimeEntry> {
    const entry = await this.lifecycle.getLive(principal, timeEntryRef(id));
    await readTicket(this.deps.store, principal, entry.fields.ticket_id, { toChange: true });
    return entry;
  }

  /** The agent an entry is for must be one of the account's live agents. */
  private async requireAgent(principal: Principal, agentId: number): Promise<void> {
    if (agentId === principal.agentId) return;
    const agent = await this.deps.store.get(principal.accountId, { type: 'agent', id: agentId });
    if (!agent || agent.deletedAt || agent.supersededBy) {
      throw new ValidationError([
        { field: 'agent_id', message: 'There is no agent with this id', code: 'invalid_value' },
      ]);
    }
  }
}

/**
 * v2's rules on the timer fields: a duration is set only on a stopped timer, a start time only on a
 * running one, and never in the future.
 */
function checkTimerFields(running: boolean, input: TimeEntryInput, now: Date): void {
  const problem = (field: string, message: string) =>
    new ValidationError([{ field, message, code: 'invalid_value' }]);
  if (running && input.time_spent !== undefined) {
    throw problem('time_spent', 'It can be set only while the timer is stopped');
  }
  if (input.start_time !== undefined) {
    if (!running) throw problem('start_time', 'It can be set only while the timer is running');
    if (Date.parse(input.start_time) > now.getTime())
      throw problem('start_time', 'It should not be in the future');
  }
}

function matchesFilters(fields: TimeEntryFields, filters: TimeEntryFilters): boolean {
  const executed = Date.parse(fields.executed_at);
  return (
    (filters.company_id === undefined || fields.company_id === filters.company_id) &&
    (filters.agent_id === undefined || fields.agent_id === filters.agent_id) &&
    (filters.billable === undefined || fields.billable === filters.billable) &&
    (filters.executed_after === undefined || executed >= Date.parse(filters.executed_after)) &&
    (filters.executed_before === undefined || executed <= Date.parse(filters.executed_before))
  );
}

/** A time entry as Freshdesk v2 shows it (`time_spent` as hh:mm; seconds too, as v2 does now). */
export const timeEntryViewSchema = recordViewSchema({
  ticket_id: z.number().int(),
  agent_id: z.number().int(),
  company_id: z.number().int().nullable(),
  billable: z.boolean(),
  note: z.string(),
  executed_at: z.string(),
  timer_running: z.boolean(),
  start_time: z.string().nullable(),
  time_spent: z.string(),
  time_spent_in_seconds: z.number().int(),
});
export function timeEntryView(record: StoredTimeEntry): z.infer<typeof timeEntryViewSchema> {
  const { time_spent_in_seconds, ...fields } = record.fields;
  return {
    id: record.ref.id,
    ...fields,
    time_spent: timeSpentOf(time_spent_in_seconds),
    time_spent_in_seconds,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

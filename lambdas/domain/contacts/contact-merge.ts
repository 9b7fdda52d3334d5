import { z } from 'zod';
import type { Principal } from '#domain/account';
import { AccessDeniedError, ConflictError, NotFoundError } from '#domain/errors';
import type { HeldRecords } from '#domain/holds/held-records';
import { StoredHolds } from '#domain/holds/stored-holds';
import { isTrashKept, openStatuses } from '#domain/privacy/privacy-request';
import { requestsOfSubject } from '#domain/privacy/subject-requests';
import { ticketFilterFor } from '#domain/tickets/ticket-access';
import {
  actorOf,
  type ChangeOfRecord,
  nextChangeAt,
  RecordLifecycle,
} from '#domain/records/record-lifecycle';
import type { StoredRecord, SubjectRef } from '#domain/records/record';
import { type ContactMergeInput, keptFields } from './contact-merge-input.ts';
import { reassignedRecord } from './contact-reassignment.ts';
import type { ContactFields } from './contact-schema.ts';
import {
  contactRef,
  type ContactServiceDependencies,
  deriveContact,
  type StoredContact,
} from './contact-service.ts';

/**
 * Records moved per transaction: a move writes the record, its audit entry, a subject link removed and
 * one added, and the lookups that change with its fields, so 10 stay inside DynamoDB's 100 items.
 */
export const mergeBatchSize = 10;
/** Bytes of records per transaction, well inside DynamoDB's 4 MB (an item is at most 400 KB). */
const maxBatchBytes = 3 * 1024 * 1024;
/** Subject links read per page. */
const linkPageSize = 100;
/**
 * How long one request moves records before it answers `in_progress` (an API function has 10 s): the
 * merge never ends in a timeout, and sending it again continues where it stopped.
 */
export const defaultMergeBudgetMs = 6_000;

/** `done`, or `in_progress` when the time budget ran out first: send the same merge again. */
export type MergeOutcome = 'done' | 'in_progress';
/** What POST /contacts/merge answers (202) when its time budget ran out: our addition to v2's 204. */
export const mergeInProgressViewSchema = z.strictObject({ merge: z.literal('in_progress') });
export const mergeInProgressView: z.infer<typeof mergeInProgressViewSchema> = { merge: 'in_progress' };

/** Thrown inside a merge when its time budget is spent (after at least one transaction of moves). */
class BudgetSpent extends Error {}

/** What a secondary is left as: ids only, so its id still answers "now contact N" and nothing returns. */
interface MergedStub {
  readonly merged_into: number;
}

/**
 * Merges contacts into a primary (POST /contacts/merge): one person, one data subject. Three steps,
 * each atomic per transaction and each safe to repeat, so a merge cut short is finished by sending it
 * again (nothing else holds its state):
 *
 * 1. each secondary is marked `supersededBy` the primary: no longer listed nor found by its e-mail,
 *    phone, external id or name (its claims and lookups released), its fields still there;
 * 2. every record linked to a secondary (the subject index: tickets, conversations, calls, chats,
 *    ratings, files, …) is rewritten to name the primary instead, fields, subject links and parent
 *    listings together, each audited (field names only);
 * 3. the primary takes the identifying values `contact` chooses, then each secondary's fields are
 *    cleared, leaving ids only (`merged_into`).
 *
 * Refused (409, naming the reason) while a legal hold covers a secondary or the account, or while an
 * open privacy request (or a soft erasure's restorable trash) is about a secondary or the primary.
 * Moving every ticket of a person needs a caller who sees every ticket (403 otherwise). One request
 * moves records for at most `budgetMs`, then answers `in_progress`; the same request continues it.
 */
export class ContactMerge {
  private readonly contacts: RecordLifecycle<ContactFields>;
  private readonly holds: HeldRecords;

  constructor(
    private readonly deps: ContactServiceDependencies,
    private readonly batchSize = mergeBatchSize,
    private readonly budgetMs = defaultMergeBudgetMs,
  ) {
    this.contacts = new RecordLifecycle(
      deps,
      deriveContact,
      'A contact could not be merged: a value it keeps belongs to another contact, or a record changed meanwhile. Send the merge again.',
    );
    this.holds = new StoredHolds(deps.store);
  }

  async merge(principal: Principal, input: ContactMergeInput): Promise<MergeOutcome> {
    const until = this.deps.now().getTime() + this.budgetMs;
    if (ticketFilterFor(principal)) {
      throw new AccessDeniedError(
        'Merging contacts moves all their tickets: it needs access to every ticket.',
      );
    }
    const primary = await this.contacts.getLive(principal, contactRef(input.primary_contact_id));
    const secondaries: StoredContact[] = [];
    for (const id of input.secondary_contact_ids)
      secondaries.push(await this.readSecondary(principal, id, primary));
    const pending = secondaries.filter((secondary) => !isStub(secondary));
    await this.refuseWhileCovered(principal, primary, pending);
    const kept = keptFields(input.contact, [primary.fields, ...pending.map((secondary) => secondary.fields)]);
    const marked: StoredContact[] = [];
    for (const secondary of pending) marked.push(await this.mark(principal, secondary, primary));
    try {
      for (const secondary of marked)
        await this.moveLinks(principal, secondary.ref.id, primary.ref.id, until);
    } catch (error) {
      if (error instanceof BudgetSpent) return 'in_progress';
      throw error;
    }
    await this.contacts.update(principal, primary.ref, kept);
    for (const secondary of marked) await this.clear(principal, secondary, primary.ref.id);
    return 'done';
  }

  /** A secondary: a contact of the account, live, or already marked merged into this primary. */
  private async readSecondary(
    principal: Principal,
    id: number,
    primary: StoredContact,
  ): Promise<StoredContact> {
    const record = await this.deps.store.get<ContactFields>(principal.accountId, contactRef(id));
    if (!record || record.deletedAt) throw new NotFoundError(`There is no contact ${id}.`);
    const into = record.supersededBy;
    if (into && (into.type !== 'contact' || into.id !== primary.ref.id)) {
      throw new ConflictError(`Contact ${id} is now ${into.type} ${into.id}; it cannot be merged.`);
    }
    return record;
  }

  /** Refuses (409) while a legal hold or a privacy request needs a secondary as it is. */
  private async refuseWhileCovered(
    principal: Principal,
    primary: StoredContact,
    secondaries: readonly StoredContact[],
  ): Promise<void> {
    if (secondaries.length === 0) return;
    const { accountId } = principal;
    const at = this.deps.now();
    const accountHold = await this.holds.accountHold(accountId, at);
    if (accountHold) throw new ConflictError(`The account is under legal hold ${accountHold.id}.`);
    for (const secondary of secondaries) {
      const hold = await this.holds.heldBy(accountId, secondary.ref, at);
      if (hold) throw new ConflictError(`Contact ${secondary.ref.id} is under legal hold ${hold.id}.`);
    }
    for (const contact of [primary, ...secondaries]) {
      const subject: SubjectRef = { kind: 'contact', id: contact.ref.id };
      for (const request of await requestsOfSubject(this.deps.store, accountId, subject)) {
        if (openStatuses.includes(request.fields.status)) {
          throw new ConflictError(
            `Contact ${contact.ref.id} has an open privacy request ${request.ref.id}; merge once it is answered.`,
          );
        }
        if (isTrashKept(request.fields.trash) || request.fields.trash?.state === 'purging') {
          throw new ConflictError(
            `Contact ${contact.ref.id} has a soft erasure ${request.ref.id} that can still be restored.`,
          );
        }
      }
    }
  }

  /** Step 1: the secondary marked as merged into the primary, its claims, lookups and listings released. */
  private async mark(
    principal: Principal,
    secondary: StoredContact,
    primary: StoredContact,
  ): Promise<StoredContact> {
    if (secondary.supersededBy) return secondary;
    const next: StoredContact = {
      ...secondary,
      version: secondary.version + 1,
      updatedAt: nextChangeAt(secondary, this.deps.now()),
      supersededBy: primary.ref,
      parent: undefined,
      uniqueValues: undefined,
      lookupValues: undefined,
      prefixValues: undefined,
    };
    await this.contacts.commit([this.changeOf(principal, secondary, next, ['superseded_by'])]);
    return next;
  }

  /**
   * Step 2: every record linked to the secondary, rewritten to name the primary, in transactions of at
   * most `batchSize` records. Passes over the subject index repeat until one moves nothing (a record
   * linked meanwhile is taken too); a link to a record that does not exist is left (ids only). Past
   * `until`, it stops after a transaction (BudgetSpent): what is moved stays moved.
   */
  private async moveLinks(principal: Principal, from: number, to: number, until: number): Promise<void> {
    const { accountId } = principal;
    const subject: SubjectRef = { kind: 'contact', id: from };
    for (let moved = true; moved;) {
      moved = false;
      for (let cursor: string | undefined, more = true; more;) {
        const page = await this.deps.store.subjectLinks(accountId, subject, { limit: linkPageSize, cursor });
        cursor = page.cursor;
        more = cursor !== undefined;
        const refs = page.refs.filter((ref) => !(ref.type === 'contact' && ref.id === from));
        const records = await Promise.all(refs.map((ref) => this.deps.store.get<object>(accountId, ref)));
        const changes = records
          .filter((record): record is StoredRecord<object> => Boolean(record))
          .map((record) => {
            const { next, changedFields } = reassignedRecord(record, from, to);
            const versioned = {
              ...next,
              version: record.version + 1,
              updatedAt: nextChangeAt(record, this.deps.now()),
            };
            return this.changeOf(
              principal,
              record,
              versioned,
              changedFields.length ? changedFields : ['subjects'],
            );
          });
        for (const batch of batches(changes, this.batchSize)) {
          await this.contacts.commit(batch);
          if (this.deps.now().getTime() >= until) throw new BudgetSpent();
        }
        moved ||= changes.length > 0;
      }
    }
  }

  /** Step 3: the secondary's fields cleared, ids only left (`merged_into`), its own subject link gone. */
  private async clear(principal: Principal, secondary: StoredContact, primaryId: number): Promise<void> {
    const current = await this.deps.store.get<ContactFields>(principal.accountId, secondary.ref);
    if (!current || isStub(current)) return;
    const stub: StoredRecord<MergedStub> = {
      ...current,
      version: current.version + 1,
      updatedAt: nextChangeAt(current, this.deps.now()),
      fields: { merged_into: primaryId },
      subjects: [],
      parent: undefined,
      uniqueValues: undefined,
      lookupValues: undefined,
      prefixValues: undefined,
    };
    const cleared = [...Object.keys(current.fields), 'merged_into'].sort();
    await this.contacts.commit([this.changeOf(principal, current, stub, cleared)]);
  }

  private changeOf(
    principal: Principal,
    previous: StoredRecord<object>,
    next: StoredRecord<object>,
    changedFields: readonly string[],
  ): ChangeOfRecord {
    const audit = {
      at: next.updatedAt,
      actor: actorOf(principal),
      operation: 'update' as const,
      record: previous.ref,
      changedFields: [...changedFields],
    };
    return { previous, next, audit };
  }
}

/** Whether a contact is what a merge leaves of a secondary: ids only. */
const isStub = (record: StoredRecord<object>): boolean =>
  Boolean(record.supersededBy) && 'merged_into' in record.fields;

/** Changes cut into transactions of at most `size` records and `maxBatchBytes`. */
function batches(changes: readonly ChangeOfRecord[], size: number): ChangeOfRecord[][] {
  const result: ChangeOfRecord[][] = [];
  let current: ChangeOfRecord[] = [];
  let bytes = 0;
  for (const change of changes) {
    const length = JSON.stringify(change.next).length;
    if (current.length === size || (current.length > 0 && bytes + length > maxBatchBytes)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(change);
    bytes += length;
  }
  if (current.length) result.push(current);
  return result;
}

import type { Principal } from '#domain/account';
import { ConflictError, NotFoundError } from '#domain/errors';
import type { RecordChange, RecordStore } from './record-store.ts';
import {
  type Actor,
  type AuditEntry,
  type AuditOperation,
  changedFieldNames,
  etagOf,
  type RecordRef,
  type StoredRecord,
} from './record.ts';

/** A change of a stored record (not a creation), as the record store takes several in one transaction. */
export type ChangeOfRecord = Extract<RecordChange, { next: unknown }>;

/** A record to create with its audit entry, as the record store takes several in one transaction. */
export interface NewRecord {
  readonly record: StoredRecord<object>;
  readonly audit: AuditEntry;
}

export interface LifecycleDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
}

/** A timestamp strictly after the record's last change, so versions order by time within a millisecond. */
export function nextChangeAt(previous: Pick<StoredRecord<object>, 'updatedAt'>, now: Date): string {
  const floor = new Date(Date.parse(previous.updatedAt) + 1);
  return (now > floor ? now : floor).toISOString();
}

/**
 * The actor of a change, by id only: the platform acting for the account (a retention rule), the
 * requester acting through a portal token, else the agent.
 */
export const actorOf = (principal: Principal): Actor =>
  principal.systemActor ??
  (principal.contactId !== undefined
    ? { type: 'contact', id: String(principal.contactId) }
    : { type: 'agent', id: String(principal.agentId) });

/**
 * The changes every record type goes through the same way: read within the caller's account, update
 * conditional on the version read, soft delete, restore. Each writes its audit entry with the change.
 */
export class RecordLifecycle<F extends object> {
  constructor(
    private readonly deps: LifecycleDependencies,
    /** Recomputes what derives from the fields: subjects, parent listing, unique values. */
    private readonly derive: (record: StoredRecord<F>) => StoredRecord<F>,
    private readonly conflictMessage: string,
  ) {}

  /**
   * A record of the caller's account; another account's id is simply not found, and so is a record
   * that lives on as another (a contact made an agent).
   */
  async get(principal: Principal, ref: RecordRef): Promise<StoredRecord<F>> {
    return this.read(principal.accountId, ref);
  }

  private async read(accountId: string, ref: RecordRef): Promise<StoredRecord<F>> {
    const record = await this.deps.store.get<F>(accountId, ref);
    if (!record) throw new NotFoundError();
    if (record.supersededBy) {
      throw new NotFoundError(
        `This ${ref.type} is now ${record.supersededBy.type} ${record.supersededBy.id}; read it there.`,
      );
    }
    return record;
  }

  async getLive(principal: Principal, ref: RecordRef): Promise<StoredRecord<F>> {
    const record = await this.get(principal, ref);
    if (record.deletedAt) throw new NotFoundError();
    return record;
  }

  /**
   * Creates the record; `companions` (e.g. its attachments) are written in the same transaction, and
   * so are the `alongside` changes of other records (e.g. the ticket a reply changes).
   */
  async create(
    principal: Principal,
    record: StoredRecord<F>,
    changedFields: readonly string[],
    companions: (created: StoredRecord<F>) => Promise<readonly NewRecord[]> = async () => [],
    alongside: readonly RecordChange[] = [],
  ): Promise<StoredRecord<F>> {
    const derived = this.derive(record);
    const audit = this.audit(principal, 'create', derived, changedFields);
    const others = await companions(derived);
    await this.translateConflicts(() => {
      if (alongside.length > 0) {
        const created = [{ record: derived, audit }, ...others];
        return this.deps.store.commit([
          ...created.map((entry) => ({ create: entry.record, audit: entry.audit })),
          ...alongside,
        ]);
      }
      return others.length
        ? this.deps.store.createTogether([{ record: derived, audit }, ...others])
        : this.deps.store.create(derived, audit);
    });
    return derived;
  }

  /**
   * Applies `changes` to the live record, conditional on the version read. `changes` may be computed
   * from the version read (e.g. merging custom fields), so what it is based on is what gets replaced.
   */
  async update(
    principal: Principal,
    ref: RecordRef,
    changes: Partial<F> | ((previous: StoredRecord<F>) => Partial<F> | Promise<Partial<F>>),
    ifMatch?: string,
  ): Promise<StoredRecord<F>> {
    return this.updateAs(actorOf(principal), principal.accountId, ref, changes, ifMatch);
  }

  /** An update made by `actor` (e.g. a workflow acting as the system) rather than an API caller. */
  async updateAs(
    actor: Actor,
    accountId: string,
    ref: RecordRef,
    changes: Partial<F> | ((previous: StoredRecord<F>) => Partial<F> | Promise<Partial<F>>),
    ifMatch?: string,
  ): Promise<StoredRecord<F>> {
    const previous = await this.read(accountId, ref);
    if (previous.deletedAt) throw new NotFoundError();
    if (ifMatch && ifMatch !== etagOf(previous)) {
      throw new ConflictError(
        `The ${ref.type} changed since you read it (ETag mismatch). Read it again and retry.`,
      );
    }
    const fields = {
      ...previous.fields,
      ...(typeof changes === 'function' ? await changes(previous) : changes),
    };
    const change = this.changeBy(actor, previous, fields);
    if (!change) return previous;
    await this.translateConflicts(() => this.deps.store.replace(change.previous, change.next, change.audit));
    return change.next;
  }

  /**
   * The change that applies `changes` to a live record as read, for the caller to store with others in
   * one transaction (`commit`); none when nothing differs.
   */
  change(
    principal: Principal,
    previous: StoredRecord<F>,
    changes: Partial<F>,
  ): (ChangeOfRecord & { next: StoredRecord<F> }) | undefined {
    return this.changeBy(actorOf(principal), previous, { ...previous.fields, ...changes });
  }

  private changeBy(actor: Actor, previous: StoredRecord<F>, fields: F) {
    const changedFields = changedFieldNames(previous.fields, fields);
    if (changedFields.length === 0) return undefined;
    const next = this.derive({
      ...previous,
      version: previous.version + 1,
      updatedAt: this.laterThan(previous),
      fields,
    });
    const audit = {
      at: next.updatedAt,
      actor,
      operation: 'update' as const,
      record: previous.ref,
      changedFields,
    };
    return { previous, next, audit };
  }

  /** Hidden from lists, unique values freed, restorable until purged. */
  async softDelete(principal: Principal, ref: RecordRef): Promise<void> {
    const previous = await this.getLive(principal, ref);
    await this.commit([this.deletion(principal, previous)]);
  }

  /** Brings a soft-deleted record back; a live record is left as it is. */
  async restore(principal: Principal, ref: RecordRef): Promise<void> {
    const previous = await this.get(principal, ref);
    if (!previous.deletedAt) return;
    await this.commit([this.restoration(principal, previous)]);
  }

  /**
   * The change that soft-deletes a live record, for the caller to store (alone, or in one transaction
   * with others). With `parent`, the record goes with its parent's deletion: it takes the parent's
   * deletion time and is marked, so restoring the parent restores exactly these.
   */
  deletion(
    principal: Principal,
    previous: StoredRecord<F>,
    parent?: { readonly ref: RecordRef; readonly deletedAt: string },
  ): ChangeOfRecord {
    const at = this.laterThan(previous);
    const next = {
      ...previous,
      version: previous.version + 1,
      updatedAt: at,
      deletedAt: parent?.deletedAt ?? at,
      ...(parent && { deletedWith: parent.ref }),
    };
    return { previous, next, audit: this.audit(principal, 'delete', next, []) };
  }

  /** The change that brings a soft-deleted record back (and forgets which deletion it went with). */
  restoration(principal: Principal, previous: StoredRecord<F>): ChangeOfRecord {
    const { deletedAt: _deleted, deletedWith: _with, ...live } = previous;
    const next = { ...live, version: previous.version + 1, updatedAt: this.laterThan(previous) };
    return { previous, next, audit: this.audit(principal, 'restore', next, []) };
  }

  /** Stores changes of this lifecycle's records in one transaction: all or none. */
  commit(changes: readonly RecordChange[]): Promise<void> {
    return this.translateConflicts(() => this.deps.store.commit(changes));
  }

  /**
   * The change that retires a live record in favour of another (a contact made an agent), for the
   * caller to store in one transaction with that other record.
   */
  supersede(principal: Principal, previous: StoredRecord<F>, by: RecordRef): ChangeOfRecord {
    const next = this.derive({
      ...previous,
      version: previous.version + 1,
      updatedAt: this.laterThan(previous),
      supersededBy: by,
    });
    return { previous, next, audit: this.audit(principal, 'update', next, ['superseded_by']) };
  }

  audit(
    principal: Principal,
    operation: AuditOperation,
    record: StoredRecord<F>,
    changedFields: readonly string[],
  ) {
    return {
      at: record.updatedAt,
      actor: actorOf(principal),
      operation,
      record: record.ref,
      changedFields: [...changedFields].sort(),
    };
  }

  private laterThan(previous: StoredRecord<F>): string {
    return nextChangeAt(previous, this.deps.now());
  }

  private async translateConflicts(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (error instanceof ConflictError) throw new ConflictError(this.conflictMessage);
      throw error;
    }
  }
}

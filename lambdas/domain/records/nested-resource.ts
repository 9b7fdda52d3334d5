import type { Principal } from '#domain/account';
import { NotFoundError } from '#domain/errors';
import { RecordTrash } from '#domain/purge/record-trash';
import { childrenKey } from './children-key.ts';
import { RecordLifecycle } from './record-lifecycle.ts';
import type { RecordStore } from './record-store.ts';
import type { RecordRef, RecordType, StoredRecord, SubjectRef } from './record.ts';
import type { Paging } from './paging.ts';

export interface NestedResourceDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
}

/** What a child level needs of its parent level: its type and a live, reachable record by id. */
export interface ParentResource<P extends object = object> {
  readonly type: RecordType;
  get(principal: Principal, id: number): Promise<StoredRecord<P>>;
}

/** How one level of a hierarchy (forum category > forum > topic > comment) behaves. */
export interface NestedResourceSpec<F extends object, C extends object, P extends object = object> {
  readonly type: RecordType;
  /** The level above and the field holding its id; none for a top level. */
  readonly parent?: { readonly resource: ParentResource<P>; readonly field: keyof F & string };
  /** The fields of a new record from the validated input, the caller and the (live) parent. */
  readonly build: (input: C, context: { principal: Principal; parent?: StoredRecord<P> }) => F;
  /** The people whose data the record holds (its author). */
  readonly subjects?: (fields: F) => SubjectRef[];
  /** Values unique per account and type, already normalised (e.g. a name within its category). */
  readonly uniqueValues?: (fields: F) => Record<string, string>;
  /** Values the record is looked up by while live (e.g. the words of a published article). */
  readonly lookupValues?: (fields: F) => Record<string, string> | undefined;
  /** Children listed newest first unless oldest first (comments read as a thread). */
  readonly oldestFirst?: boolean;
  /** Throws AccessDeniedError unless the caller may create a record at this level. */
  readonly mayCreate: (principal: Principal) => void;
  /** Throws AccessDeniedError unless the caller may change or delete this record. */
  readonly mayChange: (principal: Principal, record: StoredRecord<F>) => void;
  readonly conflictMessage: string;
}

export { childrenKey };

/**
 * One level of a hierarchy of records, over RecordLifecycle. A record is reachable only while its
 * parent is (recursively up to the top): deleting a parent soft-deletes it alone, and everything under
 * it answers 404 from then on (until the parent is restored) while its subject links stay for erasure and export. The 60-day purge
 * (docs/purge.md) removes the deleted record with its descendants.
 */
export class NestedResource<
  F extends object,
  C extends object,
  P extends object = object,
> implements ParentResource<F> {
  private readonly lifecycle: RecordLifecycle<F>;
  private readonly trash: RecordTrash;

  constructor(
    private readonly deps: NestedResourceDependencies,
    private readonly spec: NestedResourceSpec<F, C, P>,
  ) {
    const { parent, subjects, uniqueValues, lookupValues } = spec;
    this.lifecycle = new RecordLifecycle(
      deps,
      (record) => ({
        ...record,
        subjects: subjects?.(record.fields) ?? [],
        ...(uniqueValues ? { uniqueValues: uniqueValues(record.fields) } : {}),
        ...(lookupValues ? { lookupValues: lookupValues(record.fields) } : {}),
        ...(parent
          ? { parent: { key: childrenKey(parent.resource.type, this.parentId(record.fields), spec.type) } }
          : {}),
      }),
      spec.conflictMessage,
    );
    this.trash = new RecordTrash(deps);
  }

  get type(): RecordType {
    return this.spec.type;
  }

  async create(principal: Principal, input: C, parentId?: number): Promise<StoredRecord<F>> {
    this.spec.mayCreate(principal);
    const parent = await this.liveParent(principal, parentId);
    const at = this.deps.now().toISOString();
    return this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: this.ref(this.deps.newId()),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: this.spec.build(input, { principal, parent }),
        subjects: [],
      },
      Object.keys(input),
    );
  }

  /** A live record whose ancestors are all live; anything else is not found. */
  async get(principal: Principal, id: number): Promise<StoredRecord<F>> {
    const record = await this.lifecycle.getLive(principal, this.ref(id));
    if (this.spec.parent) await this.spec.parent.resource.get(principal, this.parentId(record.fields));
    return record;
  }

  async update(principal: Principal, id: number, changes: Partial<F>, ifMatch?: string) {
    this.spec.mayChange(principal, await this.get(principal, id));
    return this.lifecycle.update(principal, this.ref(id), changes, ifMatch);
  }

  async softDelete(principal: Principal, id: number): Promise<void> {
    this.spec.mayChange(principal, await this.get(principal, id));
    await this.lifecycle.softDelete(principal, this.ref(id));
  }

  /** Brings the record back if its parent is live (else 409 naming it), as one who may change it. */
  async restore(principal: Principal, id: number): Promise<void> {
    await this.trash.restore(principal, this.ref(id), (caller, record) =>
      this.spec.mayChange(caller, record as StoredRecord<F>),
    );
  }

  /** Live records under a live parent (or of the whole account at the top level). */
  async list(principal: Principal, paging: Paging, parentId?: number) {
    const parent = await this.liveParent(principal, parentId);
    if (!parent) return this.deps.store.list<F>(principal.accountId, this.spec.type, paging);
    return this.deps.store.listByParent<F>(
      principal.accountId,
      childrenKey(parent.ref.type, parent.ref.id, this.spec.type),
      { ...paging, oldestFirst: this.spec.oldestFirst },
    );
  }

  private async liveParent(principal: Principal, parentId: number | undefined) {
    if (!this.spec.parent) return undefined;
    if (parentId === undefined) throw new NotFoundError();
    return this.spec.parent.resource.get(principal, parentId);
  }

  private parentId(fields: F): number {
    const field = this.spec.parent?.field;
    return field ? Number(fields[field]) : 0;
  }

  private ref(id: number): RecordRef {
    return { type: this.spec.type, id };
  }
}

/** A record as Freshdesk v2 shows it: its id, its fields and its timestamps. */
export function recordView<F extends object>(record: StoredRecord<F>) {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}

import type { Principal } from '#domain/account';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors';
import { RecordLifecycle, actorOf } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import { type RecordRef, changedFieldNames, etagOf } from '#domain/records/record';
import { requirePermission } from '#domain/roles/permission-check';
import {
  alwaysVisibleContactFields,
  defaultDefinition,
  defaultFields,
  hasChoices,
} from './default-fields.ts';
import {
  type CreateFieldInput,
  type FieldChoice,
  type FieldDefinitionFields,
  type FieldKind,
  type StoredField,
  type UpdateFieldInput,
  fieldNameOf,
} from './field-definition.ts';

/** Custom fields an account may define per form: keeps loading a form one small Query. */
export const maxCustomFields = 200;
/** Built-in fields exist from the start; their unchanged definitions carry this date. */
const builtInAt = '2026-01-01T00:00:00.000Z';

const fieldRef = (kind: FieldKind, id: number): RecordRef => ({ type: `${kind}_field`, id });
const formKey = (kind: FieldKind) => `form#${kind}_field`;

/** A definition is listed under its form and its name is unique within it. */
const deriveField =
  (kind: FieldKind) =>
  (record: StoredField): StoredField => ({
    ...record,
    subjects: [],
    parent: { key: formKey(kind) },
    uniqueValues: { name: record.fields.name },
  });

/**
 * Contact fields or ticket fields of an account: the built-in ones (`default: true`) and the custom
 * ones an admin defines. Everyone reads them; only admins create, change and delete them.
 */
export class FieldService {
  private readonly lifecycle: RecordLifecycle<FieldDefinitionFields>;

  constructor(
    private readonly deps: { store: RecordStore; now: () => Date; newId: () => number },
    readonly kind: FieldKind,
  ) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveField(kind),
      `A ${kind} field of that name exists, or the field changed since you read it.`,
    );
  }

  /** Every field of the form, in display order (position, then id). */
  async definitions(principal: Principal): Promise<StoredField[]> {
    const { records } = await this.deps.store.listByParent<FieldDefinitionFields>(
      principal.accountId,
      formKey(this.kind),
      { page: 1, perPage: maxCustomFields + defaultFields[this.kind].length, oldestFirst: true },
    );
    const stored = new Map(records.map((record) => [record.ref.id, record]));
    const builtIn = defaultFields[this.kind].map(
      (field) => stored.get(field.id) ?? this.builtInRecord(principal.accountId, field.id),
    );
    const custom = records.filter((record) => !record.fields.default);
    return [...builtIn, ...custom].sort(
      (a, b) => a.fields.position - b.fields.position || a.ref.id - b.ref.id,
    );
  }

  /** The admin view of the form, a page at a time (v2 lists it whole; pages of up to 100 here). */
  async list(principal: Principal, paging: { page: number; perPage: number }) {
    requirePermission(principal, 'admin.fields', `manage ${this.kind} fields`);
    const all = await this.definitions(principal);
    const start = (paging.page - 1) * paging.perPage;
    return {
      records: all.slice(start, start + paging.perPage),
      hasMore: all.length > start + paging.perPage,
    };
  }

  async get(principal: Principal, id: number): Promise<StoredField> {
    requirePermission(principal, 'admin.fields', `manage ${this.kind} fields`);
    return this.find(principal, id);
  }

  async create(principal: Principal, input: CreateFieldInput): Promise<StoredField> {
    requirePermission(principal, 'admin.fields', `manage ${this.kind} fields`);
    const name = fieldNameOf(this.kind, input.label);
    if (!name) {
      throw new ValidationError([
        { field: 'label', message: 'It should contain a letter or a digit', code: 'invalid_value' },
      ]);
    }
    if (defaultFields[this.kind].some((field) => field.name === name)) {
      throw new ConflictError(`The built-in ${this.kind} field ${name} has that name; choose another label.`);
    }
    const existing = await this.definitions(principal);
    if (existing.filter((field) => !field.fields.default).length >= maxCustomFields) {
      throw new ValidationError([
        {
          field: 'type',
          message: `An account has at most ${maxCustomFields} custom ${this.kind} fields`,
          code: 'invalid_value',
        },
      ]);
    }
    const at = this.deps.now().toISOString();
    const lastPosition = Math.max(0, ...existing.map((field) => field.fields.position));
    const record: StoredField = {
      accountId: principal.accountId,
      ref: fieldRef(this.kind, this.customId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        name,
        label: input.label,
        label_for_customers: input.label_for_customers ?? input.label,
        type: input.type,
        default: false,
        position: input.position ?? lastPosition + 1,
        required_for_agents: input.required_for_agents ?? false,
        required_for_customers: input.required_for_customers ?? false,
        customers_can_edit: input.customers_can_edit ?? true,
        displayed_for_customers: input.displayed_for_customers ?? true,
        choices: numberChoices(input.choices ?? [], []),
        hidden_from_roles: input.hidden_from_roles ?? [],
        ...(this.kind !== 'company' && { encrypted: input.encrypted ?? false }),
      },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  async update(
    principal: Principal,
    id: number,
    changes: UpdateFieldInput,
    ifMatch?: string,
  ): Promise<StoredField> {
    requirePermission(principal, 'admin.fields', `manage ${this.kind} fields`);
    const current = await this.find(principal, id);
    this.checkChanges(current, changes);
    const { choices, ...rest } = changes;
    const next: Partial<FieldDefinitionFields> = choices
      ? { ...rest, choices: numberChoices(choices, current.fields.choices) }
      : rest;
    if (current.version > 0) return this.lifecycle.update(principal, current.ref, next, ifMatch);
    // A built-in field an admin changes for the first time: its definition is stored from now on.
    if (ifMatch && ifMatch !== etagOf(current)) {
      throw new ConflictError(`The ${this.kind} field changed since you read it. Read it again and retry.`);
    }
    const at = this.deps.now().toISOString();
    const fields = { ...current.fields, ...next };
    const changed = changedFieldNames(current.fields, fields);
    if (changed.length === 0) return current;
    const record = deriveField(this.kind)({ ...current, version: 1, createdAt: at, updatedAt: at, fields });
    await this.deps.store.create(record, {
      at,
      actor: actorOf(principal),
      operation: 'update',
      record: record.ref,
      changedFields: changed,
    });
    return record;
  }

  async softDelete(principal: Principal, id: number): Promise<void> {
    requirePermission(principal, 'admin.fields', `manage ${this.kind} fields`);
    const current = await this.find(principal, id);
    if (current.fields.default) {
      throw new ValidationError([
        { field: 'id', message: 'A built-in field cannot be deleted', code: 'invalid_value' },
      ]);
    }
    await this.lifecycle.softDelete(principal, current.ref);
  }

  private async find(principal: Principal, id: number): Promise<StoredField> {
    const stored = await this.deps.store.get<FieldDefinitionFields>(
      principal.accountId,
      fieldRef(this.kind, id),
    );
    if (stored && !stored.deletedAt) return stored;
    if (!stored && defaultFields[this.kind].some((field) => field.id === id)) {
      return this.builtInRecord(principal.accountId, id);
    }
    throw new NotFoundError();
  }

  private checkChanges(current: StoredField, changes: UpdateFieldInput): void {
    const { name, type } = current.fields;
    if (changes.choices && !hasChoices(type)) {
      throw new ValidationError([
        {
          field: 'choices',
          message: 'Only a dropdown field and the ticket type have choices',
          code: 'invalid_value',
        },
      ]);
    }
    const builtIn = current.fields.default;
    if (changes.encrypted !== undefined && builtIn) {
      throw new ValidationError([
        { field: 'encrypted', message: 'Only a custom field can be encrypted', code: 'invalid_value' },
      ]);
    }
    if (changes.hidden_from_roles?.length && builtIn && this.kind === 'ticket') {
      throw new ValidationError([
        {
          field: 'hidden_from_roles',
          message: 'Only a custom ticket field can be hidden from roles',
          code: 'invalid_value',
        },
      ]);
    }
    if (changes.hidden_from_roles?.length && alwaysVisibleContactFields.includes(name)) {
      throw new ValidationError([
        {
          field: 'hidden_from_roles',
          message: `The ${name} field identifies the contact and cannot be hidden`,
          code: 'invalid_value',
        },
      ]);
    }
  }

  /** The unchanged definition of a built-in field (version 0: never stored). */
  private builtInRecord(accountId: string, id: number): StoredField {
    const fields = defaultFields[this.kind];
    const index = fields.findIndex((field) => field.id === id);
    return deriveField(this.kind)({
      accountId,
      ref: fieldRef(this.kind, id),
      version: 0,
      createdAt: builtInAt,
      updatedAt: builtInAt,
      fields: defaultDefinition(fields[index]!, index + 1),
      subjects: [],
    });
  }

  /** Custom field ids stay clear of the built-in fields' small ids. */
  private customId(): number {
    let id = this.deps.newId();
    while (id <= 1000) id = this.deps.newId();
    return id;
  }
}

/** Numbers the choices of a dropdown, keeping the ids of values it already had. */
function numberChoices(
  choices: ReadonlyArray<{ value: string; position?: number }>,
  previous: readonly FieldChoice[],
): FieldChoice[] {
  let nextId = Math.max(0, ...previous.map((choice) => choice.id)) + 1;
  return choices.map((choice, index) => ({
    id: previous.find((old) => old.value === choice.value)?.id ?? nextId++,
    value: choice.value,
    position: choice.position ?? index + 1,
  }));
}

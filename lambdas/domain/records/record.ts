/**
 * The shape every stored helpdesk record shares, whatever its type. Field values live in `fields`
 * (Freshdesk v2 snake_case); the envelope carries what the platform needs: version, timestamps,
 * soft deletion, and the people whose personal data the record holds.
 */
export const recordTypes = [
  'contact',
  'agent',
  'company',
  'group',
  'ticket',
  'conversation',
  'satisfaction_rating',
  /** Time an agent logged on a ticket, with its timer (Freshdesk v2 time entries). */
  'time_entry',
  /** An agent watching a ticket: a link between the two, the agent's personal data. */
  'ticket_watch',
  /** A folder of canned responses, and a canned response (v2's reply templates); neither is deleted. */
  'canned_response_folder',
  'canned_response',
  /** What a ticket is about (v2's products); tickets name one by `product_id`. */
  'product',
  'huddle',
  'call',
  'chat',
  'chat_message',
  'forum_category',
  'forum',
  'topic',
  'comment',
  'solution_category',
  'solution_folder',
  'solution_article',
  /** A category's, folder's or article's name and text in another of the account's languages. */
  'solution_category_translation',
  'solution_folder_translation',
  'solution_article_translation',
  'contact_field',
  'ticket_field',
  'company_field',
  'attachment',
  'integration_link',
  'privacy_request',
  'migration',
  /** A custom role: a named permission set (docs/roles-and-sharing.md). */
  'role',
  /** A rule widening or narrowing who sees the tickets of a group. */
  'sharing_rule',
  /** An account's retention rule: which records go to the trash after how long (docs/retention.md). */
  'retention_policy',
  /** Audit entries only: an account's portal-token secret was created or rotated (no values). */
  'portal_secret',
  /** Audit entries only: the account itself was created, suspended, reactivated or its products changed. */
  'account',
  /** Audit entries only: an account's single sign-on settings were set, changed or removed (field names). */
  'sso_settings',
  /** A legal hold on a contact, a ticket or the whole account (docs/legal-holds.md). */
  'legal_hold',
] as const;
export type RecordType = (typeof recordTypes)[number];

export interface RecordRef {
  readonly type: RecordType;
  readonly id: number;
}

/** A data subject: the person erasure and export look records up by. */
export interface SubjectRef {
  readonly kind: 'contact' | 'agent';
  readonly id: number;
}

export interface StoredRecord<F extends object = Record<string, unknown>> {
  readonly accountId: string;
  readonly ref: RecordRef;
  /** Increases by one with every change; updates are conditional on it (ETag). */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Set while the record is soft-deleted (in the trash, restorable). */
  readonly deletedAt?: string;
  /** Set while the record is soft-deleted because its parent was (a ticket's huddle and files): restoring the parent restores it. */
  readonly deletedWith?: RecordRef;
  readonly fields: F;
  /** Every person whose data this record holds. */
  readonly subjects: readonly SubjectRef[];
  /** A parent the record is listed under (e.g. a ticket under its requester). */
  readonly parent?: { readonly key: string };
  /**
   * A second parent to list under (e.g. a ticket under its company), newest first by creation, or by
   * the last change with `byUpdate` (e.g. privacy requests under their type and status).
   */
  readonly secondaryParent?: { readonly key: string; readonly byUpdate?: boolean };
  /** Values that must be unique per account and type (e.g. a contact's e-mail), already normalised. */
  readonly uniqueValues?: Readonly<Record<string, string>>;
  /**
   * Values the record can be looked up by that several records may share (e.g. a contact's phone),
   * already normalised; stored hashed, held only while the record is live.
   */
  readonly lookupValues?: Readonly<Record<string, string>>;
  /**
   * Values the record can be found by their beginning (autocomplete: a company's name, a contact's name
   * and e-mail), normalised with `prefixValueOf`; held only while the record is live. Unlike lookup
   * values they are stored in clear in the key, so that a prefix can be matched.
   */
  readonly prefixValues?: Readonly<Record<string, string>>;
  /**
   * Set once the record lives on as another record (a contact made an agent): it is kept for what
   * refers to it and keeps its unique values, but it is no longer listed nor shown as its own type.
   */
  readonly supersededBy?: RecordRef;
  /**
   * A date the platform must act by (e.g. a privacy request's `due_at`); region-wide watchers find
   * records past it by Query, whatever the account.
   */
  readonly deadline?: Deadline;
}

/** Kinds of deadline the region's watchers look for. */
export const deadlineKinds = [
  'privacy-request-due',
  'trash-purge',
  /** Carried by every enabled retention rule: the region's daily run finds them by Query (docs/retention.md). */
  'retention-rule',
] as const;
export interface Deadline {
  readonly kind: (typeof deadlineKinds)[number];
  /** ISO instant. */
  readonly at: string;
}

/** `purge` ends a trashed record for good; `anonymise` removes an erased agent's data from a contribution. */
export type AuditOperation = 'create' | 'update' | 'delete' | 'restore' | 'purge' | 'anonymise';

/**
 * Who made a change: ids only, never names or e-mail addresses. An `operator` is the SaaS vendor's
 * IAM principal (see lambdas/domain/operators/operator-identity.ts).
 */
export interface Actor {
  readonly type: 'agent' | 'contact' | 'system' | 'operator';
  readonly id: string;
}

/** One audit entry: who, when, which record, which operation, which field names. Never values. */
export interface AuditEntry {
  readonly at: string;
  readonly actor: Actor;
  readonly operation: AuditOperation;
  readonly record: RecordRef;
  readonly changedFields: readonly string[];
}

/** Names of the fields whose values differ between two versions (top level, sorted). */
export function changedFieldNames(before: object, after: object): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const differs = (name: string) =>
    JSON.stringify((before as Record<string, unknown>)[name]) !==
    JSON.stringify((after as Record<string, unknown>)[name]);
  return [...names].filter(differs).sort();
}

/** Strong ETag of a record version, as API clients send it back in If-Match. */
export function etagOf(record: Pick<StoredRecord, 'ref' | 'version'>): string {
  return `"${record.ref.type}-${record.ref.id}-v${record.version}"`;
}

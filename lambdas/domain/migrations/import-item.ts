import type { SourceEntity } from './migration.ts';

/** The record types a migration writes. */
export type ImportKind = 'company' | 'contact' | 'agent' | 'ticket' | 'conversation';

/**
 * The id spaces of source ids: Zendesk users are one space whether end user or agent; our own format
 * keeps contacts and agents apart. A record's id derives from its space and source id (see source-ids).
 */
export type IdSpace =
  'organization' | 'user' | 'comment' | 'company' | 'contact' | 'agent' | 'ticket' | 'conversation';

/** A reference to another imported record by its source id; `kinds` are the record types it may be. */
export interface SourceRef {
  readonly space: IdSpace;
  readonly sourceId: string;
  readonly kinds: readonly ImportKind[];
  /** The source field it came from, for the error report. */
  readonly field: string;
}

/**
 * One source record mapped and validated: Freshdesk v2 fields, with references still as source ids.
 * Chunks of the split files hold these, one JSON line each.
 */
export interface ImportItem {
  readonly entity: SourceEntity;
  readonly line: number;
  readonly kind: ImportKind;
  readonly space: IdSpace;
  readonly sourceId: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly fields: Record<string, unknown>;
  /** Field name → the record it names (e.g. requester_id → a user). */
  readonly refs: Readonly<Record<string, SourceRef>>;
  /** Records written with this one, failing with it (a Zendesk ticket's comments). */
  readonly children?: readonly ImportItem[];
}

/** One line of the error report: where, which record, which field, why. Never a field's value. */
export interface RecordFailure {
  readonly entity: SourceEntity;
  readonly line: number;
  readonly source_id: string | null;
  readonly field: string | null;
  readonly reason: string;
}

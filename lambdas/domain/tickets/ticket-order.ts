import { ValidationError } from '#domain/errors';
import type { StoredRecord } from '#domain/records/record';

/** v2's `order_by` of the ticket list. */
export const ticketOrderFields = ['created_at', 'due_by', 'updated_at', 'status'] as const;
export type TicketOrderField = (typeof ticketOrderFields)[number];
/** v2's `order_type`: descending unless asked otherwise. */
export const orderTypes = ['asc', 'desc'] as const;
export type OrderType = (typeof orderTypes)[number];

/**
 * How a ticket list is read in an order (docs/api.md, "Ordering tickets"):
 * - `collection`: the account's collection index (last change), where the trash and `updated_since`
 *   are key conditions;
 * - `parent`: the requester's or company's index (creation);
 * - `range`: search's range lookup items of the field, 8 shards merged (live tickets only); `due_by`
 *   with the tickets that have none (after the others descending, before them ascending).
 * Filters the source does not hold in its keys are tested on each record as the list is read.
 */
export type TicketListSource<P> =
  | { readonly kind: 'collection' }
  | { readonly kind: 'parent'; readonly parent: P }
  | { readonly kind: 'range'; readonly field: 'created_at' | 'due_by' | 'status' };

/**
 * The source of a list in `orderBy` (none given: by last change for the account's list and the trash,
 * by creation under a requester or company, as before `order_by` existed). Deleted tickets hold no
 * range lookups and their parents' lists leave them out, so the trash is listed by last change only (a
 * requester's or company's deleted tickets too, tested as read): any other `order_by` is a 400.
 */
export function ticketListSource<P>(
  orderBy: TicketOrderField | undefined,
  context: { readonly parent?: P; readonly trash: boolean },
): TicketListSource<P> {
  const { parent, trash } = context;
  const field = orderBy ?? (parent !== undefined && !trash ? 'created_at' : 'updated_at');
  if (trash && field !== 'updated_at') {
    throw new ValidationError([
      {
        field: 'order_by',
        code: 'invalid_value',
        message: "Deleted tickets are listed by 'updated_at' only.",
      },
    ]);
  }
  if (field === 'updated_at') return { kind: 'collection' };
  if (field === 'created_at' && parent !== undefined) return { kind: 'parent', parent };
  return { kind: 'range', field };
}

/** Records updated at or after an instant (`updated_since` where the index does not hold it in its keys). */
export const updatedSince =
  (since: string | undefined) =>
  (record: StoredRecord<object>): boolean =>
    since === undefined || Date.parse(record.updatedAt) >= Date.parse(since);

import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { RecordRef, StoredRecord } from '#domain/records/record';

/** What a legal hold covers: one contact (and everything holding their data), one ticket, or the account. */
export const holdTargetTypes = ['contact', 'ticket', 'account'] as const;
export type HoldTargetType = (typeof holdTargetTypes)[number];

/** A held contact or ticket by id, or the whole account. */
export type HoldTarget =
  { readonly type: 'account' } | { readonly type: 'contact' | 'ticket'; readonly id: number };

/**
 * A legal hold. `reason` is free text an admin writes: treated as possibly personal (never logged nor
 * audited). After `ends_at` (if set) or once released, the hold no longer holds.
 */
export interface LegalHoldFields {
  target_type: HoldTargetType;
  target_id: number | null;
  reason: string;
  ends_at: string | null;
  placed_by: number;
  released_at: string | null;
  released_by: number | null;
}

export type StoredLegalHold = StoredRecord<LegalHoldFields>;

export const legalHoldRef = (id: number): RecordRef => ({ type: 'legal_hold', id });

/** The unique value a hold in force claims: one hold per target, found by one GetItem. */
export const holdTargetKey = (target: HoldTarget) =>
  target.type === 'account' ? 'account' : `${target.type}:${target.id}`;
export const holdTargetClaim = 'target';

export const targetOfHold = (fields: LegalHoldFields): HoldTarget =>
  fields.target_type === 'account'
    ? { type: 'account' }
    : { type: fields.target_type, id: fields.target_id ?? 0 };

export const createLegalHoldSchema = z
  .object({
    target_type: z.enum(holdTargetTypes),
    target_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    reason: z.string().trim().min(1, 'It should not be blank').max(2_000),
    ends_at: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict()
  .superRefine((hold, context) => {
    if (hold.target_type === 'account' && hold.target_id !== undefined) {
      context.addIssue({ code: 'custom', path: ['target_id'], message: 'A hold on the account has no id' });
    }
    if (hold.target_type !== 'account' && hold.target_id === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['target_id'],
        message: `A hold on a ${hold.target_type} needs its id`,
      });
    }
  });
export type CreateLegalHold = z.infer<typeof createLegalHoldSchema>;

/** Whether the hold holds at `at`: not released and not past its end date. */
export const holdsAt = (hold: StoredLegalHold, at: Date) =>
  !hold.deletedAt &&
  hold.fields.released_at === null &&
  (hold.fields.ends_at === null || Date.parse(hold.fields.ends_at) > at.getTime());

/**
 * A hold claims its target while it is not released: a second hold on it is a conflict. A hold past
 * its end date still claims it until a new hold on the target releases it. No subject links: the hold
 * names a contact by id only, and an erasure of that contact must not take the hold with it.
 */
export const deriveLegalHold = (record: StoredLegalHold): StoredLegalHold => ({
  ...record,
  subjects: [],
  uniqueValues:
    record.fields.released_at === null
      ? { [holdTargetClaim]: holdTargetKey(targetOfHold(record.fields)) }
      : {},
});

export type HoldStatus = 'active' | 'ended' | 'released';

export const holdStatus = (hold: StoredLegalHold, at: Date): HoldStatus =>
  hold.fields.released_at !== null ? 'released' : holdsAt(hold, at) ? 'active' : 'ended';

export const legalHoldViewSchema = recordViewSchema({
  target_type: z.enum(holdTargetTypes),
  target_id: z.number().int().nullable(),
  reason: z.string(),
  ends_at: z.string().nullable(),
  placed_by: z.number().int(),
  released_at: z.string().nullable(),
  released_by: z.number().int().nullable(),
  status: z.enum(['active', 'ended', 'released']),
});
export function legalHoldView(hold: StoredLegalHold, at: Date): z.infer<typeof legalHoldViewSchema> {
  return {
    id: hold.ref.id,
    ...hold.fields,
    status: holdStatus(hold, at),
    created_at: hold.createdAt,
    updated_at: hold.updatedAt,
  };
}

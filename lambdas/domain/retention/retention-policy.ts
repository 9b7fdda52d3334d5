import { recordViewShape } from '#domain/records/record-view-schema';
import { z } from 'zod';
import { ValidationError } from '#domain/errors';
import { addCalendarMonths } from '#domain/privacy/due-date';
import type { RecordRef, StoredRecord } from '#domain/records/record';

/** Limits on a rule's age (docs/retention.md): months 1 to 120 (ten years), days 1 to 3,650. */
export const retentionLimits = { months: { min: 1, max: 120 }, days: { min: 1, max: 3650 } } as const;

/**
 * What a rule sends to the trash: `closed_tickets` closed tickets not changed for `months`; `calls`
 * calls (with their recordings) and `chats` chats (with their messages) older than `days`;
 * `inactive_contacts` contacts with no ticket, call or chat (and no change of their own) for `months`,
 * each through a soft erasure request.
 */
export const retentionRuleKinds = ['closed_tickets', 'calls', 'chats', 'inactive_contacts'] as const;
export type RetentionRuleKind = (typeof retentionRuleKinds)[number];

/** Which age unit each kind takes; the other must be absent. */
const unitOf: Readonly<Record<RetentionRuleKind, 'months' | 'days'>> = {
  closed_tickets: 'months',
  calls: 'days',
  chats: 'days',
  inactive_contacts: 'months',
};

export const retentionPolicyFieldsSchema = z
  .object({
    name: z.string().trim().min(1, 'It should not be blank').max(255),
    rule: z.enum(retentionRuleKinds),
    months: z.number().int().min(retentionLimits.months.min).max(retentionLimits.months.max).nullable(),
    days: z.number().int().min(retentionLimits.days.min).max(retentionLimits.days.max).nullable(),
    enabled: z.boolean(),
  })
  .strict();

export type RetentionPolicyFields = z.infer<typeof retentionPolicyFieldsSchema>;
export type StoredRetentionPolicy = StoredRecord<RetentionPolicyFields>;

export const createRetentionPolicySchema = retentionPolicyFieldsSchema
  .partial()
  .required({ name: true, rule: true })
  .strict();
export const updateRetentionPolicySchema = retentionPolicyFieldsSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

export const retentionPolicyRef = (id: number): RecordRef => ({ type: 'retention_policy', id });

/** 400 naming the field unless the rule has the age its kind takes, and not the other. */
export function checkRetentionRule(fields: RetentionPolicyFields): void {
  const unit = unitOf[fields.rule];
  const other = unit === 'months' ? 'days' : 'months';
  const problems = [];
  if (fields[unit] === null) {
    problems.push({ field: unit, message: `A ${fields.rule} rule needs this field`, code: 'missing_field' });
  }
  if (fields[other] !== null) {
    problems.push({
      field: other,
      message: `A ${fields.rule} rule takes ${unit}, not ${other}`,
      code: 'invalid_value',
    });
  }
  if (problems.length) throw new ValidationError(problems);
}

/**
 * The instant before which a record is old enough for the rule: `months` calendar months (UTC, clamped
 * to the month's end) or `days` × 24 hours before `now`.
 */
export function retentionCutoff(fields: Pick<RetentionPolicyFields, 'months' | 'days'>, now: Date): Date {
  if (fields.months !== null) return addCalendarMonths(now, -fields.months);
  return new Date(now.getTime() - (fields.days ?? 0) * 86_400_000);
}

/** An enabled rule carries the deadline the region's daily run finds it by (a sparse index); a disabled one none. */
export function deriveRetentionPolicy(record: StoredRetentionPolicy): StoredRetentionPolicy {
  const { deadline: _deadline, ...rest } = record;
  return {
    ...rest,
    subjects: [],
    ...(record.fields.enabled && { deadline: { kind: 'retention-rule', at: record.createdAt } }),
  };
}

export const retentionPolicyViewSchema = retentionPolicyFieldsSchema.extend(recordViewShape);
export function retentionPolicyView(
  record: StoredRetentionPolicy,
): z.infer<typeof retentionPolicyViewSchema> {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}

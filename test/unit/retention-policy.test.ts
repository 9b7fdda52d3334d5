import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import { matchesRetentionRule } from '../../lambdas/domain/retention/retention-matches.ts';
import {
  checkRetentionRule,
  createRetentionPolicySchema,
  deriveRetentionPolicy,
  type RetentionPolicyFields,
  retentionCutoff,
  type StoredRetentionPolicy,
} from '../../lambdas/domain/retention/retention-policy.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';

const fieldsOf = (problem: unknown) =>
  problem instanceof ValidationError ? problem.errors.map((error) => error.field) : [];
const rule = (fields: Partial<RetentionPolicyFields>): RetentionPolicyFields => ({
  name: 'r',
  rule: 'calls',
  months: null,
  days: null,
  enabled: true,
  ...fields,
});
const record = (fields: object, at: { createdAt: string; updatedAt: string }, deletedAt?: string) =>
  ({
    accountId: 'a',
    ref: { type: 'ticket', id: 1 },
    version: 1,
    fields,
    subjects: [],
    ...at,
    ...(deletedAt && { deletedAt }),
  }) as StoredRecord<object>;

describe('retention rules', () => {
  it.each([
    [{ months: 0 }, 'months'],
    [{ months: 121 }, 'months'],
    [{ days: 0 }, 'days'],
    [{ days: 3651 }, 'days'],
    [{ days: 1.5 }, 'days'],
    [{ rule: 'contacts' }, 'rule'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ colour: 'red' }, ''],
  ])('refuses %j, naming %s', (body, field) => {
    // Act
    const parsed = createRetentionPolicySchema.safeParse({ name: 'n', rule: 'calls', ...body });

    // Assess
    expect(parsed.success).toBe(false);
    if (field) expect(parsed.error?.issues.map((issue) => issue.path[0])).toContain(field);
  });

  it('takes the limits themselves: months 1 to 120, days 1 to 3650', () => {
    for (const body of [{ months: 1 }, { months: 120 }, { days: 1 }, { days: 3650 }]) {
      expect(createRetentionPolicySchema.safeParse({ name: 'n', rule: 'calls', ...body }).success).toBe(true);
    }
  });

  it('wants months for closed tickets and days for calls and chats, naming the field', () => {
    // Act
    const problems = [
      rule({ rule: 'closed_tickets', days: 30 }),
      rule({ rule: 'calls' }),
      rule({ rule: 'chats', days: 3, months: 2 }),
    ].map((fields) => {
      try {
        checkRetentionRule(fields);
        return [];
      } catch (error) {
        return fieldsOf(error);
      }
    });

    // Assess
    expect(problems).toEqual([['months', 'days'], ['days'], ['months']]);
    expect(() => checkRetentionRule(rule({ rule: 'closed_tickets', months: 6 }))).not.toThrow();
  });

  it('counts months on the calendar (clamped to the month end) and days as 24 hours', () => {
    const now = new Date('2026-05-31T12:00:00.000Z');
    expect(retentionCutoff({ months: 3, days: null }, now).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(retentionCutoff({ months: null, days: 10 }, now).toISOString()).toBe('2026-05-21T12:00:00.000Z');
  });

  it('gives only an enabled rule the deadline the daily run finds it by', () => {
    // Prepare
    const stored = (enabled: boolean) =>
      ({
        accountId: 'a',
        ref: { type: 'retention_policy', id: 3 },
        version: 1,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-02T00:00:00.000Z',
        fields: rule({ days: 5, enabled }),
        subjects: [],
        deadline: { kind: 'retention-rule', at: '2026-01-01T00:00:00.000Z' },
      }) as StoredRetentionPolicy;

    // Assess
    expect(deriveRetentionPolicy(stored(true)).deadline).toEqual({
      kind: 'retention-rule',
      at: '2026-01-01T00:00:00.000Z',
    });
    expect(deriveRetentionPolicy(stored(false)).deadline).toBeUndefined();
  });

  it('matches closed tickets unchanged since the cutoff, and calls or chats created and changed before it', () => {
    // Prepare
    const cutoff = '2026-03-01T00:00:00.000Z';
    const old = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z' };
    const touched = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-03-02T00:00:00.000Z' };

    // Assess
    expect(matchesRetentionRule('closed_tickets', record({ status: 5 }, old), cutoff)).toBe(true);
    expect(matchesRetentionRule('closed_tickets', record({ status: 4 }, old), cutoff)).toBe(false);
    expect(matchesRetentionRule('closed_tickets', record({ status: 5 }, touched), cutoff)).toBe(false);
    expect(matchesRetentionRule('calls', record({}, old), cutoff)).toBe(true);
    expect(matchesRetentionRule('chats', record({}, touched), cutoff)).toBe(false);
    expect(matchesRetentionRule('calls', record({}, old, '2026-02-02T00:00:00.000Z'), cutoff)).toBe(false);
  });
});

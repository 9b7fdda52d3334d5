import { describe, expect, it } from 'vitest';
import { addCalendarMonths, subjectRequestDueAt } from '../../lambdas/domain/privacy/due-date.ts';
import { retention } from '../../lib/residency/index.ts';

describe('due date of a data subject request', () => {
  it.each([
    ['2026-01-15T10:30:00.000Z', '2026-02-15T10:30:00.000Z'],
    ['2026-01-31T23:59:59.999Z', '2026-02-28T23:59:59.999Z'],
    ['2028-01-31T08:00:00.000Z', '2028-02-29T08:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', '2026-04-30T00:00:00.000Z'],
    ['2026-08-31T12:00:00.000Z', '2026-09-30T12:00:00.000Z'],
    ['2026-12-31T18:00:00.000Z', '2027-01-31T18:00:00.000Z'],
    ['2026-02-28T09:00:00.000Z', '2026-03-28T09:00:00.000Z'],
  ])('received %s is due %s (one calendar month, clamped to the month end)', (received, due) => {
    expect(subjectRequestDueAt(new Date(received)).toISOString()).toBe(due);
  });

  it('answers within the catalogue month (GDPR Art. 12(3))', () => {
    expect(retention.subjectRequestMonths).toBe(1);
    expect(addCalendarMonths(new Date('2026-11-30T00:00:00Z'), 3).toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });
});

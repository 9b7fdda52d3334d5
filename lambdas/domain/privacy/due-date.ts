import { retention } from '#lib/residency/index';

/**
 * `months` calendar months after `from` (UTC), keeping the time of day. A day the target month does
 * not have becomes its last day: 31 January plus one month is 28 (or 29) February, not 3 March.
 */
export function addCalendarMonths(from: Date, months: number): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(from.getUTCDate(), lastDay),
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
}

/** When a data subject's request received at `receivedAt` must be answered (GDPR Art. 12(3)). */
export const subjectRequestDueAt = (receivedAt: Date): Date =>
  addCalendarMonths(receivedAt, retention.subjectRequestMonths);

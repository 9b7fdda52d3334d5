import { type Hold, type HeldRecords, holdCovering, type RecordToCheck } from '#domain/holds/held-records';
import type { HoldTarget } from '#domain/holds/legal-hold';
import type { SubjectRef } from '#domain/records/record';

/** What an erasure kept under one hold: the hold, what it covers, and the records per type. */
export interface HeldUnder {
  readonly target: HoldTarget;
  readonly counts: Record<string, number>;
}

/**
 * The legal holds an erasure (or its preview) respects, asked once per page: the account's and the
 * subject's (a held contact keeps everything of theirs), then per record the ticket it belongs to
 * and the contacts it holds data of.
 */
export class ErasureHolds {
  private constructor(
    private readonly holds: HeldRecords,
    private readonly accountId: string,
    private readonly at: Date,
    private readonly whole: Hold | undefined,
    /** The subject contact, asked about once (not held, or `whole` says so). */
    private readonly subjectContact: number | undefined,
  ) {}

  static async of(holds: HeldRecords, accountId: string, subject: SubjectRef, at: Date) {
    const whole =
      (await holds.accountHold(accountId, at)) ??
      (subject.kind === 'contact'
        ? await holds.heldBy(accountId, { type: 'contact', id: subject.id }, at)
        : undefined);
    return new ErasureHolds(holds, accountId, at, whole, subject.kind === 'contact' ? subject.id : undefined);
  }

  /** The hold covering the record (as stored, or by its ref alone when it is gone), if any. */
  async holdOf(record: RecordToCheck): Promise<Hold | undefined> {
    return (
      this.whole ??
      holdCovering(this.holds, this.accountId, record, this.at, {
        skipAccount: true,
        skipContact: this.subjectContact,
      })
    );
  }
}

/** Counts one held record under its hold. */
export function countHeld(held: Record<string, HeldUnder>, hold: Hold, type: string): void {
  const under = (held[String(hold.id)] ??= { target: hold.target, counts: {} });
  under.counts[type] = (under.counts[type] ?? 0) + 1;
}

/** The certificate's (and the preview's) account of held records: counts per type, and per hold. */
export function heldSummary(held: Record<string, HeldUnder>) {
  const counts: Record<string, number> = {};
  const holds = Object.entries(held)
    .map(([id, under]) => {
      for (const [type, count] of Object.entries(under.counts)) counts[type] = (counts[type] ?? 0) + count;
      return {
        hold_id: Number(id),
        target_type: under.target.type,
        target_id: under.target.type === 'account' ? null : under.target.id,
        counts: sortedCounts(under.counts),
      };
    })
    .sort((a, b) => a.hold_id - b.hold_id);
  return { counts: sortedCounts(counts), holds };
}

export const sortedCounts = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));

/** Merges page results' held records into one account. */
export function mergeHeld(into: Record<string, HeldUnder>, page: Record<string, HeldUnder> | undefined) {
  for (const [id, under] of Object.entries(page ?? {})) {
    const merged = (into[id] ??= { target: under.target, counts: {} });
    for (const [type, count] of Object.entries(under.counts))
      merged.counts[type] = (merged.counts[type] ?? 0) + count;
  }
}

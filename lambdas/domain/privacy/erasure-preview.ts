import { z } from 'zod';
import { ConflictError } from '#domain/errors';
import type { HeldRecords } from '#domain/holds/held-records';
import type { SubjectRef } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import { mapBounded } from './bounded.ts';
import { objectsHeldBy } from './erasure-objects.ts';
import { countHeld, ErasureHolds, type HeldUnder, heldSummary, sortedCounts } from './erasure-holds.ts';
import { erasureWorkSources, isAgentsOwn, recordOfWork } from './erasure-plan.ts';
import type { ErasureStore } from './erasure-store.ts';
import type { StoredPrivacyRequest } from './privacy-request.ts';

/** A preview is of an erasure: an export removes nothing. */
const counts = z.record(z.string(), z.number().int());
/** What GET /api/v2/privacy/requests/{id}/preview answers. */
export const erasurePreviewSchema = z.strictObject({
  request_id: z.number().int(),
  mode: z.enum(['soft', 'permanent']),
  status: z.string(),
  computed_at: z.string(),
  counts: z.strictObject({ remove: counts, anonymise: counts, files: z.number().int() }),
  held: z.strictObject({
    counts,
    holds: z.array(
      z.strictObject({
        hold_id: z.number().int(),
        target_type: z.enum(['contact', 'ticket', 'account']),
        target_id: z.number().int().nullable(),
        counts,
      }),
    ),
  }),
});

export class NotAnErasureError extends ConflictError {
  constructor() {
    super('Only an erasure request has a preview.');
    this.name = 'NotAnErasureError';
  }
}

/**
 * What an erasure request would do if it ran now, counted per record type, nothing changed: the
 * records it would remove (delete, or move to the trash when soft; and an earlier soft erasure's
 * trash a permanent one purges), the contributions it would anonymise (an agent's), the records a
 * legal hold keeps, and the stored files the removed records reference. Works through the erasure's
 * own plan (Queries over the subject's links), reading each record once: cost follows the subject.
 */
export class ErasurePreview {
  constructor(
    private readonly deps: {
      store: RecordStore;
      erasure: Pick<ErasureStore, 'trashPage' | 'trashed'>;
      holds: HeldRecords;
      now: () => Date;
      /** Work items read at once. @default 500 */
      pageSize?: number;
    },
  ) {}

  async of(request: StoredPrivacyRequest): Promise<z.infer<typeof erasurePreviewSchema>> {
    if (request.fields.type !== 'erasure') throw new NotAnErasureError();
    const { accountId } = request;
    const subject: SubjectRef = { kind: request.fields.subject_type, id: request.fields.subject_id };
    const at = this.deps.now();
    const holds = await ErasureHolds.of(this.deps.holds, accountId, subject, at);
    const remove: Record<string, number> = {};
    const anonymise: Record<string, number> = {};
    const held: Record<string, HeldUnder> = {};
    let files = 0;
    const sources = await erasureWorkSources(this.deps, request, 'erase', this.deps.pageSize ?? 500);
    for (const source of sources) {
      let cursor: string | undefined;
      do {
        const page = await source(cursor);
        await mapBounded(page.items, 16, async (item) => {
          const record = await recordOfWork(this.deps, accountId, item);
          const hold = await holds.holdOf(record ?? { ref: item });
          if (hold) return countHeld(held, hold, item.type);
          if (!record) return;
          const contribution =
            item.anonymised ??
            (subject.kind === 'agent' && item.trashOf === undefined && !isAgentsOwn(subject.id, item));
          if (contribution) {
            anonymise[item.type] = (anonymise[item.type] ?? 0) + 1;
            return;
          }
          remove[item.type] = (remove[item.type] ?? 0) + 1;
          files += objectsHeldBy(record).length;
        });
        cursor = page.cursor;
      } while (cursor);
    }
    return {
      request_id: request.ref.id,
      mode: request.fields.mode ?? 'permanent',
      status: request.fields.status,
      computed_at: at.toISOString(),
      counts: { remove: sortedCounts(remove), anonymise: sortedCounts(anonymise), files },
      held: heldSummary(held),
    };
  }
}

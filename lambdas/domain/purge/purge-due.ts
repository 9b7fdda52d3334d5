import { retention } from '#lib/residency/index';

const dayMs = 24 * 60 * 60 * 1000;

/** The deadline kind of the region's deadlines index (gsi4) under which soft-deleted records wait. */
export const recordPurgeDeadline = 'record-purge';

/** When a record soft-deleted at `deletedAt` (ISO) is due for the purge: `trashDays` (60) days later. */
export const purgeDueAt = (deletedAt: string): string =>
  new Date(Date.parse(deletedAt) + retention.trashDays * dayMs).toISOString();

/** Whether a record soft-deleted at `deletedAt` may be purged at `now` (never a moment early). */
export const isPurgeDue = (deletedAt: string, now: string): boolean => purgeDueAt(deletedAt) <= now;

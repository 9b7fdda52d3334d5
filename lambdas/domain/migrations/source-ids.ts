import { createHash } from 'node:crypto';
import type { IdSpace } from './import-item.ts';
import type { MigrationSource } from './migration.ts';

/** Imported ids start here: far above any per-account ticket number, below 2^48 like every record id. */
const importedIdFloor = 2 ** 40;
const importedIdRange = 2 ** 48 - importedIdFloor;

/**
 * The record id of an imported record: a hash of the account, the source system, the id space and the
 * source id. The same source record always lands on the same id, in whichever migration or run it
 * comes, so importing it again finds it there instead of making a duplicate.
 */
export function importedRecordId(
  accountId: string,
  source: MigrationSource,
  space: IdSpace,
  sourceId: string,
): number {
  const digest = createHash('sha256')
    .update(`${accountId}\u0000${source}\u0000${space}\u0000${sourceId}`)
    .digest();
  return importedIdFloor + (digest.readUIntBE(0, 6) % importedIdRange);
}

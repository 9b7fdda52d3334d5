import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mapBounded } from '#domain/privacy/bounded';
import type { ImportOutcome } from '#domain/records/record-store';
import type { AuditEntry, RecordRef, RecordType, StoredRecord } from '#domain/records/record';
import { DynamoBatches, type Wait } from './dynamo-batches.ts';
import { RECORD_SK, recordPk } from './record-keys.ts';
import { type LookupKeys, lookupHasherFor } from '#domain/encryption/lookup-hasher';
import { lookupKeysOf } from './kms-lookup-keys.ts';
import type { RecordSealer } from '#domain/encryption/record-sealer';
import { sealerBeside } from './record-sealing.ts';
import { heldUniqueValues, RecordIndexItems, type TransactItem } from './record-items.ts';

/** DynamoDB's limits on one transaction (100 items, 4 MB), kept with room for the request's framing. */
const maxTransactionItems = 100;
const maxTransactionChars = 3_000_000;

interface Pending {
  readonly record: StoredRecord<object>;
  readonly items: TransactItem[];
}

const keyOf = (ref: RecordRef) => `${ref.type}#${ref.id}`;

export interface RecordImportOptions {
  /** Requests in flight at once per call (reads, batches, transactions). */
  readonly concurrency?: number;
  /** Waits between attempts (tests: none). */
  readonly wait?: Wait;
  /** The accounts' lookup keys (by default the table region's: `lookupKeysOf`). */
  readonly lookupKeys?: LookupKeys;
  /** Seals imported records' personal fields (by default under the table region's subject keys). */
  readonly sealer?: RecordSealer;
}

/**
 * The write path of imports (migrations): many new records at once, each with its subject links,
 * lookups, claims and audit entry, none overwriting a record already there.
 *
 * Records already stored are found first (one consistent BatchGetItem per 100) and left alone. A record
 * holding unique values (a contact's e-mail, a company's name) is written whole in a transaction, whose
 * claims settle who holds the value. Every other record (tickets and conversations: the bulk) is written
 * in two phases by BatchWriteItem: first every companion item (subject links, lookups, audit entries),
 * then the record items. A record becomes readable when its record item lands, after its companions, so
 * no reader sees a record without its subject links; a write cut short between the phases leaves
 * companions of records that do not exist (readers skip such links), which the next run completes: ids,
 * keys and the chunk's clock are deterministic, so writing again puts the same items.
 */
export class DynamoRecordImport {
  private readonly index: RecordIndexItems;
  private readonly batches: DynamoBatches;
  private readonly concurrency: number;
  private readonly wait: Wait;
  private readonly lookupKeys: LookupKeys;
  private readonly sealer: RecordSealer;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    tableName: string,
    options: RecordImportOptions = {},
  ) {
    this.index = new RecordIndexItems(tableName);
    this.lookupKeys = options.lookupKeys ?? lookupKeysOf(client, tableName);
    this.sealer = options.sealer ?? sealerBeside(client, tableName);
    this.concurrency = options.concurrency ?? 4;
    this.wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.batches = new DynamoBatches(client, tableName, this.concurrency, this.wait);
  }

  async importRecords(
    entries: ReadonlyArray<{ record: StoredRecord<object>; audit: AuditEntry }>,
    importedBy: string,
  ): Promise<ImportOutcome[]> {
    const outcomes = new Map<string, ImportOutcome>();
    const accountId = entries[0]?.record.accountId ?? '';
    const stored = await this.batches.get(
      entries.map(({ record }) => ({ pk: recordPk(accountId, record.ref), sk: RECORD_SK })),
      'record_type, record_id, imported_by',
    );
    for (const item of stored) {
      const ref = { type: item.record_type as RecordType, id: item.record_id as number };
      outcomes.set(keyOf(ref), {
        ref,
        result: 'existed',
        importedBy: item.imported_by as string | undefined,
      });
    }
    if (entries.length === 0) return [];
    const hasher = await lookupHasherFor(this.lookupKeys, accountId);
    // Imported records are sealed as any record is written (docs/encryption.md).
    const pending: Pending[] = await Promise.all(
      entries
        .filter(({ record }) => !outcomes.has(keyOf(record.ref)))
        .map(async ({ record, audit }) => {
          const { fields } = await this.sealer.seal(record);
          return {
            record,
            items: this.index.creation(record, audit, hasher, { fields, imported_by: importedBy }),
          };
        }),
    );
    const claiming = pending.filter(({ record }) => Object.keys(heldUniqueValues(record)).length > 0);
    const plain = pending.filter(({ record }) => Object.keys(heldUniqueValues(record)).length === 0);
    await Promise.all([this.writeInPhases(plain, outcomes), this.writeInTransactions(claiming, outcomes)]);
    return entries.map(({ record }) => outcomes.get(keyOf(record.ref)) as ImportOutcome);
  }

  /**
   * Records without unique values: every companion first, then the record items, by BatchWriteItem
   * (which takes no conditions). The pre-check found none of these records. Between it and the record
   * phase only another import chunk could store one of them (only imports write ids derived from
   * source ids; an API create never overwrites, and a random API id of the same account colliding within
   * those seconds is a 2^-48 chance), and that chunk writes the same source record: the import itself
   * never overwrites a record that was there before it began, edited or not.
   */
  private async writeInPhases(records: readonly Pending[], outcomes: Map<string, ImportOutcome>) {
    if (records.length === 0) return;
    const itemOf = (part: TransactItem) => part.Put?.Item as Record<string, unknown>;
    await this.batches.put(records.flatMap(({ items }) => items.slice(1).map(itemOf)));
    await this.batches.put(records.map(({ items }) => itemOf(items[0] as TransactItem)));
    for (const { record } of records) outcomes.set(keyOf(record.ref), { ref: record.ref, result: 'created' });
  }

  /** Whole records per transaction, as many as DynamoDB's limits allow, a few transactions in flight. */
  private async writeInTransactions(records: readonly Pending[], outcomes: Map<string, ImportOutcome>) {
    const packs: Pending[][] = [];
    let pack: Pending[] = [];
    let packItems = 0;
    let packChars = 0;
    for (const entry of records) {
      const chars = JSON.stringify(entry.items).length;
      if (
        pack.length &&
        (packItems + entry.items.length > maxTransactionItems || packChars + chars > maxTransactionChars)
      ) {
        packs.push(pack);
        pack = [];
        packItems = 0;
        packChars = 0;
      }
      pack.push(entry);
      packItems += entry.items.length;
      packChars += chars;
    }
    if (pack.length) packs.push(pack);
    await mapBounded(packs, this.concurrency, (records) => this.writePack(records, outcomes));
  }

  /**
   * Writes a pack of records in one transaction. When it is cancelled, the records whose conditions
   * failed are settled (their id taken: existed; a unique value taken: conflict) and the others are
   * written again; a pack DynamoDB refuses as a whole is written record by record to find the culprit.
   */
  private async writePack(records: Pending[], outcomes: Map<string, ImportOutcome>): Promise<void> {
    let remaining = records;
    for (let attempt = 0; remaining.length > 0; attempt++) {
      try {
        await this.client.send(
          new TransactWriteCommand({ TransactItems: remaining.flatMap((entry) => entry.items) }),
        );
        for (const { record } of remaining)
          outcomes.set(keyOf(record.ref), { ref: record.ref, result: 'created' });
        return;
      } catch (error) {
        const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
        if (!reasons) {
          if ((error as Error).name !== 'ValidationException') throw error;
          if (remaining.length === 1) {
            const ref = (remaining[0] as Pending).record.ref;
            outcomes.set(keyOf(ref), { ref, result: 'rejected' });
            return;
          }
          for (const entry of remaining) await this.writePack([entry], outcomes);
          return;
        }
        if (attempt >= 8) throw error;
        const next: Pending[] = [];
        let offset = 0;
        for (const entry of remaining) {
          const own = reasons.slice(offset, offset + entry.items.length);
          offset += entry.items.length;
          const failedAt = own.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
          if (failedAt < 0) {
            next.push(entry);
            continue;
          }
          // The record put comes first and the audit entry last; anything between is a unique claim.
          const ref = entry.record.ref;
          if (failedAt === 0 || failedAt === entry.items.length - 1) {
            const [item] = await this.batches.get(
              [{ pk: recordPk(entry.record.accountId, ref), sk: RECORD_SK }],
              'imported_by',
            );
            outcomes.set(keyOf(ref), {
              ref,
              result: 'existed',
              importedBy: item?.imported_by as string | undefined,
            });
          } else outcomes.set(keyOf(ref), { ref, result: 'conflict' });
        }
        // Contention only (no condition failed): wait a little before the same pack goes again.
        if (next.length === remaining.length) await this.wait(20 * 2 ** attempt);
        remaining = next;
      }
    }
  }
}

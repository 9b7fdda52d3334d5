import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LookupHasher } from '../lambdas/domain/encryption/lookup-hasher.ts';
import { DynamoRecordStore } from '../lambdas/adapters/dynamo-record-store.ts';
import { RecordIndexItems, toItem } from '../lambdas/adapters/record-items.ts';
import type { Principal } from '../lambdas/domain/account.ts';
import type { StoredRecord } from '../lambdas/domain/records/record.ts';
import { SearchService } from '../lambdas/domain/search/search-service.ts';
import { withBenchEmulators, writeItems } from './bench-emulators.ts';
import { measurePair, printComparison } from './measure.ts';
import { describeTally, tallyRequests } from './request-tally.ts';

const at = '2026-01-01T10:00:00.000Z';
/** How the seeded tickets spread: 200 agents, 50 groups, the four priorities and statuses. */
const agents = 200;
const groups = 50;
export const benchQuery = '"agent_id:7 AND group_id:3 AND priority:3"';

/** A ticket as the store writes it: its record item and its lookup items (the same code builds them). */
export function ticketItems(accountId: string, id: number, hasher: LookupHasher): object[] {
  const record: StoredRecord<object> = {
    accountId,
    ref: { type: 'ticket', id },
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields: {
      subject: `Ticket ${id}`,
      description: 'x'.repeat(200),
      requester_id: 1,
      responder_id: 1 + (id % agents),
      group_id: 1 + (Math.floor(id / agents) % groups),
      priority: 1 + (id % 4),
      status: 2 + (Math.floor(id / 4) % 4),
      tags: id % 10 === 0 ? ['vip'] : [],
      type: null,
      due_by: null,
      fr_due_by: null,
      custom_fields: {},
    },
    subjects: [],
  };
  const lookups = new RecordIndexItems('bench').companionsOf(record, 'put', hasher);
  return [toItem(record, hasher), ...lookups.flatMap((part) => (part.Put ? [part.Put.Item as object] : []))];
}

/**
 * Filter search against a plain list (issue 16: search p50 for a three-term query over an account of
 * `size` tickets at most 3× the p50 of a 30-item list, same run). Calls the search service and the
 * list of the store in this process against DynamoDB Local, seeded with the items the store writes.
 */
export async function runSearchBench(size: number): Promise<void> {
  await withBenchEmulators('eea', async ({ dynamo, names }) => {
    const store = new DynamoRecordStore(dynamo, names.table);
    const search = new SearchService({ store, now: () => new Date(at), newId: () => 0 });
    const accountId = randomUUID();
    const principal: Principal = { accountId, agentId: 1, role: 'admin' };

    console.log(`\nFilter search over ${size} tickets (DynamoDB Local)`);
    const seeded = performance.now();
    const hasher = await store.hasherFor(accountId);
    for (let from = 1; from <= size; from += 1_000) {
      const ids = Array.from({ length: Math.min(1_000, size - from + 1) }, (_, i) => from + i);
      await writeItems(
        dynamo,
        names.table,
        ids.flatMap((id) => ticketItems(accountId, id, hasher)),
      );
    }
    console.log(`  seeded in ${((performance.now() - seeded) / 1000).toFixed(0)} s`);

    const found = await search.search(principal, 'tickets', benchQuery, 1);
    console.log(`  ${benchQuery}: ${found.total} matches`);
    const searched = await tallyRequests(dynamo, () => search.search(principal, 'tickets', benchQuery, 1));
    const listed = await tallyRequests(dynamo, () =>
      store.list(accountId, 'ticket', { page: 1, perPage: 30 }),
    );
    console.log(`  one search: ${describeTally(searched)}; one list: ${describeTally(listed)}`);
    const { api, raw } = await measurePair(
      200,
      { name: 'search (3 terms, page 1)', run: () => search.search(principal, 'tickets', benchQuery, 1) },
      { name: 'list (30 tickets)', run: () => store.list(accountId, 'ticket', { page: 1, perPage: 30 }) },
    );
    printComparison([{ api, raw, target: 3 }]);
  });
}

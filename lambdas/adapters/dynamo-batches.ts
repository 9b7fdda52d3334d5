import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { mapBounded } from '#domain/privacy/bounded';

/** Keys one BatchGetItem reads, and items one BatchWriteItem writes, at most. */
const batchGetKeys = 100;
const batchWriteItems = 25;

export type ItemKey = { pk: string; sk: string };
export type Wait = (ms: number) => Promise<void>;

const sleep: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Backoff before asking again for what DynamoDB left unprocessed (throttling): 40 ms, 80 ms, … up to 1 s. */
const backoffMs = (attempt: number) => Math.min(1000, 20 * 2 ** attempt);

function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Batched reads and writes of one table, `concurrency` requests in flight, what DynamoDB leaves
 * unprocessed asked again after a backoff. Neither is atomic: callers order their writes so that a
 * write cut short leaves nothing a reader could mistake for a whole record.
 */
export class DynamoBatches {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly concurrency: number,
    private readonly wait: Wait = sleep,
  ) {}

  /** The items stored under `keys` (missing ones left out), consistent reads. */
  async get(keys: readonly ItemKey[], projection?: string): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    await mapBounded(slices(keys, batchGetKeys), this.concurrency, async (batch) => {
      let pending: Record<string, unknown>[] | undefined = batch;
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) await this.wait(backoffMs(attempt));
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ConsistentRead: true,
                ...(projection && { ProjectionExpression: projection }),
              },
            },
          }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    });
    return found;
  }

  /** Puts every item (unconditionally: BatchWriteItem takes no conditions). */
  async put(items: readonly Record<string, unknown>[]): Promise<void> {
    await mapBounded(slices(items, batchWriteItems), this.concurrency, async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt > 0) await this.wait(backoffMs(attempt));
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    });
  }
}

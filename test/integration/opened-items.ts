import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromItem, type RecordItem } from '../../lambdas/adapters/record-items.ts';
import { sealerBeside } from '../../lambdas/adapters/record-sealing.ts';
import { SubjectKeyDestroyedError } from '../../lambdas/domain/encryption/subject-keys.ts';

/**
 * A table item as the platform reads it (docs/encryption.md): a record item's, or a trash entry's
 * record, personal fields opened with the subjects' keys, so a test looking for a subject's markers
 * finds what is still readable. A record under a destroyed key stays sealed: no one can read it.
 */
export async function openedItem(
  client: DynamoDBDocumentClient,
  table: string,
  item: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const sealer = sealerBeside(client, table);
  const open = async (record: Record<string, unknown>) => {
    try {
      return { ...record, fields: (await sealer.open(fromItem(record as unknown as RecordItem))).fields };
    } catch (error) {
      if (error instanceof SubjectKeyDestroyedError) return record;
      throw error;
    }
  };
  if (item.item_type === 'record') return open(item);
  if (item.record_item && typeof item.record_item === 'object') {
    return { ...item, record_item: await open(item.record_item as Record<string, unknown>) };
  }
  return item;
}

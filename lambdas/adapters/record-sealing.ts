import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RecordSealer, type SealedBefore } from '#domain/encryption/record-sealer';
import type { StoredRecord } from '#domain/records/record';
import { SubjectKeyring } from '#domain/encryption/subject-keyring';
import { keyAlias, regionOfTable, subjectKeyTableName } from '#lib/platform/names';
import { hostingRegions } from '#lib/residency/index';
import { kmsBeside } from './aws-clients.ts';
import { perClientAndTable } from './per-client-and-table.ts';
import { DynamoSubjectKeys } from './dynamo-subject-keys.ts';
import { KmsDataKeys } from './kms-data-keys.ts';

/**
 * The subject keys beside a records table (docs/encryption.md): the region's subject-key table and data
 * key, found by the table's deterministic name, one keyring (and so one key cache) per client, table
 * and container, so a key destroyed through it is dropped for every store of the container.
 */
export const subjectKeysBeside = perClientAndTable((dynamo, tableName): SubjectKeyring => {
  const region = regionOfTable(tableName);
  return new SubjectKeyring(
    new DynamoSubjectKeys(dynamo, subjectKeyTableName(region)),
    // The region's data key by its alias (`alias/helpdesk-<region>-data`), in the table's region.
    new KmsDataKeys(kmsBeside(dynamo, hostingRegions[region].awsRegion), keyAlias(region, 'data')),
  );
});

/**
 * The sealer of a records table's records: subject keys found beside the table, on the first key a
 * record needs (a store that never meets a subject's record never looks for them).
 */
export function sealerBeside(dynamo: DynamoDBDocumentClient, tableName: string): RecordSealer {
  const keys = () => subjectKeysBeside(dynamo, tableName);
  return new RecordSealer({
    keyFor: (accountId, subject) => keys().keyFor(accountId, subject),
    existingKey: (accountId, subject) => keys().existingKey(accountId, subject),
  });
}

/**
 * The stored (sealed) fields of records read in this container, by their opened fields object: a write
 * of the record keeps the ciphertext of each field it leaves unchanged (`RecordSealer.seal`'s `before`).
 */
const sealedFields = new WeakMap<object, Readonly<Record<string, unknown>>>();

/** Remembers what an opened record was stored as. */
export function rememberSealed(opened: object, sealed: Readonly<Record<string, unknown>>): void {
  sealedFields.set(opened, sealed);
}

/** The record as stored before this write, if it was read in this container. */
export function sealedBefore(previous: StoredRecord<object>): SealedBefore | undefined {
  const sealed = sealedFields.get(previous.fields);
  return sealed && { plain: previous.fields as Record<string, unknown>, sealed };
}

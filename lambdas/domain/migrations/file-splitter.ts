import type { ImportItem, RecordFailure } from './import-item.ts';
import { type MigrationFiles, type MigrationLedger, migrationKeys } from './migration-files.ts';
import type { FileFormat, MigrationSource, SourceEntity } from './migration.ts';
import { nativeMappers } from './native-mapping.ts';
import { sourceRecords } from './source-reader.ts';
import { type Mapped, zendeskMappers } from './zendesk-mapping.ts';

/** Records per chunk (a ticket counts with its comments): one task writes one chunk. */
export const chunkRecords = 1_000;
/** Characters per chunk at most, so a task's memory stays bounded whatever the records' sizes. */
const chunkChars = 8 * 1024 * 1024;
/** Failures kept in memory before they are written out as a report part. */
const failuresPerPart = 10_000;

/** The phases a migration writes in, each after the one before: what a record refers to is there first. */
export const importPhases = ['companies', 'people', 'tickets', 'conversations'] as const;
export type ImportPhase = (typeof importPhases)[number];

export const phaseOf: Readonly<Record<SourceEntity, ImportPhase>> = {
  organizations: 'companies',
  companies: 'companies',
  users: 'people',
  contacts: 'people',
  agents: 'people',
  tickets: 'tickets',
  conversations: 'conversations',
};

export interface ChunkRef {
  readonly entity: SourceEntity;
  readonly index: number;
}

const mappers = { zendesk: zendeskMappers, native: nativeMappers } as const;

/**
 * Reads one uploaded file, streamed: maps and validates each record, writes the valid ones in chunks
 * and the failures as a report part, and records the file's counts in the ledger. Memory holds one
 * chunk. A malformed file throws MalformedFileError before anything is imported: chunks are only read
 * once every file of the migration was split.
 */
export async function splitFile(
  deps: { files: MigrationFiles; ledger: MigrationLedger },
  migration: { accountId: string; id: number; source: MigrationSource },
  file: { entity: SourceEntity; format: FileFormat },
): Promise<ChunkRef[]> {
  const { accountId, id } = migration;
  const map = mappers[migration.source][file.entity];
  if (!map) throw new Error(`No mapping for ${migration.source} ${file.entity}`);
  const chunks: ChunkRef[] = [];
  const failures: RecordFailure[] = [];
  let failed = 0;
  let written = 0;
  let chunk: string[] = [];
  let chunkSize = 0;
  let chunkCount = 0;
  let failureParts = 0;
  const flushFailures = async () => {
    const part = failures.splice(0);
    await deps.files.write(
      migrationKeys.errors(accountId, id, file.entity, 'file', failureParts),
      'application/x-ndjson',
      part.map((failure) => `${JSON.stringify(failure)}\n`),
    );
    failureParts += 1;
  };
  const flush = async () => {
    if (chunk.length === 0) return;
    const index = chunks.length;
    await deps.files.write(
      migrationKeys.chunk(accountId, id, file.entity, index),
      'application/x-ndjson',
      chunk,
    );
    chunks.push({ entity: file.entity, index });
    chunk = [];
    chunkSize = 0;
    chunkCount = 0;
  };
  const source = sourceRecords(
    file.entity,
    file.format,
    deps.files.bytes(migrationKeys.upload(accountId, id, file.entity, file.format)),
  );
  for await (const record of source) {
    const mapped: Mapped =
      'failure' in record
        ? { failures: [{ entity: file.entity, line: record.line, ...record.failure }] }
        : map(record.line, record.value);
    if (mapped.failures) {
      failures.push(...mapped.failures);
      failed += mapped.records ?? 1;
      if (failures.length >= failuresPerPart) await flushFailures();
      continue;
    }
    const text = `${JSON.stringify(mapped.item satisfies ImportItem)}\n`;
    const records = 1 + (mapped.item.children?.length ?? 0);
    if (chunkCount + records > chunkRecords || chunkSize + text.length > chunkChars) await flush();
    chunk.push(text);
    chunkSize += text.length;
    chunkCount += records;
    written += records;
  }
  await flush();
  if (failures.length) await flushFailures();
  await deps.ledger.record(
    accountId,
    id,
    { entity: file.entity },
    { total: written + failed, imported: 0, skipped: 0, failed },
  );
  return chunks;
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationFile } from '../../scripts/migration-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-migration-inputs-'));
let count = 0;

/** Writes a test's input file (text lines, or raw bytes) and describes it for the migration client. */
export function inputFile(
  entity: string,
  content: string | Buffer,
  format: 'ndjson' | 'csv' = 'ndjson',
): MigrationFile {
  count += 1;
  const path = join(dir, `${count}-${entity}.${format}`);
  writeFileSync(path, content);
  return { entity, format, path };
}

export const ndjson = (...objects: unknown[]) =>
  objects.map((object) => `${typeof object === 'string' ? object : JSON.stringify(object)}\n`).join('');

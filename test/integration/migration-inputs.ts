import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { MigrationFile } from '../../scripts/migration-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-migration-inputs-'));
// Removed after the test file that wrote them.
afterAll(() => rmSync(dir, { recursive: true, force: true }));
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

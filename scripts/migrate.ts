/**
 * `npm run migrate -- <file or folder>... --region eea [--source zendesk|native] [--url URL --api-key KEY]`
 * imports export files through a region's migrations API and its workflow, with a progress bar and a
 * summary. Without --url and --api-key it uses the local platform's (`.local/endpoints.json`, written
 * by `npm start`). `--again <id>` starts an existing migration again (after a failure: it resumes).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sourceEntities } from '#domain/migrations/migration';
import { hostingRegionKeys } from '#lib/residency/index';
import { MigrationClient, type MigrationFile, type MigrationState } from './migration-client.ts';

const usage =
  'usage: npm run migrate -- <file or folder>... --region <us|eea|in|au> [--source zendesk|native] [--url URL --api-key KEY] [--again ID]';

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

/** Files named after their entity (`users.ndjson`, `contacts.csv`); a folder gives every such file in it. */
function filesOf(paths: readonly string[]): MigrationFile[] {
  const known = new Set<string>(Object.values(sourceEntities).flat());
  return paths.flatMap((path) => {
    const full = resolve(path);
    if (!existsSync(full)) fail(`No such file or folder: ${path}`);
    const candidates = statSync(full).isDirectory()
      ? readdirSync(full).map((name) => join(full, name))
      : [full];
    return candidates.flatMap((file): MigrationFile[] => {
      const format = extname(file).slice(1);
      const entity = basename(file, extname(file));
      if ((format !== 'ndjson' && format !== 'csv') || !known.has(entity)) {
        if (candidates.length === 1) fail(`${basename(file)}: name files <entity>.ndjson or <entity>.csv`);
        return [];
      }
      return [{ entity, format, path: file }];
    });
  });
}

function bar(state: MigrationState): string {
  const { total, imported, skipped, failed } = state.counts;
  const done = imported + skipped + failed;
  const share = total ? Math.min(1, done / total) : 0;
  const width = 30;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${state.status.padEnd(9)} ${done}/${total} records`;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    region: { type: 'string' },
    source: { type: 'string' },
    url: { type: 'string' },
    'api-key': { type: 'string' },
    again: { type: 'string' },
  },
});
const region = values.region ?? fail('--region is required');
if (!(hostingRegionKeys as readonly string[]).includes(region)) fail(`Unknown region ${region}`);
let { url, 'api-key': apiKey } = values;
if (!url || !apiKey) {
  const endpointsFile = resolve(import.meta.dirname, '..', '.local', 'endpoints.json');
  if (!existsSync(endpointsFile))
    fail('No --url and --api-key, and no local platform (.local/endpoints.json): run npm start');
  const local = JSON.parse(readFileSync(endpointsFile, 'utf8')) as {
    regions: Record<string, { url: string; apiKey: string }>;
  };
  url ??= local.regions[region]?.url;
  apiKey ??= local.regions[region]?.apiKey;
}
const client = new MigrationClient(url as string, apiKey as string);

let id: number;
if (values.again) {
  id = Number(values.again);
  if (!Number.isSafeInteger(id)) fail('--again takes a migration id');
} else {
  const files = filesOf(positionals);
  if (files.length === 0) fail('Name at least one file or folder');
  const zendesk = files.some(
    (file) =>
      (sourceEntities.zendesk as readonly string[]).includes(file.entity) && file.entity !== 'tickets',
  );
  const source = values.source ?? (zendesk ? 'zendesk' : 'native');
  if (source !== 'zendesk' && source !== 'native') fail('--source is zendesk or native');
  console.log(
    `Uploading ${files.map((file) => basename(file.path)).join(', ')} to the ${region} region (${source})…`,
  );
  id = await client.createAndUpload(source, files);
}
await client.start(id);
console.log(`Migration ${id} started.`);
const interactive = process.stdout.isTTY;
let last = '';
const done = await client.waitUntilDone(id, {
  intervalMs: 1000,
  onProgress: (state) => {
    const line = bar(state);
    if (interactive) process.stdout.write(`\r${line}`);
    else if (line !== last) console.log(line);
    last = line;
  },
});
if (interactive) process.stdout.write('\n');
const { total, imported, skipped, failed } = done.counts;
console.log(`\nMigration ${id}: ${done.status}`);
console.log(`  records ${total}, imported ${imported}, skipped (already there) ${skipped}, failed ${failed}`);
if (done.failure) {
  const where = done.failure.entity
    ? ` (${done.failure.entity}${done.failure.line ? `, line ${done.failure.line}` : ''})`
    : '';
  console.log(`  failure${where}: ${done.failure.reason}`);
  console.log(`  fix it and start again: npm run migrate -- --region ${region} --again ${id}`);
}
if (done.error_report_url && failed > 0)
  console.log(`  error report (NDJSON, 1 hour): ${done.error_report_url}`);
process.exit(done.status === 'completed' ? 0 : 1);

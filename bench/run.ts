import { parseArgs } from 'node:util';
import { runApiBench } from './api-bench.ts';
import { runErasureBench } from './erasure-bench.ts';
import { runExportBench } from './export-bench.ts';
import { runMigrationBench } from './migration-bench.ts';
import { runPurgeBench } from './purge-bench.ts';
import { runSearchBench } from './search-bench.ts';

/**
 * `npm run bench`: every benchmark of the platform, each with its baseline measured in the same run.
 * `-- --only api|erasure|export|migration|purge|search` runs one; `-- --size N` sets the ticket count of the
 * migration and search benches (default 100,000);
 * `-- --round-trip-ms N` gives every DynamoDB request of the migration bench an N ms network round trip
 * (default 0: loopback, as the targets are stated).
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    size: { type: 'string', default: '100000' },
    'round-trip-ms': { type: 'string', default: '0' },
  },
});
if (!/^[1-9][0-9]{0,7}$/.test(values.size)) throw new Error('--size takes a whole number of tickets');
if (!/^[0-9]{1,3}(\.[0-9]+)?$/.test(values['round-trip-ms']))
  throw new Error('--round-trip-ms takes milliseconds from 0 to 999');
const runs = (name: string) => values.only === undefined || values.only === name;
if (runs('api')) await runApiBench();
if (runs('erasure')) await runErasureBench();
if (runs('export')) await runExportBench();
if (runs('purge')) await runPurgeBench();
if (runs('search')) await runSearchBench(Number(values.size));
if (runs('migration')) await runMigrationBench(Number(values.size), Number(values['round-trip-ms']));

import { parseArgs } from 'node:util';
import { runApiBench } from './api-bench.ts';
import { runErasureBench } from './erasure-bench.ts';
import { runExportBench } from './export-bench.ts';
import { runMigrationBench } from './migration-bench.ts';

/**
 * `npm run bench`: every benchmark of the platform, each with its baseline measured in the same run.
 * `-- --only api|erasure|export|migration` runs one; `-- --size N` sets the migration's ticket count (default 100,000).
 */
const { values } = parseArgs({
  options: { only: { type: 'string' }, size: { type: 'string', default: '100000' } },
});
if (!/^[1-9][0-9]{0,7}$/.test(values.size)) throw new Error('--size takes a whole number of tickets');
const runs = (name: string) => values.only === undefined || values.only === name;
if (runs('api')) await runApiBench();
if (runs('erasure')) await runErasureBench();
if (runs('export')) await runExportBench();
if (runs('migration')) await runMigrationBench(Number(values.size));

import { parseArgs } from 'node:util';
import { runApiBench } from './api-bench.ts';
import { runMigrationBench } from './migration-bench.ts';

/**
 * `npm run bench`: every benchmark of the platform, each with its baseline measured in the same run.
 * `-- --only api|migration` runs one; `-- --size N` sets the migration's ticket count (default 100,000).
 */
const { values } = parseArgs({
  options: { only: { type: 'string' }, size: { type: 'string', default: '100000' } },
});
if (!/^[1-9][0-9]{0,7}$/.test(values.size)) throw new Error('--size takes a whole number of tickets');
if (values.only !== 'migration') await runApiBench();
if (values.only !== 'api') await runMigrationBench(Number(values.size));

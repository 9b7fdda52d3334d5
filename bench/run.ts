import { runApiBench } from './api-bench.ts';
import { runExportBench } from './export-bench.ts';

/** `npm run bench`: every benchmark of the platform, each with its baseline measured in the same run. */
await runApiBench();
await runExportBench();

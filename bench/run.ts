import { runApiBench } from './api-bench.ts';
import { runErasureBench } from './erasure-bench.ts';

/** `npm run bench`: every benchmark of the platform, each with its baseline measured in the same run. */
await runApiBench();
await runErasureBench();

import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

export interface Operation {
  readonly name: string;
  readonly run: (i: number) => Promise<unknown>;
}

/**
 * Runs an API operation and its raw DynamoDB baseline `count` times each (after a warm-up), in
 * alternating blocks of `blockSize` requests: both sides see the same drift in load from other processes
 * sharing the cores (measured one whole series after the other, a burst of load in one series skews the
 * ratio either way), while inside a block each side runs back to back, as on its own, so neither is
 * slowed by the other's leftover work (alternating single requests slowed the raw calls that followed an
 * API call and flattered the ratio).
 */
export async function measurePair(
  count: number,
  api: Operation,
  raw: Operation,
  blockSize = 25,
): Promise<{ api: Measurement; raw: Measurement }> {
  const operations = [api, raw];
  for (let i = 0; i < Math.min(20, count); i++) for (const operation of operations) await operation.run(i);
  const latencies = operations.map(() => [] as number[]);
  for (let start = 0; start < count; start += blockSize) {
    for (const [index, operation] of operations.entries()) {
      for (let i = start; i < Math.min(count, start + blockSize); i++) {
        const t0 = performance.now();
        await operation.run(i);
        latencies[index]!.push(performance.now() - t0);
      }
    }
  }
  const [apiMeasurement, rawMeasurement] = operations.map((operation, index) =>
    summarise(operation.name, latencies[index]!),
  );
  return { api: apiMeasurement!, raw: rawMeasurement! };
}

/** p50 and p99 of the latencies; requests per second one after another (the inverse of the mean). */
function summarise(name: string, latencies: number[]): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const total = latencies.reduce((sum, latency) => sum + latency, 0);
  return { name, p50: at(0.5), p99: at(0.99), perSecond: total ? (latencies.length / total) * 1000 : 0 };
}

export function printComparison(
  rows: ReadonlyArray<{ api: Measurement; raw: Measurement; target?: number }>,
): void {
  const fmt = (n: number) => n.toFixed(2).padStart(8);
  console.log(
    `${'operation'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)}`,
  );
  for (const { api, raw, target } of rows) {
    for (const m of [api, raw])
      console.log(`${m.name.padEnd(44)} ${fmt(m.p50)} ${fmt(m.p99)} ${fmt(m.perSecond)}`);
    const ratio = api.p50 / raw.p50;
    const verdict =
      target === undefined
        ? ''
        : ratio <= target
          ? `  (target ≤ ${target}x: met)`
          : `  (target ≤ ${target}x: NOT met)`;
    console.log(`${'  p50 ratio API / raw'.padEnd(44)} ${ratio.toFixed(2).padStart(8)}x${verdict}\n`);
  }
}

import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

/** Runs `operation` `count` times one after another (after a warm-up) and summarises the latencies. */
export async function measure(
  name: string,
  count: number,
  operation: (i: number) => Promise<unknown>,
): Promise<Measurement> {
  for (let i = 0; i < Math.min(20, count); i++) await operation(i);
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await operation(i);
    latencies.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { name, p50: at(0.5), p99: at(0.99), perSecond: (count / elapsed) * 1000 };
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

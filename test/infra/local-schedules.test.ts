import { describe, expect, it } from 'vitest';
import { deadlineWatchRate } from '#lib/constructs/privacy-erasure-workflow';
import { purgeRate } from '#lib/constructs/record-purge-workflow';
import { retentionRunRate } from '#lib/constructs/retention-workflow';
import { rateMs, synthesizedWorkflows } from '../../local/workflows/synthesized-workflows.ts';

describe('scheduled rules on the local platform', () => {
  it('reads EventBridge rate expressions, and nothing else', () => {
    expect(rateMs('rate(1 hour)')).toBe(3_600_000);
    expect(rateMs('rate(5 minutes)')).toBe(300_000);
    expect(rateMs('rate(2 days)')).toBe(172_800_000);
    expect(rateMs('cron(0 3 * * ? *)')).toBeUndefined();
  });

  it('runs the privacy deadline watch, the daily purge and the daily retention start of every region, and the US staging watch, on their synthesized rates', () => {
    const eea = synthesizedWorkflows('eea').schedules;
    const us = synthesizedWorkflows('us').schedules;
    const targets = (schedules: typeof eea) =>
      schedules.flatMap((schedule) => schedule.targets.map((target) => [target.entry, schedule.everyMs]));

    expect(targets(eea)).toEqual([
      ['lambdas/workflows/privacy-erasure/deadline-watch.ts', deadlineWatchRate.toMilliseconds()],
      ['lambdas/workflows/record-purge/purge-schedule.ts', purgeRate.toMilliseconds()],
      ['lambdas/workflows/retention/retention-schedule.ts', retentionRunRate.toMilliseconds()],
    ]);
    expect(retentionRunRate.toMilliseconds()).toBe(86_400_000);
    expect(targets(us)).toEqual(
      expect.arrayContaining([
        ['lambdas/workflows/privacy-erasure/deadline-watch.ts', 3_600_000],
        ['lambdas/workflows/retention/retention-schedule.ts', 86_400_000],
        ['lambdas/workflows/recording-transfer/staging-watch.ts', 300_000],
        ['lambdas/workflows/record-purge/purge-schedule.ts', 86_400_000],
      ]),
    );
  });
});

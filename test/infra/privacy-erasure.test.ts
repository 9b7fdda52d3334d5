import { beforeAll, describe, expect, it } from 'vitest';
import { erasurePageConcurrency, erasureStates } from '#lib/constructs/privacy-erasure-workflow';
import { privacyErasureStateMachineName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions, retention } from '#lib/residency/index';
import {
  arnText,
  resourcesOfType,
  stacksOf,
  stateMachineOf,
  stateOrder,
  type SynthesizedPlatform,
  type SynthesizedStack,
  statementsOf,
  synthesizePlatform,
  type WorkflowDefinition,
} from './platform.ts';

let platform: SynthesizedPlatform;
let workflowStacks: Record<HostingRegionKey, SynthesizedStack>;
let dataStacks: Record<HostingRegionKey, SynthesizedStack>;

beforeAll(() => {
  platform = synthesizePlatform();
  workflowStacks = stacksOf(platform, 'workflows');
  dataStacks = stacksOf(platform, 'data');
}, 120_000);

const erasureResources = (stack: SynthesizedStack, type: string) =>
  resourcesOfType(stack, type).filter(([id]) => id.startsWith('PrivacyErasure'));

const definitionOf = (region: HostingRegionKey) => stateMachineOf(workflowStacks[region], 'PrivacyErasure');

const roleOf = (region: HostingRegionKey, prefix: string) => {
  const [[id] = ['']] = erasureResources(workflowStacks[region], 'AWS::IAM::Role').filter(([roleId]) =>
    roleId.startsWith(`PrivacyErasure${prefix}`),
  );
  return id;
};

describe.each(hostingRegionKeys)('privacy erasure workflow (%s)', (region) => {
  it('is a Standard state machine named after the region, so the API can build its ARN', () => {
    expect(definitionOf(region).properties).toMatchObject({
      StateMachineName: privacyErasureStateMachineName(region),
      StateMachineType: 'STANDARD',
    });
  });

  it('marks started, indexes by Query, maps over pages with bounded concurrency and records the outcome, with Retry and Catch on every task', () => {
    const { definition } = definitionOf(region);
    const states = definition.States;
    const order = stateOrder(definition);
    const map = states[erasureStates.pages] ?? {};
    const inner = (map.ItemProcessor as WorkflowDefinition).States;
    const tasks = [...Object.entries(states), ...Object.entries(inner)].filter(([, s]) => s.Type === 'Task');

    expect(order).toEqual([
      erasureStates.prepare,
      erasureStates.markStarted,
      erasureStates.index,
      erasureStates.pages,
      erasureStates.outcome,
      'Done',
    ]);
    // An iteration per batch of pages; page results stay in the trash bucket, out of the state.
    expect(map).toMatchObject({
      MaxConcurrency: erasurePageConcurrency,
      ItemsPath: '$.work.batches',
      ItemSelector: {
        'accountId.$': '$.accountId',
        'requestId.$': '$.requestId',
        'operation.$': '$.operation',
        'batch.$': '$$.Map.Item.Value',
      },
      ResultPath: null,
    });
    expect(inner[erasureStates.processPage]).toMatchObject({ ResultPath: null, End: true });
    expect(tasks.map(([name]) => name).sort()).toEqual(
      [
        erasureStates.markStarted,
        erasureStates.index,
        erasureStates.processPage,
        erasureStates.outcome,
        erasureStates.markFailed,
      ].sort(),
    );
    for (const [, task] of tasks) {
      const retries = task.Retry as { ErrorEquals: string[]; MaxAttempts: number; BackoffRate?: number }[];
      expect(retries[0]).toMatchObject({
        ErrorEquals: ['RequestNotRunnable', 'RestoreConflict'],
        MaxAttempts: 0,
      });
      expect(retries.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], BackoffRate: 2 });
    }
    // An erasure waits for a running migration of the account: its start is retried every 10 minutes.
    const startRetries = (states[erasureStates.markStarted]?.Retry ?? []) as Record<string, unknown>[];
    expect(
      startRetries.find((retry) => (retry.ErrorEquals as string[]).includes('MigrationRunning')),
    ).toEqual({
      ErrorEquals: ['MigrationRunning'],
      IntervalSeconds: 600,
      MaxAttempts: 60,
      BackoffRate: 1,
    });
    for (const name of [
      erasureStates.markStarted,
      erasureStates.index,
      erasureStates.pages,
      erasureStates.outcome,
    ]) {
      expect(states[name]?.Catch, name).toBeDefined();
    }
  });

  it('lets the page task touch records’ objects (accounts/) and the trash (erasures/), and the outcome delete only export bundles (exports/)', () => {
    const stack = workflowStacks[region];
    const objectStatements = (prefix: string) =>
      statementsOf(stack, roleOf(region, prefix)).filter((s) => s.actions.some((a) => a.startsWith('s3:')));
    const deletes = (prefix: string) =>
      objectStatements(prefix).flatMap((s) => s.actions.filter((a) => a.startsWith('s3:Delete')));

    // The start deletes the account's migration files (uploads, chunks) before an erasure, nothing else.
    const startDeletes = objectStatements('MarkStarted').filter((s) =>
      s.actions.some((a) => a.startsWith('s3:Delete')),
    );
    expect(startDeletes.flatMap((s) => s.actions)).toEqual(['s3:DeleteObject']);
    expect(startDeletes.flatMap((s) => s.resources)).toEqual([
      expect.stringMatching(new RegExp(`helpdesk-${region}-migrations-.*/migrations/\\*$`)),
    ]);
    expect(deletes('IndexWork')).toEqual([]);
    const outcomeDeletes = objectStatements('RecordOutcome').filter((s) =>
      s.actions.some((a) => a.startsWith('s3:Delete')),
    );
    expect(outcomeDeletes.flatMap((s) => s.actions)).toEqual(['s3:DeleteObject']);
    expect(outcomeDeletes.flatMap((s) => s.resources)).toEqual([
      expect.stringMatching(new RegExp(`helpdesk-${region}-exports-.*/exports/\\*$`)),
    ]);
    const pageResources = objectStatements('ProcessPage').flatMap((s) => s.resources);
    expect(
      pageResources
        .filter((r) => r.endsWith('*'))
        .every((r) => /\/(accounts|erasures|legal-holds)\/\*$/.test(r)),
    ).toBe(true);
    expect(pageResources.some((r) => r.includes(`helpdesk-${region}-trash-`))).toBe(true);
    expect(pageResources.some((r) => r.includes(`helpdesk-${region}-attachments-`))).toBe(true);
  });

  it('lets the tasks that read work back (index, pages, outcome) read and list the trash under erasures/ only (else S3 answers a missing key 403)', () => {
    const stack = workflowStacks[region];
    const trash = `arn:<AWS::Partition>:s3:::helpdesk-${region}-trash-<AWS::AccountId>`;
    const trashAccess = (prefix: string) =>
      statementsOf(stack, roleOf(region, prefix)).filter((s) => s.resources.some((r) => r.startsWith(trash)));

    for (const task of ['IndexWork', 'ProcessPage', 'RecordOutcome']) {
      const statements = trashAccess(task);
      expect(
        statements.find((s) => s.actions.includes('s3:ListBucket')),
        task,
      ).toEqual({
        actions: ['s3:ListBucket'],
        resources: [trash],
        condition: { StringLike: { 's3:prefix': ['erasures/*'] } },
      });
      expect(
        statements.some(
          (s) => s.actions.includes('s3:GetObject') && s.resources.includes(`${trash}/erasures/*`),
        ),
        task,
      ).toBe(true);
    }
    expect(trashAccess('MarkStarted')).toEqual([]);
  });

  it('lets only the page task move trash copies a legal hold keeps to legal-holds/ of the trash, back and away', () => {
    const stack = workflowStacks[region];
    const trash = `arn:<AWS::Partition>:s3:::helpdesk-${region}-trash-<AWS::AccountId>`;
    const heldAccess = (prefix: string) =>
      statementsOf(stack, roleOf(region, prefix)).filter(
        (s) =>
          s.resources.includes(`${trash}/legal-holds/*`) ||
          JSON.stringify(s.condition ?? {}).includes('legal-holds/'),
      );

    expect(heldAccess('ProcessPage')).toEqual([
      {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [`${trash}/legal-holds/*`],
      },
      {
        actions: ['s3:ListBucket'],
        resources: [trash],
        condition: { StringLike: { 's3:prefix': ['legal-holds/*'] } },
      },
    ]);
    for (const task of ['MarkStarted', 'IndexWork', 'RecordOutcome'])
      expect(heldAccess(task), task).toEqual([]);
  });

  it('lets only the outcome task destroy subject keys (tombstones by UpdateItem); every task uses them', () => {
    const keyTable = (prefix: string) =>
      statementsOf(workflowStacks[region], roleOf(region, prefix)).filter((s) =>
        s.resources.some((r) => r.includes(`table/helpdesk-${region}-subject-keys`)),
      );

    // Every task opens and seals records (GetItem, PutItem); only the outcome writes tombstones.
    const actionsOf = (prefix: string) => keyTable(prefix).flatMap((s) => s.actions);
    expect(actionsOf('RecordOutcomeTask')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    for (const prefix of [
      'MarkStartedTask',
      'IndexWorkTask',
      'ProcessPageTask',
      'MarkFailedTask',
      'DeadlineWatch',
    ]) {
      expect(actionsOf(prefix), prefix).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    }
  });

  it('lets the deadline watch (orphan sweep) read and remove only current attachment objects (accounts/), no versions', () => {
    const objectStatements = statementsOf(workflowStacks[region], roleOf(region, 'DeadlineWatch')).filter(
      (s) => s.actions.some((a) => a.startsWith('s3:')),
    );

    expect(objectStatements.map((s) => [s.actions, s.resources])).toEqual([
      [
        ['s3:GetObject', 's3:DeleteObject'],
        [expect.stringMatching(new RegExp(`helpdesk-${region}-attachments-.*/accounts/\\*$`))],
      ],
    ]);
  });

  it('runs the deadline watch hourly: it may start only the erasure workflow, and alarms on overdue requests or silence', () => {
    const stack = workflowStacks[region];
    const arn = `arn:<AWS::Partition>:states:${hostingRegions[region].awsRegion}:<AWS::AccountId>:stateMachine:${privacyErasureStateMachineName(region)}`;
    const starts = statementsOf(stack, roleOf(region, 'DeadlineWatch')).filter((s) =>
      s.actions.some((a) => a.startsWith('states:')),
    );

    expect(starts.map((s) => [s.actions, s.resources])).toEqual([[['states:StartExecution'], [arn]]]);
    stack.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    stack.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OverduePrivacyRequests',
      Namespace: 'Helpdesk/Privacy',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
    });
    for (const outcome of ['Failed', 'TimedOut', 'Aborted']) {
      const alarms = erasureResources(stack, 'AWS::CloudWatch::Alarm').filter(
        ([, alarm]) => alarm.Properties?.MetricName === `Executions${outcome}`,
      );
      expect(alarms).toHaveLength(1);
    }
  });

  it(`keeps the trash ${retention.trashDays} days: the trash bucket expires objects then`, () => {
    const buckets = resourcesOfType(dataStacks[region], 'AWS::S3::Bucket').filter(([, bucket]) =>
      arnText(bucket.Properties?.BucketName).includes('-trash-'),
    );
    const rules = (
      buckets[0]?.[1].Properties?.LifecycleConfiguration as { Rules: { ExpirationInDays?: number }[] }
    ).Rules;

    expect(buckets).toHaveLength(1);
    expect(rules.map((rule) => rule.ExpirationInDays).filter(Boolean)).toEqual([60]);
  });
});

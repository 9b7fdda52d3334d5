import { beforeAll, describe, expect, it } from 'vitest';
import { exportPageConcurrency, exportStates } from '#lib/constructs/privacy-export-workflow';
import { privacyExportStateMachineName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
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

beforeAll(() => {
  platform = synthesizePlatform();
  workflowStacks = stacksOf(platform, 'workflows');
}, 120_000);

const exportResources = (stack: SynthesizedStack, type: string) =>
  resourcesOfType(stack, type).filter(([id]) => id.startsWith('PrivacyExport'));

const machineOf = (region: HostingRegionKey) => stateMachineOf(workflowStacks[region], 'PrivacyExport');

describe.each(hostingRegionKeys)('privacy export workflow (%s)', (region) => {
  it('is a Standard state machine named after the region, so the API can build its ARN', () => {
    expect(machineOf(region).properties).toMatchObject({
      StateMachineName: privacyExportStateMachineName(region),
      StateMachineType: 'STANDARD',
    });
  });

  it('marks running, indexes, maps over pages (export, then file copy) with bounded concurrency, assembles and publishes, with Retry and Catch', () => {
    const { definition } = machineOf(region);
    const states = definition.States;
    const order = stateOrder(definition);
    const map = states[exportStates.pages] ?? {};
    const inner = (map.ItemProcessor as WorkflowDefinition).States;
    const allTasks = [...Object.entries(states), ...Object.entries(inner)].filter(
      ([, s]) => s.Type === 'Task',
    );

    expect(order).toEqual([
      exportStates.markRunning,
      exportStates.index,
      exportStates.pages,
      exportStates.assemble,
      exportStates.publish,
      'Exported',
    ]);
    // An iteration per batch of pages; page results stay in the exports bucket, out of the state.
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: exportPageConcurrency,
      ItemsPath: '$.index.batches',
      ItemSelector: {
        'accountId.$': '$.accountId',
        'requestId.$': '$.requestId',
        'execution.$': '$$.Execution.Name',
        'batch.$': '$$.Map.Item.Value',
      },
      ResultPath: null,
    });
    expect(exportPageConcurrency).toBeGreaterThan(0);
    expect(inner[exportStates.exportPage]).toMatchObject({ ResultPath: null, Next: exportStates.copyFiles });
    expect(inner[exportStates.copyFiles]).toMatchObject({ ResultPath: null, End: true });
    expect(allTasks).toHaveLength(7);
    for (const [name, task] of allTasks) {
      const retry = task.Retry as { ErrorEquals: string[]; MaxAttempts: number; BackoffRate?: number }[];
      expect(retry.at(0), name).toEqual({ ErrorEquals: ['RequestNotRunnable'], MaxAttempts: 0 });
      expect(retry.at(-1), name).toMatchObject({ ErrorEquals: ['States.ALL'], BackoffRate: 2 });
    }
    // Every step of the main path (and the Map as a whole) is caught into MarkFailed (through the state
    // that keeps only the error's name), which ends failed.
    for (const name of order.slice(0, -1)) {
      expect(states[name]?.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'KeepErrorName' },
      ]);
    }
    expect(states.KeepErrorName).toMatchObject({ Type: 'Pass', Next: exportStates.markFailed });
    expect(states[exportStates.markFailed]).toMatchObject({
      Next: 'ExportFailed',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'ExportFailed' }],
    });
    expect(states.ExportFailed?.Type).toBe('Fail');
  });

  it("lets the tasks reach only the region's records table and the exports/ prefix of its exports bucket", () => {
    const stack = workflowStacks[region];
    const taskRoles = exportResources(stack, 'AWS::IAM::Role').filter(([id]) => id.includes('Task'));
    const resources = taskRoles
      .filter(([id]) => !id.includes('CopyPageFiles'))
      .flatMap(([roleId]) =>
        statementsOf(stack, roleId)
          .filter((s) => s.actions.some((a) => a.startsWith('s3:') || a.startsWith('dynamodb:')))
          .flatMap((s) => s.resources),
      );
    const table = `arn:<AWS::Partition>:dynamodb:${hostingRegions[region].awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-records`;

    const exportsBucket = `arn:<AWS::Partition>:s3:::helpdesk-${region}-exports-<AWS::AccountId>`;

    // And the region's subject-key table: the export opens the subject's sealed records.
    const subjectKeys = `arn:<AWS::Partition>:dynamodb:${hostingRegions[region].awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-subject-keys`;

    expect(taskRoles).toHaveLength(7);
    expect(new Set(resources)).toEqual(
      new Set([table, `${table}/index/*`, subjectKeys, `${exportsBucket}/exports/*`, exportsBucket]),
    );
    const deletes = taskRoles.flatMap(([roleId]) =>
      statementsOf(stack, roleId).flatMap((s) => s.actions.filter((a) => a.startsWith('s3:Delete'))),
    );
    expect(deletes).toEqual([]);
  });

  it('lets the tasks that look for page results list the exports bucket under exports/ only (else S3 answers a missing one 403)', () => {
    const stack = workflowStacks[region];
    const listers = exportResources(stack, 'AWS::IAM::Role')
      .filter(([id]) => id.includes('Task'))
      .flatMap(([roleId]) =>
        statementsOf(stack, roleId)
          .filter((s) => s.actions.includes('s3:ListBucket') && s.resources[0]?.includes('-exports-'))
          .map((s) => ({ role: roleId.replace(/Task.*$/, ''), condition: s.condition })),
      );

    expect(listers.map((l) => l.role).sort()).toEqual(
      ['PrivacyExportAssembleBundle', 'PrivacyExportCopyPageFiles', 'PrivacyExportExportPage'].sort(),
    );
    for (const { condition } of listers)
      expect(condition).toEqual({ StringLike: { 's3:prefix': ['exports/*'] } });
  });

  it("lets only the file copy read the accounts' attachments and recordings, without the table, and KMS only via S3", () => {
    const stack = workflowStacks[region];
    const [[roleId] = ['']] = exportResources(stack, 'AWS::IAM::Role').filter(([id]) =>
      id.includes('CopyPageFilesTask'),
    );
    const others = exportResources(stack, 'AWS::IAM::Role').filter(
      ([id]) => id.includes('Task') && id !== roleId,
    );
    const statements = statementsOf(stack, roleId).filter(
      (s) => !s.actions.some((a) => a.startsWith('logs:')),
    );
    const bucket = (kind: string) => `arn:<AWS::Partition>:s3:::helpdesk-${region}-${kind}-<AWS::AccountId>`;
    const sources = region === 'us' || region === 'eea' ? ['attachments', 'recordings'] : ['attachments'];
    const s3 = statements.filter((s) => s.actions.some((a) => a.startsWith('s3:')));
    const kms = statements.filter((s) => s.actions.some((a) => a.startsWith('kms:')));

    expect(s3).toEqual(
      expect.arrayContaining([
        {
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          resources: [`${bucket('exports')}/exports/*`],
          condition: undefined,
        },
        ...sources.flatMap((kind) =>
          [
            { actions: 's3:GetObject', resources: [`${bucket(kind)}/accounts/*`], condition: undefined },
            {
              actions: 's3:ListBucket',
              resources: [bucket(kind)],
              condition: { StringLike: { 's3:prefix': ['accounts/*'] } },
            },
          ].map((s) => ({ ...s, actions: [s.actions] })),
        ),
      ]),
    );
    expect(s3).toHaveLength(2 + 2 * sources.length);
    expect(statements.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')))).toEqual([]);
    expect(kms).toHaveLength(1);
    expect(kms[0]?.condition).toEqual({
      StringEquals: { 'kms:ViaService': [`s3.${hostingRegions[region].awsRegion}.amazonaws.com`] },
    });
    // No other task reads the source buckets.
    const elsewhere = others.flatMap(([id]) => statementsOf(stack, id).flatMap((s) => s.resources));
    for (const kind of sources) expect(elsewhere.join('\n')).not.toContain(bucket(kind));
  });

  it('lets the privacy requests API function read export bundles (it presigns their URLs at each read)', () => {
    const api = platform.regions[region].api;
    const [[roleId] = ['']] = resourcesOfType(api, 'AWS::IAM::Role').filter(([id]) =>
      id.startsWith('ApiPrivacyRequestsRole'),
    );
    const statements = statementsOf(api, roleId);
    const exportsObjects = `arn:<AWS::Partition>:s3:::helpdesk-${region}-exports-<AWS::AccountId>/exports/*`;

    expect(
      statements.some((s) => s.actions.includes('s3:GetObject') && s.resources.includes(exportsObjects)),
    ).toBe(true);
    expect(
      statements.some(
        (s) =>
          s.actions.includes('kms:Decrypt') &&
          JSON.stringify(s.condition) ===
            JSON.stringify({
              StringEquals: { 'kms:ViaService': `s3.${hostingRegions[region].awsRegion}.amazonaws.com` },
            }),
      ),
    ).toBe(true);
  });

  it('lets only the privacy requests API function start it, by its deterministic ARN', () => {
    const api = platform.regions[region].api;
    const arn = `arn:<AWS::Partition>:states:${hostingRegions[region].awsRegion}:<AWS::AccountId>:stateMachine:${privacyExportStateMachineName(region)}`;
    const starters = resourcesOfType(api, 'AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(api, roleId)
        .filter((s) => s.actions.some((a) => a.startsWith('states:')))
        .filter((s) => s.resources.some((resource) => resource.includes('privacy-export')))
        .map((s) => [roleId.replace(/[0-9A-F]{8}$/, ''), s.actions, s.resources]),
    );
    const fn = resourcesOfType(api, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('ApiPrivacyRequests'),
    );
    const env = (fn?.[1].Properties?.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(starters).toEqual([['ApiPrivacyRequestsRole', ['states:StartExecution'], [arn]]]);
    expect(arnText(env.PRIVACY_STATE_MACHINE_ARN)).toBe(arn);
  });
});

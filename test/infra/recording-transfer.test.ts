import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackNames } from '#lib/platform/names';
import { retention } from '#lib/residency/index';
import {
  arnText,
  bucketsByKind,
  type CfnResourceJson,
  resourcesOfType,
  type SynthesizedPlatform,
  type SynthesizedStack,
  statementsOf,
  stateOrder,
  synthesizePlatform,
} from './platform.ts';

let platform: SynthesizedPlatform;
let workflows: SynthesizedStack;

beforeAll(() => {
  platform = synthesizePlatform();
  const json = platform.assembly.getStackByName(stackNames('us').workflows).template;
  workflows = { template: Template.fromJSON(json), json };
}, 120_000);

/** The role of the task function whose logical id starts with `prefix`. */
function roleOfFunction(prefix: string): string {
  const entry = resourcesOfType(workflows, 'AWS::Lambda::Function').find(([id]) => id.startsWith(prefix));
  const role = entry?.[1].Properties?.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

function definition(): { States: Record<string, Record<string, unknown>> } {
  const [[, machine] = ['', {} as CfnResourceJson]] = transferResources('AWS::StepFunctions::StateMachine');
  return JSON.parse(arnText(machine.Properties?.DefinitionString));
}

/** The recording transfer's resources of a type (the US Workflows stack also holds the privacy export). */
const transferResources = (type: string) =>
  resourcesOfType(workflows, type).filter(([id]) => id.startsWith('RecordingTransfer'));

const stagingObjects = 'arn:<AWS::Partition>:s3:::helpdesk-us-recording-staging-<AWS::AccountId>/*';
const eeaRecordingObjects = 'arn:<AWS::Partition>:s3:::helpdesk-eea-recordings-<AWS::AccountId>/*';
const stagingBucket = 'arn:<AWS::Partition>:s3:::helpdesk-us-recording-staging-<AWS::AccountId>';
const stagedRecordings = `${stagingBucket}/accounts/*/calls/*/recording`;

const eeaSubjectKeys =
  'arn:<AWS::Partition>:dynamodb:eu-central-1:<AWS::AccountId>:table/helpdesk-eea-subject-keys';
const isSubjectKeyTable = (resource: string) => resource === eeaSubjectKeys;

describe('recording transfer workflow (US)', () => {
  it('holds every recording for the catalogue 600 seconds before anything moves', () => {
    const states = definition().States;
    const waits = Object.entries(states).filter(([, state]) => state.Type === 'Wait');

    expect(retention.recordingHoldSeconds).toBe(600);
    expect(waits).toEqual([
      ['HoldInStaging', expect.objectContaining({ Seconds: 600, Next: 'CheckCallBeforeCopy' })],
    ]);
  });

  it('checks the call before and after the copy, and deletes staged versions only after the copy is verified and recorded, with Retry and Catch on every task', () => {
    const states = definition().States;
    const order = stateOrder({ StartAt: 'HoldInStaging', States: states });
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

    expect(order).toEqual([
      'HoldInStaging',
      'CheckCallBeforeCopy',
      'CopyToHome',
      'CheckCallAfterCopy',
      'VerifyHomeCopy',
      'RecordLocation',
      'DeleteStagedVersions',
      'RecordStagingDeleted',
      'Transferred',
    ]);
    expect(stateOrder({ StartAt: 'DiscardRecording', States: states })).toEqual([
      'DiscardRecording',
      'Discarded',
    ]);
    expect(tasks).toHaveLength(8);
    for (const [name, task] of tasks) {
      const retry = task.Retry as { ErrorEquals: string[]; MaxAttempts: number; BackoffRate?: number }[];
      expect(retry.at(0)?.ErrorEquals, name).toEqual(
        expect.arrayContaining([
          'RecordingCopyNotVerified',
          'CallOfRecordingGone',
          'RecordingAlreadyTransferred',
        ]),
      );
      expect(retry.at(0)?.MaxAttempts, name).toBe(0);
      expect(retry.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], BackoffRate: 2 });
      expect((task.Catch as unknown[]).at(-1), name).toEqual({
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.error',
        Next: 'KeepErrorName',
      });
    }
    expect(states.KeepErrorName).toMatchObject({ Type: 'Pass', Next: 'TransferFailed' });
    expect(states.KeepDiscardReason).toMatchObject({ Type: 'Pass', Next: 'DiscardRecording' });
    expect(states.TransferFailed?.Type).toBe('Fail');
    expect(states.Discarded?.Type).toBe('Succeed');
  });

  it('discards the recording, not fails, when the call is gone at any step up to the commit (the location recorded)', () => {
    const states = definition().States;
    // The caught error's name only reaches the discard (KeepDiscardReason drops its cause).
    const discardCatch = {
      ErrorEquals: ['CallOfRecordingGone', 'RecordingAlreadyTransferred'],
      ResultPath: '$.error',
      Next: 'KeepDiscardReason',
    };
    const discarding = Object.entries(states)
      .filter(([, state]) =>
        (state.Catch as unknown[] | undefined)?.some(
          (c) => c && (c as { Next?: string }).Next === 'KeepDiscardReason',
        ),
      )
      .map(([name, state]) => [name, (state.Catch as unknown[])[0]]);

    expect(discarding).toEqual([
      ['CheckCallBeforeCopy', discardCatch],
      ['CopyToHome', discardCatch],
      ['CheckCallAfterCopy', discardCatch],
      ['VerifyHomeCopy', discardCatch],
      ['RecordLocation', discardCatch],
    ]);
    // The discard's and the transfer's last results are the execution's output (no result path).
    expect(states.DiscardRecording?.ResultPath).toBeUndefined();
    expect(states.RecordStagingDeleted?.ResultPath).toBeUndefined();
    // The check before the copy leaves its mark, so the discard knows the copy may have started.
    expect(states.CheckCallBeforeCopy?.ResultPath).toBe('$.beforeCopy');
    expect(states.CopyToHome?.ResultPath).toBe('$.copied');
  });

  it('lets only the copy task write, and only into the EEA recordings bucket', () => {
    const writers = transferResources('AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(workflows, roleId)
        .filter((s) => s.actions.some((a) => a === 's3:PutObject' || a.startsWith('s3:Put')))
        .map((s) => [roleId, s.resources]),
    );

    expect(writers).toEqual([[roleOfFunction('RecordingTransferCopyToHomeTask'), [eeaRecordingObjects]]]);
  });

  it('lets only the delete and discard tasks delete; only the discard deletes in the EEA, and only recordings', () => {
    const deleters = transferResources('AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(workflows, roleId)
        .filter((s) => s.actions.some((a) => a.startsWith('s3:Delete')))
        .map((s) => [roleId, s.resources]),
    );

    expect(deleters).toEqual([
      [roleOfFunction('RecordingTransferDeleteStagedTask'), [stagingObjects]],
      [roleOfFunction('RecordingTransferDiscardRecordingTask'), [stagingObjects]],
      [roleOfFunction('RecordingTransferDiscardRecordingTask'), [eeaRecordingObjects]],
    ]);
  });

  it('lets the call checks and the discard read EEA call records with one GetItem, and write nothing there', () => {
    const eeaTable = 'arn:<AWS::Partition>:dynamodb:eu-central-1:<AWS::AccountId>:table/helpdesk-eea-records';
    for (const task of ['RecordingTransferCheckCallTask', 'RecordingTransferDiscardRecordingTask']) {
      const dynamo = statementsOf(workflows, roleOfFunction(task)).filter(
        (s) => s.actions.some((a) => a.startsWith('dynamodb:')) && !s.resources.some(isSubjectKeyTable),
      );
      expect(dynamo, task).toEqual([
        { actions: ['dynamodb:GetItem'], resources: [eeaTable], condition: callPartitionsOnly },
      ]);
    }
  });

  it("lets the tasks that read or write EEA call records use the EEA's subject keys, and no other task", () => {
    const users = transferResources('AWS::IAM::Role')
      .map(([roleId]) => roleId)
      .filter((roleId) => statementsOf(workflows, roleId).some((s) => s.resources.some(isSubjectKeyTable)));
    expect(users.sort()).toEqual(
      [
        'RecordingTransferCheckCallTask',
        'RecordingTransferDiscardRecordingTask',
        'RecordingTransferRecordLocationTask',
        'RecordingTransferRecordStagingDeletedTask',
      ]
        .map(roleOfFunction)
        .sort(),
    );
    // The checks only read (open) calls; the tasks that update the call seal it.
    const writers = ['RecordingTransferRecordLocationTask', 'RecordingTransferRecordStagingDeletedTask'].map(
      roleOfFunction,
    );
    for (const roleId of users) {
      const actions = writers.includes(roleId)
        ? ['dynamodb:GetItem', 'dynamodb:PutItem']
        : ['dynamodb:GetItem'];
      expect(statementsOf(workflows, roleId).filter((s) => s.resources.some(isSubjectKeyTable))).toEqual([
        { actions, resources: [eeaSubjectKeys] },
      ]);
    }
  });

  it('lets the tasks that update the EEA call record reach call partitions of the EEA table only, no index', () => {
    // Prepare
    const eeaTable = 'arn:<AWS::Partition>:dynamodb:eu-central-1:<AWS::AccountId>:table/helpdesk-eea-records';

    // Act
    const tableStatements = transferResources('AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(workflows, roleId)
        .filter(
          (s) =>
            s.actions.some((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:GetItem') &&
            !s.resources.some(isSubjectKeyTable),
        )
        .map((s) => [roleId, s] as const),
    );

    // Assess
    expect(tableStatements.map(([roleId]) => roleId).sort()).toEqual(
      [
        roleOfFunction('RecordingTransferRecordLocationTask'),
        roleOfFunction('RecordingTransferRecordStagingDeletedTask'),
      ].sort(),
    );
    for (const [, statement] of tableStatements) {
      expect(statement).toEqual({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [eeaTable],
        condition: callPartitionsOnly,
      });
    }
  });

  it('reads staged originals by version (the copy and its verification use the version copied)', () => {
    for (const task of ['RecordingTransferCopyToHomeTask', 'RecordingTransferVerifyHomeCopyTask']) {
      const staging = statementsOf(workflows, roleOfFunction(task)).filter((s) =>
        s.resources.includes(stagingObjects),
      );
      expect(staging, task).toEqual([
        { actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [stagingObjects] },
      ]);
    }
  });

  it('encrypts the EEA copy with the EEA data key, reached by alias through EEA S3 only', () => {
    const copyRole = roleOfFunction('RecordingTransferCopyToHomeTask');
    const eeaKey = statementsOf(workflows, copyRole).filter((s) =>
      s.resources[0]?.includes(':kms:eu-central-1:'),
    );
    const fn = resourcesOfType(workflows, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('RecordingTransferCopyToHomeTask'),
    );
    const environment = (fn?.[1].Properties?.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(eeaKey).toEqual([
      {
        actions: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
        resources: ['arn:<AWS::Partition>:kms:eu-central-1:<AWS::AccountId>:key/*'],
        condition: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/helpdesk-eea-data' },
          StringEquals: { 'kms:ViaService': ['s3.eu-central-1.amazonaws.com'] },
        },
      },
    ]);
    expect(arnText(environment.HOME_DATA_KEY)).toBe(
      'arn:<AWS::Partition>:kms:eu-central-1:<AWS::AccountId>:alias/helpdesk-eea-data',
    );
    expect(environment.HOME_AWS_REGION).toBe('eu-central-1');
  });

  it('gives the state machine nothing but invoking its tasks, tracing and log delivery', () => {
    const [[machineRole] = ['']] = resourcesOfType(workflows, 'AWS::IAM::Role').filter(([id]) =>
      id.startsWith('RecordingTransferStateMachineRole'),
    );
    const actions = statementsOf(workflows, machineRole).flatMap((s) => s.actions);

    expect(actions.filter((a) => !a.startsWith('xray:') && !a.startsWith('logs:'))).toEqual(
      Array(7).fill('lambda:InvokeFunction'),
    );
  });

  it("starts on the staging bucket's object-created events, which the bucket sends to EventBridge", () => {
    const [[, rule] = ['', {} as CfnResourceJson]] = resourcesOfType(workflows, 'AWS::Events::Rule').filter(
      ([, r]) => r.Properties?.EventPattern !== undefined,
    );
    const pattern = rule.Properties?.EventPattern as { detail: { bucket: { name: unknown[] } } };
    const staging = bucketsByKind(platform.regions.us.data, 'us').get('recording-staging');
    const notifications = resourcesOfType(platform.regions.us.data, 'Custom::S3BucketNotifications');

    expect(rule.Properties?.EventPattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
    });
    expect(pattern.detail.bucket.name.map(arnText)).toEqual([
      'helpdesk-us-recording-staging-<AWS::AccountId>',
    ]);
    expect(JSON.stringify(notifications)).toContain('"EventBridgeConfiguration":{}');
    expect(JSON.stringify(notifications)).toContain(staging?.[0]);
  });

  it('never lets the staging bucket expire a recording that has not moved', () => {
    const [, staging] = bucketsByKind(platform.regions.us.data, 'us').get('recording-staging') ?? [];
    const rules = (staging?.Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;

    expect(rules.filter((r) => r.ExpirationInDays !== undefined)).toEqual([]);
  });

  it('alarms on failed, timed-out and aborted executions and on a recording staged over 30 minutes', () => {
    const alarms = transferResources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});

    expect(alarms.map((a) => a.MetricName).sort()).toEqual([
      'ExecutionsAborted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'OldestStagedRecordingAgeSeconds',
    ]);
    expect(alarms.find((a) => a.MetricName === 'OldestStagedRecordingAgeSeconds')).toMatchObject({
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(retention.recordingStagingAlarmSeconds).toBe(30 * 60);
  });

  it('keeps every workflow log group for 365 days and archives it', () => {
    const logGroups = transferResources('AWS::Logs::LogGroup');
    const subscriptions = transferResources('AWS::Logs::SubscriptionFilter');

    expect(logGroups.length).toBe(10);
    for (const [id, group] of logGroups) expect(group.Properties?.RetentionInDays, id).toBe(365);
    expect(subscriptions.length).toBe(logGroups.length);
  });

  it('lets the EEA calls API upload into US staging and delete staged recordings, and nothing else of the US', () => {
    const api = platform.regions.eea.api;
    const callsRole =
      resourcesOfType(api, 'AWS::IAM::Role').find(([id]) => id.startsWith('ApiCallsRole'))?.[0] ?? '';
    const usResources = resourcesOfType(api, 'AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(api, roleId)
        .filter((s) => s.resources.some((r) => r.includes('helpdesk-us-') || r.includes('us-east-1')))
        .map((s) => [roleId, s.actions, s.resources, s.condition]),
    );

    expect(usResources).toEqual([
      [callsRole, ['s3:GetObject', 's3:PutObject'], [stagingObjects.replace(/\*$/, 'accounts/*')], undefined],
      [callsRole, ['s3:ListBucket'], [stagingBucket], { StringLike: { 's3:prefix': ['accounts/*'] } }],
      ...stagedRecordingDeletion(callsRole),
      [
        callsRole,
        ['kms:Decrypt', 'kms:GenerateDataKey'],
        ['arn:<AWS::Partition>:kms:us-east-1:<AWS::AccountId>:key/*'],
        expect.anything(),
      ],
    ]);
  });
});

/** Only call partitions of the table (`A#<account uuid>#call#<id>`): a call record and its audit entries. */
const callPartitionsOnly = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['A#????????-????-????-????-????????????#call#*'] },
};

/** The statements that let a role of an EEA stack delete staged recordings' versions in US staging. */
const stagedRecordingDeletion = (roleId: string) => [
  [roleId, ['s3:DeleteObject', 's3:DeleteObjectVersion'], [stagedRecordings], undefined],
  [
    roleId,
    ['s3:ListBucketVersions'],
    [stagingBucket],
    { StringLike: { 's3:prefix': ['accounts/*/calls/*/recording'] } },
  ],
  [roleId, ['s3:GetBucketVersioning'], [stagingBucket], undefined],
];

describe('staged recordings erased from the EEA', () => {
  let eeaWorkflows: SynthesizedStack;
  beforeAll(() => {
    const json = platform.assembly.getStackByName(stackNames('eea').workflows).template;
    eeaWorkflows = { template: Template.fromJSON(json), json };
  });

  it("lets only the EEA erasure's and purge's page tasks reach US staging: delete recordings' versions, list them by prefix, no key", () => {
    const roleStartingWith = (prefix: string) =>
      resourcesOfType(eeaWorkflows, 'AWS::IAM::Role').find(([id]) => id.startsWith(prefix))?.[0] ?? '';
    const processPage = roleStartingWith('PrivacyErasureProcessPageTaskRole');
    // The 60-day purge removes a deleted call's recording still in staging, as an erasure does.
    const purgePages = roleStartingWith('RecordPurgePurgePagesTaskRole');
    const usResources = resourcesOfType(eeaWorkflows, 'AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(eeaWorkflows, roleId)
        .filter((s) => s.resources.some((r) => r.includes('helpdesk-us-') || r.includes('us-east-1')))
        .map((s) => [roleId, s.actions, s.resources, s.condition]),
    );

    expect(usResources).toEqual([
      ...stagedRecordingDeletion(processPage),
      ...stagedRecordingDeletion(purgePages),
    ]);
  });

  it('names the US staging bucket to the EEA erasure deterministically, without importing from a US stack', () => {
    const functions = resourcesOfType(eeaWorkflows, 'AWS::Lambda::Function').filter(([id]) =>
      id.startsWith('PrivacyErasure'),
    );
    const variables = functions.map(
      ([, fn]) => (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables,
    );

    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) {
      expect(arnText(variable.RECORDING_STAGING_BUCKET)).toBe(
        'helpdesk-us-recording-staging-<AWS::AccountId>',
      );
      expect(variable.RECORDING_STAGING_REGION).toBe('us-east-1');
    }
    expect(JSON.stringify(eeaWorkflows.json)).not.toContain('Helpdesk-us-');
  });

  it("gives no other region's erasure anything in US staging", () => {
    for (const region of ['us', 'in', 'au'] as const) {
      const json = platform.assembly.getStackByName(stackNames(region).workflows).template;
      const erasureRoles = Object.entries(json.Resources as Record<string, CfnResourceJson>).filter(
        ([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('PrivacyErasure'),
      );
      expect(JSON.stringify(erasureRoles), region).not.toContain('recording-staging');
    }
  });
});

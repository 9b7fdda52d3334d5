import { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoErasureStore } from '../../lambdas/adapters/dynamo-erasure-store.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { SfnWorkflowStarter } from '../../lambdas/adapters/sfn-workflow-starter.ts';
import { PrivacyDeadlines } from '../../lambdas/domain/privacy/privacy-deadlines.ts';
import { localAwsAccountId, localCredentials } from '../../local/local-credentials.ts';
import { privacyErasureStateMachineName, stateMachineArn } from '../../lib/platform/names.ts';

/**
 * The hourly privacy deadline watch of the local `us` region with its clock at `now`: its
 * `startDuePurges` starts the purge of every soft erasure's trash past its 60 days, of every account of
 * the region (other tests' too); `dueRequestIds` names the requests whose purge is due then, so a test
 * asks about its own. Close it after use.
 */
export function trashPurgeWatch(client: DynamoDBDocumentClient, now: Date) {
  const { table, awsRegion } = inject('localPlatform').regions.us;
  const sfn = new SFNClient({
    endpoint: inject('localPlatform').workflows.us?.url,
    region: awsRegion,
    credentials: localCredentials,
  });
  const arn = stateMachineArn('aws', awsRegion, localAwsAccountId, privacyErasureStateMachineName('us'));
  return {
    deadlines: new PrivacyDeadlines({
      store: new DynamoRecordStore(client, table),
      erasure: new DynamoErasureStore(client, table),
      erasureWorkflow: new SfnWorkflowStarter(sfn, arn),
      now: () => now,
    }),
    dueRequestIds: async () =>
      (await new DynamoErasureStore(client, table).dueRecords('trash-purge', now.toISOString(), 10_000)).map(
        (due) => due.ref.id,
      ),
    close: () => sfn.destroy(),
  };
}

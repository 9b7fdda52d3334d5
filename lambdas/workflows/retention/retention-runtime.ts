import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients, type AwsClients } from '#adapters/aws-clients';
import { DynamoRecordStore } from '#adapters/dynamo-record-store';
import { DynamoRetentionRuleDirectory } from '#adapters/dynamo-retention-rules';
import { newRecordId } from '#adapters/record-ids';
import { SfnWorkflowStarter } from '#adapters/sfn-workflow-starter';
import { retentionHoldCheck } from '#domain/holds/hold-checks';
import { StoredHolds } from '#domain/holds/stored-holds';
import { RetentionRun } from '#domain/retention/retention-run';
import { RetentionTrash } from '#domain/retention/retention-trash';
import { parseEnvironment } from '#lib/platform/function-environment';
import { type RetentionEnvironment, retentionEnvironmentSchema } from '#lib/platform/retention-environment';

export interface RetentionRuntime {
  readonly env: RetentionEnvironment;
  readonly logger: Logger;
  readonly clients: AwsClients;
  readonly run: RetentionRun;
}

let runtime: RetentionRuntime | undefined;

/** Made once per container: the region's records table, and the erasure workflow the step starts. */
export function getRetentionRuntime(): RetentionRuntime {
  if (!runtime) {
    const env = parseEnvironment(retentionEnvironmentSchema);
    const clients = createAwsClients();
    const store = new DynamoRecordStore(clients.dynamo, env.TABLE_NAME);
    const now = () => new Date();
    runtime = {
      env,
      clients,
      logger: new Logger({ serviceName: 'helpdesk-retention', persistentKeys: { region: env.HOME_REGION } }),
      run: new RetentionRun({
        store,
        rules: new DynamoRetentionRuleDirectory(clients.dynamo, env.TABLE_NAME),
        trash: new RetentionTrash({
          store,
          now,
          newId: newRecordId,
          // Inactive contacts are erased by the erasure workflow: the step starts their executions.
          erasureWorkflow:
            env.ERASURE_STATE_MACHINE_ARN === undefined
              ? undefined
              : new SfnWorkflowStarter(clients.sfn, env.ERASURE_STATE_MACHINE_ARN),
        }),
        // A record a legal hold covers stays where it is (docs/legal-holds.md).
        holds: retentionHoldCheck(new StoredHolds(store), store, now),
      }),
    };
  }
  return runtime;
}

import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from '#adapters/aws-clients';
import { DynamoRecordStore } from '#adapters/dynamo-record-store';
import { DynamoTicketJobs } from '#adapters/dynamo-ticket-jobs';
import { newRecordId } from '#adapters/record-ids';
import { currentAgentAccess } from '#domain/agents/agent-principal';
import { TicketJobRun } from '#domain/ticket-jobs/ticket-job-run';
import { TicketService } from '#domain/tickets/ticket-service';
import { parseEnvironment } from '#lib/platform/function-environment';
import { type TicketJobEnvironment, ticketJobEnvironmentSchema } from '#lib/platform/ticket-job-environment';

export interface TicketJobRuntime {
  readonly env: TicketJobEnvironment;
  readonly logger: Logger;
  readonly run: TicketJobRun;
}

let runtime: TicketJobRuntime | undefined;

/** Made once per container: the region's records table, through the same ticket service the API uses. */
export function getTicketJobRuntime(): TicketJobRuntime {
  if (!runtime) {
    const env = parseEnvironment(ticketJobEnvironmentSchema);
    const clients = createAwsClients();
    const store = new DynamoRecordStore(clients.dynamo, env.TABLE_NAME);
    const now = () => new Date();
    runtime = {
      env,
      logger: new Logger({
        serviceName: 'helpdesk-ticket-jobs',
        persistentKeys: { region: env.HOME_REGION },
      }),
      run: new TicketJobRun({
        jobs: new DynamoTicketJobs(clients.dynamo, env.TABLE_NAME),
        agentAccess: (accountId, agentId) => currentAgentAccess(store, accountId, agentId),
        tickets: new TicketService({ store, now, newId: newRecordId }),
        now,
      }),
    };
  }
  return runtime;
}

import { randomUUID } from 'node:crypto';
import {
  acceptedTicketJobView,
  bulkDeleteSchema,
  bulkUpdateSchema,
  ticketJobView,
} from '#domain/ticket-jobs/ticket-job';
import { TicketJobService } from '#domain/ticket-jobs/ticket-job-service';
import { TicketService } from '#domain/tickets/ticket-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { parseJsonBody } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

/** A new job's id: 32 hex digits of a random UUID. */
export const newJobId = () => randomUUID().replaceAll('-', '');

/**
 * v2's bulk ticket work: `POST /tickets/bulk_update` and `/bulk_delete` answer 202 with the job's id
 * once it is stored and its execution started; `GET /jobs/{id}` says how far it got.
 */
export function createTicketJobsHandler(deps: ApiDependencies & { jobs: TicketJobService }) {
  const accepted = (job: { jobId: string }) =>
    jsonResponse(202, acceptedTicketJobView(job.jobId), { location: `/api/v2/jobs/${job.jobId}` });
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/tickets/bulk_update': async (event, principal) => {
      const { bulk_action } = parseJsonBody(event, bulkUpdateSchema);
      return accepted(
        await deps.jobs.start(principal, {
          action: 'update',
          ticketIds: bulk_action.ids,
          properties: bulk_action.properties,
        }),
      );
    },
    'POST /api/v2/tickets/bulk_delete': async (event, principal) => {
      const { bulk_action } = parseJsonBody(event, bulkDeleteSchema);
      return accepted(await deps.jobs.start(principal, { action: 'delete', ticketIds: bulk_action.ids }));
    },
    'GET /api/v2/jobs/{id}': async (event, principal) =>
      jsonResponse(200, ticketJobView(await deps.jobs.get(principal, event.pathParameters?.id ?? ''))),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('ticketJobs');
  return createTicketJobsHandler({
    ...runtime,
    jobs: new TicketJobService({
      jobs: runtime.ticketJobs,
      workflow: runtime.workflows.ticketJobs,
      tickets: new TicketService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
      now: runtime.now,
      newJobId,
    }),
  });
});

import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TicketFields } from '#domain/tickets/ticket-schema';
import type {
  TicketJob,
  TicketJobAction,
  TicketJobResult,
  TicketJobStatus,
} from '#domain/ticket-jobs/ticket-job';
import type { TicketJobStore } from '#domain/ticket-jobs/ticket-job-store';

/** How long a job's record is kept after it was asked for (DynamoDB TTL): its ids and outcomes only. */
export const ticketJobLifetimeDays = 7;

/** A job's item: in the account's own key space (`A#<account>#JOB#<job>`), so no other account reaches it. */
const jobKey = (accountId: string, jobId: string) => ({ pk: `A#${accountId}#JOB#${jobId}`, sk: 'JOB' });

interface JobItem {
  readonly job_id: string;
  readonly agent_id: number;
  readonly action: TicketJobAction;
  readonly ticket_ids: number[];
  readonly properties?: Partial<TicketFields>;
  readonly status: TicketJobStatus;
  readonly results: Record<string, TicketJobResult>;
  readonly error?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Ticket jobs in the region's records table: one item per job, outcomes in a map keyed by ticket id. */
export class DynamoTicketJobs implements TicketJobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: TicketJob): Promise<void> {
    const expiresAt = Math.floor(Date.parse(job.createdAt) / 1000) + ticketJobLifetimeDays * 86_400;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...jobKey(job.accountId, job.jobId),
          item_type: 'ticket_job',
          job_id: job.jobId,
          agent_id: job.agentId,
          action: job.action,
          ticket_ids: [...job.ticketIds],
          ...(job.properties && { properties: job.properties }),
          status: job.status,
          results: job.results,
          created_at: job.createdAt,
          updated_at: job.updatedAt,
          expires_at: expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(accountId: string, jobId: string): Promise<TicketJob | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: jobKey(accountId, jobId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const item = Item as JobItem;
    return {
      accountId,
      jobId: item.job_id,
      agentId: item.agent_id,
      action: item.action,
      ticketIds: item.ticket_ids,
      ...(item.properties && { properties: item.properties }),
      status: item.status,
      results: item.results,
      ...(item.error && { error: item.error }),
      createdAt: item.created_at,
      updatedAt: item.updated_at,
    };
  }

  async recordResult(
    accountId: string,
    jobId: string,
    ticketId: number,
    result: TicketJobResult,
    at: string,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: jobKey(accountId, jobId),
        UpdateExpression: 'SET results.#ticket = :result, updated_at = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#ticket': String(ticketId) },
        ExpressionAttributeValues: { ':result': result, ':at': at },
      }),
    );
  }

  async finish(
    accountId: string,
    jobId: string,
    status: 'completed' | 'failed',
    at: string,
    error?: string,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: jobKey(accountId, jobId),
        UpdateExpression: `SET #status = :status, updated_at = :at${error ? ', #error = :error' : ''} REMOVE properties`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status', ...(error && { '#error': 'error' }) },
        ExpressionAttributeValues: { ':status': status, ':at': at, ...(error && { ':error': error }) },
      }),
    );
  }
}

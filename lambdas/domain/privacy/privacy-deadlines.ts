import type { ErasureStore } from './erasure-store.ts';
import { isTrashKept, type PrivacyRequestFields, trashExecutionName } from './privacy-request.ts';
import type { RecordStore } from '#domain/records/record-store';
import type { WorkflowStarter } from './workflow-starter.ts';

export interface PrivacyDeadlinesDependencies {
  readonly store: RecordStore;
  readonly erasure: ErasureStore;
  /** Starts executions of the erasure workflow (the purge of a soft erasure's trash). */
  readonly erasureWorkflow: WorkflowStarter;
  readonly now: () => Date;
}

/** At most this many purges start per run; the next run takes the rest (runs are hourly). */
const purgesPerRun = 200;
/** Overdue requests counted per run; more still reads as "many" to the alarm. */
const overdueCountLimit = 10_000;

/**
 * The region's privacy deadlines, checked on a schedule: how many requests are past `due_at` (the
 * alarm's metric), and which soft erasures' 60 days are over (their purge starts). Both are Queries
 * of the deadlines index, whatever the number of accounts.
 */
export class PrivacyDeadlines {
  constructor(private readonly deps: PrivacyDeadlinesDependencies) {}

  async overdueRequests(): Promise<number> {
    const due = await this.deps.erasure.dueRecords(
      'privacy-request-due',
      this.deps.now().toISOString(),
      overdueCountLimit,
    );
    return due.length;
  }

  /**
   * Starts the purge of every trash past its date (its 60 days, or the daily run over entries legal
   * holds keep); answers how many were started (or already running).
   */
  async startDuePurges(): Promise<number> {
    const due = await this.deps.erasure.dueRecords(
      'trash-purge',
      this.deps.now().toISOString(),
      purgesPerRun,
    );
    let started = 0;
    for (const { accountId, ref } of due) {
      const request = await this.deps.store.get<PrivacyRequestFields>(accountId, ref);
      const trash = request?.fields.trash;
      if (!request || !trash || !(isTrashKept(trash) || trash.state === 'purging')) continue;
      await this.deps.erasureWorkflow.start(trashExecutionName(accountId, ref.id, 'purge', trash), {
        accountId,
        requestId: ref.id,
        operation: 'purge',
      });
      started += 1;
    }
    return started;
  }
}

import { DomainError } from '#domain/errors';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import { ChunkWriter } from './chunk-writer.ts';
import { type ChunkPage, chunksOf, pagesOf } from './chunk-pages.ts';
import { type ChunkRef, type ImportPhase, importPhases, phaseOf, splitFile } from './file-splitter.ts';
import { type MigrationFiles, type MigrationLedger, migrationKeys } from './migration-files.ts';
import {
  addCounts,
  deriveMigration,
  type MigrationCounts,
  type MigrationFields,
  migrationRef,
  migrationWorkflowActor,
  noCounts,
  type StoredMigration,
  stoppedRun,
} from './migration.ts';
import { MalformedFileError } from './source-reader.ts';

/** The run is not the migration's current one, or the migration is gone: no retry can change that. */
export class MigrationNotRunnableError extends DomainError {
  constructor(reason: string) {
    super(reason, 'not_runnable');
    this.name = 'MigrationNotRunnable';
  }
}

export interface MigrationRunDependencies {
  readonly store: RecordStore;
  readonly files: MigrationFiles;
  readonly ledger: MigrationLedger;
  readonly now: () => Date;
  /** Map iterations a run takes at most (default maxPagesPerRun; tests: fewer, for pages of several chunks). */
  readonly maxPages?: number;
}

/** The pages of chunks each phase writes. */
export type MigrationPlan = Record<ImportPhase, ChunkPage[]>;

/**
 * The steps of a migration's workflow run: mark it running, split the files into chunks, write each
 * chunk, report. Each step may run again (a retry, a resumed run) and changes nothing more the second
 * time. Status changes are audited as the system actor `migration-workflow`.
 */
export class MigrationRun {
  private readonly lifecycle: RecordLifecycle<MigrationFields>;
  private readonly writer: ChunkWriter;

  constructor(private readonly deps: MigrationRunDependencies) {
    this.lifecycle = new RecordLifecycle(deps, deriveMigration, 'The migration changed meanwhile.');
    this.writer = new ChunkWriter(deps);
  }

  private async read(accountId: string, id: number, run: number): Promise<StoredMigration> {
    const migration = await this.deps.store.get<MigrationFields>(accountId, migrationRef(id));
    if (!migration || migration.deletedAt) throw new MigrationNotRunnableError('The migration is gone.');
    if (migration.fields.run !== run)
      throw new MigrationNotRunnableError('A later run of this migration was started.');
    return migration;
  }

  private change(
    accountId: string,
    id: number,
    changes: (fields: MigrationFields) => Partial<MigrationFields>,
  ) {
    return this.lifecycle.updateAs(migrationWorkflowActor, accountId, migrationRef(id), (previous) =>
      changes(previous.fields),
    );
  }

  async markRunning(accountId: string, id: number, run: number): Promise<void> {
    await this.read(accountId, id, run);
    await this.change(accountId, id, (fields) => {
      if (fields.run !== run)
        throw new MigrationNotRunnableError('A later run of this migration was started.');
      return fields.status === 'queued' ? { status: 'running' } : {};
    });
  }

  /**
   * Splits every file (in the source's order) before anything is written, so a malformed file fails
   * the migration with nothing imported. Answers the chunks of each phase.
   */
  async split(accountId: string, id: number, run: number): Promise<MigrationPlan> {
    const migration = await this.read(accountId, id, run);
    const chunks: Record<ImportPhase, ChunkRef[]> = {
      companies: [],
      people: [],
      tickets: [],
      conversations: [],
    };
    for (const file of migration.fields.files) {
      try {
        chunks[phaseOf[file.entity]].push(
          ...(await splitFile(this.deps, { accountId, id, source: migration.fields.source }, file)),
        );
      } catch (error) {
        if (error instanceof MalformedFileError) {
          const at = this.deps.now().toISOString();
          await this.change(accountId, id, () => ({
            status: 'failed',
            failure: { reason: error.message, entity: error.entity, line: error.line, at },
          }));
        }
        throw error;
      }
    }
    for (const phase of importPhases)
      chunks[phase].sort((a, b) => a.entity.localeCompare(b.entity) || a.index - b.index);
    return pagesOf(chunks, this.deps.maxPages);
  }

  /**
   * Writes a page of chunks, one after another (a chunk written before, by an earlier attempt or run,
   * is skipped by its ledger entry). Stops when the run is no longer the migration's current one, or
   * was marked failed meanwhile: tasks of a stopped execution may still be running.
   */
  async writePage(accountId: string, id: number, run: number, page: ChunkPage): Promise<MigrationCounts> {
    let counts = noCounts;
    for (const chunk of chunksOf(page)) {
      const migration = await this.read(accountId, id, run);
      if (migration.fields.status === 'failed') throw new MigrationNotRunnableError('This run has failed.');
      counts = addCounts(
        counts,
        await this.writer.write({ accountId, id, source: migration.fields.source }, chunk),
      );
    }
    return counts;
  }

  /**
   * Sums the ledger, joins the failures into one report (streamed), marks the migration completed and
   * deletes its working files (uploads, chunks, report parts: copies of imported data). Run again, it
   * keeps the report it wrote (its parts may be deleted already) and finishes the deletion.
   */
  async report(accountId: string, id: number, run: number): Promise<MigrationCounts> {
    const migration = await this.read(accountId, id, run);
    const counts = await this.deps.ledger.totals(accountId, id);
    const { files } = this.deps;
    if (migration.fields.status !== 'completed') {
      async function* reportLines() {
        for await (const key of files.list(migrationKeys.errorsPrefix(accountId, id))) {
          for await (const line of files.lines(key)) if (line) yield `${line}\n`;
        }
      }
      await files.write(migrationKeys.report(accountId, id), 'application/x-ndjson', reportLines());
      const at = this.deps.now().toISOString();
      await this.change(accountId, id, (fields) =>
        fields.status === 'completed' ? {} : { status: 'completed', completed_at: at, counts, failure: null },
      );
    }
    await files.deleteUnder(migrationKeys.files(accountId, id));
    return counts;
  }

  /** The workflow's Catch: records the error's name unless the run already said why it failed. */
  async fail(accountId: string, id: number, run: number, error: string): Promise<void> {
    const migration = await this.deps.store.get<MigrationFields>(accountId, migrationRef(id));
    if (!migration || migration.fields.run !== run) return;
    const at = this.deps.now().toISOString();
    await this.change(accountId, id, (fields) => stoppedRun(fields, run, error, at));
  }
}

import { DomainError } from '#domain/errors';
import type { Actor } from '#domain/records/record';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import { type MigrationFiles, migrationKeys } from './migration-files.ts';
import { deriveMigration, type MigrationFields, type StoredMigration } from './migration.ts';

/**
 * A migration of the account is queued or running: its files may hold the subject's rows, which it
 * would import again after the erasure. The erasure waits (the workflow retries this error) and fails
 * with this name if the migration outlasts it.
 */
export class MigrationRunningError extends DomainError {
  constructor() {
    super('A migration of the account is running; the erasure starts once it ends.', 'migration_running');
    this.name = 'MigrationRunning';
  }
}

/** How a failed migration whose files an erasure deleted says so. */
const filesDeleted = 'Its files were deleted by the erasure of privacy request';

/** Migrations listed per page while looking for running ones. */
const pageSize = 100;

/**
 * What an erasure does to an account's migrations before it erases the subject. It cannot tell which
 * rows of a migration's files are the subject's (they are source rows, not yet records), so: it waits
 * while any migration of the account is queued or running, then deletes the working files (uploads,
 * chunks, report parts) of every migration of the account. A failed migration whose files go says so
 * and cannot run again; one awaiting upload takes new uploads. Error reports stay until they expire.
 */
export class MigrationsBeforeErasure {
  private readonly lifecycle: RecordLifecycle<MigrationFields>;

  constructor(
    private readonly deps: {
      readonly store: RecordStore;
      readonly files: MigrationFiles;
      readonly now: () => Date;
      readonly actor: Actor;
    },
  ) {
    this.lifecycle = new RecordLifecycle(deps, deriveMigration, 'The migration changed meanwhile.');
  }

  /** Throws MigrationRunningError while one runs; else deletes the account's migration files. */
  async clear(accountId: string, requestId: number): Promise<void> {
    const migrations = await this.migrationsOf(accountId);
    if (migrations.some(({ fields }) => fields.status === 'queued' || fields.status === 'running'))
      throw new MigrationRunningError();
    await this.deps.files.deleteUnder(migrationKeys.accountFiles(accountId));
    const reason = `${filesDeleted} ${requestId}; create a new migration.`;
    for (const migration of migrations.filter(({ fields }) => fields.status === 'failed')) {
      if (migration.fields.failure?.reason.startsWith(filesDeleted)) continue;
      await this.lifecycle.updateAs(this.deps.actor, accountId, migration.ref, (previous) =>
        previous.fields.status === 'failed'
          ? { failure: { reason, entity: null, line: null, at: this.deps.now().toISOString() } }
          : {},
      );
    }
  }

  private async migrationsOf(accountId: string): Promise<StoredMigration[]> {
    const migrations: StoredMigration[] = [];
    for (let page = 1; ; page += 1) {
      const listed = await this.deps.store.list<MigrationFields>(accountId, 'migration', {
        page,
        perPage: pageSize,
      });
      migrations.push(...listed.records.filter((migration) => !migration.deletedAt));
      if (!listed.hasMore) return migrations;
    }
  }
}

import { z } from 'zod';
import { recordViewSchema } from '#domain/records/record-view-schema';
import type { Principal } from '#domain/account';
import { requirePermission } from '#domain/roles/permission-check';
import { ConflictError } from '#domain/errors';
import type { PresignedDownload, PresignedUpload } from '#domain/object-store';
import type { WorkflowStarter } from '#domain/privacy/workflow-starter';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import { etagOf } from '#domain/records/record';
import { requireCategoryHosted } from '#domain/residency-rules';
import { recordableErrorName } from '#domain/workflow-error';
import type { HostingRegionKey } from '#lib/residency/index';
import { type MigrationFiles, type MigrationLedger, migrationKeys } from './migration-files.ts';
import {
  type CreateMigration,
  deriveMigration,
  type FileFormat,
  type MigrationCounts,
  type MigrationFields,
  migrationExecutionName,
  migrationRef,
  migrationWorkflowActor,
  noCounts,
  fileFormats,
  migrationSources,
  migrationStatuses,
  type SourceEntity,
  sourceEntities,
  type StoredMigration,
  stoppedRun,
} from './migration.ts';
import type { Paging } from '#domain/records/paging';

/** How long an upload URL and an error report link stay valid. */
export const migrationUrlSeconds = 3600;

export const contentTypes: Readonly<Record<FileFormat, string>> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
};

export interface MigrationServiceDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
  readonly files: MigrationFiles;
  readonly ledger: MigrationLedger;
  readonly workflow?: WorkflowStarter;
  readonly homeRegion: HostingRegionKey;
}

/** A migration as the API shows it, with live counts and, once completed, the error report's link. */
export interface MigrationView {
  readonly record: StoredMigration;
  readonly counts: MigrationCounts;
  readonly errorReport?: PresignedDownload;
  readonly uploads?: { entity: SourceEntity; upload: PresignedUpload }[];
}

/** Migrations: an admin creates one (upload URLs), uploads the files, starts it, and watches it. */
export class MigrationService {
  private readonly lifecycle: RecordLifecycle<MigrationFields>;

  constructor(private readonly deps: MigrationServiceDependencies) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveMigration,
      'The migration changed meanwhile; read it again.',
    );
  }

  async create(principal: Principal, input: CreateMigration): Promise<MigrationView> {
    requirePermission(principal, 'admin.migrations', 'import data');
    // Everything a migration writes must be hosted in this region (the account's home region).
    for (const category of ['contacts', 'agents', 'tickets'] as const)
      requireCategoryHosted(category, this.deps.homeRegion);
    const at = this.deps.now().toISOString();
    const order: readonly string[] = sourceEntities[input.source];
    const files = [...input.files].sort((a, b) => order.indexOf(a.entity) - order.indexOf(b.entity));
    const record = await this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: migrationRef(this.deps.newId()),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: {
          source: input.source,
          files,
          status: 'awaiting_upload',
          created_by: principal.agentId,
          run: 0,
          execution_name: null,
          started_at: null,
          completed_at: null,
          counts: null,
          failure: null,
        },
        subjects: [],
      },
      Object.keys(input),
    );
    return { record, counts: noCounts, uploads: await this.uploadUrls(record, files) };
  }

  /** Fresh upload URLs for the files not uploaded yet (the first ones expired, or were lost). */
  async reissueUploads(principal: Principal, id: number): Promise<MigrationView> {
    requirePermission(principal, 'admin.migrations', 'import data');
    const record = await this.lifecycle.getLive(principal, migrationRef(id));
    if (record.fields.status !== 'awaiting_upload')
      throw new ConflictError('The migration was started; its files cannot be uploaded again.');
    const missing = [];
    for (const file of record.fields.files) {
      const key = migrationKeys.upload(principal.accountId, id, file.entity, file.format);
      if (!(await this.deps.files.exists(key))) missing.push(file);
    }
    return { record, counts: noCounts, uploads: await this.uploadUrls(record, missing) };
  }

  /** Upload URLs binding each file's media type, and its size where announced. */
  private async uploadUrls(record: StoredMigration, files: readonly MigrationFields['files'][number][]) {
    return Promise.all(
      files.map(async (file) => ({
        entity: file.entity,
        upload: await this.deps.files.presignUpload(
          migrationKeys.upload(record.accountId, record.ref.id, file.entity, file.format),
          { contentType: contentTypes[file.format], bytes: file.size },
          migrationUrlSeconds,
        ),
      })),
    );
  }

  async get(principal: Principal, id: number): Promise<MigrationView> {
    requirePermission(principal, 'admin.migrations', 'see migrations');
    return this.view(await this.reconciled(await this.lifecycle.getLive(principal, migrationRef(id))));
  }

  /**
   * A migration as its execution leaves it: a run whose execution ended without saying so (timed out,
   * aborted, or failed where its Catch could not record it) is marked failed with how it ended, so no
   * migration stays `queued` or `running` after its execution is gone.
   */
  private async reconciled(migration: StoredMigration): Promise<StoredMigration> {
    const { status, execution_name: name, run } = migration.fields;
    if ((status !== 'queued' && status !== 'running') || !name || !this.deps.workflow) return migration;
    const execution = await this.deps.workflow.execution(name);
    if (!execution || execution.state === 'running' || execution.state === 'succeeded') return migration;
    const error =
      execution.state === 'failed'
        ? recordableErrorName({ Error: execution.error ?? 'ExecutionFailed' })
        : execution.state === 'timed_out'
          ? 'States.Timeout'
          : 'ExecutionAborted';
    const at = this.deps.now().toISOString();
    try {
      return await this.lifecycle.updateAs(
        migrationWorkflowActor,
        migration.accountId,
        migration.ref,
        (previous) => stoppedRun(previous.fields, run, error, at),
      );
    } catch (failure) {
      // The run's own failure task recorded it meanwhile: show what it recorded.
      if (!(failure instanceof ConflictError)) throw failure;
      return (await this.deps.store.get<MigrationFields>(migration.accountId, migration.ref)) ?? migration;
    }
  }

  async list(principal: Principal, paging: Paging) {
    requirePermission(principal, 'admin.migrations', 'see migrations');
    return this.deps.store.list<MigrationFields>(principal.accountId, 'migration', paging);
  }

  /**
   * Starts a run: once every file is uploaded, and not while one runs (then the running one is
   * answered; a run whose execution has ended counts as failed). A failed migration runs again: what
   * it already imported is skipped. A completed one is final: its files are deleted (409).
   */
  async start(principal: Principal, id: number): Promise<MigrationView> {
    requirePermission(principal, 'admin.migrations', 'import data');
    const ref = migrationRef(id);
    let migration = await this.reconciled(await this.lifecycle.getLive(principal, ref));
    if (migration.fields.status === 'completed')
      throw new ConflictError(
        'This migration is completed and its files are deleted; create a new migration to import again.',
      );
    if (migration.fields.status !== 'queued' && migration.fields.status !== 'running') {
      for (const file of migration.fields.files) {
        if (
          !(await this.deps.files.exists(
            migrationKeys.upload(principal.accountId, id, file.entity, file.format),
          ))
        ) {
          throw new ConflictError(`The ${file.entity} file is not uploaded yet; upload it first.`);
        }
      }
      const run = migration.fields.run + 1;
      migration = await this.lifecycle.update(
        principal,
        ref,
        {
          status: 'queued',
          run,
          execution_name: migrationExecutionName(principal.accountId, id, run),
          started_at: this.deps.now().toISOString(),
          completed_at: null,
          counts: null,
          failure: null,
        },
        etagOf(migration),
      );
    }
    if (!this.deps.workflow) throw new Error('No migration workflow is configured for this function');
    // Named after the run: a repeated start (a lost answer) starts the same execution once.
    await this.deps.workflow.start(migrationExecutionName(principal.accountId, id, migration.fields.run), {
      accountId: principal.accountId,
      migrationId: id,
      run: migration.fields.run,
    });
    return this.view(migration);
  }

  private async view(record: StoredMigration): Promise<MigrationView> {
    const counts = record.fields.counts ?? (await this.deps.ledger.totals(record.accountId, record.ref.id));
    if (record.fields.status !== 'completed') return { record, counts };
    const errorReport = await this.deps.files.presignDownload(
      migrationKeys.report(record.accountId, record.ref.id),
      'application/x-ndjson',
      migrationUrlSeconds,
    );
    return { record, counts, errorReport };
  }
}

const countsSchema = z.strictObject({
  total: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});
/** A migration as the API shows it; a file not uploaded yet may carry a fresh upload URL. */
export const migrationViewSchema = recordViewSchema({
  source: z.enum(migrationSources),
  status: z.enum(migrationStatuses),
  created_by: z.number().int(),
  run: z.number().int(),
  execution_name: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  failure: z
    .strictObject({
      reason: z.string(),
      entity: z.string().nullable(),
      line: z.number().int().nullable(),
      at: z.string(),
    })
    .nullable(),
  files: z.array(
    z.strictObject({
      entity: z.string(),
      format: z.enum(fileFormats),
      size: z.number().int().optional(),
      upload_url: z.string().optional(),
      upload_headers: z.record(z.string(), z.string()).optional(),
      upload_expires_at: z.string().optional(),
    }),
  ),
  counts: countsSchema,
  error_report_url: z.string().nullable(),
  error_report_expires_at: z.string().nullable(),
});
export function migrationView(view: MigrationView): z.infer<typeof migrationViewSchema> {
  const { record } = view;
  const { files, counts: _final, ...fields } = record.fields;
  return {
    id: record.ref.id,
    ...fields,
    files: files.map((file) => {
      const upload = view.uploads?.find((entry) => entry.entity === file.entity)?.upload;
      return upload
        ? {
            ...file,
            upload_url: upload.url,
            upload_headers: upload.headers,
            upload_expires_at: upload.expiresAt,
          }
        : file;
    }),
    counts: view.counts,
    error_report_url: view.errorReport?.url ?? null,
    error_report_expires_at: view.errorReport?.expiresAt ?? null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

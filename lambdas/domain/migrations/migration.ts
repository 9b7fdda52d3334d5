import { z } from 'zod';
import { maxPresignedPutBytes } from '#domain/object-store';
import { executionName } from '#domain/privacy/workflow-starter';
import type { RecordRef, StoredRecord } from '#domain/records/record';

/** Where an export comes from: Zendesk's NDJSON exports, or our own documented format. */
export const migrationSources = ['zendesk', 'native'] as const;
export type MigrationSource = (typeof migrationSources)[number];

/** The files each source takes, one per entity type, in the order their records are written. */
export const sourceEntities = {
  zendesk: ['organizations', 'users', 'tickets'],
  native: ['companies', 'contacts', 'agents', 'tickets', 'conversations'],
} as const satisfies Record<MigrationSource, readonly string[]>;
export type SourceEntity = (typeof sourceEntities)[MigrationSource][number];
export const fileFormats = ['ndjson', 'csv'] as const;
export type FileFormat = (typeof fileFormats)[number];

export const migrationStatuses = ['awaiting_upload', 'queued', 'running', 'completed', 'failed'] as const;
export type MigrationStatus = (typeof migrationStatuses)[number];

const fileSchema = z
  .object({
    entity: z.enum([...new Set(Object.values(sourceEntities).flat())] as [SourceEntity, ...SourceEntity[]]),
    format: z.enum(fileFormats).default('ndjson'),
    /** The file's size in bytes, if known: its upload URL then refuses any other size. */
    size: z.number().int().min(1).max(maxPresignedPutBytes).optional(),
  })
  .strict();

export const createMigrationSchema = z
  .object({
    source: z.enum(migrationSources),
    files: z.array(fileSchema).min(1).max(5),
  })
  .strict()
  .superRefine((body, context) => {
    const allowed: readonly string[] = sourceEntities[body.source];
    const seen = new Set<string>();
    body.files.forEach((file, index) => {
      if (!allowed.includes(file.entity)) {
        context.addIssue({
          code: 'custom',
          path: ['files', index, 'entity'],
          message: `A ${body.source} migration takes: ${allowed.join(', ')}`,
        });
      }
      if (seen.has(file.entity)) {
        context.addIssue({
          code: 'custom',
          path: ['files', index, 'entity'],
          message: 'One file per entity',
        });
      }
      seen.add(file.entity);
      if (body.source === 'zendesk' && file.format !== 'ndjson') {
        context.addIssue({
          code: 'custom',
          path: ['files', index, 'format'],
          message: "Zendesk's exports are NDJSON",
        });
      }
    });
  });
export type CreateMigration = z.infer<typeof createMigrationSchema>;

/** Counts of source records: in the files, written now, already there before, refused. */
export interface MigrationCounts {
  total: number;
  imported: number;
  skipped: number;
  failed: number;
}

export const noCounts: MigrationCounts = { total: 0, imported: 0, skipped: 0, failed: 0 };

export const addCounts = (a: MigrationCounts, b: MigrationCounts): MigrationCounts => ({
  total: a.total + b.total,
  imported: a.imported + b.imported,
  skipped: a.skipped + b.skipped,
  failed: a.failed + b.failed,
});

/**
 * A migration: which files, how far it got. It holds ids and counts only; the files themselves live in
 * the region's migrations bucket under keys made of ids.
 */
export interface MigrationFields {
  source: MigrationSource;
  /** The files to import; `size` as announced (the upload URL binds it). */
  files: { entity: SourceEntity; format: FileFormat; size?: number }[];
  status: MigrationStatus;
  created_by: number;
  /** How many times it was started; each start is its own execution, `migration-<account>-<id>-<run>`. */
  run: number;
  execution_name: string | null;
  started_at: string | null;
  completed_at: string | null;
  /** Final counts of the last completed run. */
  counts: MigrationCounts | null;
  /** Why the last run failed: the file and line where a file is malformed, or the workflow's error name. */
  failure: { reason: string; entity: SourceEntity | null; line: number | null; at: string } | null;
}

export type StoredMigration = StoredRecord<MigrationFields>;

export const migrationRef = (id: number): RecordRef => ({ type: 'migration', id });

/**
 * Each start runs its own execution, `migration-<account>-<id>-<run>`; the name repeats only for the
 * same start (a retried request), never for another account's migration of the same id.
 */
export const migrationExecutionName = (accountId: string, migrationId: number, run: number) =>
  executionName('migration', accountId, migrationId, run);

/** The actor of imported records' audit entries: the migration, by id. */
export const migrationActorId = (migrationId: number) => `migration-${migrationId}`;

/** A migration holds no one's personal data: it has no subject links. */
export const deriveMigration = (record: StoredMigration): StoredMigration => ({ ...record, subjects: [] });

/** The actor of status changes the workflow's outcome makes (the run's own tasks, or a reconciliation). */
export const migrationWorkflowActor = { type: 'system', id: 'migration-workflow' } as const;

/**
 * The change recording that run `run` stopped with the error `error` (a name, never a cause): only
 * while that run is the migration's current one and still queued or running.
 */
export function stoppedRun(
  fields: MigrationFields,
  run: number,
  error: string,
  at: string,
): Partial<MigrationFields> {
  return fields.run === run && (fields.status === 'queued' || fields.status === 'running')
    ? { status: 'failed', failure: { reason: `The import stopped: ${error}.`, entity: null, line: null, at } }
    : {};
}

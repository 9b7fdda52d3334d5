import { agentDefaults, deriveAgent } from '#domain/agents/agent-service';
import { companyDefaults, deriveCompany } from '#domain/companies/company-service';
import { contactDefaults } from '#domain/contacts/contact-schema';
import { deriveContact } from '#domain/contacts/contact-service';
import type { RecordStore } from '#domain/records/record-store';
import type { AuditEntry, RecordRef, StoredRecord } from '#domain/records/record';
import { deriveConversation } from '#domain/tickets/conversation-service';
import { ticketDefaults } from '#domain/tickets/ticket-schema';
import { deriveTicket } from '#domain/tickets/ticket-service';
import type { ImportItem, ImportKind, RecordFailure, SourceRef } from './import-item.ts';
import type { ChunkRef } from './file-splitter.ts';
import { type MigrationFiles, type MigrationLedger, migrationKeys } from './migration-files.ts';
import { type MigrationCounts, type MigrationSource, migrationActorId } from './migration.ts';
import { importedRecordId } from './source-ids.ts';

export interface ChunkWriterDependencies {
  readonly store: RecordStore;
  readonly files: MigrationFiles;
  readonly ledger: MigrationLedger;
  readonly now: () => Date;
}

interface Planned {
  readonly item: ImportItem;
  readonly ref: RecordRef;
  readonly parent?: Planned;
}

const duplicateIdReason = 'Another record of this migration has the same id.';

/**
 * What an import keeps in `imported_by` on each record it writes: the migration and the chunk, so a
 * record met again tells a resumed chunk (the same one) from a source id repeated in the files.
 */
const importerPrefix = (migrationId: number) => `${migrationActorId(migrationId)}/`;
const chunkImporter = (migrationId: number, chunk: ChunkRef) =>
  `${importerPrefix(migrationId)}${chunk.entity}/${chunk.index}`;

/** The field a unique value belongs to, for the error report when another record holds it. */
const uniqueField: Readonly<Partial<Record<ImportKind, string>>> = { contact: 'email', company: 'name' };

/**
 * Writes one chunk of a migration: resolves each record's references to records already stored (an
 * unknown one fails that record), gives each record its deterministic id, and stores them in batches
 * (each record atomically with its subject links, claims and audit entry). A record already there is
 * left alone: skipped, or counted imported when this migration wrote it in an earlier, interrupted run.
 * The chunk's counts go into the ledger last, so a chunk counts once however often it runs.
 */
export class ChunkWriter {
  constructor(private readonly deps: ChunkWriterDependencies) {}

  async write(
    migration: { accountId: string; id: number; source: MigrationSource },
    chunk: ChunkRef,
  ): Promise<MigrationCounts> {
    const { accountId, id } = migration;
    const entry = { entity: chunk.entity, chunk: chunk.index };
    const begun = await this.deps.ledger.begin(accountId, id, entry, this.deps.now().toISOString());
    if (begun.counts) return begun.counts;
    // The chunk's clock: the instant it first began, however often it is written again.
    const at = begun.startedAt;
    const idOf = (space: SourceRef['space'], sourceId: string) =>
      importedRecordId(accountId, migration.source, space, sourceId);

    // Plan: every record of the chunk (a ticket with its comments) with its id; duplicates fail.
    const planned: Planned[] = [];
    const failures: RecordFailure[] = [];
    let failed = 0;
    const seen = new Set<string>();
    const fail = (item: ImportItem, field: string | null, reason: string) =>
      failures.push({ entity: item.entity, line: item.line, source_id: item.sourceId, field, reason });
    for await (const line of this.deps.files.lines(
      migrationKeys.chunk(accountId, id, chunk.entity, chunk.index),
    )) {
      if (!line) continue;
      const item = JSON.parse(line) as ImportItem;
      const plan = (entry: ImportItem, parent?: Planned) => {
        const ref = { type: entry.kind, id: idOf(entry.space, entry.sourceId) };
        const key = `${ref.type}#${ref.id}`;
        if (seen.has(key)) {
          failed += 1;
          fail(entry, 'id', duplicateIdReason);
          return undefined;
        }
        seen.add(key);
        const next = { item: entry, ref, parent };
        planned.push(next);
        return next;
      };
      const parent = plan(item);
      if (parent) for (const child of item.children ?? []) plan(child, parent);
    }

    // Records erased since an earlier run (a data subject's erasure) stay erased, with what hung on them.
    const erased = new Set(
      (
        await this.deps.store.erasedAmong(
          accountId,
          planned.map(({ ref }) => ref),
        )
      ).map((ref) => `${ref.type}#${ref.id}`),
    );
    const isErased = (plan: Planned): boolean =>
      erased.has(`${plan.ref.type}#${plan.ref.id}`) || (plan.parent !== undefined && isErased(plan.parent));
    let erasedSkipped = 0;

    // Resolve references: each must name a live record of one of its kinds, stored in an earlier phase.
    const wanted = new Map<string, RecordRef>();
    for (const { item } of planned) {
      for (const ref of Object.values(item.refs)) {
        for (const kind of ref.kinds) {
          const target = { type: kind, id: idOf(ref.space, ref.sourceId) };
          wanted.set(`${target.type}#${target.id}`, target);
        }
      }
    }
    const found = new Map(
      (await this.deps.store.getMany(accountId, [...wanted.values()]))
        .filter((record) => !record.deletedAt)
        .map((record) => [`${record.ref.type}#${record.ref.id}`, record]),
    );
    const resolve = (ref: SourceRef): StoredRecord<object> | undefined => {
      const targetId = idOf(ref.space, ref.sourceId);
      for (const kind of ref.kinds) {
        const record = found.get(`${kind}#${targetId}`);
        if (record) return record;
      }
      return undefined;
    };

    const entries: { record: StoredRecord<object>; audit: AuditEntry }[] = [];
    const built = new Map<number, StoredRecord<object>>();
    const failedIds = new Set<number>();
    const uniques = new Set<string>();
    const refuse = (plan: Planned, field: string | null, reason: string) => {
      failedIds.add(plan.ref.id);
      failed += 1;
      fail(plan.item, field, reason);
    };
    for (const plan of planned) {
      const { item } = plan;
      if (isErased(plan)) {
        erasedSkipped += 1;
        continue;
      }
      if (plan.parent && failedIds.has(plan.parent.ref.id)) {
        refuse(plan, null, 'Its ticket was not imported.');
        continue;
      }
      const refs: Record<string, StoredRecord<object>> = {};
      const unresolved = Object.entries(item.refs).filter(([field, ref]) => {
        const target = resolve(ref);
        if (target) refs[field] = target;
        return !target;
      });
      if (unresolved.length) {
        const [, ref] = unresolved[0] as [string, SourceRef];
        refuse(plan, ref.field, `No ${ref.kinds.join(' or ')} with this source id was imported.`);
        continue;
      }
      const record = this.recordOf(accountId, plan, refs, built, at);
      const uniqueValue = record.uniqueValues && Object.entries(record.uniqueValues)[0];
      if (uniqueValue) {
        const key = `${record.ref.type}#${uniqueValue.join('#')}`;
        if (uniques.has(key)) {
          refuse(
            plan,
            uniqueField[item.kind] ?? null,
            'Another record of this chunk has the same value; it must be unique.',
          );
          continue;
        }
        uniques.add(key);
      }
      built.set(record.ref.id, record);
      entries.push({
        record,
        audit: {
          at,
          actor: { type: 'system', id: migrationActorId(id) },
          operation: 'create',
          record: record.ref,
          changedFields: Object.keys(item.fields).sort(),
        },
      });
    }

    const importedBy = chunkImporter(id, chunk);
    const itemOf = new Map(planned.map((plan) => [`${plan.ref.type}#${plan.ref.id}`, plan.item]));
    const counts: MigrationCounts = { total: 0, imported: 0, skipped: 0, failed: 0 };
    for (const outcome of await this.deps.store.importRecords(entries, importedBy)) {
      const item = itemOf.get(`${outcome.ref.type}#${outcome.ref.id}`) as ImportItem;
      if (outcome.result === 'created') counts.imported += 1;
      else if (outcome.result === 'existed') {
        // This chunk wrote it in an interrupted run: imported. Another chunk of this migration wrote
        // it first: the source id is repeated in the files, and this later line is not imported.
        if (outcome.importedBy === importedBy) counts.imported += 1;
        else if (outcome.importedBy?.startsWith(importerPrefix(id))) {
          failed += 1;
          fail(item, 'id', duplicateIdReason);
        } else counts.skipped += 1;
      } else {
        failed += 1;
        if (outcome.result === 'conflict') {
          fail(
            item,
            uniqueField[item.kind] ?? null,
            `Another ${item.kind} already has this value; it must be unique.`,
          );
        } else fail(item, null, 'The record is too large to store.');
      }
    }
    counts.skipped += erasedSkipped;
    counts.failed = failed;
    counts.total = counts.imported + counts.skipped + counts.failed;
    if (failures.length) {
      await this.deps.files.write(
        migrationKeys.errors(accountId, id, chunk.entity, 'chunk', chunk.index),
        'application/x-ndjson',
        failures.map((failure) => `${JSON.stringify(failure)}\n`),
      );
    }
    // The file's ledger entry counts its records; a chunk's entry says what became of them.
    await this.deps.ledger.record(accountId, id, entry, { ...counts, total: 0 });
    return counts;
  }

  /** The stored record of a planned item, derived as the record type's own service derives it. */
  private recordOf(
    accountId: string,
    plan: Planned,
    refs: Readonly<Record<string, StoredRecord<object>>>,
    built: ReadonlyMap<number, StoredRecord<object>>,
    at: string,
  ): StoredRecord<object> {
    const { item, ref } = plan;
    const createdAt = item.createdAt ?? at;
    const updatedAt = item.updatedAt && item.updatedAt > createdAt ? item.updatedAt : createdAt;
    const base = { accountId, ref, version: 1, createdAt, updatedAt, subjects: [] };
    const idOf = (field: string) => refs[field]?.ref.id ?? null;
    switch (item.kind) {
      case 'company':
        return deriveCompany({ ...base, fields: { ...companyDefaults, ...item.fields } as never });
      case 'contact':
        return deriveContact({
          ...base,
          fields: { ...contactDefaults, ...item.fields, company_id: idOf('company_id') } as never,
        });
      case 'agent':
        return deriveAgent({ ...base, fields: { ...agentDefaults, ...item.fields } as never });
      case 'ticket':
        return deriveTicket({
          ...base,
          fields: {
            ...ticketDefaults,
            ...item.fields,
            requester_id: idOf('requester_id'),
            responder_id: idOf('responder_id'),
            company_id: idOf('company_id'),
          } as never,
        });
      case 'conversation': {
        // A Zendesk comment belongs to the ticket it came with; our format's names its ticket.
        const ticket = (plan.parent ? built.get(plan.parent.ref.id) : refs.ticket_id) as StoredRecord<{
          requester_id: number;
        }>;
        const author = (refs.user_id as StoredRecord<object>).ref;
        return deriveConversation({
          ...base,
          fields: {
            from_email: null,
            cc_emails: [],
            bcc_emails: [],
            notify_emails: [],
            ...(item.fields as { body: string; private: boolean; source: 0 | 2; incoming: boolean }),
            ticket_id: ticket.ref.id,
            requester_id: ticket.fields.requester_id,
            user_id: author.id,
            author_kind: author.type === 'contact' ? 'contact' : 'agent',
          },
        });
      }
    }
  }
}

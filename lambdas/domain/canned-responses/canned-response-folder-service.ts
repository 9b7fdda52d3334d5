import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { requirePermission } from '#domain/roles/permission-check';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';

/** A folder's fields as stored: v2's name and `personal`, and how many responses it holds. */
export interface CannedResponseFolderFields {
  readonly name: string;
  /** v2's personal folders are each agent's own; folders made through the API are shared ones. */
  readonly personal: boolean;
  /** Kept in the same transaction as every response created in or moved to or from the folder. */
  readonly responses_count: number;
}

const folderName = z.string().trim().min(1, 'It should not be blank').max(240);
/** POST /api/v2/canned_response_folders and PUT /api/v2/canned_response_folders/{id}: v2's one field. */
export const cannedResponseFolderSchema = z.object({ name: folderName }).strict();

export const cannedResponseFolderRef = (id: number): RecordRef => ({ type: 'canned_response_folder', id });
export type StoredCannedResponseFolder = StoredRecord<CannedResponseFolderFields>;

const deriveFolder = (record: StoredCannedResponseFolder): StoredCannedResponseFolder => ({
  ...record,
  subjects: [],
  uniqueValues: { name: record.fields.name.trim().toLowerCase() },
});

/** Admins (or a role with admin.canned_responses) change canned responses and their folders. */
export const requireCannedResponseAdmin = (principal: Principal) =>
  requirePermission(principal, 'admin.canned_responses', 'change canned responses and their folders');

/** Folders of canned responses: every agent reads them, admins create and rename them (v2 deletes none). */
export class CannedResponseFolderService {
  readonly lifecycle: RecordLifecycle<CannedResponseFolderFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveFolder,
      'A canned response folder of that name exists, or it changed since you read it.',
    );
  }

  create(principal: Principal, input: { name: string }): Promise<StoredCannedResponseFolder> {
    requireCannedResponseAdmin(principal);
    const at = this.deps.now().toISOString();
    return this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: cannedResponseFolderRef(this.deps.newId()),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: { name: input.name, personal: false, responses_count: 0 },
        subjects: [],
      },
      ['name'],
    );
  }

  get = (principal: Principal, id: number) => this.lifecycle.getLive(principal, cannedResponseFolderRef(id));

  list = (principal: Principal, paging: Paging) =>
    this.deps.store.list<CannedResponseFolderFields>(principal.accountId, 'canned_response_folder', paging);

  update(principal: Principal, id: number, changes: { name: string }, ifMatch?: string) {
    requireCannedResponseAdmin(principal);
    return this.lifecycle.update(principal, cannedResponseFolderRef(id), changes, ifMatch);
  }
}

/** A folder as Freshdesk v2 shows it. */
export const cannedResponseFolderViewSchema = recordViewSchema({
  name: z.string(),
  personal: z.boolean(),
  responses_count: z.number().int(),
});
export function cannedResponseFolderView(
  record: StoredCannedResponseFolder,
): z.infer<typeof cannedResponseFolderViewSchema> {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}

import { z } from 'zod';
import { updateSchemaOf } from '#domain/records/write-schemas';
import { attachmentViewSchema } from '#domain/attachments/attachment-view';
import { recordViewSchema } from '#domain/records/record-view-schema';
import type { Principal } from '#domain/account';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors';
import { childrenKey } from '#domain/records/children-key';
import type { Paging } from '#domain/records/paging';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordChange, RecordPage, RecordStore } from '#domain/records/record-store';
import { etagOf, type RecordRef, type StoredRecord } from '#domain/records/record';
import { htmlToText } from '#domain/tickets/html-text';
import {
  CannedResponseFolderService,
  type StoredCannedResponseFolder,
  cannedResponseFolderViewSchema,
  requireCannedResponseAdmin,
} from './canned-response-folder-service.ts';
import {
  type CannedResponseVisibility,
  cannedResponseVisibilities,
  seesCannedResponse,
} from './canned-response-visibility.ts';

const settable = {
  title: z.string().trim().min(1, 'It should not be blank').max(240),
  content_html: z.string().min(1, 'It should not be blank').max(100_000),
  folder_id: z.number().int().positive(),
  visibility: z
    .number()
    .int()
    .refine((value) => Object.values<number>(cannedResponseVisibilities).includes(value), {
      message: 'It should be one of these values: 0,1,2',
    })
    .transform((value) => value as CannedResponseVisibility),
  group_ids: z.array(z.number().int().positive()).max(100),
};

/** POST /api/v2/canned_responses: v2 requires the title, the HTML content and the folder. */
export const createCannedResponseSchema = z
  .object(settable)
  .partial()
  .required({ title: true, content_html: true, folder_id: true })
  .strict();
/** PUT /api/v2/canned_responses/{id}. */
export const updateCannedResponseSchema = updateSchemaOf(z.object(settable));
export type CannedResponseInput = z.infer<typeof updateCannedResponseSchema>;

export interface CannedResponseFields {
  readonly title: string;
  readonly content_html: string;
  readonly folder_id: number;
  readonly visibility: CannedResponseVisibility;
  /** The groups whose agents see it (visibility 2); empty otherwise. */
  readonly group_ids: readonly number[];
  /** The agent who wrote it, by id only: who sees it when it is personal. Never shown. */
  readonly created_by: number;
}
export type StoredCannedResponse = StoredRecord<CannedResponseFields>;

const responseRef = (id: number): RecordRef => ({ type: 'canned_response', id });
export const folderResponsesKey = (folderId: number) =>
  childrenKey('canned_response_folder', folderId, 'canned_response');

const deriveResponse = (record: StoredCannedResponse): StoredCannedResponse => ({
  ...record,
  subjects: [],
  parent: { key: folderResponsesKey(record.fields.folder_id) },
});

const invalid = (field: string, message: string) =>
  new ValidationError([{ field, message, code: 'invalid_value' }]);

/**
 * Canned responses (v2): every agent reads those visible to them, admins write them. Each lives in a
 * folder whose `responses_count` changes in the same transaction as the response.
 */
export class CannedResponseService {
  private readonly lifecycle: RecordLifecycle<CannedResponseFields>;
  private readonly folders: CannedResponseFolderService;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveResponse,
      'The canned response or its folder changed since you read it. Read it again and retry.',
    );
    this.folders = new CannedResponseFolderService(deps);
  }

  async create(principal: Principal, input: CannedResponseInput): Promise<StoredCannedResponse> {
    requireCannedResponseAdmin(principal);
    const folder = await this.requireFolder(principal, input.folder_id as number);
    const visibility = input.visibility ?? cannedResponseVisibilities.allAgents;
    const groupIds = await this.checkedGroups(principal, visibility, input.group_ids ?? []);
    const at = this.deps.now().toISOString();
    const record: StoredCannedResponse = {
      accountId: principal.accountId,
      ref: responseRef(this.deps.newId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        title: input.title as string,
        content_html: input.content_html as string,
        folder_id: folder.ref.id,
        visibility,
        group_ids: groupIds,
        created_by: principal.agentId,
      },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input), undefined, [
      this.counted(principal, folder, +1),
    ]);
  }

  /** A response the caller sees; else (another account's, or hidden from them) not found. */
  async get(principal: Principal, id: number): Promise<StoredCannedResponse> {
    const record = await this.lifecycle.getLive(principal, responseRef(id));
    const sees = await this.visibilityFor(principal);
    if (!sees(record)) throw new NotFoundError();
    return record;
  }

  /** Every response the caller sees, most recently updated first. */
  async list(principal: Principal, paging: Paging): Promise<RecordPage<CannedResponseFields>> {
    const where = await this.visibilityFor(principal);
    return this.deps.store.list<CannedResponseFields>(principal.accountId, 'canned_response', {
      ...paging,
      where,
    });
  }

  /** The responses of a folder the caller sees, newest first (404 for a folder that does not exist). */
  async listInFolder(principal: Principal, folderId: number, paging: Paging) {
    await this.folders.get(principal, folderId);
    const where = await this.visibilityFor(principal);
    return this.deps.store.listByParent<CannedResponseFields>(
      principal.accountId,
      folderResponsesKey(folderId),
      { ...paging, where },
    );
  }

  async update(
    principal: Principal,
    id: number,
    changes: CannedResponseInput,
    ifMatch?: string,
  ): Promise<StoredCannedResponse> {
    requireCannedResponseAdmin(principal);
    const previous = await this.get(principal, id);
    if (ifMatch && ifMatch !== etagOf(previous)) {
      throw new ConflictError(
        'The canned response changed since you read it (ETag mismatch). Read it again.',
      );
    }
    const visibility = changes.visibility ?? previous.fields.visibility;
    // Who sees it is checked again only when the update says something about it.
    const audience =
      changes.visibility === undefined && changes.group_ids === undefined
        ? {}
        : {
            visibility,
            group_ids: await this.checkedGroups(
              principal,
              visibility,
              changes.group_ids ?? previous.fields.group_ids,
            ),
          };
    const moves = changes.folder_id !== undefined && changes.folder_id !== previous.fields.folder_id;
    const alongside: RecordChange[] = [];
    if (moves) {
      const to = await this.requireFolder(principal, changes.folder_id as number);
      const from = await this.folders.get(principal, previous.fields.folder_id);
      alongside.push(this.counted(principal, from, -1), this.counted(principal, to, +1));
    }
    const change = this.lifecycle.change(principal, previous, { ...changes, ...audience });
    if (!change) return previous;
    await this.lifecycle.commit([change, ...alongside]);
    return change.next;
  }

  /** The folder's count changed by `delta`, as a change to store with the response's. */
  private counted(principal: Principal, folder: StoredCannedResponseFolder, delta: number): RecordChange {
    const change = this.folders.lifecycle.change(principal, folder, {
      responses_count: folder.fields.responses_count + delta,
    });
    return change as RecordChange;
  }

  private async requireFolder(principal: Principal, folderId: number): Promise<StoredCannedResponseFolder> {
    try {
      return await this.folders.get(principal, folderId);
    } catch (error) {
      if (error instanceof NotFoundError) throw invalid('folder_id', 'There is no folder with this id');
      throw error;
    }
  }

  /** The groups of a group response, each an existing group of the account; none for other visibilities. */
  private async checkedGroups(
    principal: Principal,
    visibility: CannedResponseVisibility,
    groupIds: readonly number[],
  ): Promise<readonly number[]> {
    if (visibility !== cannedResponseVisibilities.groups) return [];
    const unique = [...new Set(groupIds)];
    if (unique.length === 0)
      throw invalid('group_ids', 'It should name at least one group when visibility is 2');
    const groups = await this.deps.store.getMany(
      principal.accountId,
      unique.map((id) => ({ type: 'group' as const, id })),
    );
    const live = new Set(groups.filter((group) => !group.deletedAt).map((group) => group.ref.id));
    if (unique.some((id) => !live.has(id))) throw invalid('group_ids', 'There is no group with this id');
    return unique;
  }

  /** Who the caller is for visibility: their groups, read once per request with their profile. */
  private async visibilityFor(principal: Principal) {
    const agent = await this.deps.store.get<{ group_ids?: number[] }>(principal.accountId, {
      type: 'agent',
      id: principal.agentId,
    });
    const groupIds = agent?.fields.group_ids ?? [];
    return (record: StoredCannedResponse) => seesCannedResponse(principal, groupIds, record.fields);
  }
}

/** A canned response as Freshdesk v2 shows it (`content` is its HTML as text; no attachments here). */
export const cannedResponseViewSchema = recordViewSchema({
  title: z.string(),
  content_html: z.string(),
  content: z.string(),
  folder_id: z.number().int(),
  visibility: z.literal(Object.values(cannedResponseVisibilities)),
  group_ids: z.array(z.number().int()),
  attachments: z.array(attachmentViewSchema),
});
export function cannedResponseView(record: StoredCannedResponse): z.infer<typeof cannedResponseViewSchema> {
  const { created_by: _author, ...fields } = record.fields;
  return {
    id: record.ref.id,
    ...fields,
    group_ids: [...fields.group_ids],
    content: htmlToText(fields.content_html),
    attachments: [],
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/** A folder as `GET /api/v2/canned_response_folders/{id}` shows it: with the first of its responses. */
export const cannedResponseFolderWithResponsesViewSchema = cannedResponseFolderViewSchema.extend({
  canned_responses: z.array(cannedResponseViewSchema),
});

import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { requireLiveContact, withContactAndAgent } from '#domain/contacts/contact-reference';
import { requireCategoryHosted } from '#domain/residency-rules';
import type { ObjectStore } from '#domain/object-store';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { HostingRegionKey } from '#lib/residency/index';

/** Presigned URLs for recordings live this long. */
export const recordingUrlSeconds = 3600;

export const createCallSchema = z
  .object({
    direction: z.enum(['incoming', 'outgoing']),
    contact_id: z.number().int().positive().optional(),
    agent_id: z.number().int().positive().optional(),
    ticket_id: z.number().int().positive().optional(),
    phone_number: z.string().trim().max(64).optional(),
    started_at: z.iso.datetime({ offset: true }),
    duration_seconds: z.number().int().min(0).max(86_400),
    recording_content_type: z.enum(['audio/mpeg', 'audio/wav', 'audio/ogg']).default('audio/mpeg'),
  })
  .strict();

export type CallFields = Omit<
  z.infer<typeof createCallSchema>,
  'contact_id' | 'agent_id' | 'ticket_id' | 'phone_number'
> & {
  contact_id: number | null;
  agent_id: number | null;
  ticket_id: number | null;
  phone_number: string | null;
  /** Object key of the recording: ids only, no personal data. */
  recording_key: string;
};

export type StoredCall = StoredRecord<CallFields>;
const callRef = (id: number): RecordRef => ({ type: 'call', id });
export const recordingKey = (accountId: string, callId: number) =>
  `accounts/${accountId}/calls/${callId}/recording`;

const deriveCall = withContactAndAgent<StoredCall>('call');

export interface CallServiceDependencies extends ContactServiceDependencies {
  readonly homeRegion: HostingRegionKey;
  readonly objects: ObjectStore;
  /** The home region's recordings bucket; absent where recordings are not hosted. */
  readonly recordingsBucket?: string;
}

/** Call records and their recordings: only where the residency matrix hosts call recordings. */
export class CallService {
  private readonly lifecycle: RecordLifecycle<CallFields>;

  constructor(private readonly deps: CallServiceDependencies) {
    this.lifecycle = new RecordLifecycle(deps, deriveCall, 'The call changed since you read it.');
  }

  async create(principal: Principal, input: z.infer<typeof createCallSchema>) {
    const bucket = this.requireRecordingsHosted();
    if (input.contact_id !== undefined) {
      await requireLiveContact(this.deps.store, principal.accountId, input.contact_id, 'contact_id');
    }
    const id = this.deps.newId();
    const at = this.deps.now().toISOString();
    const record = await this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: callRef(id),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: {
          ...input,
          contact_id: input.contact_id ?? null,
          agent_id: input.agent_id ?? null,
          ticket_id: input.ticket_id ?? null,
          phone_number: input.phone_number ?? null,
          recording_key: recordingKey(principal.accountId, id),
        },
        subjects: [],
      },
      Object.keys(input),
    );
    const uploadUrl = await this.deps.objects.presignUpload(
      bucket,
      record.fields.recording_key,
      record.fields.recording_content_type,
      recordingUrlSeconds,
    );
    return { record, uploadUrl };
  }

  /** The call and where its recording is: in the home region once uploaded, with a download URL. */
  async get(principal: Principal, id: number) {
    const bucket = this.requireRecordingsHosted();
    const record = await this.lifecycle.getLive(principal, callRef(id));
    const uploaded = await this.deps.objects.exists(bucket, record.fields.recording_key);
    const downloadUrl = uploaded
      ? await this.deps.objects.presignDownload(bucket, record.fields.recording_key, recordingUrlSeconds)
      : undefined;
    return { record, location: uploaded ? this.deps.homeRegion : null, downloadUrl };
  }

  list(principal: Principal, filters: { contact_id?: number; page: number; perPage: number }) {
    this.requireRecordingsHosted();
    const paging = { page: filters.page, perPage: filters.perPage };
    return filters.contact_id
      ? this.deps.store.listByParent<CallFields>(
          principal.accountId,
          `contact#${filters.contact_id}#call`,
          paging,
        )
      : this.deps.store.list<CallFields>(principal.accountId, 'call', paging);
  }

  private requireRecordingsHosted(): string {
    requireCategoryHosted('call_recordings', this.deps.homeRegion);
    if (!this.deps.recordingsBucket)
      throw new Error('RECORDINGS_BUCKET is not set where recordings are hosted');
    return this.deps.recordingsBucket;
  }
}

export function callView(record: StoredCall) {
  const { recording_key: _key, ...fields } = record.fields;
  return { id: record.ref.id, ...fields, created_at: record.createdAt, updated_at: record.updatedAt };
}

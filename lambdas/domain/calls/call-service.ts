import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { requireLiveContact, withContactAndAgent } from '#domain/contacts/contact-reference';
import { requireCategoryHosted } from '#domain/residency-rules';
import { maxPresignedPutBytes, type ObjectStore } from '#domain/object-store';
import type { ObjectVersions } from '#domain/object-versions';
import { RecordTrash } from '#domain/purge/record-trash';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { HostingRegionKey } from '#lib/residency/index';
import type { Paging } from '#domain/records/paging';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/** Presigned download URLs of recordings live this long (a fresh one is signed on every read). */
export const recordingUrlSeconds = 3600;

/**
 * Presigned upload URLs of recordings live this long: 5 minutes. The call is recorded once it ended
 * (`duration_seconds` is required), so the recorder uploads at once; S3 checks a URL's expiry when the
 * request arrives, not when the body ends, so a long upload started in time completes, and 5 minutes
 * leave room for retries with backoff. Shorter than the 10-minute hold
 * (`retention.recordingHoldSeconds`): every upload through the URL starts before the first upload's
 * transfer begins; a later one is still refused by the transfer (see docs/recordings.md).
 */
export const recordingUploadUrlSeconds = 300;

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
    /** The recording's size in bytes, if known: the upload URL then refuses any other size. */
    recording_size: z.number().int().min(1).max(maxPresignedPutBytes).optional(),
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
  /** Object key of the recording: ids only, no personal data (the same key in staging and at home). */
  recording_key: string;
  /** Set by the recording-transfer workflow once the recording reached its home region from staging. */
  recording_transfer?: RecordingTransferProof;
};

/** Where a recording is: staged in the US, at home in the EEA or the US, or not uploaded yet (null). */
export type RecordingLocation = 'staging_us' | 'eea' | 'us' | null;

/** What the transfer verified and when: size and SHA-256 of the home copy, never its content. */
export interface RecordingTransferProof {
  readonly size: number;
  readonly sha256: string;
  readonly copied_at: string;
  /** When every version of the staged copy was deleted. */
  readonly staging_deleted_at?: string;
}

export type StoredCall = StoredRecord<CallFields>;

/** Which call fields are personal: the phone number; the recording key holds ids only (docs/encryption.md). */
export const callPersonalFields: PersonalFieldDeclaration<CallFields> = {
  direction: 'plain',
  contact_id: 'plain',
  agent_id: 'plain',
  ticket_id: 'plain',
  phone_number: 'personal',
  started_at: 'plain',
  duration_seconds: 'plain',
  recording_content_type: 'plain',
  recording_size: 'plain',
  recording_key: 'plain',
  recording_transfer: 'plain',
};
const callRef = (id: number): RecordRef => ({ type: 'call', id });
export const recordingKey = (accountId: string, callId: number) =>
  `accounts/${accountId}/calls/${callId}/recording`;

export const deriveCall = withContactAndAgent<StoredCall>('call');

export interface CallServiceDependencies extends ContactServiceDependencies {
  readonly homeRegion: HostingRegionKey;
  readonly objects: ObjectStore;
  /** The home region's recordings bucket; absent where recordings are not hosted. */
  readonly recordingsBucket?: string;
  /** Where recordings of this home region are staged first (EEA: the US staging bucket), if anywhere. */
  readonly recordingStaging?: {
    readonly bucket: string;
    readonly objects: ObjectStore;
    /** Deletes a staged recording with every version, when its call is deleted. */
    readonly versions: ObjectVersions;
  };
}

/** Call records and their recordings: only where the residency matrix hosts call recordings. */
export class CallService {
  private readonly lifecycle: RecordLifecycle<CallFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: CallServiceDependencies) {
    this.lifecycle = new RecordLifecycle(deps, deriveCall, 'The call changed since you read it.');
    this.trash = new RecordTrash(deps);
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
    const target = this.deps.recordingStaging ?? { bucket, objects: this.deps.objects };
    const upload = await target.objects.presignUpload(
      target.bucket,
      record.fields.recording_key,
      { contentType: record.fields.recording_content_type, bytes: record.fields.recording_size },
      recordingUploadUrlSeconds,
    );
    return { record, upload };
  }

  /**
   * The call and where its recording is. A download URL is offered only once the recording is final:
   * at home, never while it is still staged in another region.
   */
  async get(principal: Principal, id: number) {
    const bucket = this.requireRecordingsHosted();
    const record = await this.lifecycle.getLive(principal, callRef(id));
    const key = record.fields.recording_key;
    const staging = this.deps.recordingStaging;
    let location: RecordingLocation = null;
    if (staging && !record.fields.recording_transfer) {
      location = (await staging.objects.exists(staging.bucket, key)) ? 'staging_us' : null;
    } else if (await this.deps.objects.exists(bucket, key)) {
      location = this.deps.homeRegion === 'eea' ? 'eea' : 'us';
    }
    const final = location === 'eea' || location === 'us';
    const download = final
      ? await this.deps.objects.presignDownload(
          bucket,
          key,
          record.fields.recording_content_type,
          recordingUrlSeconds,
        )
      : undefined;
    return { record, location, download };
  }

  /**
   * Soft-deletes the call (hidden, 404 from then on; a recording already at home stays with it) and
   * deletes every version of a recording still staged in another region: a recording deleted during
   * its hold is gone for good, not restorable. The record goes first, so a transfer running meanwhile
   * finds the call gone and discards what it copied. On a deleted call it finishes an interrupted
   * deletion (the staged recording) and answers the same.
   */
  async delete(principal: Principal, id: number): Promise<void> {
    this.requireRecordingsHosted();
    const record = await this.lifecycle.get(principal, callRef(id));
    if (!record.deletedAt) await this.lifecycle.softDelete(principal, callRef(id));
    const staging = this.deps.recordingStaging;
    // Every time, not only before the transfer: a re-upload after it may be staged too.
    if (staging) await staging.versions.deleteEveryVersion(staging.bucket, record.fields.recording_key);
  }

  /**
   * Brings the call back with the recording kept at home; one deleted while still staged in another
   * region was deleted for good with the call's deletion and stays gone.
   */
  async restore(principal: Principal, id: number): Promise<void> {
    this.requireRecordingsHosted();
    await this.trash.restore(principal, callRef(id));
  }

  list(principal: Principal, filters: Paging & { contact_id?: number }) {
    this.requireRecordingsHosted();
    const paging = { page: filters.page, perPage: filters.perPage, cursor: filters.cursor };
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

/** A call as the API lists it. */
export const callViewSchema = recordViewSchema({
  direction: z.enum(['incoming', 'outgoing']),
  contact_id: z.number().int().nullable(),
  agent_id: z.number().int().nullable(),
  ticket_id: z.number().int().nullable(),
  phone_number: z.string().nullable(),
  started_at: z.string(),
  duration_seconds: z.number().int(),
  recording_content_type: z.enum(['audio/mpeg', 'audio/wav', 'audio/ogg']),
  recording_size: z.number().int().optional(),
});
/** A new call, with where to upload its recording. */
export const createdCallViewSchema = callViewSchema.extend({
  recording: z.strictObject({
    location: z.null(),
    upload_url: z.string(),
    upload_headers: z.record(z.string(), z.string()),
    upload_expires_at: z.string(),
  }),
});
/** One call, with where its recording is (and, once final at home, a download URL). */
export const callWithRecordingViewSchema = callViewSchema.extend({
  recording: z.strictObject({
    location: z.enum(['staging_us', 'eea', 'us']).nullable(),
    size: z.number().int().optional(),
    sha256: z.string().optional(),
    transferred_at: z.string().optional(),
    staging_deleted_at: z.string().nullable().optional(),
    download_url: z.string().optional(),
    download_expires_at: z.string().optional(),
  }),
});

export function callView(record: StoredCall): z.infer<typeof callViewSchema> {
  const { recording_key: _key, recording_transfer: _transfer, ...fields } = record.fields;
  return { id: record.ref.id, ...fields, created_at: record.createdAt, updated_at: record.updatedAt };
}

import { z } from 'zod';
import { recordViewSchema } from '#domain/records/record-view-schema';
import type { VisibleAttachment } from './attachment-service.ts';

/** An attachment as Freshdesk v2 shows it (on its own, and embedded in tickets and conversations). */
export const attachmentViewSchema = recordViewSchema({
  name: z.string(),
  content_type: z.string(),
  size: z.number().int(),
  /** Null until a presigned upload arrived. */
  attachment_url: z.string().nullable(),
});
export type AttachmentView = z.infer<typeof attachmentViewSchema>;

/** A file announced for a presigned upload, with where and how to upload it. */
export const presignedAttachmentViewSchema = attachmentViewSchema.extend({
  upload_url: z.string(),
  upload_headers: z.record(z.string(), z.string()),
  upload_expires_at: z.string(),
});
/** One attachment on its own: whether its file is there yet. */
export const attachmentStateViewSchema = attachmentViewSchema.extend({
  state: z.enum(['stored', 'awaiting_upload']),
});

export function attachmentView({ record, url }: VisibleAttachment): AttachmentView {
  return {
    id: record.ref.id,
    name: record.fields.name,
    content_type: record.fields.content_type,
    size: record.fields.size,
    attachment_url: url,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

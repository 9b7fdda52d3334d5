import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';

/**
 * The environment of the export workflow's functions (one region's table, exports bucket, and the
 * buckets the subject's files are copied from). The CDK
 * workflow construct fills it from the region's resources; the local workflow server from the emulators.
 */
export const privacyExportEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  EXPORTS_BUCKET: z.string().min(3),
  ATTACHMENTS_BUCKET: z.string().min(3),
  /** Absent in regions without call recordings (India, Australia). */
  RECORDINGS_BUCKET: z.string().min(3).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
});

export type PrivacyExportEnvironment = z.infer<typeof privacyExportEnvironmentSchema>;

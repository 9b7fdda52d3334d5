import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';

/**
 * The environment of the export workflow's functions (one region's table and exports bucket). The CDK
 * workflow construct fills it from the region's resources; the local workflow server from the emulators.
 */
export const privacyExportEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  EXPORTS_BUCKET: z.string().min(3),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
});

export type PrivacyExportEnvironment = z.infer<typeof privacyExportEnvironmentSchema>;

import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';

/**
 * The environment of the migration workflow's functions (one region's table and migrations bucket).
 * The CDK workflow construct fills it from the region's resources; the local workflow server from the
 * emulators.
 */
export const migrationEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  MIGRATIONS_BUCKET: z.string().min(3),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
});

export type MigrationEnvironment = z.infer<typeof migrationEnvironmentSchema>;

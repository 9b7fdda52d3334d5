import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';
import { awsRegionSchema, bucketNameSchema, stateMachineArnSchema } from './function-environment.ts';

/**
 * The environment of the 60-day purge's functions (one region's table and the buckets records keep
 * objects in). The CDK workflow construct fills it from the region's resources; the local workflow
 * server from the emulators.
 */
export const recordPurgeEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  ATTACHMENTS_BUCKET: z.string().min(3),
  /** Absent where the region hosts no recordings. */
  RECORDINGS_BUCKET: z.string().min(3).optional(),
  /** Where this region's recordings wait during their hold in another region (EEA: the US); else absent. */
  RECORDING_STAGING_BUCKET: bucketNameSchema.optional(),
  RECORDING_STAGING_REGION: awsRegionSchema.optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  /** Only the daily starter has it: the purge workflow it starts. */
  PURGE_STATE_MACHINE_ARN: stateMachineArnSchema.optional(),
});

export type RecordPurgeEnvironment = z.infer<typeof recordPurgeEnvironmentSchema>;

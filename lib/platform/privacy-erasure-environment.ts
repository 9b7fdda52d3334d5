import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';
import { awsRegionSchema, bucketNameSchema, stateMachineArnSchema } from './function-environment.ts';

/**
 * The environment of the erasure workflow's functions and of the privacy deadline watch (one region's
 * table, the buckets records keep objects in, the trash). The CDK constructs fill it from the region's
 * resources; the local workflow server from the emulators.
 */
/** Where the deadline watch's metrics go (the overdue alarm reads them). */
export const privacyMetricsNamespace = 'Helpdesk/Privacy';

export const privacyErasureEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  ATTACHMENTS_BUCKET: z.string().min(3),
  /** Absent where the region hosts no recordings. */
  RECORDINGS_BUCKET: z.string().min(3).optional(),
  TRASH_BUCKET: z.string().min(3),
  /**
   * Where this region's recordings wait during their hold, in another AWS region (EEA: the US staging
   * bucket): erasure deletes a subject's staged recordings there. Absent where nothing is staged.
   */
  RECORDING_STAGING_BUCKET: bucketNameSchema.optional(),
  RECORDING_STAGING_REGION: awsRegionSchema.optional(),
  /** Where the subject's earlier export bundles are, deleted with their data. */
  EXPORTS_BUCKET: z.string().min(3),
  /** The account's migration files, deleted before an erasure (see migrations-before-erasure.ts). */
  MIGRATIONS_BUCKET: z.string().min(3),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  /** Only the deadline watch has these: the workflow it starts purges with, and where its metric goes. */
  ERASURE_STATE_MACHINE_ARN: stateMachineArnSchema.optional(),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).optional(),
});

export type PrivacyErasureEnvironment = z.infer<typeof privacyErasureEnvironmentSchema>;

import { z } from 'zod';

const awsRegionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-[0-9]$/);

/**
 * The environment of the recording-transfer functions (they run in the staging region, US). The CDK
 * workflow construct fills it from deterministic names; the local workflow runtime from the emulators.
 */
export const recordingTransferEnvironmentSchema = z.object({
  /** The staging bucket in this function's own region. */
  STAGING_BUCKET: z.string().min(3),
  /** The destination: the home region's recordings bucket, table and data key. */
  HOME_AWS_REGION: awsRegionName,
  HOME_RECORDINGS_BUCKET: z.string().min(3),
  HOME_TABLE_NAME: z.string().min(3),
  /** KMS key (ARN or alias ARN) the home copy is encrypted with. */
  HOME_DATA_KEY: z.string().min(3),
  /** Only the starter function has it: the workflow it starts. */
  TRANSFER_STATE_MACHINE_ARN: z.string().min(20).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).optional(),
});

export type RecordingTransferEnvironment = z.infer<typeof recordingTransferEnvironmentSchema>;

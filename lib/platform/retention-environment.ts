import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';
import { stateMachineArnSchema } from './function-environment.ts';

/**
 * The environment of the retention workflow's functions (one region's table) and of its daily starter
 * (which alone has the state machine's ARN; the step has the erasure workflow's). The CDK construct fills it; the local workflow server too.
 */
export const retentionEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  /** Only the daily starter has it: the workflow it starts. */
  RETENTION_STATE_MACHINE_ARN: stateMachineArnSchema.optional(),
  /** Only the step has it: the erasure workflow it starts for an inactive_contacts rule's matches. */
  ERASURE_STATE_MACHINE_ARN: stateMachineArnSchema.optional(),
});

export type RetentionEnvironment = z.infer<typeof retentionEnvironmentSchema>;

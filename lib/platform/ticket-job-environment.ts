import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';

/**
 * The environment of the ticket job workflow's functions (one region's table). The CDK construct fills
 * it from the region's resources; the local workflow server from the emulators.
 */
export const ticketJobEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
});

export type TicketJobEnvironment = z.infer<typeof ticketJobEnvironmentSchema>;

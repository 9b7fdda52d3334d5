import { z } from 'zod';
import { hostingRegionKeys } from '#lib/residency/index';

/**
 * The environment every platform function receives. The CDK function construct fills it from the
 * region's resources; the local runtime fills it from the emulators; handlers parse it at cold start,
 * so a missing or wrong setting fails loudly before the first request.
 */
export const stateMachineArnSchema = z
  .string()
  .regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/);

export const functionEnvironmentSchema = z.object({
  HOME_REGION: z.enum(hostingRegionKeys),
  TABLE_NAME: z.string().min(3),
  ATTACHMENTS_BUCKET: z.string().min(3),
  TRASH_BUCKET: z.string().min(3),
  EXPORTS_BUCKET: z.string().min(3),
  /** Absent in regions without call recordings (India, Australia). */
  RECORDINGS_BUCKET: z.string().min(3).optional(),
  /** Where this region's call recordings are staged first (EEA: the US staging bucket), if anywhere. */
  RECORDING_STAGING_BUCKET: z.string().min(3).optional(),
  /** The AWS region of that staging bucket (e.g. us-east-1). */
  RECORDING_STAGING_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-[0-9]$/)
    .optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  /** Only the privacy requests function has it: the region's export workflow it starts. */
  PRIVACY_STATE_MACHINE_ARN: stateMachineArnSchema.optional(),
  /** The functions whose calls erase (privacy requests, contacts, agents): the region's erasure workflow. */
  ERASURE_STATE_MACHINE_ARN: stateMachineArnSchema.optional(),
  /** Only the migrations function has these: the region's migrations bucket and the workflow it starts. */
  MIGRATIONS_BUCKET: z.string().min(3).optional(),
  MIGRATION_STATE_MACHINE_ARN: stateMachineArnSchema.optional(),
  /** Requests per minute an account may make to this region's API unless its key says otherwise. */
  RATE_LIMIT_PER_MINUTE: z
    .string()
    .regex(/^[1-9][0-9]{0,6}$/)
    .optional(),
  /**
   * Only the functions that issue or verify portal tokens (`portalTokenFunctions`): the region's data key
   * (ARN on AWS, alias locally) the portal-token secrets are encrypted with (docs/portal-tokens.md).
   */
  PORTAL_SECRET_KEY: z
    .string()
    .regex(/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:)?(key\/[0-9a-f-]{36}|alias\/[A-Za-z0-9/_-]{1,250})$/)
    .optional(),
  /** CloudWatch namespace of the functions' metrics (embedded metric format in their logs). */
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1),
  /** How long a container trusts an agent's profile (role, ticket scope, that it exists), in seconds (default 5). */
  TICKET_SCOPE_CACHE_SECONDS: z
    .string()
    .regex(/^[0-9]{1,3}$/)
    .optional(),
});

/** The metrics namespace of every platform function, on AWS and locally. */
export const metricsNamespace = 'Helpdesk';

export type FunctionEnvironment = z.infer<typeof functionEnvironmentSchema>;

/** Parses an environment by `schema`, naming every missing or invalid variable (never their values). */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const names = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Invalid function environment: ${names}`);
  }
  return result.data;
}

/** The API functions' environment. */
export const parseFunctionEnvironment = (env: NodeJS.ProcessEnv = process.env): FunctionEnvironment =>
  parseEnvironment(functionEnvironmentSchema, env);

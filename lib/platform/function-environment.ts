import { z } from 'zod';

/**
 * What every platform function's environment shares. The CDK function construct fills an environment
 * from the region's resources; the local runtime fills it from the emulators; handlers parse it at cold
 * start by the same schema, so a missing or wrong setting fails loudly before the first request. API
 * functions derive their schema from what they may reach (function-access.ts); each workflow has its own.
 */
export const stateMachineArnSchema = z
  .string()
  .regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/);

export const bucketNameSchema = z.string().min(3);
/** An AWS region name such as us-east-1 (e.g. where another region's bucket is). */
export const awsRegionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-[0-9]$/);

/** The metrics namespace of every platform function, on AWS and locally. */
export const metricsNamespace = 'Helpdesk';

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

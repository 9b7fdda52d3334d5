import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { z } from 'zod';
import type { HostingRegionKey } from '#lib/residency/index';
import { PlatformFunction } from './platform-function.ts';

/** What every function of one workflow shares. */
export interface WorkflowFunctionDefaults {
  /** The workflow's name in descriptions: "Helpdesk <workflow>: <what the function does>". */
  readonly workflow: string;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The schema every function of the workflow parses its environment with. */
  readonly environmentSchema: z.ZodObject;
  readonly logsKey: IKey;
  /** The hosting region whose log archive takes the functions' logs. */
  readonly logRegion: HostingRegionKey;
  /** @default 15 minutes */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
}

/** One function of the workflow: what differs from the defaults. */
export interface WorkflowFunctionSpec {
  /** Handler module, relative to the repository root. */
  readonly entry: string;
  /** @default 'handler' */
  readonly handler?: string;
  readonly description: string;
  /** Added to (or overriding) the workflow's environment. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  readonly memorySize?: number;
}

/**
 * A maker of a workflow's Lambda functions: each gets the workflow's environment, schema, logs and
 * sizes, so a construct only says what its function runs and what it adds.
 */
export function workflowFunctions(
  scope: Construct,
  defaults: WorkflowFunctionDefaults,
): (id: string, spec: WorkflowFunctionSpec) => PlatformFunction {
  return (id, spec) =>
    new PlatformFunction(scope, id, {
      entry: spec.entry,
      handler: spec.handler ?? 'handler',
      description: `Helpdesk ${defaults.workflow}: ${spec.description}`,
      environment: { ...defaults.environment, ...spec.environment },
      environmentSchema: defaults.environmentSchema,
      logsKey: defaults.logsKey,
      logArchive: { region: defaults.logRegion, route: 'helpdesk-application' },
      timeout: defaults.timeout ?? Duration.minutes(15),
      memorySize: spec.memorySize ?? defaults.memorySize ?? 512,
    });
}

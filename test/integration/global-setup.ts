import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type LocalEndpoints, startLocalPlatform } from '../../local/platform.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localPlatform: LocalEndpoints;
  }
}

/** Starts the local platform once per test run, on free loopback ports, in a throwaway state dir. */
export default async function setup(project: TestProject) {
  const stateDir = mkdtempSync(join(tmpdir(), 'helpdesk-it-'));
  // The recording hold (600 s deployed) is zero in tests; the templates prove the 600. The ticket
  // scope cache (5 s deployed) and the API key cache (30 s) are zero too, so a scope change or a
  // revoked key shows at once without sleeping.
  const platform = await startLocalPlatform({
    stateDir,
    recordingHoldSeconds: 0,
    ticketScopeCacheSeconds: 0,
    apiKeyCacheSeconds: 0,
  });
  project.provide('localPlatform', platform.endpoints);
  // Stores made in a test process key lookups as the functions do: with each account's lookup key,
  // from the local KMS endpoint (the SDK reads it here, as in every local function process).
  if (platform.endpoints.emulators.kms) process.env.AWS_ENDPOINT_URL_KMS = platform.endpoints.emulators.kms;
  return async () => {
    await platform.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostingRegions } from '#lib/residency/index';
import { startLocalPlatform } from './platform.ts';

/**
 * `npm start`: the platform on this machine. Prints each region's API URL and demo admin key, writes
 * them to .local/endpoints.json, and stops every child process on Ctrl-C (SIGINT) or SIGTERM.
 */
const stateDir = resolve(import.meta.dirname, '..', '.local');
mkdirSync(stateDir, { recursive: true });
console.log('Starting the local platform (DynamoDB Local, S3 emulator, four regional APIs)…');
const platform = await startLocalPlatform({ stateDir });
const endpointsFile = join(stateDir, 'endpoints.json');
writeFileSync(endpointsFile, `${JSON.stringify(platform.endpoints, null, 2)}\n`);

for (const [region, endpoint] of Object.entries(platform.endpoints.regions)) {
  const name = hostingRegions[region as keyof typeof hostingRegions].name;
  console.log(`\n${region.toUpperCase()}  ${name} (${endpoint.awsRegion})`);
  console.log(`  API      ${endpoint.url}/api/v2`);
  console.log(`  API key  ${endpoint.apiKey}   (account ${endpoint.accountId})`);
  console.log(`  try      curl -u "${endpoint.apiKey}:X" ${endpoint.url}/api/v2/account`);
}
const idp = platform.endpoints.identityProvider;
console.log(`\nSSO      local identity provider ${idp.issuer} (client ${idp.clientId})`);
console.log(`  sign in as a demo admin: npm run sso-token -- admin@eea.demo.invalid   (docs/sso.md)`);
console.log(
  `\nDynamoDB Local ${platform.endpoints.emulators.dynamodb}   S3 emulator ${platform.endpoints.emulators.s3}   KMS ${platform.endpoints.emulators.kms}`,
);
console.log(
  `Endpoints written to ${endpointsFile}; API logs in ${join(stateDir, 'logs')}. Ctrl-C stops everything.`,
);

let stopping = false;
async function shutdown(reason: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: stopping…`);
  await platform.stop();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
// If whatever started us goes away without a signal reaching us, do not leave emulators behind.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown('parent process ended');
}, 1_000).unref();

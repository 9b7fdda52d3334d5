import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { stackNames } from '#lib/platform/names';
import { hostingRegion } from '#lib/residency/index';
import { localOperatorCredentials } from '#local/local-credentials';
import { type AccountsInvocation, UsageError } from './accounts-arguments.ts';

/** Where the CLI sends its signed requests, and with which credentials. */
export interface OperatorTarget {
  readonly url: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly signingRegion: string;
}

/** The CLI cannot find the region's API (no local platform, no stack output). */
export class TargetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetNotFoundError';
  }
}

const defaultEndpointsFile = resolve(import.meta.dirname, '..', '.local', 'endpoints.json');

/**
 * The local platform by default (its endpoints file, the local operator's credentials); `--deployed`:
 * the standard AWS credential chain and the URL from the region's Api stack outputs (`ApiUrl`), or
 * `--endpoint`.
 */
export async function resolveTarget(invocation: AccountsInvocation): Promise<OperatorTarget> {
  const { awsRegion } = hostingRegion(invocation.region);
  if (invocation.deployed) {
    const credentials = fromNodeProviderChain();
    const url = invocation.endpoint ?? (await deployedApiUrl(invocation.region, awsRegion, credentials));
    return { url, credentials, signingRegion: awsRegion };
  }
  const url = invocation.endpoint ?? localApiUrl(invocation);
  return { url, credentials: localOperatorCredentials, signingRegion: awsRegion };
}

function localApiUrl(invocation: AccountsInvocation): string {
  const file = invocation.endpointsFile ?? defaultEndpointsFile;
  if (!existsSync(file)) {
    throw new TargetNotFoundError(
      `No local platform (${file} is missing): run npm start, or use --deployed --region <region>`,
    );
  }
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { regions?: Record<string, { url?: string }> };
  const url = endpoints.regions?.[invocation.region]?.url;
  if (!url) throw new UsageError(`The local platform has no ${invocation.region} region`);
  return url;
}

async function deployedApiUrl(
  region: AccountsInvocation['region'],
  awsRegion: string,
  credentials: AwsCredentialIdentityProvider,
): Promise<string> {
  const stackName = stackNames(region).api;
  const client = new CloudFormationClient({ region: awsRegion, credentials });
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const url = Stacks[0]?.Outputs?.find((output) => output.OutputKey === 'ApiUrl')?.OutputValue;
    if (!url) throw new TargetNotFoundError(`Stack ${stackName} in ${awsRegion} has no ApiUrl output`);
    return url;
  } catch (error) {
    if (error instanceof TargetNotFoundError) throw error;
    throw new TargetNotFoundError(
      `Cannot read stack ${stackName} in ${awsRegion} (${(error as Error).name}): deployed? credentials? or pass --endpoint URL`,
    );
  } finally {
    client.destroy();
  }
}

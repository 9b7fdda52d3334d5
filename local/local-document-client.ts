import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localSigningRegion } from './local-credentials.ts';
import { RecordSealer } from '#domain/encryption/record-sealer';
import { SubjectKeyring } from '#domain/encryption/subject-keyring';
import { DynamoSubjectKeys } from '#adapters/dynamo-subject-keys';
import { KmsDataKeys } from '#adapters/kms-data-keys';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsLookupKeys } from '#adapters/kms-lookup-keys';
import type { LookupKeys } from '#domain/encryption/lookup-hasher';
import { keyAlias } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegions } from '#lib/residency/index';
import { type EmulatorEndpoints, localResourceNames } from './local-environment.ts';

/** A DynamoDB document client on the local platform's DynamoDB Local (destroy it when done). */
export function localDocumentClient(endpoints: EmulatorEndpoints): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodb,
      region: localSigningRegion,
      credentials: localCredentials,
    }),
  );
}

/** A KMS client on the local KMS endpoint, signing for the region's AWS region. */
function localKms(region: HostingRegionKey, endpoints: EmulatorEndpoints): KMSClient {
  if (!endpoints.kms) throw new Error('The local KMS endpoint is not running');
  return new KMSClient({
    endpoint: endpoints.kms,
    region: hostingRegions[region].awsRegion,
    credentials: localCredentials,
  });
}

/**
 * The lookup keys of a region's table on the local platform, for stores made outside a function
 * process (the seed): each account's key made and unwrapped by the local KMS endpoint.
 */
export function localLookupKeys(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
  client: DynamoDBDocumentClient,
): LookupKeys {
  const kms = localKms(region, endpoints);
  return new KmsLookupKeys(kms, keyAlias(region, 'data'), client, localResourceNames(region).table);
}

/**
 * The record sealer a local process that is not a function (the seed) writes records with: the
 * region's subject-key table and data key on the local KMS endpoint, as `sealerBeside` finds them in a
 * function process (which has AWS_ENDPOINT_URL_KMS).
 */
export function localSealer(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
  client: DynamoDBDocumentClient,
): RecordSealer {
  const kms = localKms(region, endpoints);
  return new RecordSealer(
    new SubjectKeyring(
      new DynamoSubjectKeys(client, localResourceNames(region).subjectKeyTable),
      new KmsDataKeys(kms, keyAlias(region, 'data')),
    ),
  );
}

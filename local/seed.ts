import { randomUUID } from 'node:crypto';
import { DynamoAccountDirectory } from '#adapters/dynamo-account-directory';
import { DynamoAccountStore } from '#adapters/dynamo-account-store';
import { newRecordId } from '#adapters/record-ids';
import { AccountService } from '#domain/operators/account-service';
import { type HostingRegionKey, hostingRegions, productsAvailableIn } from '#lib/residency/index';
import { localDocumentClient, localLookupKeys, localSealer } from './local-document-client.ts';
import { type EmulatorEndpoints, localResourceNames } from './local-environment.ts';

/** The languages the demo accounts' knowledge bases are translated into. */
export const demoLanguages = ['de', 'nl', 'sv'];

export interface SeededAccount {
  readonly accountId: string;
  readonly apiKey: string;
  readonly agentId: number;
}

/**
 * Seeds one demo account homed in `region`, with an account-admin API key, through the same account
 * service the operators' `POST /operator/v1/accounts` uses (audited as the system's `seed`).
 */
export async function seedDemoAccount(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
): Promise<SeededAccount> {
  const client = localDocumentClient(endpoints);
  try {
    const table = localResourceNames(region).table;
    const service = new AccountService({
      // This process has no AWS_ENDPOINT_URL_KMS: the owner's e-mail claim is keyed by the local KMS.
      accounts: new DynamoAccountStore(client, table, {
        lookupKeys: localLookupKeys(region, endpoints, client),
        sealer: localSealer(region, endpoints, client),
      }),
      directory: new DynamoAccountDirectory(client, table),
      homeRegion: region,
      now: () => new Date(),
      newId: newRecordId,
      newAccountId: randomUUID,
    });
    const created = await service.create(
      {
        name: `Demo ${hostingRegions[region].name}`,
        products: productsAvailableIn(region),
        admin: { name: 'Demo Admin', email: `admin@${region}.demo.invalid` },
      },
      { type: 'system', id: 'seed' },
      // The source documents and the customers' articles come in German, Dutch and Swedish.
      { primaryLanguage: 'en', supportedLanguages: demoLanguages },
    );
    return { accountId: created.account.id, apiKey: created.apiKey, agentId: created.adminAgentId };
  } finally {
    client.destroy();
  }
}

import type { HostingRegionKey } from './regions.ts';

/**
 * The product → data category → allowed regions matrix of the brief (seed 000, 001).
 * Where seed 001 says helpdesk call recordings and chat messages are US only, the brief chooses US and
 * EEA, because the recording-transfer rule routes recordings to the EEA.
 */
export const productKeys = ['helpdesk', 'service_desk', 'crm', 'phone', 'chat', 'hr', 'marketing'] as const;
export type ProductKey = (typeof productKeys)[number];

const ALL: readonly HostingRegionKey[] = ['us', 'eea', 'in', 'au'];
const US_EEA: readonly HostingRegionKey[] = ['us', 'eea'];
const US: readonly HostingRegionKey[] = ['us'];

export interface ProductCatalogueEntry {
  readonly name: string;
  /** Data category → the hosting regions allowed to store it. */
  readonly categories: Readonly<Record<string, readonly HostingRegionKey[]>>;
}

export const productCatalogue = {
  helpdesk: {
    name: 'Helpdesk (Freshdesk)',
    categories: {
      tickets: ALL,
      contacts: ALL,
      agents: ALL,
      social: ALL,
      app_integrations: ALL,
      knowledge_base: ALL,
      forums: ALL,
      reporting: ALL,
      satisfaction_ratings: ALL,
      team_huddle: ALL,
      call_recordings: US_EEA,
      chat_messages: US_EEA,
    },
  },
  service_desk: {
    name: 'Service desk (Freshservice)',
    categories: {
      tickets: ALL,
      requesters: ALL,
      app_integrations: ALL,
      knowledge_base: ALL,
      forums: ALL,
      problems: ALL,
      changes: ALL,
      releases: ALL,
      assets: ALL,
      contracts: ALL,
      projects: ALL,
      announcements: ALL,
    },
  },
  crm: {
    name: 'CRM (Freshsales)',
    categories: {
      leads: US_EEA,
      contacts: US_EEA,
      accounts: US_EEA,
      deals: US_EEA,
      files: US_EEA,
      app_integrations: US_EEA,
      sales_activities: US_EEA,
      events: US_EEA,
      reporting: US_EEA,
      email_messages: US_EEA,
      call_recordings: US_EEA,
    },
  },
  phone: {
    name: 'Phone (Freshcaller)',
    categories: { calls: US_EEA, contacts: US_EEA, agents: US_EEA, call_recordings: US_EEA },
  },
  chat: {
    name: 'Chat (Freshchat)',
    categories: {
      conversations: US_EEA,
      social: US_EEA,
      app_integrations: US_EEA,
      knowledge_base: US_EEA,
      reporting: US_EEA,
      agents: US_EEA,
      chat_messages: US_EEA,
    },
  },
  hr: {
    name: 'HR (Freshteam)',
    categories: { employees: US, candidates: US, reporting: US, social: US },
  },
  marketing: {
    name: 'Marketing (Freshmarketer)',
    categories: { website_visitors: US, visitor_activity: US, events: US, reporting: US },
  },
} as const satisfies Record<ProductKey, ProductCatalogueEntry>;

export type DataCategory<P extends ProductKey> = keyof (typeof productCatalogue)[P]['categories'];

/** Whether `product` may store `category` in `region`. Unknown categories are never allowed. */
export function isCategoryAllowed(product: ProductKey, category: string, region: HostingRegionKey): boolean {
  const categories: Readonly<Record<string, readonly HostingRegionKey[]>> =
    productCatalogue[product].categories;
  return categories[category]?.includes(region) ?? false;
}

/** Products that can be sold to an account homed in `region` (at least one category allowed there). */
export function productsAvailableIn(region: HostingRegionKey): ProductKey[] {
  return productKeys.filter((product) =>
    Object.values(productCatalogue[product].categories as Record<string, readonly HostingRegionKey[]>).some(
      (regions) => regions.includes(region),
    ),
  );
}

/** Regions where any product may store `category` (e.g. call recordings → US and EEA). */
export function regionsAllowingCategory(category: string): HostingRegionKey[] {
  const regions = new Set<HostingRegionKey>();
  for (const product of productKeys) {
    const categories: Readonly<Record<string, readonly HostingRegionKey[]>> =
      productCatalogue[product].categories;
    for (const region of categories[category] ?? []) regions.add(region);
  }
  return ALL.filter((region) => regions.has(region));
}

/** The four hosting regions an account can choose at purchase (brief: "Hosting regions"). */
export const hostingRegionKeys = ['us', 'eea', 'in', 'au'] as const;
export type HostingRegionKey = (typeof hostingRegionKeys)[number];

export interface HostingRegion {
  readonly key: HostingRegionKey;
  /** Human name used in API answers and docs. */
  readonly name: string;
  /** The AWS region every resource of this hosting region lives in. */
  readonly awsRegion: string;
}

export const hostingRegions: Readonly<Record<HostingRegionKey, HostingRegion>> = {
  us: { key: 'us', name: 'United States', awsRegion: 'us-east-1' },
  eea: { key: 'eea', name: 'European Economic Area', awsRegion: 'eu-central-1' },
  in: { key: 'in', name: 'India', awsRegion: 'ap-south-1' },
  au: { key: 'au', name: 'Australia', awsRegion: 'ap-southeast-2' },
};

export function isHostingRegionKey(value: unknown): value is HostingRegionKey {
  return typeof value === 'string' && (hostingRegionKeys as readonly string[]).includes(value);
}

/** The hosting region deployed in an AWS region (each hosting region has its own). */
export function hostingRegionKeyOf(awsRegion: string): HostingRegionKey {
  const key = hostingRegionKeys.find((candidate) => hostingRegions[candidate].awsRegion === awsRegion);
  if (!key) throw new Error(`No hosting region is deployed in ${awsRegion}`);
  return key;
}

export function hostingRegion(key: HostingRegionKey): HostingRegion {
  return hostingRegions[key];
}

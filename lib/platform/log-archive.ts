import {
  eeaRegionKey,
  type HostingRegionKey,
  type ProductKey,
  productsCopyingLogsToEea,
  regionsCopyingLogsToEea,
} from '#lib/residency/index';

/**
 * Where each kind of log lands in a hosting region's `logs` bucket (the log archive). Application and
 * access logs arrive from CloudWatch Logs through one Firehose delivery stream per route; the audit trail
 * of object access is written by CloudTrail itself under `auditLogPrefix`.
 */
export const logArchiveRoutes = {
  /** Logs of the helpdesk (Freshdesk v2) API functions and workflows. */
  'helpdesk-application': { kind: 'application', product: 'helpdesk', folder: 'application/helpdesk' },
  /** Logs of service-desk workloads (none deployed yet; the route and its EEA copy are ready). */
  'service-desk-application': {
    kind: 'application',
    product: 'service_desk',
    folder: 'application/service-desk',
  },
  /** API Gateway access logs (one JSON line per request, ids only). */
  'api-access': { kind: 'access', folder: 'access/api' },
} as const satisfies Record<string, LogArchiveRoute>;

export interface LogArchiveRoute {
  readonly kind: 'application' | 'access';
  /** The product whose application logs take this route. */
  readonly product?: ProductKey;
  /** Folder in the logs bucket; the hosting region follows it in every key. */
  readonly folder: string;
}

export type LogArchiveRouteName = keyof typeof logArchiveRoutes;

export const logArchiveRouteNames = Object.keys(logArchiveRoutes) as LogArchiveRouteName[];

/** Key prefix of a route's objects in the region's logs bucket (and of their EEA copies). */
export function logArchivePrefix(route: LogArchiveRouteName, region: HostingRegionKey): string {
  return `${logArchiveRoutes[route].folder}/${region}/`;
}

/** Key prefix of records the delivery stream could not deliver or process (kept, never copied). */
export function logArchiveErrorPrefix(route: LogArchiveRouteName, region: HostingRegionKey): string {
  return `errors/${logArchivePrefix(route, region)}`;
}

/** CloudTrail writes the data-events trail under `audit/AWSLogs/<account>/CloudTrail/<aws-region>/`. */
export const auditLogPrefix = 'audit';

/**
 * The routes whose objects `region` copies into the EEA log-copy bucket: the application logs of the
 * products in `productsCopyingLogsToEea`, and only from `regionsCopyingLogsToEea`. Empty elsewhere.
 */
export function logRoutesCopiedToEea(region: HostingRegionKey): LogArchiveRouteName[] {
  if (region === eeaRegionKey || !regionsCopyingLogsToEea.includes(region)) return [];
  return logArchiveRouteNames.filter((route) => {
    const product: ProductKey | undefined = (logArchiveRoutes[route] as LogArchiveRoute).product;
    return product !== undefined && productsCopyingLogsToEea.includes(product);
  });
}

/**
 * EventBridge's matching for the patterns our rules use: every key of the pattern must be in the event;
 * an array lists the allowed values, an object matches nested fields the same way.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) return expected.some((value) => value === actual);
    if (expected && typeof expected === 'object') {
      return actual !== null && typeof actual === 'object'
        ? matchesPattern(expected as Record<string, unknown>, actual as Record<string, unknown>)
        : false;
    }
    return expected === actual;
  });
}

/** An S3 event notification record, as the S3 emulator emits it. */
export interface S3NotificationRecord {
  readonly eventName: string;
  readonly awsRegion?: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly sequencer?: string;
      readonly versionId?: string;
    };
  };
}

/** The EventBridge "Object Created" event S3 sends for a bucket with EventBridge delivery on. */
export function objectCreatedEvent(record: S3NotificationRecord, account: string, region: string) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account,
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:s3:::${record.s3.bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: record.s3.bucket.name },
      object: {
        key: record.s3.object.key,
        size: record.s3.object.size,
        // S3 names an upload's version in versioned buckets (s3rver has no versions) and always sequences it.
        ...(record.s3.object.versionId && { 'version-id': record.s3.object.versionId }),
        sequencer: record.s3.object.sequencer ?? Date.now().toString(16).toUpperCase(),
      },
      reason: record.eventName.endsWith('Copy') ? 'CopyObject' : 'PutObject',
    },
  };
}

import { Agent, request as httpRequest } from 'node:http';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A raw HTTP client for tests that must send what `fetch` refuses to: bodies on GET and DELETE, bytes
 * that are not UTF-8, paths with unusual percent-encoding, any header value Node lets through.
 */
export interface RawRequest {
  readonly method: string;
  /** Path and query exactly as sent on the request line (already percent-encoded). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 2 });

export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        agent,
        hostname,
        port,
        method: raw.method,
        path: raw.path,
        // Content-Length is set explicitly so an empty body still says 0 and nothing is chunked.
        headers: { ...raw.headers, 'content-length': String(raw.body?.length ?? 0) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(raw.body);
  });
}

export function closeRawAgent(): void {
  agent.destroy();
}

/**
 * Every item of one account's records (keys starting with `A#<accountId>#`), sorted. Tests may Scan
 * DynamoDB Local to look behind the API; product code never scans.
 */
export async function accountItems(
  client: DynamoDBDocumentClient,
  table: string,
  accountId: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': `A#${accountId}#` },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const key = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

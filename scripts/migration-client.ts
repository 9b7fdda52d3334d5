import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface MigrationFile {
  readonly entity: string;
  readonly format: 'ndjson' | 'csv';
  readonly path: string;
}

export interface MigrationState {
  readonly id: number;
  readonly status: 'awaiting_upload' | 'queued' | 'running' | 'completed' | 'failed';
  readonly run: number;
  readonly counts: { total: number; imported: number; skipped: number; failed: number };
  readonly failure: { reason: string; entity: string | null; line: number | null } | null;
  readonly error_report_url: string | null;
  readonly files: { entity: string; format: string; upload_url?: string }[];
}

const contentTypes = { ndjson: 'application/x-ndjson', csv: 'text/csv' } as const;

/** PUTs a file to a presigned URL, streamed from disk with its length (S3 wants the length up front). */
export function uploadFile(url: string, path: string, contentType: string): Promise<void> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      { method: 'PUT', headers: { 'content-type': contentType, 'content-length': statSync(path).size } },
      (response) => {
        response.resume();
        response.on('end', () =>
          (response.statusCode ?? 500) < 300
            ? resolve()
            : reject(new Error(`Upload failed: HTTP ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    createReadStream(path).on('error', reject).pipe(request);
  });
}

/**
 * A client of the migrations API (`/api/v2/migrations`) for the command-line importer, the bench and
 * the tests: create, upload, start, watch. It speaks to any region's API by URL and API key.
 */
export class MigrationClient {
  private readonly authorization: string;

  constructor(
    private readonly baseUrl: string,
    apiKey: string,
  ) {
    this.authorization = `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: this.authorization,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  private async expect<T>(method: string, path: string, status: number, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status !== status) {
      const message = (answer.body as { message?: string; description?: string } | undefined)?.message;
      throw new Error(`${method} ${path}: HTTP ${answer.status}${message ? `: ${message}` : ''}`);
    }
    return answer.body;
  }

  /** Creates the migration and uploads its files; answers its id. */
  async createAndUpload(source: 'zendesk' | 'native', files: readonly MigrationFile[]): Promise<number> {
    const created = await this.expect<MigrationState>('POST', '/api/v2/migrations', 201, {
      source,
      files: files.map(({ entity, format }) => ({ entity, format })),
    });
    for (const file of files) {
      const upload = created.files.find((entry) => entry.entity === file.entity)?.upload_url;
      if (!upload) throw new Error(`No upload URL for ${file.entity}`);
      await uploadFile(upload, file.path, contentTypes[file.format]);
    }
    return created.id;
  }

  start(id: number): Promise<MigrationState> {
    return this.expect('POST', `/api/v2/migrations/${id}/start`, 200);
  }

  get(id: number): Promise<MigrationState> {
    return this.expect('GET', `/api/v2/migrations/${id}`, 200);
  }

  /** Polls until the run ends (completed or failed), telling `onProgress` what it sees. */
  async waitUntilDone(
    id: number,
    options: { intervalMs?: number; timeoutMs?: number; onProgress?: (state: MigrationState) => void } = {},
  ): Promise<MigrationState> {
    const deadline = Date.now() + (options.timeoutMs ?? 60 * 60 * 1000);
    for (;;) {
      const state = await this.get(id);
      options.onProgress?.(state);
      if (state.status === 'completed' || state.status === 'failed') return state;
      if (Date.now() > deadline) throw new Error(`Migration ${id} still ${state.status} at the deadline`);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    }
  }
}

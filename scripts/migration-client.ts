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
  readonly files: UploadableFile[];
}

/** A file of a migration as the API answers it: with an upload URL and its signed headers until uploaded. */
export interface UploadableFile {
  readonly entity: string;
  readonly format: string;
  readonly size?: number;
  readonly upload_url?: string;
  readonly upload_headers?: Readonly<Record<string, string>>;
}

/**
 * PUTs a file to its presigned URL with the headers signed into it (`upload_headers`: its Content-Type,
 * and its announced Content-Length), streamed from disk with its length (S3 wants the length up front).
 */
export async function uploadFile(file: UploadableFile, path: string): Promise<void> {
  if (!file.upload_url) throw new Error(`No upload URL for ${file.entity}`);
  const target = new URL(file.upload_url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const request = send(
      target,
      { method: 'PUT', headers: { ...file.upload_headers, 'Content-Length': statSync(path).size } },
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

  /** Creates the migration, announcing each file's size (its upload URL binds it), and uploads the files; answers its id. */
  async createAndUpload(source: 'zendesk' | 'native', files: readonly MigrationFile[]): Promise<number> {
    const created = await this.expect<MigrationState>('POST', '/api/v2/migrations', 201, {
      source,
      files: files.map(({ entity, format, path }) => ({ entity, format, size: statSync(path).size })),
    });
    for (const file of files) {
      await uploadFile(created.files.find((entry) => entry.entity === file.entity) ?? file, file.path);
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

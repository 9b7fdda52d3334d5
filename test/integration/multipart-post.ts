import { expect } from 'vitest';
import { basicAuth } from './http-client.ts';

/**
 * A caller that POSTs multipart forms with small text files as `attachments[]` (a ticket or a reply
 * with files), as the key's agent; expects 201 and answers the record's id and its files.
 */
export function multipartPoster(url: string, key: () => string) {
  return async (path: string, fields: Record<string, string>, files: string[]) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    for (const name of files) data.append('attachments[]', new Blob([`bytes of ${name}`]), name);
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: basicAuth(key()) },
      body: data,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: number; attachments: { id: number }[] };
  };
}

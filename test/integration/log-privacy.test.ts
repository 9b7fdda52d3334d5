import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { apiRoutes } from '../../lib/platform/api-routes.ts';
import { basicAuth } from './http-client.ts';

const platform = inject('localPlatform');
const { url, apiKey, logFile, accountId } = platform.regions.au;

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: basicAuth(apiKey), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

/** Waits until the API process's log file stops growing: its writes go straight to the file. */
async function settledLog(): Promise<string> {
  let previous = -1;
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    if (text.length === previous) return text;
    previous = text.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('logs of the regional API', () => {
  it('record every request for operators but never the personal data that passed through', async () => {
    // Prepare: every personal field carries a unique marker.
    const marker = `MRK${randomUUID().replaceAll('-', '')}`;
    const person = {
      name: `${marker} Name`,
      email: `${marker.toLowerCase()}@example.test`,
      phone: `+49${marker.slice(3, 12)}`,
      address: `${marker} Street 1`,
      job_title: `${marker} title`,
      custom_fields: { note: `${marker} custom` },
    };

    // The custom field the contact fills (a second run on the same platform finds it defined: 409).
    const fieldStatus = await send('POST', '/api/v2/admin/contact_fields', {
      label: 'Note',
      label_for_customers: 'Note',
      type: 'custom_text',
    });

    // Act: successful writes, searches, and failing requests that carry the data too.
    const contactStatus = await send('POST', '/api/v2/contacts', person);
    const statuses = [
      contactStatus,
      await send('POST', '/api/v2/contacts', person), // duplicate e-mail: 409
      await send('GET', `/api/v2/contacts?email=${encodeURIComponent(person.email)}`),
      await send('GET', `/api/v2/contacts?phone=${encodeURIComponent(person.phone)}`),
      await send('POST', '/api/v2/contacts', { ...person, email: `${marker}-not-an-email` }), // 400
      await send('POST', '/api/v2/contacts', { ...person, [marker]: 'unknown field' }), // 400
      await send('POST', '/api/v2/tickets', {
        subject: `${marker} subject`,
        description: `${marker} text`,
        email: person.email,
      }),
      await send('GET', `/api/v2/tickets?email=${encodeURIComponent(person.email)}`),
    ];
    const log = await settledLog();

    // Assess
    expect([201, 409]).toContain(fieldStatus);
    expect(statuses).toEqual([201, 409, 200, 200, 400, 400, 201, 200]);
    const lines = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const handled = lines.filter((line) => line.message === 'request handled');
    expect(handled.length).toBeGreaterThanOrEqual(statuses.length);
    expect(handled).toContainEqual(expect.objectContaining({ route: 'POST /api/v2/contacts', status: 409 }));
    expect(log).not.toContain(marker);
    expect(log.toLowerCase()).not.toContain(marker.toLowerCase());
    expect(log).not.toContain(person.phone);

    // Metrics (embedded metric format in the same log) name route templates only: no account, no ids.
    const metrics = lines.filter((line) => '_aws' in line);
    expect(metrics.length).toBeGreaterThanOrEqual(statuses.length);
    expect(metrics).toContainEqual(
      expect.objectContaining({ route: 'POST /api/v2/contacts', Requests: 1, ClientErrors: 1 }),
    );
    expect(JSON.stringify(metrics)).not.toContain(accountId);
    const templates = new Set(apiRoutes.map((route) => `${route.method} ${route.path}`));
    for (const line of metrics) {
      // Fixed names only, and the one free-text dimension is a route template, never a path with ids.
      expect(Object.keys(line).sort()).toEqual(
        ['ClientErrors', 'Latency', 'Requests', 'ServerErrors', '_aws', 'route', 'service'].sort(),
      );
      expect(templates.has(line.route)).toBe(true);
    }
  });
});

/** A small HTTP helper for the tests: Basic auth the way Freshdesk v2 clients send an API key. */
export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
}

export async function getJson(url: string, apiKey?: string) {
  const response = await fetch(url, { headers: apiKey ? { authorization: basicAuth(apiKey) } : {} });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Calls a region of the local platform as its demo admin; answers status and parsed JSON body. */
export function regionCaller(platform: { regions: Record<string, { url: string; apiKey: string }> }) {
  return async (region: string, method: string, path: string, body?: unknown) => {
    const { url, apiKey } = platform.regions[region] ?? { url: '', apiKey: '' };
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: basicAuth(apiKey), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

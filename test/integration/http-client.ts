/** A small HTTP helper for the tests: Basic auth the way Freshdesk v2 clients send an API key. */
export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
}

export async function getJson(url: string, apiKey?: string) {
  const response = await fetch(url, { headers: apiKey ? { authorization: basicAuth(apiKey) } : {} });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

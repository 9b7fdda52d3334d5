// The npm wrapper of the public Freshdesk v2 API, unchanged: only its base URL points at our API.
import Freshdesk from 'freshdesk-api';

type Callback = (error: unknown, data: unknown) => void;
export type FreshdeskLibrary = Record<string, (...args: unknown[]) => void>;

/**
 * The freshdesk-api client against one of our regions, and `call`: the wrapper is callback-based, so
 * each call resolves with the response body it hands back (or rejects with its FreshdeskError).
 */
export function freshdeskLibrary(url: string, apiKey: string) {
  const client = new Freshdesk(url, apiKey) as unknown as FreshdeskLibrary;
  const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
    new Promise((resolve, reject) => {
      const callback: Callback = (error, data) => (error ? reject(error) : resolve(data as T));
      client[method]?.(...args, callback);
    });
  return { client, call };
}

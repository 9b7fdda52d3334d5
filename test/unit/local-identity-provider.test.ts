import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalIdentityProvider } from '../../local/identity/identity-provider.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the local identity provider', () => {
  it('serves its discovery document without warnings on the console', async () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const provider = await startLocalIdentityProvider({
      users: [],
      clients: [{ clientId: 'local-client', redirectUri: 'http://127.0.0.1:9/callback' }],
    });

    // Act
    const discovery = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
    await provider.stop();

    // Assert
    expect(discovery.status).toBe(200);
    expect(warn).not.toHaveBeenCalled();
  });
});

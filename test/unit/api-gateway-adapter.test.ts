import { describe, expect, it } from 'vitest';
import { compileRoutes } from '../../local/api-gateway-adapter.ts';

describe('local API Gateway route matching', () => {
  const match = compileRoutes([
    { method: 'GET', path: '/api/v2/tickets/{id}', function: 'account' },
    { method: 'GET', path: '/api/v2/account', function: 'account' },
    { method: 'GET', path: '/files/{key+}', function: 'health' },
  ]);

  it('matches path parameters and decodes them', () => {
    expect(match('GET', '/api/v2/tickets/a%20b')?.pathParameters).toEqual({ id: 'a b' });
  });

  it('matches greedy parameters across slashes', () => {
    expect(match('GET', '/files/x/y/z')?.pathParameters).toEqual({ key: 'x/y/z' });
  });

  it('prefers a literal segment over a path parameter, whatever the table order', () => {
    const byTableOrder = compileRoutes([
      { method: 'GET', path: '/api/v2/agents/{id}', function: 'agents' },
      { method: 'GET', path: '/api/v2/agents/me', function: 'health' },
    ]);

    expect(byTableOrder('GET', '/api/v2/agents/me')?.route.function).toBe('health');
    expect(byTableOrder('GET', '/api/v2/agents/7')?.pathParameters).toEqual({ id: '7' });
  });

  it('passes a segment that cannot be URL-decoded through as sent', () => {
    expect(match('GET', '/api/v2/tickets/%zz')?.pathParameters).toEqual({ id: '%zz' });
  });

  it('needs the method and the whole path to match', () => {
    expect(match('POST', '/api/v2/account')).toBeUndefined();
    expect(match('GET', '/api/v2/account/extra')).toBeUndefined();
    expect(match('GET', '/api/v2/tickets/')).toBeUndefined();
  });
});

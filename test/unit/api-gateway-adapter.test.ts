import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { compileRoutes, fitsLambdaInvoke, toApiGatewayEvent } from '../../local/api-gateway-adapter.ts';

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

describe('local API Gateway events', () => {
  const route = { method: 'POST', path: '/api/v2/tickets', function: 'tickets' } as const;
  const request = (contentType: string) =>
    ({
      url: '/api/v2/tickets',
      headers: { 'content-type': contentType, host: '127.0.0.1:1' },
      httpVersion: '1.1',
      socket: { remoteAddress: '127.0.0.1' },
    }) as unknown as IncomingMessage;

  it('passes a multipart body base64-encoded, byte for byte, as API Gateway v2 does', () => {
    const body = Buffer.from([0x2d, 0x2d, 0x58, 0x0d, 0x0a, 0x00, 0xff, 0xfe, 0x80]);

    const event = toApiGatewayEvent(request('multipart/form-data; boundary=X'), body, route, {});

    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').equals(body)).toBe(true);
  });

  it('refuses events past the 6 MB Lambda invoke limit, counting a base64 body at its encoded size', () => {
    const fits = toApiGatewayEvent(request('application/octet-stream'), Buffer.alloc(4_000_000), route, {});
    const tooLarge = toApiGatewayEvent(
      request('application/octet-stream'),
      Buffer.alloc(4_800_000),
      route,
      {},
    );

    expect(fitsLambdaInvoke(fits)).toBe(true);
    expect(fitsLambdaInvoke(tooLarge)).toBe(false);
  });
});

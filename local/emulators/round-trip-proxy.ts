import { connect, createServer, type Socket } from 'node:net';
import type { RunningEmulator } from './emulator.ts';

/** Runs `deliver` after `ms` milliseconds; injected so tests need not wait. */
export type Delay = (ms: number, deliver: () => void) => void;

const timerDelay: Delay = (ms, deliver) => void setTimeout(deliver, ms);

/**
 * A loopback TCP proxy in front of an emulator that holds every byte half of `roundTripMs` on its way
 * in and half on its way out, so each request pays a network round trip as it would in a region.
 * Loopback has none: the bench uses this to show how a writer's throughput depends on it. Bytes keep
 * their order (equal delays fire in the order they were set).
 */
export async function startRoundTripProxy(
  upstream: string,
  roundTripMs: number,
  delay: Delay = timerDelay,
): Promise<RunningEmulator> {
  const { hostname, port } = new URL(upstream);
  const oneWayMs = roundTripMs / 2;
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (bytes) => delay(oneWayMs, () => to.writable && to.write(bytes)));
  const server = createServer((client) => {
    const target = connect(Number(port), hostname);
    for (const socket of [client, target]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    forward(client, target);
    forward(target, client);
    // Either side ending ends the other once the bytes still held have gone through.
    client.on('close', () => delay(oneWayMs, () => target.destroy()));
    target.on('close', () => delay(oneWayMs, () => client.destroy()));
    client.on('error', () => target.destroy());
    target.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port: proxyPort } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${proxyPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

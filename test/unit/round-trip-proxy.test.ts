import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../local/emulators/emulator.ts';
import { type Delay, startRoundTripProxy } from '../../local/emulators/round-trip-proxy.ts';

/** Deliveries the proxy has scheduled, released only when the test says so. */
class HeldDeliveries {
  readonly held: { ms: number; deliver: () => void }[] = [];
  private arrived?: () => void;
  readonly delay: Delay = (ms, deliver) => {
    this.held.push({ ms, deliver });
    this.arrived?.();
  };
  /** Waits until `count` deliveries are held. */
  async until(count: number): Promise<void> {
    while (this.held.length < count) await new Promise<void>((resolve) => (this.arrived = resolve));
  }
  release(): void {
    for (const { deliver } of this.held.splice(0)) deliver();
  }
}

let upstream: Server | undefined;
let proxy: RunningEmulator | undefined;
let client: Socket | undefined;
afterEach(async () => {
  client?.destroy();
  await proxy?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

/** An upstream that answers every chunk it reads with `ok:<chunk>`, and records what it read. */
async function startEcho(received: string[]): Promise<string> {
  upstream = createServer((socket) =>
    socket.on('data', (bytes) => {
      received.push(String(bytes));
      socket.write(`ok:${bytes}`);
    }),
  );
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  return `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
}

async function connectTo(endpoint: string): Promise<Socket> {
  const socket = connect(Number(new URL(endpoint).port), '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

describe('round-trip proxy', () => {
  it('holds a request half the round trip on its way in and its answer half on its way out', async () => {
    const received: string[] = [];
    const deliveries = new HeldDeliveries();
    proxy = await startRoundTripProxy(await startEcho(received), 6, deliveries.delay);
    client = await connectTo(proxy.endpoint);
    const answers: string[] = [];
    client.on('data', (bytes) => answers.push(String(bytes)));

    client.write('ping');
    await deliveries.until(1);
    expect(deliveries.held.map((d) => d.ms)).toEqual([3]);
    expect(received).toEqual([]);

    deliveries.release();
    await deliveries.until(1);
    expect(received).toEqual(['ping']);
    expect(answers).toEqual([]);

    deliveries.release();
    await once(client, 'data');
    expect(answers).toEqual(['ok:ping']);
  });

  it('keeps the bytes of several writes whole and in order', async () => {
    const received: string[] = [];
    const deliveries = new HeldDeliveries();
    proxy = await startRoundTripProxy(await startEcho(received), 2, deliveries.delay);
    client = await connectTo(proxy.endpoint);
    client.write('a');
    await deliveries.until(1);
    client.write('b');
    await deliveries.until(2);
    deliveries.release();
    await deliveries.until(1);
    expect(received.join('')).toBe('ab');
  });
});

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { canConnect, waitUntilReady } from '../../src/core/readiness.js';
import { compilePattern } from '../../src/rubric/pattern.js';
import { FakeService } from '../helpers/fake-engine.js';

const servers: net.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('canConnect', () => {
  it('is true for a listener that keeps the connection open', async () => {
    const port = await listen(() => {});
    expect(await canConnect('127.0.0.1', port, 1000, 150)).toBe(true);
  });

  it('is false for a proxy that accepts and hangs up at once (nothing behind it yet)', async () => {
    const port = await listen((socket) => socket.destroy());
    expect(await canConnect('127.0.0.1', port, 1000)).toBe(true);
    expect(await canConnect('127.0.0.1', port, 1000, 150)).toBe(false);
  });

  it('is false when nothing listens', async () => {
    const port = await listen(() => {});
    servers.pop()!.close();
    await new Promise((r) => setImmediate(r));
    expect(await canConnect('127.0.0.1', port, 1000)).toBe(false);
  });
});

describe('waitUntilReady with a log pattern', () => {
  it('is ready once a log line matches, CRLF line ends included', async () => {
    const service = new FakeService();
    service.logText = 'booting\r\nlistening on 3000\r\n';
    const readiness = await waitUntilReady(service, { logPattern: compilePattern('^listening on \\d+$'), timeoutMs: 5_000 });
    expect(readiness.ready).toBe(true);
  });

  it('times out, rather than freezing, on a log built against a backtracking pattern', async () => {
    const service = new FakeService();
    service.logText = `${'a'.repeat(40)}!\n`;
    const readiness = await waitUntilReady(service, { logPattern: compilePattern('(a+)+$'), timeoutMs: 200 });
    expect(readiness).toMatchObject({ ready: false, reason: 'timeout' });
    expect(readiness.elapsedMs).toBeLessThan(2_000);
  });
});

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback, tryConnect } from '../../src/basics/net.js';

const servers: net.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A port nothing listens on: one that was just listened on and closed. */
async function closedPort(): Promise<number> {
  const port = await listen(() => {});
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

describe('isLoopback', () => {
  it('knows loopback in every spelling', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      '0:0:0:0:0:ffff:7f00:1',
    ]) {
      expect(isLoopback(host), host).toBe(true);
    }
  });

  it('knows every other address and name is not loopback', () => {
    for (const host of ['0.0.0.0', '10.0.0.1', '128.0.0.1', '::', '::2', '::ffff:10.0.0.1', '127.example.com', 'docker', '']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});

describe('tryConnect', () => {
  it('connects to a listener', async () => {
    const port = await listen(() => {});
    expect(await tryConnect('127.0.0.1', port, { timeoutMs: 1000 })).toBe('connected');
  });

  it('with confirmOpenMs, counts a listener that keeps the connection open', async () => {
    const port = await listen(() => {});
    expect(await tryConnect('127.0.0.1', port, { timeoutMs: 1000, confirmOpenMs: 150 })).toBe('connected');
  });

  it('with confirmOpenMs, tells a proxy that accepts and hangs up at once (nothing behind it yet)', async () => {
    const port = await listen((socket) => socket.destroy());
    expect(await tryConnect('127.0.0.1', port, { timeoutMs: 1000 })).toBe('connected');
    expect(await tryConnect('127.0.0.1', port, { timeoutMs: 1000, confirmOpenMs: 150 })).toBe('closed');
  });

  it('says refused when nothing listens', async () => {
    expect(await tryConnect('127.0.0.1', await closedPort(), { timeoutMs: 1000 })).toBe('refused');
  });

  it('stops at once when the signal is aborted, before or during the wait', async () => {
    const port = await listen(() => {});
    expect(await tryConnect('127.0.0.1', port, { timeoutMs: 1000, signal: AbortSignal.abort() })).toBe('aborted');
    const during = new AbortController();
    const result = tryConnect('127.0.0.1', port, { timeoutMs: 10_000, confirmOpenMs: 10_000, signal: during.signal });
    during.abort();
    expect(await result).toBe('aborted');
  });
});

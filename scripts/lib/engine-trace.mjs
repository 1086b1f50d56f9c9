/**
 * A pass-through proxy for the Docker Engine's Unix socket that notes when each API
 * request starts and when its answer ends: for the benchmark's per-phase breakdown.
 * A client pointed at it with DOCKER_HOST=unix://<socket> talks to the real engine as
 * before; only the timing of each request is written down.
 */
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const wallClock = () => performance.timeOrigin + performance.now();

const REQUEST_LINE = /^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r\n/;

/**
 * Starts the proxy in front of `engineSocket`. Returns its socket path, the calls seen
 * so far (`{ method, path, start, end? }`, in order of start) and `close()`.
 */
export async function startEngineTrace(engineSocket = '/var/run/docker.sock') {
  const dir = await mkdtemp(path.join(tmpdir(), 'grader-bench-trace-'));
  const socket = path.join(dir, 'docker.sock');
  const calls = [];
  const connections = new Set();

  const server = net.createServer((client) => {
    const engine = net.connect(engineSocket);
    connections.add(client).add(engine);
    const waiting = []; // calls sent on this connection whose answer has not begun
    let answering; // { call, remaining: bytes (content-length) | 'chunked' | 'stream' }
    let tail = '';

    client.on('data', (data) => {
      const line = REQUEST_LINE.exec(data.subarray(0, 2048).toString('latin1'));
      if (line) {
        const call = { method: line[1], path: line[2], start: wallClock() };
        calls.push(call);
        waiting.push(call);
      }
      engine.write(data);
    });
    engine.on('data', (data) => {
      const now = wallClock();
      let text = data.toString('latin1');
      if (text.startsWith('HTTP/1.') && (!answering || answering.remaining === 0)) {
        const call = waiting.shift();
        const headEnd = text.indexOf('\r\n\r\n');
        const head = text.slice(0, headEnd);
        const status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        const chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
        if (call) call.status = status;
        const remaining =
          status === 101 || status === 204 || status === 304 ? 0 : length ? Number(length[1]) : chunked ? 'chunked' : 'stream';
        answering = { call, remaining };
        tail = '';
        text = text.slice(headEnd + 4);
      }
      if (answering) {
        if (typeof answering.remaining === 'number')
          answering.remaining = Math.max(0, answering.remaining - Buffer.byteLength(text, 'latin1'));
        else if (answering.remaining === 'chunked') {
          tail = (tail + text).slice(-7);
          if (tail.endsWith('\r\n0\r\n\r\n') || tail === '0\r\n\r\n') answering.remaining = 0;
        }
        if (answering.remaining === 0 && answering.call && answering.call.end === undefined) answering.call.end = now;
      }
      client.write(data);
    });
    const finish = () => {
      const now = wallClock();
      for (const call of [...waiting, answering?.call]) if (call && call.end === undefined) call.end = now;
    };
    engine.on('close', () => {
      finish();
      client.destroy();
      connections.delete(engine);
    });
    client.on('close', () => {
      finish();
      engine.destroy();
      connections.delete(client);
    });
    engine.on('error', () => client.destroy());
    client.on('error', () => engine.destroy());
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(socket, resolve));

  return {
    socket,
    calls,
    async close() {
      for (const connection of connections) connection.destroy();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

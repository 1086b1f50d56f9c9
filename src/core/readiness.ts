/**
 * Waiting for the service to be ready: poll a TCP connect (or watch for a log line),
 * give up at the deadline, and stop at once if the container exits.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { ExitInfo, Service } from '../engine/engine.js';

export type Readiness =
  | { ready: true; elapsedMs: number }
  | { ready: false; reason: 'exited'; exit: ExitInfo; elapsedMs: number }
  | { ready: false; reason: 'timeout'; elapsedMs: number };

export interface ReadinessOptions {
  port?: number;
  logPattern?: RegExp;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function waitUntilReady(service: Service, options: ReadinessOptions): Promise<Readiness> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exited = service.exited().then((exit) => ({ kind: 'exited' as const, exit }));
    const timedOut = delay(options.timeoutMs, undefined, { signal: stop.signal })
      .then(() => ({ kind: 'timeout' as const }))
      .catch(() => ({ kind: 'aborted' as const }));
    const ready = (options.logPattern ? waitForLogLine(service, options.logPattern, stop.signal) : options.port !== undefined
      ? waitForPort(service, options.port, stop.signal)
      : Promise.resolve()
    ).then(() => ({ kind: 'ready' as const }));
    const first = await Promise.race([exited, timedOut, ready]);
    switch (first.kind) {
      case 'ready':
        return { ready: true, elapsedMs: elapsed() };
      case 'exited':
        return { ready: false, reason: 'exited', exit: first.exit, elapsedMs: elapsed() };
      default:
        return { ready: false, reason: 'timeout', elapsedMs: elapsed() };
    }
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function waitForLogLine(service: Service, pattern: RegExp, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return;
    const test = (text: string) => pattern.test(text);
    let unsubscribe = () => {};
    const finish = () => {
      unsubscribe();
      resolve();
    };
    unsubscribe = service.onLogLine((line) => {
      if (test(line)) finish();
    });
    // Lines printed before we subscribed are already in the captured log.
    if (test(service.logs().text)) finish();
    signal.addEventListener('abort', () => unsubscribe(), { once: true });
  });
}

/** Polls with a short, growing interval: fast for quick starters, cheap for slow ones. */
async function waitForPort(service: Service, port: number, signal: AbortSignal): Promise<void> {
  let interval = 25;
  while (!signal.aborted) {
    const address = await service.address(port);
    if (await canConnect(address.host, address.port, 1000)) return;
    await delay(interval, undefined, { signal }).catch(() => {});
    interval = Math.min(interval * 1.5, 250);
  }
  return new Promise(() => {});
}

export function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

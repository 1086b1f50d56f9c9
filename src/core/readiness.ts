/**
 * Waiting for the service to be ready: poll a TCP connect (or watch for a log line),
 * give up at the deadline, and stop at once if the container exits.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isLoopback, tryConnect } from '../basics/net.js';
import type { ExitInfo, Listener, Service } from '../engine/engine.js';
import type { TextPattern } from '../rubric/pattern.js';

export type Readiness =
  | { ready: true; elapsedMs: number }
  | { ready: false; reason: 'unreachable'; listening: Listener[]; elapsedMs: number }
  | { ready: false; reason: 'exited'; exit: ExitInfo; elapsedMs: number }
  | { ready: false; reason: 'timeout'; elapsedMs: number };

export interface ReadinessOptions {
  port?: number;
  /**
   * Give up early when the container has listened for this long, but never where the
   * grader can reach `port`: the classic "app on 3000, EXPOSE 8080" or "app bound to
   * 127.0.0.1" mistakes, told in seconds rather than after the whole timeout.
   */
  unreachableAfterMs?: number;
  logPattern?: TextPattern;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function waitUntilReady(service: Service, options: ReadinessOptions): Promise<Readiness> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exited = service.exited().then((exit) => ({ kind: 'exited' as const, exit }));
    const timedOut = delay(options.timeoutMs, undefined, { signal: stop.signal })
      .then(() => ({ kind: 'timeout' as const }))
      .catch(() => ({ kind: 'aborted' as const }));
    const ready = (
      options.logPattern
        ? waitForLogLine(service, options.logPattern, stop.signal)
        : options.port !== undefined
          ? waitForPort(service, options.port, stop.signal)
          : Promise.resolve()
    ).then(() => ({ kind: 'ready' as const }));
    const racers: Promise<RaceResult>[] = [exited, timedOut, ready];
    if (options.port !== undefined && !options.logPattern && options.unreachableAfterMs !== undefined) {
      racers.push(watchForUnreachable(service, options.port, options.unreachableAfterMs, stop.signal));
    }
    const first = await Promise.race(racers);
    switch (first.kind) {
      case 'ready':
        return { ready: true, elapsedMs: elapsed() };
      case 'unreachable':
        return { ready: false, reason: 'unreachable', listening: first.listening, elapsedMs: elapsed() };
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

type RaceResult =
  | { kind: 'ready' }
  | { kind: 'exited'; exit: ExitInfo }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  | { kind: 'unreachable'; listening: Listener[] };

const LISTENER_POLL_MS = 1000;

/** Whether something listens on `port` where the grader can reach it. */
export function reachableOn(listening: readonly Listener[], port: number): boolean {
  return listening.some((l) => l.port === port && !l.loopback);
}

/** Resolves once the container has listened, but not reachably on `port`, for `afterMs` in a row; never otherwise. */
async function watchForUnreachable(service: Service, port: number, afterMs: number, signal: AbortSignal): Promise<RaceResult> {
  let since: number | undefined;
  while (!signal.aborted) {
    await delay(LISTENER_POLL_MS, undefined, { signal }).catch(() => {});
    if (signal.aborted) break;
    const listening = await service.listeners();
    if (listening === undefined) break; // this engine cannot tell
    const unreachable = listening.length > 0 && !reachableOn(listening, port);
    since = unreachable ? (since ?? Date.now()) : undefined;
    if (since !== undefined && Date.now() - since >= afterMs) return { kind: 'unreachable', listening };
  }
  return new Promise(() => {});
}

function waitForLogLine(service: Service, pattern: TextPattern, signal: AbortSignal): Promise<void> {
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
    // Through a port proxy (Docker Desktop, published ports) a connect succeeds before the
    // app listens; the proxy then hangs up at once. Only a connection that stays open counts.
    const confirmOpenMs = isLoopback(address.host) ? PROXY_CONFIRM_MS : 0;
    if ((await tryConnect(address.host, address.port, { timeoutMs: 1000, confirmOpenMs, signal })) === 'connected') return;
    await delay(interval, undefined, { signal }).catch(() => {});
    interval = Math.min(interval * 1.5, 250);
  }
  return new Promise(() => {});
}

const PROXY_CONFIRM_MS = 150;

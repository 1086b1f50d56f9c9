/**
 * Waiting for the service to be ready: until every condition the rubric sets holds (by
 * default, its port accepts TCP connections), giving up at the deadline, and at once if
 * the container exits. When no port is named but one is needed, the port the app listens
 * on is found and used.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isLoopback, tryConnect } from '../basics/net.js';
import type { ExitInfo, HealthState, Listener, Service } from '../engine/engine.js';
import { sendRequest } from '../probes/http-client.js';
import type { TextPattern } from '../rubric/pattern.js';

/** A condition that did not hold by the deadline, with what was seen of it. */
export type Unmet =
  | { kind: 'port'; port: number }
  | { kind: 'find-port' }
  | { kind: 'log'; pattern: string; times: number; seen: number }
  | { kind: 'http'; port: number; path: string; status: number; lastStatus?: number }
  | { kind: 'healthcheck'; last?: HealthState };

/** A port no one named, found among those the app listens on: the lowest reachable one. */
export interface FoundPort {
  port: number;
  /** Everything the app listened on when it was found. */
  listening: Listener[];
}

export type Readiness =
  | { ready: true; elapsedMs: number; port?: number; found?: FoundPort }
  | {
      ready: false;
      reason: 'unreachable';
      /** The port that was wanted; undefined when none was named (the app listened on loopback only). */
      port?: number;
      listening: Listener[];
      elapsedMs: number;
    }
  | { ready: false; reason: 'exited'; exit: ExitInfo; elapsedMs: number }
  | { ready: false; reason: 'no-healthcheck'; elapsedMs: number }
  /** An http condition with no port to send it to: none named, and none could be found. */
  | { ready: false; reason: 'no-port'; elapsedMs: number }
  | { ready: false; reason: 'timeout'; unmet: Unmet[]; elapsedMs: number };

export interface ReadinessOptions {
  port?: number;
  /** No port is named but the checks need one: wait until the app listens on one, and use it. */
  findPort?: boolean;
  /**
   * Give up early when the container has listened for this long, but never where the
   * grader can reach `port`: the classic "app on 3000, EXPOSE 8080" or "app bound to
   * 127.0.0.1" mistakes, told in seconds rather than after the whole timeout.
   */
  unreachableAfterMs?: number;
  /** A log line matches `pattern`, on `times` lines (default: once, anywhere in the log). */
  log?: { pattern: TextPattern; times?: number };
  /** A GET of `path` on the port answers with `status`. */
  http?: { path: string; status: number };
  /** The container's HEALTHCHECK reports healthy. */
  healthcheck?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

type RaceResult =
  | { kind: 'ready'; port?: number; found?: FoundPort }
  | { kind: 'exited'; exit: ExitInfo }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  | { kind: 'unreachable'; listening: Listener[] }
  | { kind: 'no-healthcheck' }
  | { kind: 'no-port' };

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
    const conditions = new Conditions(service, options, stop.signal);
    const racers: Promise<RaceResult>[] = [exited, timedOut, conditions.allMet(), conditions.failed];
    if (options.unreachableAfterMs !== undefined && conditions.needsReachablePort) {
      racers.push(watchForUnreachable(service, options.port, options.unreachableAfterMs, stop.signal));
    }
    const first = await Promise.race(racers);
    switch (first.kind) {
      case 'ready':
        return {
          ready: true,
          elapsedMs: elapsed(),
          ...(first.port !== undefined ? { port: first.port } : {}),
          ...(first.found ? { found: first.found } : {}),
        };
      case 'unreachable': {
        const port = options.port;
        return {
          ready: false,
          reason: 'unreachable',
          ...(port !== undefined ? { port } : {}),
          listening: first.listening,
          elapsedMs: elapsed(),
        };
      }
      case 'exited':
        return { ready: false, reason: 'exited', exit: first.exit, elapsedMs: elapsed() };
      case 'no-healthcheck':
      case 'no-port':
        return { ready: false, reason: first.kind, elapsedMs: elapsed() };
      default:
        return { ready: false, reason: 'timeout', unmet: conditions.unmet(), elapsedMs: elapsed() };
    }
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** One thing readiness waits for: what is known of it so far, and whether it holds. */
interface Condition {
  state: Unmet;
  met: boolean;
}

/**
 * The conditions of one wait, all of which must hold. The log and the health check are
 * watched from the start; the port ones once the port is known (named, or found).
 */
class Conditions {
  /** Settles with a verdict that ends the wait unready (no HEALTHCHECK, no port): never otherwise. */
  readonly failed: Promise<RaceResult>;
  private fail!: (result: RaceResult) => void;
  private readonly all: Condition[] = [];

  constructor(
    private readonly service: Service,
    private readonly options: ReadinessOptions,
    private readonly signal: AbortSignal,
  ) {
    this.failed = new Promise((resolve) => (this.fail = resolve));
  }

  /** Whether the wait needs the app reachable on a port: by default, for `http`, and when the port is to be found. */
  get needsReachablePort(): boolean {
    const { options } = this;
    const byDefault = !options.log && !options.http && !options.healthcheck;
    return (options.port !== undefined && (byDefault || options.http !== undefined)) || options.findPort === true;
  }

  async allMet(): Promise<RaceResult> {
    const { options, service, signal } = this;
    const independent: Promise<void>[] = [];
    if (options.log) {
      const { pattern, times = 1 } = options.log;
      const state = this.add({ kind: 'log', pattern: pattern.source, times, seen: 0 });
      independent.push(waitForLogLines(service, pattern, state, signal));
    }
    if (options.healthcheck) {
      const state = this.add({ kind: 'healthcheck' });
      independent.push(waitUntilHealthy(service, state, signal, () => this.fail({ kind: 'no-healthcheck' })));
    }

    let port = options.port;
    let found: FoundPort | undefined;
    if (port === undefined && options.findPort) {
      const search = this.add({ kind: 'find-port' });
      found = await findListeningPort(service, signal);
      search.met = true;
      port = found?.port;
    }

    const onPort: Promise<void>[] = [];
    if (options.http) {
      if (port === undefined) return this.failWith({ kind: 'no-port' });
      const state = this.add({ kind: 'http', port, path: options.http.path, status: options.http.status });
      onPort.push(waitForHttp(service, state, signal));
    } else if (!options.log && !options.healthcheck && port !== undefined) {
      const state = this.add({ kind: 'port', port });
      onPort.push(waitForPort(service, port, signal).then(() => void (state.met = true)));
    }
    await Promise.all([...independent, ...onPort]);
    return { kind: 'ready', ...(port !== undefined ? { port } : {}), ...(found ? { found } : {}) };
  }

  unmet(): Unmet[] {
    return this.all.filter((c) => !c.met).map((c) => c.state);
  }

  private add(state: Unmet): Condition {
    const condition = { state, met: false };
    this.all.push(condition);
    return condition;
  }

  private failWith(result: RaceResult): Promise<RaceResult> {
    this.fail(result);
    return never();
  }
}

function never<T>(): Promise<T> {
  return new Promise(() => {});
}

const LISTENER_POLL_MS = 1000;

/** Whether something listens on `port` where the grader can reach it. */
export function reachableOn(listening: readonly Listener[], port: number): boolean {
  return listening.some((l) => l.port === port && !l.loopback);
}

/**
 * Resolves once the container has listened, but not reachably on `port` (with no port:
 * reachably on none), for `afterMs` in a row; never otherwise.
 */
async function watchForUnreachable(service: Service, port: number | undefined, afterMs: number, signal: AbortSignal): Promise<RaceResult> {
  let since: number | undefined;
  while (!signal.aborted) {
    await delay(LISTENER_POLL_MS, undefined, { signal }).catch(() => {});
    if (signal.aborted) break;
    const listening = await service.listeners();
    if (listening === undefined) break; // this engine cannot tell
    const reachable = port === undefined ? listening.some((l) => !l.loopback) : reachableOn(listening, port);
    const unreachable = listening.length > 0 && !reachable;
    since = unreachable ? (since ?? Date.now()) : undefined;
    if (since !== undefined && Date.now() - since >= afterMs) return { kind: 'unreachable', listening };
  }
  return never();
}

/** Times in a row the engine may not tell the listeners of a running container before it is taken to be unable to. */
const UNTOLD_POLLS = 3;

/**
 * The lowest port the app listens on where the grader can reach it, once it listens on
 * one; undefined when the engine cannot tell (its host cannot read the container's
 * sockets). Never settles while the app listens nowhere, or only on loopback.
 */
async function findListeningPort(service: Service, signal: AbortSignal): Promise<FoundPort | undefined> {
  let interval = 50;
  let untold = 0;
  while (!signal.aborted) {
    const listening = await service.listeners();
    if (listening === undefined) {
      // Also said of a container that has just stopped: that is the exit's to report.
      if (service.exitInfo() === undefined && ++untold >= UNTOLD_POLLS) return undefined;
    } else {
      untold = 0;
      const reachable = listening.filter((l) => !l.loopback).map((l) => l.port);
      if (reachable.length > 0) return { port: Math.min(...reachable), listening };
    }
    await delay(interval, undefined, { signal }).catch(() => {});
    interval = Math.min(interval * 1.5, 500);
  }
  return never();
}

/**
 * Once: the pattern matches anywhere in the log (a pattern may span lines). More times:
 * that many lines have matched, each line counting once.
 */
function waitForLogLines(service: Service, pattern: TextPattern, condition: Condition, signal: AbortSignal): Promise<void> {
  const state = condition.state as Extract<Unmet, { kind: 'log' }>;
  return new Promise((resolve) => {
    if (signal.aborted) return;
    let unsubscribe = () => {};
    const finish = () => {
      unsubscribe();
      condition.met = true;
      resolve();
    };
    const count = (matched: boolean) => {
      if (!matched || condition.met) return;
      state.seen += 1;
      if (state.seen >= state.times) finish();
    };
    // Subscribing and reading the captured log in one go: every line is either in the
    // text read now (complete, ending in a newline) or told to the listener later.
    unsubscribe = service.onLogLine((line) => count(pattern.test(line)));
    const text = service.logs().text;
    if (state.times === 1) count(pattern.test(text));
    else for (const line of completeLines(text)) count(pattern.test(line));
    signal.addEventListener('abort', () => unsubscribe(), { once: true });
  });
}

/** The lines of `text` that end in a newline, without it (and without a `\r` before it). */
function completeLines(text: string): string[] {
  const end = text.lastIndexOf('\n');
  if (end === -1) return [];
  return text
    .slice(0, end)
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
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
  return never();
}

const PROXY_CONFIRM_MS = 150;
const HTTP_ATTEMPT_MS = 2_000;

/** GETs the path until the answer has the wanted status; remembers the last status seen. */
async function waitForHttp(service: Service, condition: Condition, signal: AbortSignal): Promise<void> {
  const state = condition.state as Extract<Unmet, { kind: 'http' }>;
  let interval = 50;
  while (!signal.aborted) {
    const address = await service.address(state.port);
    const response = await sendRequest({
      host: address.host,
      port: address.port,
      method: 'GET',
      path: state.path,
      headers: {},
      timeoutMs: HTTP_ATTEMPT_MS,
      maxBodyBytes: 0,
      signal,
    });
    if (response.ok) {
      state.lastStatus = response.status;
      if (response.status === state.status) {
        condition.met = true;
        return;
      }
    }
    await delay(interval, undefined, { signal }).catch(() => {});
    interval = Math.min(interval * 1.5, 500);
  }
  return never();
}

const HEALTH_POLL_MS = 250;

/** Polls the container's health until it is healthy; `noHealthcheck` when the container runs none. */
async function waitUntilHealthy(service: Service, condition: Condition, signal: AbortSignal, noHealthcheck: () => void): Promise<void> {
  const state = condition.state as Extract<Unmet, { kind: 'healthcheck' }>;
  while (!signal.aborted) {
    const health = await service.health();
    if (health?.status === 'none') {
      noHealthcheck();
      return never();
    }
    if (health) state.last = health;
    if (health?.status === 'healthy') {
      condition.met = true;
      return;
    }
    await delay(HEALTH_POLL_MS, undefined, { signal }).catch(() => {});
  }
  return never();
}

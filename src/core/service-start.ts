/**
 * Starting the student's service for the runtime checks and deciding when it is ready,
 * with a message that says what went wrong when it never is.
 */
import { t } from '../basics/i18n/catalogue.js';
import type { ContainerEngine, ImageInfo, Service } from '../engine/engine.js';
import { NoCommandError, hasStartCommand, nothingToStart } from '../engine/container/start-command.js';
import type { Check, Rubric } from '../rubric/model.js';
import { compilePattern } from '../rubric/pattern.js';
import { diskLimitKill } from '../probes/disk-limit.js';
import { formatDuration } from '../basics/units.js';
import { reachableOn, waitUntilReady, type FoundPort, type Unmet } from './readiness.js';
import type { HealthState, Listener } from '../engine/engine.js';

export type ServiceStart =
  | {
      ready: true;
      service: Service;
      port?: number;
      /** For the report: the port no one named, found among those the app listens on. */
      note?: string;
    }
  | { ready: false; service?: Service; message: string; logTail?: string };

const LOG_TAIL_LINES = 30;
/** How long an app may listen only where the grader cannot reach it before that is the verdict. */
const UNREACHABLE_AFTER_MS = 5_000;

/** The port http/tcp checks use when they name none: the rubric's, else the image's first EXPOSE. */
export function defaultServicePort(rubric: Rubric, image: ImageInfo): number | undefined {
  return rubric.service.port ?? image.exposedPorts[0];
}

export function portsToReach(rubric: Rubric, image: ImageInfo): number[] {
  const ports = new Set<number>();
  const main = defaultServicePort(rubric, image);
  if (main !== undefined) ports.add(main);
  for (const check of rubric.checks) {
    for (const port of portsNamedBy(check)) if (port !== undefined) ports.add(port);
  }
  return [...ports];
}

/** The ports a check's requests go to, one per request; undefined where it names none (the default port). */
function portsNamedBy(check: Check): (number | undefined)[] {
  const { spec } = check;
  if (spec.kind === 'tcp') return [spec.port];
  if (spec.kind === 'http') return spec.cases ? spec.cases.map((c) => c.port) : [spec.port];
  return [];
}

/** Whether something needs the default port: a check that names none, or the readiness `http` request. */
function needsDefaultPort(rubric: Rubric): boolean {
  return rubric.service.ready.http !== undefined || rubric.checks.some((check) => portsNamedBy(check).includes(undefined));
}

/** Starts the service through the engine and waits until it is ready; when it never is, says why. */
export async function startServiceAndWait(
  engine: ContainerEngine,
  image: ImageInfo,
  rubric: Rubric,
  labels: Record<string, string>,
  signal: AbortSignal,
): Promise<ServiceStart> {
  const named = defaultServicePort(rubric, image);
  const { ready } = rubric.service;
  if (!hasStartCommand(image, rubric.service.command)) return { ready: false, message: nothingToStart() };
  if (ready.healthcheck && !image.healthcheck) return { ready: false, message: t('readiness.healthcheck.missing') };
  let service: Service;
  try {
    service = await engine.startService({
      image: image.id,
      env: rubric.service.env,
      ...(rubric.service.command ? { command: rubric.service.command } : {}),
      ports: portsToReach(rubric, image),
      ...(ready.healthcheck ? { healthcheck: true } : {}),
      limits: rubric.limits,
      labels,
    });
  } catch (err) {
    if (err instanceof NoCommandError) return { ready: false, message: err.message };
    throw err;
  }
  const { timeoutMs, log } = ready;
  const readiness = await waitUntilReady(service, {
    ...(named !== undefined ? { port: named } : { findPort: needsDefaultPort(rubric) }),
    ...(log ? { log: { pattern: compilePattern(log), times: ready.logTimes ?? 1 } } : {}),
    ...(ready.http ? { http: ready.http } : {}),
    ...(ready.healthcheck ? { healthcheck: true } : {}),
    unreachableAfterMs: UNREACHABLE_AFTER_MS,
    timeoutMs,
    signal,
  });
  if (readiness.ready) {
    const { port, found } = readiness;
    return { ready: true, service, ...(port !== undefined ? { port } : {}), ...(found ? { note: foundPortNote(found) } : {}) };
  }
  const logTail = tailLines(service.logs().text, LOG_TAIL_LINES);
  if (readiness.reason === 'exited') {
    const { exitCode, oomKilled } = readiness.exit;
    const diskKill = diskLimitKill(readiness.exit.killedFor);
    const elapsed = formatDuration(readiness.elapsedMs);
    const message = oomKilled
      ? t('core.service.crashed_oom', { limit: Math.round(rubric.limits.memoryBytes / 1024 ** 2), elapsed })
      : diskKill
        ? t('core.service.crashed_disk', { kill: diskKill, elapsed })
        : t('core.service.crashed_exit', { code: exitCode, elapsed });
    // A fork bomb can take its own shell down with it: the exit code then says less than the limit it hit.
    const limit = service.pidsLimitHit?.() ? t('core.service.crashed_pids_limit', { pids: rubric.limits.pids }) : '';
    return { ready: false, service, message: `${message}${limit}`, logTail };
  }
  if (readiness.reason === 'unreachable') {
    // With no port named, it listened on loopback only: that port is the one to fix.
    const wanted = readiness.port ?? readiness.listening[0]!.port;
    return {
      ready: false,
      service,
      message: t('core.service.not_reachable', { detail: describeListeners(readiness.listening, wanted, rubric, image) }),
      logTail,
    };
  }
  if (readiness.reason === 'no-healthcheck') return { ready: false, service, message: t('readiness.healthcheck.missing'), logTail };
  if (readiness.reason === 'no-port') {
    return { ready: false, service, message: t('readiness.http.no_port', { path: ready.http?.path ?? '/' }), logTail };
  }
  const neverReady = (why: string) => t('core.service.never_ready', { timeout: formatDuration(timeoutMs), why });
  if (service.pidsLimitHit?.()) {
    return { ready: false, service, message: neverReady(t('core.service.pids_limit', { pids: rubric.limits.pids })), logTail };
  }
  const waitedFor = describeUnmet(readiness.unmet);
  const listening = await service.listeners();
  const why =
    listening?.length && named !== undefined && !reachableOn(listening, named)
      ? t('core.service.never_ready_listeners', { why: waitedFor, listeners: describeListeners(listening, named, rubric, image) })
      : waitedFor;
  return { ready: false, service, message: neverReady(why), logTail };
}

/** What readiness still waited for at its deadline, in the words of the first rubric forms (log, port) where they apply. */
function describeUnmet(unmet: readonly Unmet[]): string {
  const reasons = unmet.map((condition) => {
    switch (condition.kind) {
      case 'log':
        return condition.times === 1
          ? t('core.service.no_log_line', { pattern: condition.pattern })
          : t('readiness.log.too_few', { pattern: condition.pattern, seen: condition.seen, times: condition.times });
      case 'port':
        return t('core.service.no_connection', { port: condition.port });
      case 'find-port':
        return t('readiness.port.none_found');
      case 'http':
        return condition.lastStatus === undefined
          ? t('readiness.http.no_answer', { path: condition.path, status: condition.status, port: condition.port })
          : t('readiness.http.wrong_status', { path: condition.path, status: condition.status, actual: condition.lastStatus });
      case 'healthcheck':
        return describeHealth(condition.last);
    }
  });
  return reasons.length > 0 ? reasons.join('; ') : t('core.service.not_ready');
}

/** How much of the end of the health check's last output is quoted: enough for `curl: not found`. */
const HEALTH_OUTPUT_CHARS = 200;

function describeHealth(last: HealthState | undefined): string {
  const run = last?.last;
  if (!run) return t('readiness.healthcheck.never_ran');
  const output = [...oneLine(run.output)].slice(-HEALTH_OUTPUT_CHARS).join('');
  return output
    ? t('readiness.healthcheck.failing_output', { code: run.exitCode, output })
    : t('readiness.healthcheck.failing', { code: run.exitCode });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The report's note on a port found by listening: which, and the EXPOSE that would have named it. */
function foundPortNote(found: FoundPort): string {
  const others = found.listening.filter((l) => !l.loopback && l.port !== found.port).map((l) => l.port);
  return others.length === 0
    ? t('readiness.port.found', { port: found.port })
    : t('readiness.port.found_lowest', { port: found.port, ports: [found.port, ...others].sort((a, b) => a - b).join(', ') });
}

/** Why the grader cannot reach `port`, from what the container does listen on. */
function describeListeners(listening: readonly Listener[], port: number, rubric: Rubric, image: ImageInfo): string {
  const onPort = listening.find((l) => l.port === port);
  if (onPort?.loopback) return t('core.service.listens_loopback', { port });
  const ports = listening.map((l) => l.port);
  return t('core.service.listens_elsewhere', { count: ports.length, ports: ports.join(', '), port, fix: portSource(rubric, image) });
}

/** Where the expected port came from, so the student knows what to change. */
function portSource(rubric: Rubric, image: ImageInfo): string {
  if (rubric.service.port !== undefined) return t('core.service.fix_rubric_port', { port: rubric.service.port });
  return t('core.service.fix_expose', { ports: image.exposedPorts.join(', ') });
}

function tailLines(text: string, count: number): string | undefined {
  const lines = text.replace(/\n$/, '').split('\n');
  const tail = lines.slice(-count).join('\n');
  return tail.trim() ? tail : undefined;
}

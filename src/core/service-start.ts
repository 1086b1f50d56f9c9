/**
 * Starting the student's service for the runtime checks and deciding when it is ready,
 * with a message that says what went wrong when it never is.
 */
import { t } from '../basics/i18n/catalogue.js';
import type { ContainerEngine, ImageInfo, Service } from '../engine/engine.js';
import { NoCommandError, hasStartCommand, nothingToStart } from '../engine/container/start-command.js';
import type { Rubric } from '../rubric/model.js';
import { compilePattern } from '../rubric/pattern.js';
import { diskLimitKill } from '../probes/disk-limit.js';
import { formatDuration } from '../basics/units.js';
import { reachableOn, waitUntilReady } from './readiness.js';
import type { Listener } from '../engine/engine.js';

export type ServiceStart =
  { ready: true; service: Service; port?: number } | { ready: false; service?: Service; message: string; logTail?: string };

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
    if ((check.spec.kind === 'http' || check.spec.kind === 'tcp') && check.spec.port !== undefined) ports.add(check.spec.port);
  }
  return [...ports];
}

/** Starts the service through the engine and waits until it is ready; when it never is, says why. */
export async function startServiceAndWait(
  engine: ContainerEngine,
  image: ImageInfo,
  rubric: Rubric,
  labels: Record<string, string>,
  signal: AbortSignal,
): Promise<ServiceStart> {
  const port = defaultServicePort(rubric, image);
  if (!hasStartCommand(image, rubric.service.command)) return { ready: false, message: nothingToStart() };
  let service: Service;
  try {
    service = await engine.startService({
      image: image.id,
      env: rubric.service.env,
      ...(rubric.service.command ? { command: rubric.service.command } : {}),
      ports: portsToReach(rubric, image),
      limits: rubric.limits,
      labels,
    });
  } catch (err) {
    if (err instanceof NoCommandError) return { ready: false, message: err.message };
    throw err;
  }
  const { timeoutMs, log } = rubric.service.ready;
  const readiness = await waitUntilReady(service, {
    ...(port !== undefined ? { port } : {}),
    ...(log ? { logPattern: compilePattern(log) } : {}),
    unreachableAfterMs: UNREACHABLE_AFTER_MS,
    timeoutMs,
    signal,
  });
  if (readiness.ready) return { ready: true, service, ...(port !== undefined ? { port } : {}) };

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
    return { ready: false, service, message, logTail };
  }
  if (readiness.reason === 'unreachable') {
    return {
      ready: false,
      service,
      message: t('core.service.not_reachable', { detail: describeListeners(readiness.listening, port!, rubric, image) }),
      logTail,
    };
  }
  const neverReady = (why: string) => t('core.service.never_ready', { timeout: formatDuration(timeoutMs), why });
  if (service.pidsLimitHit?.()) {
    return { ready: false, service, message: neverReady(t('core.service.pids_limit', { pids: rubric.limits.pids })), logTail };
  }
  const waitedFor = log
    ? t('core.service.no_log_line', { pattern: log })
    : port !== undefined
      ? t('core.service.no_connection', { port })
      : t('core.service.not_ready');
  const listening = await service.listeners();
  const why =
    listening?.length && port !== undefined && !reachableOn(listening, port)
      ? t('core.service.never_ready_listeners', { why: waitedFor, listeners: describeListeners(listening, port, rubric, image) })
      : waitedFor;
  return { ready: false, service, message: neverReady(why), logTail };
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

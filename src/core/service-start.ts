/**
 * Starting the student's service for the runtime checks and deciding when it is ready,
 * with a message that says what went wrong when it never is.
 */
import type { ContainerEngine, ImageInfo, Service } from '../engine/engine.js';
import { NOTHING_TO_START, NoCommandError, hasStartCommand } from '../engine/container/start-command.js';
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
  if (!hasStartCommand(image, rubric.service.command)) return { ready: false, message: NOTHING_TO_START };
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
    const why = oomKilled
      ? `ran out of memory (limit ${Math.round(rubric.limits.memoryBytes / 1024 ** 2)} MiB) and was killed`
      : diskKill
        ? `exceeded its disk limit (${diskKill})`
        : `exited with code ${exitCode}`;
    return {
      ready: false,
      service,
      message: `the service crashed before it was ready: the container ${why} after ${formatDuration(readiness.elapsedMs)}`,
      logTail,
    };
  }
  if (readiness.reason === 'unreachable') {
    return {
      ready: false,
      service,
      message: `the service is not reachable: ${describeListeners(readiness.listening, port!, rubric, image)}`,
      logTail,
    };
  }
  const within = `the service never became ready within ${formatDuration(timeoutMs)}`;
  if (service.pidsLimitHit?.()) {
    return {
      ready: false,
      service,
      message: `${within}: it hit its process limit (${rubric.limits.pids}) — a fork bomb, or too many threads?`,
      logTail,
    };
  }
  const listening = await service.listeners();
  const otherPorts =
    listening?.length && port !== undefined && !reachableOn(listening, port)
      ? `; ${describeListeners(listening, port, rubric, image)}`
      : '';
  const waitedFor = log
    ? `no log line matched /${log}/`
    : port !== undefined
      ? `nothing accepted connections on port ${port}` + ' (does the app listen on 0.0.0.0 and on the port the Dockerfile EXPOSEs?)'
      : 'it never became ready';
  return { ready: false, service, message: `${within}: ${waitedFor}${otherPorts}`, logTail };
}

/** Why the grader cannot reach `port`, from what the container does listen on. */
function describeListeners(listening: readonly Listener[], port: number, rubric: Rubric, image: ImageInfo): string {
  const onPort = listening.find((l) => l.port === port);
  if (onPort?.loopback) {
    return `the app listens on port ${port} only on 127.0.0.1 (localhost), which nothing outside the container can reach; make it listen on 0.0.0.0`;
  }
  const ports = listening.map((l) => l.port);
  const list = ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(', ')}`;
  return `the app listens on ${list}, not on port ${port}: ${portSource(rubric, image)}`;
}

/** Where the expected port came from, so the student knows what to change. */
function portSource(rubric: Rubric, image: ImageInfo): string {
  if (rubric.service.port !== undefined) return `the rubric grades port ${rubric.service.port}; make the app listen there (and EXPOSE it)`;
  return `the Dockerfile EXPOSEs ${image.exposedPorts.join(', ')}; make the app listen on the port you EXPOSE (on 0.0.0.0)`;
}

function tailLines(text: string, count: number): string | undefined {
  const lines = text.replace(/\n$/, '').split('\n');
  const tail = lines.slice(-count).join('\n');
  return tail.trim() ? tail : undefined;
}

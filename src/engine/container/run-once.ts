/**
 * One-shot runs (`docker run --rm`): a fresh container with the request's arguments,
 * environment and stdin, no network unless asked, killed at the time limit, removed after.
 */
import type { Duplex } from 'node:stream';
import { errorMessage } from '../../basics/errors.js';
import { TextCapture } from './capture.js';
import type { ContainerFactory, StudentContainer } from './container-create.js';
import { demultiplex } from './demux.js';
import { isDaemonStatus, isEngineGone } from '../engine-errors.js';
import { ContainerWatch } from './container-watch.js';
import type { KillReason, ProcessOutcome, RunRequest } from '../engine.js';
import { DEFAULT_DISK_BYTES, OUTPUT_CAP_BYTES } from '../engine.js';
import { outcome } from './process-exec.js';
import { containerEnv } from './sandbox-config.js';
import { NOT_STARTED_EXIT_CODE, OUTPUT_DRAIN_MS, exitState } from './exit-state.js';
import { settleWithin } from '../../basics/deadline.js';

export interface RunEnvironment {
  /** Creates the container with the sandbox's settings. */
  factory: ContainerFactory;
  /** Where the engine keeps its data, when it runs on this host (for the disk watch). */
  dataRoot?: string;
}

export async function runOnce(env: RunEnvironment, request: RunRequest): Promise<ProcessOutcome> {
  const withStdin = request.stdin !== undefined;
  const created = await env.factory.create(
    {
      Image: request.image,
      ...(request.args.length > 0 ? { Cmd: request.args } : {}),
      Env: containerEnv(request.env),
      Labels: request.labels,
      AttachStdin: withStdin,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: withStdin,
      // The engine closes the program's stdin when the attached client ends its side: the program sees EOF.
      StdinOnce: withStdin,
      Tty: false,
      HostConfig: { NetworkMode: request.limits.network === 'internet' ? 'bridge' : 'none' },
    },
    request.limits,
  );
  const { container } = created;
  try {
    return await runAttached(created, request, env.dataRoot);
  } finally {
    await container.remove({ force: true, v: true }).catch((err: unknown) => {
      if (!isDaemonStatus(err, 404) && !isDaemonStatus(err, 409)) throw err;
    });
  }
}

async function runAttached(created: StudentContainer, request: RunRequest, dataRoot: string | undefined): Promise<ProcessOutcome> {
  const { container } = created;
  const cap = request.outputCap ?? OUTPUT_CAP_BYTES;
  const stdout = new TextCapture(cap);
  const stderr = new TextCapture(cap);
  const withStdin = request.stdin !== undefined;
  const stream = await container.attach({ stream: true, stdin: withStdin, stdout: true, stderr: true, hijack: withStdin });
  const output = demultiplex(
    stream,
    (chunk) => stdout.write(chunk),
    (chunk) => stderr.write(chunk),
  );

  const started = Date.now();
  try {
    await container.start();
  } catch (err) {
    if (isEngineGone(err) || !(isDaemonStatus(err, 400) || isDaemonStatus(err, 500))) throw err;
    (stream as Duplex).destroy();
    const info = await container.inspect();
    stderr.write(Buffer.from(`${errorMessage(err)}\n`));
    return outcome(stdout, stderr, { exitCode: info.State.ExitCode || NOT_STARTED_EXIT_CODE, oomKilled: false, started });
  }
  let killedFor: KillReason | undefined;
  const kill = (reason: KillReason) => {
    killedFor ??= reason;
    return container.kill({ signal: 'SIGKILL' }).catch(() => {});
  };
  const watch = await watchRun(created, request, dataRoot, kill);
  if (withStdin) {
    // Half-close after writing: the engine passes the EOF on to the program.
    (stream as Duplex).end(request.stdin);
  }

  const timer = setTimeout(() => void kill('time'), request.timeoutMs);
  let status: { StatusCode: number };
  try {
    status = await container.wait();
  } finally {
    clearTimeout(timer);
    watch?.stop();
  }
  const durationMs = Date.now() - started;
  await settleWithin(output, OUTPUT_DRAIN_MS);
  (stream as Duplex).destroy();
  const state = await exitState(container, { killedByGrader: killedFor !== undefined });
  return outcome(stdout, stderr, {
    exitCode: killedFor ? null : status.StatusCode,
    oomKilled: state.OOMKilled === true,
    started,
    durationMs,
    killedFor,
    pidsLimitHit: (watch?.refusedForks ?? 0) > 0,
  });
}

/** Disk and pids watch of the running container; undefined when it has already stopped. */
async function watchRun(
  created: StudentContainer,
  request: RunRequest,
  dataRoot: string | undefined,
  onDiskExceeded: (reason: KillReason) => Promise<void>,
): Promise<ContainerWatch | undefined> {
  const info = await created.container.inspect();
  if (!info.State.Running) return undefined;
  return ContainerWatch.start(created.container, info, {
    diskBytes: request.limits.diskBytes ?? DEFAULT_DISK_BYTES,
    volumes: created.volumes,
    volumeBytes: created.volumeBytes,
    ...(dataRoot ? { dataRoot } : {}),
    onDiskExceeded,
  });
}

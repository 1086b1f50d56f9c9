/**
 * Running one command inside a running container (`docker exec`), with a time limit.
 * An exec cannot be killed on its own, so the time limit kills the whole container.
 */
import type Dockerode from 'dockerode';
import { t } from '../../basics/i18n/catalogue.js';
import { TextCapture } from './capture.js';
import { demultiplex } from './demux.js';
import { isDaemonStatus } from '../engine-errors.js';
import { watchOom } from './oom-watch.js';
import type { OomWatch } from './oom-watch.js';
import { OUTPUT_CAP_BYTES, type KillReason, type ProcessOutcome } from '../engine.js';
import { mentionsForkFailure } from './pids-limit.js';

export interface ExecOptions {
  timeoutMs: number;
  outputCap?: number;
  /** Kills the container; called when the time limit passes. */
  onTimeout: () => Promise<void>;
  /** The container's count of forks refused by its pids limit; undefined where it cannot be read. */
  refusedForks?: () => Promise<number>;
  /** Why the grader killed the container, if it did (e.g. its disk limit, while this exec ran). */
  killedFor?: () => KillReason | undefined;
}

/** Exit code of a process killed by SIGKILL, which is what the OOM killer sends. */
const SIGKILL_EXIT_CODE = 137;
/** How long an `oom` event may trail the end of the exec. */
const OOM_EVENT_GRACE_MS = 1_000;

export async function execInContainer(
  docker: Dockerode,
  container: Dockerode.Container,
  command: string[],
  options: ExecOptions,
): Promise<ProcessOutcome> {
  const oom = await watchOom(docker, container.id);
  try {
    return await runExec(container, command, options, oom);
  } finally {
    oom.close();
  }
}

async function runExec(container: Dockerode.Container, command: string[], options: ExecOptions, oom: OomWatch): Promise<ProcessOutcome> {
  const started = Date.now();
  const cap = options.outputCap ?? OUTPUT_CAP_BYTES;
  const stdout = new TextCapture(cap);
  const stderr = new TextCapture(cap);
  let exec: Dockerode.Exec;
  let stream: NodeJS.ReadableStream;
  try {
    exec = await container.exec({ Cmd: command, AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false });
    stream = await exec.start({ hijack: true, stdin: false });
  } catch (err) {
    if (!isDaemonStatus(err, 409)) throw err;
    // The service is not running any more: nothing ran, which is the student's outcome, not an engine fault.
    stderr.write(Buffer.from(`${t('engine.exec.not_running')}\n`));
    return outcome(stdout, stderr, { exitCode: null, oomKilled: false, started });
  }
  const refusedBefore = await options.refusedForks?.();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void options.onTimeout().catch(() => {});
  }, options.timeoutMs);
  try {
    await demultiplex(
      stream,
      (chunk) => stdout.write(chunk),
      (chunk) => stderr.write(chunk),
    );
  } finally {
    clearTimeout(timer);
    (stream as { destroy?: () => void }).destroy?.();
  }
  const killedFor = timedOut ? 'time' : options.killedFor?.();
  // Valid only now that the stream has ended.
  const exitCode = killedFor ? null : (await exec.inspect()).ExitCode;
  const oomKilled = exitCode === SIGKILL_EXIT_CODE && (await oom.killed(OOM_EVENT_GRACE_MS));
  const refusedAfter = await options.refusedForks?.();
  const pidsLimitHit = (refusedAfter ?? 0) > (refusedBefore ?? 0);
  return outcome(stdout, stderr, { exitCode, oomKilled, started, killedFor, pidsLimitHit });
}

export interface OutcomeFacts {
  exitCode: number | null;
  oomKilled: boolean;
  started: number;
  durationMs?: number;
  killedFor?: KillReason | undefined;
  /** From the cgroup's counter; the output is consulted too, for hosts where the counter cannot be read. */
  pidsLimitHit?: boolean;
}

/** The outcome of a finished process, shared by execs and one-shot runs. */
export function outcome(stdout: TextCapture, stderr: TextCapture, facts: OutcomeFacts): ProcessOutcome {
  stdout.end();
  stderr.end();
  const out = stdout.snapshot();
  const err = stderr.snapshot();
  const pidsLimitHit = facts.pidsLimitHit === true || mentionsForkFailure(err.text) || mentionsForkFailure(out.text);
  return {
    exitCode: facts.exitCode,
    stdout: out,
    stderr: err,
    oomKilled: facts.oomKilled,
    ...(facts.killedFor ? { killedFor: facts.killedFor } : {}),
    ...(pidsLimitHit ? { pidsLimitHit: true } : {}),
    durationMs: facts.durationMs ?? Date.now() - facts.started,
  };
}

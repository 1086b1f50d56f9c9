/**
 * Running one command inside a running container (`docker exec`), with a time limit.
 * An exec cannot be killed on its own, so the time limit kills the whole container.
 */
import type Dockerode from 'dockerode';
import { DEFAULT_OUTPUT_CAP, TextCapture } from './capture.js';
import { demultiplex } from './demux.js';
import { isDaemonStatus } from './engine-errors.js';
import { watchOom } from './oom-watch.js';
import type { OomWatch } from './oom-watch.js';
import type { ProcessOutcome } from './engine.js';

export interface ExecOptions {
  timeoutMs: number;
  outputCap?: number;
  /** Kills the container; called when the time limit passes. */
  onTimeout: () => Promise<void>;
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
  const cap = options.outputCap ?? DEFAULT_OUTPUT_CAP;
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
    stderr.write(Buffer.from('the command could not run: the service container is not running\n'));
    return outcome(stdout, stderr, { exitCode: null, timedOut: false, oomKilled: false, started });
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void options.onTimeout().catch(() => {});
  }, options.timeoutMs);
  try {
    await demultiplex(stream, (chunk) => stdout.write(chunk), (chunk) => stderr.write(chunk));
  } finally {
    clearTimeout(timer);
    (stream as { destroy?: () => void }).destroy?.();
  }
  // Valid only now that the stream has ended.
  const exitCode = timedOut ? null : (await exec.inspect()).ExitCode;
  const oomKilled = exitCode === SIGKILL_EXIT_CODE && (await oom.killed(OOM_EVENT_GRACE_MS));
  return outcome(stdout, stderr, { exitCode, timedOut, oomKilled, started });
}

function outcome(
  stdout: TextCapture,
  stderr: TextCapture,
  result: { exitCode: number | null; timedOut: boolean; oomKilled: boolean; started: number },
): ProcessOutcome {
  stdout.end();
  stderr.end();
  return {
    exitCode: result.exitCode,
    stdout: stdout.snapshot(),
    stderr: stderr.snapshot(),
    timedOut: result.timedOut,
    oomKilled: result.oomKilled,
    durationMs: Date.now() - result.started,
  };
}

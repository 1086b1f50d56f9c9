/**
 * Running git on repositories and servers we do not trust. Every command gets a private,
 * empty HOME, reads no global or system config, runs no hooks and no fsmonitor, speaks
 * only the transports listed here, and sees none of the grader's environment (tokens
 * included). Each command runs in a process group of its own, so stopping it stops the
 * helpers it started (git-remote-https, upload-pack, index-pack) too.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Transports a submission may come over. Remote helpers such as `ext::` (which runs a command) are refused. */
const ALLOWED_PROTOCOLS = ['https', 'http', 'ssh', 'git', 'file'] as const;

/** Given with `-c`, which outranks the repository's own .git/config. */
const HARDENING: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'protocol.allow=never',
  ...ALLOWED_PROTOCOLS.map((p) => `protocol.${p}.allow=always`),
  'advice.detachedHead=false',
  // A repository's own config could otherwise have `git log` or `git show` run its `gpg.program`.
  'log.showSignature=false',
];

const MAX_STDOUT_BYTES = 1024 * 1024;
const MAX_STDERR_BYTES = 16 * 1024;

export interface GitCall {
  cwd: string;
  /** Stops the command and its helpers; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** More `-c` settings for this command. */
  config?: readonly string[];
  /** Settings kept off the command line, which any local user can read (credentials). */
  privateConfig?: ReadonlyArray<readonly [key: string, value: string]>;
  /** Folders git may not go up into while looking for the repository (GIT_CEILING_DIRECTORIES). */
  ceiling?: string;
  /** Receives standard output as it comes instead of collecting it; what it throws stops the command and rejects the call. */
  onStdout?: (chunk: Buffer) => void;
}

/** git ran and failed. The message is git's own account (its `fatal:` line), for people. */
export class GitFailed extends Error {
  override readonly name = 'GitFailed';
  constructor(
    readonly stderr: string,
    exit: string,
  ) {
    super(tellingLine(stderr) ?? `git ${exit}`);
  }
}

/** A private HOME for the git commands of one job; `close()` removes it. */
export class GitRunner {
  private constructor(private readonly home: string) {}

  static async create(): Promise<GitRunner> {
    return new GitRunner(await mkdtemp(path.join(os.tmpdir(), 'grader-git-home-')));
  }

  async close(): Promise<void> {
    await rm(this.home, { recursive: true, force: true });
  }

  /** Runs `git args…` and resolves with its standard output (unless `onStdout` takes it). */
  run(args: readonly string[], call: GitCall): Promise<string> {
    const { signal } = call;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const config = [...HARDENING, ...(call.config ?? [])].flatMap((setting) => ['-c', setting]);
    const child = spawn('git', [...config, ...args], {
      cwd: call.cwd,
      env: this.environment(call.privateConfig ?? [], call.ceiling),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const group = child.pid;
    track(group);

    return new Promise<string>((resolve, reject) => {
      const stdout: Buffer[] = [];
      let stdoutBytes = 0;
      let stderr = '';
      let stopped: { reason: unknown } | undefined;
      const stop = (reason: unknown) => {
        if (stopped) return;
        stopped = { reason };
        killGroup(group);
      };
      const onAbort = () => stop(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (chunk: Buffer) => {
        if (stopped) return;
        if (call.onStdout) {
          try {
            call.onStdout(chunk);
          } catch (err) {
            stop(err);
          }
        } else if (stdoutBytes < MAX_STDOUT_BYTES) {
          stdout.push(chunk);
          stdoutBytes += chunk.length;
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR_BYTES);
      });

      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        // Helpers that outlived git (they should not) go with it.
        killGroup(group);
        untrack(group);
        outcome();
      };
      child.on('error', (err) => finish(() => reject(stopped ? (stopped.reason as Error) : err)));
      child.on('close', (code, killedBy) =>
        finish(() => {
          if (stopped) reject(stopped.reason as Error);
          else if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
          else reject(new GitFailed(stderr, killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`));
        }),
      );
    });
  }

  private environment(privateConfig: ReadonlyArray<readonly [string, string]>, ceiling: string | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      // Messages in one language: some are matched to explain them.
      LC_ALL: 'C',
      ...(ceiling !== undefined ? { GIT_CEILING_DIRECTORIES: ceiling } : {}),
    };
    if (privateConfig.length > 0) {
      env.GIT_CONFIG_COUNT = String(privateConfig.length);
      privateConfig.forEach(([key, value], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = key;
        env[`GIT_CONFIG_VALUE_${i}`] = value;
      });
    }
    return env;
  }
}

/** Process groups of git commands still running: killed if the grader exits without waiting for them. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function track(group: number | undefined): void {
  if (group === undefined) return;
  if (!exitHookInstalled) {
    process.once('exit', () => liveGroups.forEach(killGroup));
    exitHookInstalled = true;
  }
  liveGroups.add(group);
}

function untrack(group: number | undefined): void {
  if (group !== undefined) liveGroups.delete(group);
}

function killGroup(group: number | undefined): void {
  if (group === undefined) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The line of git's stderr that says what went wrong. */
function tellingLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const fatal = lines.find((l) => /^(?:fatal|error):/.test(l));
  return (fatal ?? lines[0])?.replace(/^(?:fatal|error):\s*/, '');
}

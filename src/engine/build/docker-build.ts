/**
 * Builds the student's image through the Engine API: scan and pack the context,
 * run the build with BuildKit when the engine has it (the classic builder otherwise),
 * follow the stream, and stop the build for real when time is up.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { EngineUnavailableError, errorMessage } from '../../basics/errors.js';
import { startDeadline, type Deadline } from '../../basics/deadline.js';
import { t } from '../../basics/i18n/catalogue.js';
import { BuildKitProgress } from './build-buildkit-progress.js';
import { ClassicProgress } from './build-classic-progress.js';
import { isolateCacheMounts } from './build-cache-mounts.js';
import {
  ContextRefusedError,
  DEFAULT_CONTEXT_LIMITS,
  contextDockerfile,
  exceedsLimits,
  oversizedContext,
  packContext,
  scanContext,
} from './build-context.js';
import type { ContextDockerfile, ContextLimits, ContextScan } from './build-context.js';
import { engineLostContext, failedBuild, refusedBuild } from './build-failure.js';
import { BuildTranscript } from './build-log.js';
import { postToEngine, startBuild } from '../engine-request.js';
import { readBuildStream } from './build-stream.js';
import type { BuildLimits, BuildOutcome, BuildRequest } from '../engine.js';
import { BUILD_LIMITS } from '../engine.js';

export interface BuildOptions {
  buildkit: boolean;
  /** Defaults to DEFAULT_CONTEXT_LIMITS (50 MiB, 5,000 files). */
  contextLimits?: ContextLimits;
  /** Settles when the build may be sent (its network rules are in place); the context is scanned meanwhile. */
  readyToSend?: Promise<unknown>;
}

/** An HTTP error answer of the daemon (docker-modem puts the status on the error). */
function isDaemonRefusal(err: unknown): err is Error & { statusCode: number } {
  return err instanceof Error && typeof (err as { statusCode?: unknown }).statusCode === 'number';
}

export async function buildImage(docker: Dockerode, request: BuildRequest, options: BuildOptions): Promise<BuildOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const limits = options.contextLimits ?? DEFAULT_CONTEXT_LIMITS;

  let scan: ContextScan;
  try {
    scan = await scanContext(request.contextDir, request.dockerfile, limits);
  } catch (err) {
    if (!(err instanceof ContextRefusedError)) throw err;
    return { ok: false, reason: 'refused', message: err.message, logTail: '', durationMs: elapsed() };
  }
  if (exceedsLimits(scan, limits)) {
    return { ok: false, reason: 'context-too-large', context: oversizedContext(scan, limits), logTail: '', durationMs: elapsed() };
  }
  const sent = contextDockerfile(isolateCacheMounts(request.dockerfileText, request.runId));
  await options.readyToSend;
  const limit = startDeadline(request.timeoutMs, request.signal);
  try {
    for (let attempt = 1; ; attempt++) {
      const outcome = await sendBuild(docker, request, options, { scan, sent, limit, elapsed });
      if (!('lostContext' in outcome)) return outcome;
      if (attempt === CONTEXT_ATTEMPTS) throw new EngineUnavailableError(t('engine.build.engine_failed', { error: outcome.lostContext }));
    }
  } finally {
    limit.dispose();
  }
}

/**
 * How often a build is sent when the engine loses its context (engineLostContext): never the
 * submission's doing, so a second failure is the engine's, not a failed build.
 */
const CONTEXT_ATTEMPTS = 2;
/** One request: the build's outcome, or what the engine said when it lost the context. */
async function sendBuild(
  docker: Dockerode,
  request: BuildRequest,
  options: BuildOptions,
  { scan, sent, limit, elapsed }: { scan: ContextScan; sent: ContextDockerfile; limit: Deadline; elapsed: () => number },
): Promise<BuildOutcome | { lostContext: string }> {
  // BuildKit goes on solving after the client hangs up; a build id lets it be cancelled.
  const buildId = options.buildkit ? `grader-${request.runId}-${randomBytes(4).toString('hex')}` : undefined;
  const transcript = new BuildTranscript(request.onLog);
  const progress = options.buildkit ? new BuildKitProgress(transcript) : new ClassicProgress(transcript);
  const context = packContext(scan, sent);
  try {
    const stream = await startBuild(
      docker,
      context as unknown as NodeJS.ReadableStream,
      {
        t: request.tag,
        dockerfile: sent.name,
        ...(buildId ? { buildid: buildId } : {}),
        buildargs: { ...request.buildArgs },
        labels: { ...request.labels },
        rm: true,
        forcerm: true,
        ...buildLimitOptions(request.limits ?? BUILD_LIMITS),
        version: options.buildkit ? '2' : '1',
      },
      limit.signal,
    );
    const end = await readBuildStream(stream, (event) => progress.accept(event), limit.signal);
    if (end === 'aborted') {
      await cancelBuild(docker, buildId);
      return stopped(request, limit.expired(), transcript.tailText(), elapsed());
    }
  } catch (err) {
    if (limit.signal.aborted) {
      await cancelBuild(docker, buildId);
      return stopped(request, limit.expired(), transcript.tailText(), elapsed());
    }
    if (isDaemonRefusal(err)) return refusedBuild(err.message, request.frontend, transcript.tailText(), elapsed());
    throw new EngineUnavailableError(t('engine.build.engine_failed', { error: errorMessage(err) }));
  } finally {
    context.destroy();
  }

  const summary = progress.finish();
  if (summary.error !== undefined && engineLostContext(summary)) return { lostContext: summary.stepError ?? summary.error };
  if (summary.error !== undefined) return failedBuild(summary, request.frontend, elapsed());
  const imageId = summary.imageId ?? (await docker.getImage(request.tag).inspect()).Id;
  return { ok: true, imageId, durationMs: elapsed(), logTail: summary.logTail };
}

const CANCEL_TIMEOUT_MS = 5_000;

/** Asks the engine to stop a BuildKit build's solve; an engine that no longer knows the build has nothing to stop. */
async function cancelBuild(docker: Dockerode, buildId: string | undefined): Promise<void> {
  if (buildId === undefined) return;
  await postToEngine(docker, '/build/cancel', { id: buildId }, CANCEL_TIMEOUT_MS).catch(() => {});
}

const CPU_PERIOD_US = 100_000;

/** The build API's resource options. The classic builder applies them to every RUN step; BuildKit ignores them. */
function buildLimitOptions(limits: BuildLimits): Record<string, number> {
  return {
    memory: limits.memoryBytes,
    // equal to memory: no swap on top of the limit
    memswap: limits.memoryBytes,
    cpuperiod: CPU_PERIOD_US,
    cpuquota: Math.round(limits.cpus * CPU_PERIOD_US),
  };
}

function stopped(request: BuildRequest, timedOut: boolean, logTail: string, durationMs: number): BuildOutcome {
  return timedOut
    ? { ok: false, reason: 'timeout', limitMs: request.timeoutMs, logTail, durationMs }
    : { ok: false, reason: 'cancelled', logTail, durationMs };
}

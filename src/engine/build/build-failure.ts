/**
 * What a failed build left behind (its summary, or the daemon's refusal) as facts: the
 * reason, the failing step, the builder's own error text. Pure: no I/O, and no wording but the
 * stand-in for an error the builder did not give.
 */
import { t } from '../../basics/i18n/catalogue.js';
import type { BuildFailure } from '../engine.js';
import type { BuildStreamSummary } from './build-log.js';

/** Words of a failed image fetch, as registries and resolvers put them. */
const FETCH_FAILURE =
  /resolve|pull|fetch|lookup|no such host|manifest|not found|dial tcp|failed to do request|unauthorized|denied|timeout|i\/o/i;

/** A builder's "dockerfile parse error line 3: …" (BuildKit) or "… parse error on line 3: …" (classic). */
const PARSE_ERROR_LINE = /parse error (?:on )?line (\d+)/i;
const PARSE_ERROR_PREFIX = /^.*parse error (?:on )?line \d+: /i;

/** The daemon's error texts start with BuildKit's wrapping; students need the end of it. */
function unwrap(message: string): string {
  return message
    .replace(/^\(HTTP code \d+\) [^-]*- /, '')
    .replace(/^(failed to solve with frontend [\w.]+: )+/, '')
    .replace(/^failed to solve: /, '')
    .replace(/^failed to create LLB definition: /, '')
    .trim();
}

/** `docker/dockerfile` of `docker.io/docker/dockerfile:1@sha256:…`: registries spell the rest differently. */
function repositoryPath(reference: string): string {
  const parts = reference
    .replace(/@.*$/, '')
    .replace(/:[^/:]*$/, '')
    .split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) parts.shift();
  if (parts.length > 1 && parts[0] === 'library') parts.shift();
  return parts.join('/');
}

/**
 * Whether the error is a failed fetch of the `# syntax=` frontend image. The classic
 * builder ignores the directive, so only an error that names the frontend's image counts.
 */
function frontendFailed(frontend: string | undefined, error: string): frontend is string {
  return frontend !== undefined && error.includes(repositoryPath(frontend)) && FETCH_FAILURE.test(error);
}

/** A build whose stream ended with an error. `frontend` is the `# syntax=` image, if the Dockerfile names one. */
/** The engine's own name for the step that reads an uploaded context (no Dockerfile instruction is named so). */
const REMOTE_CONTEXT_STEP = '[internal] load remote build context';

/**
 * Whether the engine lost the uploaded context. It reads the upload once; a build-cache prune
 * that runs meanwhile (another run's clean-up, here or in another process) can drop the copy
 * before the build takes it, and the build then fails with "context not found".
 */
export function engineLostContext(summary: BuildStreamSummary): boolean {
  return summary.failingStep === REMOTE_CONTEXT_STEP && /\bcontext not found$/.test(summary.stepError ?? '');
}

export function failedBuild(summary: BuildStreamSummary, frontend: string | undefined, durationMs: number): BuildFailure {
  const error = summary.stepError || summary.error || t('engine.build.no_image');
  if (frontendFailed(frontend, `${summary.failingStep ?? ''} ${error} ${summary.error ?? ''}`)) {
    return { ok: false, reason: 'frontend-unavailable', frontend, error: unwrap(error), logTail: summary.logTail, durationMs };
  }
  if (summary.failingStep) {
    return {
      ok: false,
      reason: 'failed',
      error: unwrap(error),
      failingStep: summary.failingStep.replace(/\s+/g, ' ').trim(),
      ...(summary.stepNumber !== undefined ? { stepNumber: summary.stepNumber } : {}),
      logTail: summary.stepTail || summary.logTail,
      durationMs,
    };
  }
  return refusedBuild(error, frontend, summary.logTail, durationMs);
}

/** A build that never reached a step: the daemon refused the request or the Dockerfile did not parse. */
export function refusedBuild(error: string, frontend: string | undefined, logTail: string, durationMs: number): BuildFailure {
  const unwrapped = unwrap(error);
  if (frontendFailed(frontend, error)) {
    return { ok: false, reason: 'frontend-unavailable', frontend, error: unwrapped, logTail, durationMs };
  }
  const parseError = PARSE_ERROR_LINE.exec(unwrapped);
  return {
    ok: false,
    reason: 'failed',
    error: parseError ? unwrapped.replace(PARSE_ERROR_PREFIX, '') : unwrapped,
    ...(parseError ? { line: Number(parseError[1]) } : {}),
    logTail,
    durationMs,
  };
}

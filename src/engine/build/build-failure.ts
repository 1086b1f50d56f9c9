/**
 * Turns what a failed build left behind (its summary, or the daemon's refusal) into
 * a failed `BuildOutcome` a student can act on. Pure: no I/O.
 */
import type { BuildOutcome } from '../engine.js';
import type { BuildSummary } from './build-log.js';
import { findStepLine, parseErrorLine, syntaxDirective } from './build-dockerfile.js';

export type BuildFailure = Extract<BuildOutcome, { ok: false }>;

/** Words of a failed image fetch, as registries and resolvers put them. */
const FETCH_FAILURE =
  /resolve|pull|fetch|lookup|no such host|manifest|not found|dial tcp|failed to do request|unauthorized|denied|timeout|i\/o/i;

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
  const parts = reference.replace(/@.*$/, '').replace(/:[^/:]*$/, '').split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) parts.shift();
  if (parts.length > 1 && parts[0] === 'library') parts.shift();
  return parts.join('/');
}

/**
 * A `# syntax=` frontend image that could not be fetched. The classic builder ignores
 * the directive, so only a build whose error names the frontend's image counts.
 */
function frontendFailure(dockerfile: string, error: string): string | undefined {
  const frontend = syntaxDirective(dockerfile);
  if (!frontend) return undefined;
  if (!error.includes(repositoryPath(frontend)) || !FETCH_FAILURE.test(error)) return undefined;
  return (
    `The Dockerfile starts with "# syntax=${frontend}", which makes the builder fetch the ` +
    `frontend image ${frontend}; the grader's machine could not fetch it (${unwrap(error)}). ` +
    `Removing the "# syntax=" line usually works: the builder's built-in Dockerfile frontend then builds the file.`
  );
}

export function describeBuildFailure(summary: BuildSummary, dockerfile: string, durationMs: number): BuildFailure {
  const error = summary.stepError || summary.error || 'the build ended without producing an image';
  const frontend = frontendFailure(dockerfile, `${summary.failingStep ?? ''} ${error} ${summary.error ?? ''}`);
  if (frontend) {
    return { ok: false, reason: 'frontend-unavailable', message: frontend, logTail: summary.logTail, durationMs };
  }
  if (summary.failingStep) {
    const step = summary.failingStep.replace(/\s+/g, ' ').trim();
    const line = findStepLine(dockerfile, step, summary.stepNumber);
    const where = line !== undefined ? ` (Dockerfile line ${line})` : '';
    return {
      ok: false,
      reason: 'failed',
      message: `Step "${step}"${where} failed: ${unwrap(error)}`,
      failingStep: step,
      line,
      logTail: summary.stepTail || summary.logTail,
      durationMs,
    };
  }
  return refusedBuild(error, dockerfile, summary.logTail, durationMs);
}

/** A build that never reached a step: the daemon refused the request or the Dockerfile did not parse. */
export function refusedBuild(error: string, dockerfile: string, logTail: string, durationMs: number): BuildFailure {
  const frontend = frontendFailure(dockerfile, error);
  if (frontend) return { ok: false, reason: 'frontend-unavailable', message: frontend, logTail, durationMs };
  const message = unwrap(error);
  const line = parseErrorLine(message);
  return {
    ok: false,
    reason: 'failed',
    message:
      line !== undefined
        ? `Dockerfile line ${line}: ${message.replace(/^.*parse error (?:on )?line \d+: /i, '')}`
        : `The build failed: ${message}`,
    line,
    logTail,
    durationMs,
  };
}

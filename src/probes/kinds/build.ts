/**
 * `build`: reports the build the orchestrator already ran (ctx.build), against an
 * optional time limit and the image size limit. Every sentence about a build is
 * written here; the engine gives facts only.
 */
import { formatBinaryBytes, formatDuration } from '../../basics/units.js';
import type { SourceLocation } from '../../basics/results.js';
import type { BuildFailure, ImageInfo, OversizedContext } from '../../engine/engine.js';
import type { BuildSpec, Check } from '../../rubric/model.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { lineOfStep } from '../dockerfile/step-line.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

/** The largest image the grader runs. */
export const MAX_IMAGE_BYTES = 2 * 1024 ** 3;

export const buildProbe: Probe<BuildSpec> = {
  kind: 'build',
  stage: () => 'image',
  schedule: 'concurrent',
  reportsUnreachableStage: true,
  defaultTimeoutMs: 10_000,
  async run(check: Check<BuildSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const build = ctx.build;
    if (!build) throw new Error('the build probe ran before any build');
    if (!build.ok) return failed(build, ctx);
    const tooLarge = ctx.image && imageTooLarge(ctx.image.info);
    if (tooLarge) return { status: 'failed', message: tooLarge };
    const took = formatDuration(build.durationMs);
    const max = check.spec.maxTimeMs;
    if (max !== undefined && build.durationMs > max) {
      return {
        status: 'failed',
        message: `the image built, but took ${took}, over the limit of ${formatDuration(max)}; order the Dockerfile so slow steps are cached (dependencies before source)`,
        expected: `at most ${formatDuration(max)}`,
        actual: took,
      };
    }
    return { status: 'passed', message: `the image built in ${took}` };
  },
};

/** Why a built image is not used, or undefined when it is within the limit. */
export function imageTooLarge(info: ImageInfo): string | undefined {
  if (info.sizeBytes <= MAX_IMAGE_BYTES) return undefined;
  return `the image is ${(info.sizeBytes / 1024 ** 3).toFixed(2)} GiB, over the ${MAX_IMAGE_BYTES / 1024 ** 3} GiB limit`;
}

function failed(build: BuildFailure, ctx: ProbeContext): ProbeOutcome {
  const line = failureLine(build, ctx.dockerfile);
  const syntax = ctx.dockerfile?.directives.syntax;
  const locations: SourceLocation[] = [];
  if (build.reason === 'frontend-unavailable' && syntax) locations.push({ path: ctx.dockerfilePath, line: syntax.line });
  if (line !== undefined) locations.push({ path: ctx.dockerfilePath, line });
  return {
    status: 'failed',
    message: describeBuildFailure(build, ctx.dockerfile),
    ...(locations.length > 0 ? { locations } : {}),
  };
}

/** The Dockerfile line a failure is about: the one the builder named, or the failing step's. */
function failureLine(build: BuildFailure, dockerfile: DockerfileModel | undefined): number | undefined {
  if (build.reason === 'refused') return build.line;
  if (build.reason !== 'failed') return undefined;
  if (build.line !== undefined || !build.failingStep || !dockerfile) return build.line;
  return lineOfStep(dockerfile, build.failingStep, build.stepNumber);
}

/** The failure in the student's words: the build check's message, and what the checks that need the image say. */
export function describeBuildFailure(build: BuildFailure, dockerfile: DockerfileModel | undefined): string {
  switch (build.reason) {
    case 'failed': {
      const line = failureLine(build, dockerfile);
      if (build.failingStep) return `${build.failingStep}${line !== undefined ? ` (line ${line})` : ''} failed: ${build.error}`;
      return line !== undefined ? `Dockerfile line ${line}: ${build.error}` : `the builder stopped with an error: ${build.error}`;
    }
    case 'frontend-unavailable':
      return (
        `the Dockerfile starts with "# syntax=${build.frontend}", which makes the builder fetch the frontend image ` +
        `${build.frontend}; the grader's machine could not fetch it (${build.error}). Removing the "# syntax=" line ` +
        `usually works: the builder's built-in Dockerfile frontend then builds the file`
      );
    case 'timeout':
      return `the build did not finish within ${formatDuration(build.limitMs)}; it was stopped after ${formatDuration(build.durationMs)}`;
    case 'cancelled':
      return `the build was cancelled after ${formatDuration(build.durationMs)}`;
    case 'context-too-large':
      return oversizedContext(build.context);
    case 'refused':
    case 'no-dockerfile':
      return build.message;
  }
}

function oversizedContext(context: OversizedContext): string {
  const atLeast = context.complete ? '' : 'at least ';
  const largest = context.largest.map((entry) => `${entry.name} (${entry.files} files, ${formatBinaryBytes(entry.bytes)})`);
  return (
    `the build context is too large: ${atLeast}${context.files} files, ${atLeast}${formatBinaryBytes(context.bytes)}; ` +
    `the limit is ${context.maxFiles} files and ${formatBinaryBytes(context.maxBytes)}. ` +
    `The largest entries: ${largest.join(', ')}. ` +
    `Add a .dockerignore at the root of the build context to leave out what the image does not need ` +
    `(for example node_modules, .git, build output, data files)`
  );
}

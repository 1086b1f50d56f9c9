/**
 * `build`: reports the build the orchestrator already ran (ctx.build), against an
 * optional time limit and the image size limit. Every sentence about a build is
 * written here; the engine gives facts only.
 */
import { t } from '../../basics/i18n/catalogue.js';
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
        message: t('probe.build.too_slow', { took, max: formatDuration(max) }),
        expected: t('probe.build.at_most', { max: formatDuration(max) }),
        actual: took,
      };
    }
    return { status: 'passed', message: t('probe.build.built', { took }) };
  },
};

/** Why a built image is not used, or undefined when it is within the limit. */
export function imageTooLarge(info: ImageInfo): string | undefined {
  if (info.sizeBytes <= MAX_IMAGE_BYTES) return undefined;
  return t('probe.build.image_too_large', { size: (info.sizeBytes / 1024 ** 3).toFixed(2), max: MAX_IMAGE_BYTES / 1024 ** 3 });
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
      const { failingStep: step, error } = build;
      if (step)
        return line !== undefined ? t('probe.build.step_failed_at', { step, line, error }) : t('probe.build.step_failed', { step, error });
      return line !== undefined ? t('probe.build.line_failed', { line, error }) : t('probe.build.builder_error', { error });
    }
    case 'frontend-unavailable':
      return t('probe.build.frontend_unavailable', { frontend: build.frontend, error: build.error });
    case 'timeout':
      return t('probe.build.timeout', { limit: formatDuration(build.limitMs), took: formatDuration(build.durationMs) });
    case 'cancelled':
      return t('probe.build.cancelled', { took: formatDuration(build.durationMs) });
    case 'context-too-large':
      return oversizedContext(build.context);
    case 'refused':
    case 'no-dockerfile':
      return build.message;
  }
}

function oversizedContext(context: OversizedContext): string {
  const largest = context.largest.map((entry) =>
    t('probe.build.context_entry', { name: entry.name, files: entry.files, bytes: formatBinaryBytes(entry.bytes) }),
  );
  const params = {
    files: context.files,
    bytes: formatBinaryBytes(context.bytes),
    maxFiles: context.maxFiles,
    maxBytes: formatBinaryBytes(context.maxBytes),
    largest: largest.join(', '),
  };
  return context.complete ? t('probe.build.context_too_large', params) : t('probe.build.context_too_large_at_least', params);
}

/** `build`: reports the build the orchestrator already ran (ctx.build), against an optional time limit. */
import { formatDuration } from '../../basics/units.js';
import type { SourceLocation } from '../../basics/results.js';
import type { BuildOutcome } from '../../engine/engine.js';
import type { BuildSpec, Check } from '../../rubric/model.js';
import { tailForDisplay } from '../display.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

type BuildFailure = Extract<BuildOutcome, { ok: false }>;

export const buildProbe: Probe<BuildSpec> = {
  kind: 'build',
  stage: () => 'image',
  defaultTimeoutMs: 10_000,
  async run(check: Check<BuildSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const build = ctx.build;
    if (!build) throw new Error('the build probe ran before any build');
    if (!build.ok) return failed(build, ctx);
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

function failed(build: BuildFailure, ctx: ProbeContext): ProbeOutcome {
  const line = build.line ?? (build.failingStep ? lineOfStep(ctx.dockerfile, build.failingStep) : undefined);
  const locations: SourceLocation[] = line !== undefined ? [{ path: ctx.dockerfilePath, line }] : [];
  const syntax = ctx.dockerfile?.directives.syntax;
  if (build.reason === 'frontend-unavailable' && syntax) locations.unshift({ path: ctx.dockerfilePath, line: syntax.line });
  return {
    status: 'failed',
    message: describeFailure(build, line, syntax?.value),
    output: tailForDisplay(build.logTail),
    ...(locations.length > 0 ? { locations } : {}),
  };
}

function describeFailure(build: BuildFailure, line: number | undefined, syntax: string | undefined): string {
  switch (build.reason) {
    case 'timeout':
      return `the build did not finish within ${formatDuration(build.durationMs)}${build.failingStep ? ` (it was at ${build.failingStep})` : ''}`;
    case 'context-too-large':
      return `${build.message}; add a .dockerignore so only what the image needs is sent`;
    case 'refused':
      return build.message;
    case 'frontend-unavailable':
      return `the build frontend${syntax ? ` \`# syntax=${syntax}\`` : ''} could not be fetched: ${build.message}`;
    default: {
      const step = build.failingStep ? `${build.failingStep}${line !== undefined ? ` (line ${line})` : ''} failed` : 'the build failed';
      return `${step}: ${build.message}`;
    }
  }
}

/** Finds the line of a builder step such as `[build 3/5] RUN npm ci` when the engine could not tell it. */
function lineOfStep(df: DockerfileModel | undefined, step: string): number | undefined {
  if (!df) return undefined;
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
  const wanted = normalise(step.replace(/^\[[^\]]*\]\s*/, ''));
  const candidates = df.instructions.filter((i) => normalise(`${i.keyword} ${i.args}`) === wanted);
  return candidates.length === 1 ? candidates[0]!.line : undefined;
}

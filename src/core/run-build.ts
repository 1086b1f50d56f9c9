/** The build: the Dockerfile's last checks (its limits, the images it names), then the engine builds exactly the text read. */
import type { Logger } from '../basics/logger.js';
import type { BuildFailure, BuildOutcome } from '../engine/engine.js';
import type { StageContext } from '../probes/probe.js';
import { dockerfileOverLimits } from './dockerfile-limits.js';
import { refusedImageReference } from './image-references.js';
import type { BuildInputs } from './prepare-build.js';

export async function runBuild(inputs: BuildInputs, stage: StageContext, runId: string, logger: Logger): Promise<BuildOutcome> {
  const { rubric, engine } = stage;
  const overLimits = dockerfileOverLimits(inputs.dockerfile);
  if (overLimits !== undefined) return refused(overLimits);
  const foreign = await refusedImageReference(engine, inputs.dockerfile, rubric.build.args);
  if (foreign) return refused(foreign.message, foreign.line);
  return logger.group('Building the image', () =>
    engine.build({
      contextDir: inputs.contextDir,
      dockerfile: inputs.dockerfileInContext,
      dockerfileText: inputs.dockerfile.text,
      frontend: inputs.dockerfile.directives.syntax?.value || undefined,
      runId,
      buildArgs: rubric.build.args,
      tag: `grader/${runId}:latest`,
      labels: stage.labels,
      timeoutMs: rubric.build.timeoutMs,
      onLog: (line) => logger.debug(line),
      signal: stage.signal,
    }),
  );
}

function refused(message: string, line?: number): BuildFailure {
  return { ok: false, reason: 'refused', message, ...(line !== undefined ? { line } : {}), logTail: '', durationMs: 0 };
}

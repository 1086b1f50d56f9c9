/**
 * What the grader agrees to send to the engine. The engine's Dockerfile frontend does
 * work that grows much faster than the file (many `ENV` variables keep BuildKit busy for
 * minutes, and closing the connection does not stop it), so a Dockerfile over these
 * limits is refused before anything reaches the engine. Real homework stays far below them.
 */
import type { DockerfileModel } from '../probes/dockerfile/model.js';

export const DOCKERFILE_LIMITS = {
  /** Bytes of the Dockerfile: what is read is exactly what is built. */
  bytes: 64 * 1024,
  /** Instructions in all stages together. */
  instructions: 200,
  /** `name=value` pairs set by ENV, ARG and LABEL together. */
  variables: 100,
} as const;

const SETS_VARIABLES = new Set(['ENV', 'ARG', 'LABEL']);

/** Frontends the grader accepts in `# syntax=`: Docker's own Dockerfile frontends, whose LLB it can predict. */
const ACCEPTED_FRONTEND = /^(?:(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/i;

export function oversizeDockerfileMessage(path: string): string {
  return (
    `${path} is larger than ${DOCKERFILE_LIMITS.bytes / 1024} KiB, so the grader does not build it. ` +
    'A Dockerfile is a short recipe; move long scripts or data into files that the Dockerfile COPYs.'
  );
}

/** Why the grader will not build this Dockerfile, or undefined when it is within every limit. */
export function dockerfileOverLimits(model: DockerfileModel): string | undefined {
  const count = model.instructions.length;
  if (count > DOCKERFILE_LIMITS.instructions) {
    return (
      `The Dockerfile has ${count} instructions; the grader builds at most ${DOCKERFILE_LIMITS.instructions}. ` +
      'Combine related RUN steps with && and move long scripts into a file that the Dockerfile COPYs.'
    );
  }
  const variables = model.instructions
    .filter((instruction) => SETS_VARIABLES.has(instruction.keyword))
    .reduce((sum, instruction) => sum + instruction.words.length, 0);
  if (variables > DOCKERFILE_LIMITS.variables) {
    return (
      `The Dockerfile sets ${variables} variables and labels with ENV, ARG and LABEL; the grader builds at most ` +
      `${DOCKERFILE_LIMITS.variables}. Keep configuration in a file the program reads instead.`
    );
  }
  const syntax = model.directives.syntax;
  if (syntax && !ACCEPTED_FRONTEND.test(syntax.value.trim())) {
    return (
      `Line ${syntax.line}: "# syntax=${syntax.value}" asks for a Dockerfile frontend other than Docker's own ` +
      '(docker/dockerfile), which the grader does not run. Remove the line or use docker/dockerfile:1.'
    );
  }
  return undefined;
}

/**
 * What the grader agrees to send to the engine. The engine's Dockerfile frontend does
 * work that grows much faster than the file (many `ENV` variables keep BuildKit busy for
 * minutes, and closing the connection does not stop it), so a Dockerfile over these
 * limits is refused before anything reaches the engine. Real homework stays far below them.
 */
import { t } from '../basics/i18n/catalogue.js';
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
  return t('core.dockerfile.too_large', { path, kib: DOCKERFILE_LIMITS.bytes / 1024 });
}

/** Why the grader will not build this Dockerfile, or undefined when it is within every limit. */
export function dockerfileOverLimits(model: DockerfileModel): string | undefined {
  const count = model.instructions.length;
  if (count > DOCKERFILE_LIMITS.instructions) {
    return t('core.dockerfile.too_many_instructions', { count, max: DOCKERFILE_LIMITS.instructions });
  }
  const variables = model.instructions
    .filter((instruction) => SETS_VARIABLES.has(instruction.keyword))
    .reduce((sum, instruction) => sum + instruction.words.length, 0);
  if (variables > DOCKERFILE_LIMITS.variables) {
    return t('core.dockerfile.too_many_variables', { count: variables, max: DOCKERFILE_LIMITS.variables });
  }
  const syntax = model.directives.syntax;
  if (syntax && !ACCEPTED_FRONTEND.test(syntax.value.trim())) {
    return t('core.dockerfile.foreign_frontend', { line: syntax.line, value: syntax.value });
  }
  return undefined;
}

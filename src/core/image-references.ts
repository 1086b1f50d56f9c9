/**
 * The images a Dockerfile reads besides its own stages (`FROM`, `COPY --from`,
 * `RUN --mount=…,from=`). Every image on the engine can be named there, so a build must
 * not reach an image another grading run built (a classmate's submission): those carry
 * the run label and are refused before the build starts.
 */
import { t } from '../basics/i18n/catalogue.js';
import type { ContainerEngine } from '../engine/engine.js';
import { RUN_LABEL } from '../engine/engine.js';
import { mountFields, mountSource } from '../engine/build/build-cache-mounts.js';
import type { DockerfileModel } from '../probes/dockerfile/model.js';
import { expandVariables, findStage } from '../probes/dockerfile/model.js';

export interface ImageReference {
  /** The reference with build arguments expanded. */
  image: string;
  /** As written. */
  written: string;
  line: number;
}

/** External images named by the Dockerfile; stage names, stage numbers and `scratch` are left out. */
export function imageReferences(model: DockerfileModel, buildArgs: Record<string, string>): ImageReference[] {
  const vars = { ...model.globalArgs, ...buildArgs };
  const references: ImageReference[] = [];
  const add = (written: string, line: number, stage: number) => {
    if (written === '' || written.toLowerCase() === 'scratch' || findStage(model, written, stage)) return;
    // Unset variables expand to nothing, as the builder expands them.
    const { value } = expandVariables(written, vars);
    if (value.toLowerCase() === 'scratch' || findStage(model, value, stage)) return;
    references.push({ image: value, written, line });
  };
  for (const stage of model.stages) add(stage.image, stage.line, stage.index);
  for (const instruction of model.instructions) {
    const stage = instruction.stage < 0 ? 0 : instruction.stage;
    for (const flag of instruction.flags) {
      if (flag.value === null) continue;
      const name = flag.name.toLowerCase();
      if (name === 'from' && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) add(flag.value, instruction.line, stage);
      if (name === 'mount' && instruction.keyword === 'RUN') {
        const source = mountSource(mountFields(flag.value));
        if (source !== undefined) add(source, instruction.line, stage);
      }
    }
  }
  return references;
}

/** Why the build may not run (it names an image another run built), or undefined. */
export async function refusedImageReference(
  engine: ContainerEngine,
  model: DockerfileModel,
  buildArgs: Record<string, string>,
): Promise<{ message: string; line: number } | undefined> {
  for (const reference of imageReferences(model, buildArgs)) {
    const local = await engine.findImage(reference.image);
    if (local?.labels[RUN_LABEL] !== undefined) {
      return { line: reference.line, message: t('core.image.foreign_run', { line: reference.line, image: reference.written }) };
    }
  }
  return undefined;
}

/**
 * An image that names nothing to run: no ENTRYPOINT and no CMD (or both cleared with
 * `[]`), and no command given by the grader either. The engine refuses to create such a
 * container; that is the submission's fault, told in one sentence.
 */
import { en } from '../../basics/i18n/en.js';
import { t } from '../../basics/i18n/catalogue.js';
import { isDaemonStatus } from '../engine-errors.js';
import type { ImageInfo } from '../engine.js';

/** The sentence in the language of the grading under way. */
export function nothingToStart(): string {
  return t('engine.start.nothing_to_start');
}

/** The sentence in English, as a grading in English says it. */
export const NOTHING_TO_START: string = en['engine.start.nothing_to_start'];

/** Thrown by `startService` and `runOnce` when the engine refuses the container for having no command. */
export class NoCommandError extends Error {
  override readonly name = 'NoCommandError';
  constructor(options?: ErrorOptions) {
    super(nothingToStart(), options);
  }
}

/** Whether a container of `image` has something to run, given the command the grader passes (if any). */
export function hasStartCommand(image: Pick<ImageInfo, 'entrypoint' | 'cmd'>, command?: readonly string[]): boolean {
  return [image.entrypoint, image.cmd, command].some((list) => (list?.length ?? 0) > 0);
}

/** The engine's answer to creating a container with nothing to run (400 "No command specified"). */
export function isNoCommandRefusal(err: unknown): boolean {
  return isDaemonStatus(err, 400) && /no command specified/i.test((err as Error).message);
}

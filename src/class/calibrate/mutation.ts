/**
 * A mutation: one typical student mistake, made on a copy of the reference solution. It either
 * changes the copy and says what it changed, or says why it does not apply to this solution.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDockerfile, type DockerfileModel } from '../../probes/dockerfile/model.js';
import { applyLineEdits, type LineEdit } from './dockerfile-edit.js';

/** The copy a mutation edits, and what the rubric says about it. */
export interface MutationTarget {
  /** The copy's folder. */
  dir: string;
  /** The rubric's Dockerfile and build context, relative to `dir`. */
  dockerfile: string;
  context: string;
  /** The port the grader connects to, when the rubric names one. */
  servicePort?: number;
}

export type MutationOutcome = { applied: true; change: string } | { applied: false; reason: string };

export interface Mutation {
  /** Unique, e.g. `user-removed`. */
  name: string;
  /** The mistake, for people. */
  description: string;
  origin: 'built-in' | 'custom';
  apply(target: MutationTarget): Promise<MutationOutcome>;
}

export type DockerfileEdit = { edits: LineEdit[]; change: string } | { skip: string };

export type DockerfileMutator = (df: DockerfileModel, options: { servicePort?: number }) => DockerfileEdit;

export const notApplicable = (reason: string): MutationOutcome => ({ applied: false, reason });

/** A mutation made by editing the Dockerfile's text. */
export function dockerfileMutation(name: string, description: string, mutate: DockerfileMutator): Mutation {
  return {
    name,
    description,
    origin: 'built-in',
    async apply(target) {
      const file = path.join(target.dir, target.dockerfile);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) return notApplicable(`there is no ${target.dockerfile}`);
      const result = mutateDockerfile(text, target.dockerfile, mutate, target);
      if ('skip' in result) return notApplicable(result.skip);
      await writeFile(file, result.text);
      return { applied: true, change: result.change };
    },
  };
}

/** The mutated text, or why the mutation does not apply: the pure part of a Dockerfile mutation. */
export function mutateDockerfile(
  text: string,
  file: string,
  mutate: DockerfileMutator,
  options: { servicePort?: number } = {},
): { text: string; change: string } | { skip: string } {
  const df = parseDockerfile(text, file);
  const edit = mutate(df, options.servicePort !== undefined ? { servicePort: options.servicePort } : {});
  if ('skip' in edit) return edit;
  return { text: applyLineEdits(df.text, edit.edits), change: edit.change };
}

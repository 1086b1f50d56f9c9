/**
 * An instructor's own mutations, from a small YAML file:
 *
 *   mutations:
 *     - name: greeting-forgotten
 *       description: the app no longer reads GREETING
 *       edit: { file: handle.sh, replace: "${GREETING}", with: "" }
 *     - name: no-healthcheck
 *       dockerfile: { replace: "HEALTHCHECK", with: "# HEALTHCHECK" }
 *     - name: debug-step
 *       dockerfile: { append: "RUN echo debugging" }
 *     - name: readme-deleted
 *       delete: README.md
 *
 * Every problem is reported with its file, line, column and key, as rubric problems are.
 */
import { lstat, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RubricError, UserError, errorMessage, formatRubricProblem, type RubricProblem } from '../../basics/errors.js';
import { parseSource, type KeyPath, type RubricSource } from '../../rubric/source.js';
import { closest } from '../../rubric/suggest.js';
import { resolveInRepo } from '../../workspace/repo-path.js';
import { notApplicable, type Mutation, type MutationOutcome, type MutationTarget } from './mutation.js';

/** A mutations file that cannot be used; lists every problem with its position. */
export class MutationsFileError extends UserError {
  override readonly name = 'MutationsFileError';
  constructor(
    readonly file: string,
    readonly problems: RubricProblem[],
  ) {
    super(`invalid mutations file ${file}\n${problems.map(formatRubricProblem).join('\n')}`);
  }
}

export type CustomChange =
  | { kind: 'edit'; file: string; replace: string; with: string }
  | { kind: 'dockerfile-append'; append: string }
  | { kind: 'dockerfile-replace'; replace: string; with: string }
  | { kind: 'delete'; path: string };

export interface CustomMutationSpec {
  name: string;
  description?: string;
  change: CustomChange;
}

const ENTRY_KEYS = ['name', 'description', 'edit', 'dockerfile', 'delete'];
const CHANGE_KEYS = ['edit', 'dockerfile', 'delete'];
const MAX_NAME = 64;

export async function loadMutationsFile(file: string, reserved: readonly string[] = []): Promise<Mutation[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `mutations file not found: ${file}` : `cannot read mutations file ${file}: ${errorMessage(err)}`,
    );
  }
  return parseMutations(text, file, reserved).map(customMutation);
}

/** The file's mutations; `reserved` names (the built-ins') may not be reused. Throws a MutationsFileError. */
export function parseMutations(text: string, file: string, reserved: readonly string[] = []): CustomMutationSpec[] {
  let source: RubricSource;
  try {
    source = parseSource(text.replace(/^\uFEFF/, ''), file);
  } catch (err) {
    if (err instanceof RubricError) throw new MutationsFileError(file, err.problems);
    throw err;
  }
  const problems: RubricProblem[] = [];
  const specs = readTop(source, problems, reserved);
  if (problems.length > 0) throw new MutationsFileError(file, problems);
  return specs;
}

type Problems = RubricProblem[];

function readTop(source: RubricSource, problems: Problems, reserved: readonly string[]): CustomMutationSpec[] {
  const data = source.data;
  if (!isMap(data)) {
    problems.push(source.problem([], 'a mutations file is a mapping with a "mutations:" list'));
    return [];
  }
  unknownKeys(source, [], data, ['mutations'], problems);
  const list = data.mutations;
  if (!Array.isArray(list)) {
    problems.push(source.problem(['mutations'], list === undefined ? 'missing "mutations:" (a list of mutations)' : 'must be a list'));
    return [];
  }
  if (list.length === 0) problems.push(source.problem(['mutations'], 'the list is empty: add at least one mutation'));
  const seen = new Set<string>();
  const specs: CustomMutationSpec[] = [];
  list.forEach((entry: unknown, index) => {
    const spec = readEntry(source, ['mutations', index], entry, problems);
    if (!spec) return;
    const at: KeyPath = ['mutations', index, 'name'];
    if (reserved.includes(spec.name))
      problems.push(source.problem(at, `"${spec.name}" is the name of a built-in mutation; choose another`));
    else if (seen.has(spec.name)) problems.push(source.problem(at, `"${spec.name}" is used by an earlier mutation; names must be unique`));
    seen.add(spec.name);
    specs.push(spec);
  });
  return specs;
}

function readEntry(source: RubricSource, at: KeyPath, entry: unknown, problems: Problems): CustomMutationSpec | undefined {
  if (!isMap(entry)) {
    problems.push(source.problem(at, 'a mutation is a mapping: { name, description?, and one of edit, dockerfile, delete }'));
    return undefined;
  }
  const before = problems.length;
  unknownKeys(source, at, entry, ENTRY_KEYS, problems);
  const name = text(source, [...at, 'name'], entry.name, problems, { required: true, nonEmpty: true });
  if (name !== undefined && (name.length > MAX_NAME || /[\s\p{Cc}]/u.test(name))) {
    problems.push(
      source.problem([...at, 'name'], `must be one word of at most ${MAX_NAME} characters (no spaces), e.g. greeting-forgotten`),
    );
  }
  const description = text(source, [...at, 'description'], entry.description, problems, {});
  const given = CHANGE_KEYS.filter((key) => entry[key] !== undefined);
  let change: CustomChange | undefined;
  if (given.length !== 1) {
    const found = given.length === 0 ? 'found none' : `found ${given.join(' and ')}`;
    problems.push(source.problem(at, `a mutation needs exactly one of: ${CHANGE_KEYS.join(', ')}; ${found}`));
  } else if (given[0] === 'edit') change = readEdit(source, [...at, 'edit'], entry.edit, problems);
  else if (given[0] === 'dockerfile') change = readDockerfileChange(source, [...at, 'dockerfile'], entry.dockerfile, problems);
  else {
    const target = relativePath(source, [...at, 'delete'], entry.delete, problems);
    if (target !== undefined) change = { kind: 'delete', path: target };
  }
  if (problems.length > before || name === undefined || !change) return undefined;
  return { name, ...(description !== undefined ? { description } : {}), change };
}

function readEdit(source: RubricSource, at: KeyPath, value: unknown, problems: Problems): CustomChange | undefined {
  if (!isMap(value)) {
    problems.push(source.problem(at, 'must be a mapping: { file: PATH, replace: TEXT, with: TEXT }'));
    return undefined;
  }
  unknownKeys(source, at, value, ['file', 'replace', 'with'], problems);
  const file = relativePath(source, [...at, 'file'], value.file, problems);
  const replace = text(source, [...at, 'replace'], value.replace, problems, { required: true, nonEmpty: true });
  const by = text(source, [...at, 'with'], value.with, problems, { required: true });
  if (file === undefined || replace === undefined || by === undefined) return undefined;
  return { kind: 'edit', file, replace, with: by };
}

function readDockerfileChange(source: RubricSource, at: KeyPath, value: unknown, problems: Problems): CustomChange | undefined {
  if (!isMap(value)) {
    problems.push(source.problem(at, 'must be a mapping: { append: TEXT } or { replace: TEXT, with: TEXT }'));
    return undefined;
  }
  unknownKeys(source, at, value, ['append', 'replace', 'with'], problems);
  if (value.append !== undefined) {
    if (value.replace !== undefined || value.with !== undefined) {
      problems.push(source.problem(at, 'takes either append, or replace and with; not both'));
      return undefined;
    }
    const append = text(source, [...at, 'append'], value.append, problems, { nonEmpty: true });
    return append === undefined ? undefined : { kind: 'dockerfile-append', append };
  }
  if (value.replace === undefined && value.with === undefined) {
    problems.push(source.problem(at, 'needs append, or replace and with'));
    return undefined;
  }
  const replace = text(source, [...at, 'replace'], value.replace, problems, { required: true, nonEmpty: true });
  const by = text(source, [...at, 'with'], value.with, problems, { required: true });
  if (replace === undefined || by === undefined) return undefined;
  return { kind: 'dockerfile-replace', replace, with: by };
}

function text(
  source: RubricSource,
  at: KeyPath,
  value: unknown,
  problems: Problems,
  options: { required?: boolean; nonEmpty?: boolean },
): string | undefined {
  if (value === undefined || value === null) {
    if (options.required) problems.push(source.problem(at, `missing "${String(at.at(-1))}"`));
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push(source.problem(at, `must be text (quote it: "${String(value)}")`));
    return undefined;
  }
  if (options.nonEmpty && value === '') {
    problems.push(source.problem(at, 'must not be empty'));
    return undefined;
  }
  return value;
}

/** A path inside the solution, `/`-separated. */
function relativePath(source: RubricSource, at: KeyPath, value: unknown, problems: Problems): string | undefined {
  const given = text(source, at, value, problems, { required: true, nonEmpty: true });
  if (given === undefined) return undefined;
  const parts = given.split(/[/\\]/);
  if (path.posix.isAbsolute(given) || path.win32.isAbsolute(given) || parts.includes('..')) {
    problems.push(source.problem(at, `must be a path inside the solution folder, relative to it (got "${given}")`));
    return undefined;
  }
  const clean = parts.filter((part) => part !== '' && part !== '.').join('/');
  if (clean === '') {
    problems.push(source.problem(at, 'must name a file or folder inside the solution, not the solution itself'));
    return undefined;
  }
  return clean;
}

function unknownKeys(
  source: RubricSource,
  at: KeyPath,
  value: Record<string, unknown>,
  known: readonly string[],
  problems: Problems,
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    problems.push(source.problem([...at, key], `unknown key "${key}"`, { anchor: 'key', ...(suggestion ? { suggestion } : {}) }));
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A custom mutation made real: it edits the copy as its spec says. */
export function customMutation(spec: CustomMutationSpec): Mutation {
  return {
    name: spec.name,
    description: spec.description ?? describe(spec.change),
    origin: 'custom',
    apply: (target) => applyChange(spec.change, target),
  };
}

function describe(change: CustomChange): string {
  switch (change.kind) {
    case 'edit':
      return `${change.file} edited`;
    case 'dockerfile-append':
      return 'a line appended to the Dockerfile';
    case 'dockerfile-replace':
      return 'the Dockerfile edited';
    case 'delete':
      return `${change.path} deleted`;
  }
}

async function applyChange(change: CustomChange, target: MutationTarget): Promise<MutationOutcome> {
  switch (change.kind) {
    case 'edit':
      return replaceIn(target.dir, change.file, change.replace, change.with);
    case 'dockerfile-replace':
      return replaceIn(target.dir, target.dockerfile, change.replace, change.with);
    case 'dockerfile-append':
      return editFile(target.dir, target.dockerfile, (content) => ({
        text: `${content}${content === '' || content.endsWith('\n') ? '' : '\n'}${change.append}\n`,
        change: `appended to ${target.dockerfile}: ${short(change.append)}`,
      }));
    case 'delete':
      return deleteEntry(target.dir, change.path);
  }
}

/** Every occurrence of `replace` in the file. */
function replaceIn(dir: string, file: string, replace: string, by: string): Promise<MutationOutcome> {
  return editFile(dir, file, (content) => {
    const count = content.split(replace).length - 1;
    if (count === 0) return { skip: `${short(replace)} does not occur in ${file}` };
    return {
      text: content.split(replace).join(by),
      change: `${file}: ${short(replace)} → ${short(by)}${count > 1 ? ` (${count} times)` : ''}`,
    };
  });
}

async function editFile(
  dir: string,
  file: string,
  edit: (content: string) => { text: string; change: string } | { skip: string },
): Promise<MutationOutcome> {
  const found = await resolveInRepo(dir, file);
  if (!found.ok) return notApplicable(found.reason === 'missing' ? `${file} does not exist in the solution` : found.message);
  if (!found.stats.isFile()) return notApplicable(`${file} is not a file`);
  const result = edit(await readFile(found.absolute, 'utf8'));
  if ('skip' in result) return notApplicable(result.skip);
  await writeFile(found.absolute, result.text);
  return { applied: true, change: result.change };
}

async function deleteEntry(dir: string, entry: string): Promise<MutationOutcome> {
  // The entry itself is removed, even a link; the folders above it must lie inside the solution.
  const parent = await resolveInRepo(dir, path.posix.dirname(entry));
  if (!parent.ok) return notApplicable(parent.reason === 'missing' ? `${entry} does not exist in the solution` : parent.message);
  const absolute = path.join(parent.absolute, path.posix.basename(entry));
  if (!(await lstat(absolute).catch(() => undefined))) return notApplicable(`${entry} does not exist in the solution`);
  await rm(absolute, { recursive: true, force: true });
  return { applied: true, change: `${entry} deleted` };
}

/** Text quoted for a one-line summary. */
function short(value: string): string {
  const oneLine = JSON.stringify(value);
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…"` : oneLine;
}

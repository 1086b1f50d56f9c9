/**
 * Turns ajv's errors into problems a person can act on: one message per place, in plain
 * words, positioned on the offending key or value, with a "did you mean" where one is close.
 *
 * ajv reports every failing branch of a union (`anyOf`/`oneOf`); a value that is a mapping
 * also "fails" the text branch of a matcher. Only branches whose type fits the value are
 * kept, and a value no branch fits gets a single "must be ..." message.
 */
import type { ErrorObject, SchemaObject } from 'ajv';
import type { RubricProblem } from '../basics/errors.js';
import { CHECK_KIND_KEYS, definition, schemaRole } from './schema.js';
import { formatPath } from './source.js';
import type { Anchor, KeyPath, RubricSource } from './source.js';
import { closest } from './suggest.js';

interface Issue {
  path: KeyPath;
  message: string;
  anchor?: Anchor;
  at?: KeyPath;
  suggestion?: string;
  /** Lower wins when several issues land on the same place. */
  rank: number;
  /** Issues with the same slot describe the same place; only the best is kept. */
  slot: string;
}

/** What a value of a named schema node (see `schemaRole`) looks like, for "must be ..." messages. */
const EXPECTED: Record<string, string> = {
  duration: 'a duration such as 30s, 5m, 500ms or a number of seconds',
  size: 'a size such as 250MB, 512m, 1GiB or a number of bytes',
  isoDate: 'an ISO date such as 2025-06-01 or 2025-06-01T23:59:00+09:00',
  matcher: 'text, or a mapping with any of equals, contains, matches, not_contains',
  commandLine: 'a command: a list such as [python3, app.py], or a string',
  buildCheck: 'true, {} or a mapping with max_time',
  tcpCheck: '{} or a mapping with port',
  stopCheck: '{} or a mapping with within',
  text: 'text',
  textMap: 'a mapping of names to text',
  textList: 'a list of text values',
  checkId: 'an id without spaces',
  instruction: 'an instruction keyword such as EXPOSE',
  httpPath: 'a path starting with "/"',
};

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

export function explainSchemaErrors(errors: readonly ErrorObject[], source: RubricSource): RubricProblem[] {
  const issues = collectIssues(errors, source.data);
  const best = new Map<string, Issue>();
  for (const issue of issues) {
    const kept = best.get(issue.slot);
    if (!kept || issue.rank < kept.rank) best.set(issue.slot, issue);
  }
  return [...best.values()]
    .map((issue) => source.problem(issue.path, issue.message, { anchor: issue.anchor, at: issue.at, suggestion: issue.suggestion }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function collectIssues(errors: readonly ErrorObject[], data: unknown): Issue[] {
  const dropped = new Set<ErrorObject>();
  const issues: Issue[] = [];
  const branchErrors = (union: ErrorObject) =>
    errors.filter((e) => e !== union && e.instancePath === union.instancePath && e.schemaPath.startsWith(`${union.schemaPath}/`));

  for (const error of errors) {
    if (error.keyword !== 'oneOf' || !isExactlyOneOfKeys(error.schema)) continue;
    dropped.add(error);
    for (const e of branchErrors(error)) dropped.add(e);
    const path = toPath(error.instancePath, data);
    const issue = exactlyOneOfIssue(path, valueAt(data, path), error.schema as SchemaObject[]);
    if (issue) issues.push(issue);
  }

  for (const error of errors) {
    if ((error.keyword !== 'anyOf' && error.keyword !== 'oneOf') || dropped.has(error)) continue;
    dropped.add(error);
    const path = toPath(error.instancePath, data);
    const value = valueAt(data, path);
    const branches = error.schema as SchemaObject[];
    const fitting = new Set(branches.flatMap((branch, index) => (typeFits(branch.type, value) ? [index] : [])));
    let unionFailed = fitting.size === 0;
    for (const e of branchErrors(error)) {
      const branch = Number(e.schemaPath.slice(error.schemaPath.length + 1).split('/')[0]);
      if (!fitting.has(branch)) dropped.add(e);
      // `build: false` fits the boolean branch by type but not its `const: true`.
      else if (e.keyword === 'const') {
        dropped.add(e);
        unionFailed = true;
      }
    }
    if (unionFailed) {
      const expected = expectedOf(error.parentSchema) ?? branches.map((b) => typeWords(b.type)).join(' or ');
      issues.push({ path, message: `must be ${expected}, found ${describeValue(value)}`, rank: 0, slot: `${formatPath(path)}|value` });
    }
  }

  for (const error of errors) {
    if (!dropped.has(error)) issues.push(plainIssue(error, data));
  }
  return suppressImpliedByTypos(issues);
}

function plainIssue(error: ErrorObject, data: unknown): Issue {
  const path = toPath(error.instancePath, data);
  const value = valueAt(data, path);
  const place = `${formatPath(path)}|value`;
  const params = error.params as Record<string, unknown>;
  const found = `, found ${describeValue(value)}`;

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = propertyNames(error.parentSchema);
      const suggestion = closest(key, allowed);
      let message = `unknown key "${key}"`;
      if (!suggestion && schemaRole(error.parentSchema) === 'check') {
        const owners = CHECK_KIND_KEYS.filter((kind) => propertyNames(definitionOfKind(kind)).includes(key));
        if (owners.length > 0) message += ` (it belongs inside the check's ${owners.join(' or ')} block)`;
      }
      const keyPath = [...path, key];
      return { path: keyPath, anchor: 'key', message, suggestion, rank: 0, slot: `${formatPath(keyPath)}|key` };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return { path, message: `missing required key "${missing}"`, rank: 0, slot: `${formatPath(path)}|required:${missing}` };
    }
    case 'dependencies': {
      const keyPath = [...path, String(params.property)];
      const message = `"${String(params.property)}" can only be used together with "${String(params.missingProperty)}"`;
      return { path: keyPath, anchor: 'key', message, rank: 0, slot: `${formatPath(keyPath)}|key` };
    }
    case 'type': {
      if (path.length === 0) {
        return { path, message: `the rubric must be a mapping with rubric, title and checks${found}`, rank: 0, slot: place };
      }
      const expected = expectedOf(error.parentSchema) ?? typeWords(params.type);
      return { path, message: `must be ${expected}${found}`, rank: 0, slot: place };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
      return { path, message: `must be one of: ${allowed.join(', ')}${found}`, suggestion, rank: 1, slot: place };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}${found}`, rank: 1, slot: place };
    case 'pattern': {
      const expected = expectedOf(error.parentSchema);
      const message = expected ? `must be ${expected}${found}` : `must match the pattern ${String(params.pattern)}${found}`;
      return { path, message, rank: 2, slot: place };
    }
    case 'minimum':
      return { path, message: `must be at least ${String(params.limit)}${found}`, rank: 3, slot: place };
    case 'maximum':
      return { path, message: `must be at most ${String(params.limit)}${found}`, rank: 3, slot: place };
    case 'exclusiveMinimum':
      return { path, message: `must be more than ${String(params.limit)}${found}`, rank: 3, slot: place };
    case 'exclusiveMaximum':
      return { path, message: `must be less than ${String(params.limit)}${found}`, rank: 3, slot: place };
    case 'minItems':
      return {
        path,
        message: params.limit === 1 ? 'must not be an empty list' : `must have at least ${String(params.limit)} items`,
        rank: 3,
        slot: place,
      };
    case 'minLength':
      return {
        path,
        message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`,
        rank: 3,
        slot: place,
      };
    case 'minProperties':
      return { path, message: `needs at least one of: ${propertyNames(error.parentSchema).join(', ')}`, rank: 3, slot: place };
    default:
      return { path, message: error.message ?? 'is not valid', rank: 4, slot: place };
  }
}

/** `oneOf: [{required: [a]}, {required: [b]}, ...]`: exactly one of these keys must be present. */
function isExactlyOneOfKeys(branches: unknown): branches is SchemaObject[] {
  return (
    Array.isArray(branches) &&
    branches.every((b: SchemaObject) => Object.keys(b).length === 1 && Array.isArray(b.required) && b.required.length === 1)
  );
}

function exactlyOneOfIssue(path: KeyPath, value: unknown, branches: SchemaObject[]): Issue | undefined {
  if (!isPlainObject(value)) return undefined; // its type error says it all
  const keys = branches.map((b) => String((b.required as string[])[0]));
  const present = keys.filter((key) => key in value);
  const isCheck = keys.join() === CHECK_KIND_KEYS.join();
  const needs = `${isCheck ? 'a check needs' : 'needs'} exactly one of: ${keys.join(', ')}`;
  const slot = `${formatPath(path)}|kind`;
  if (present.length === 0) return { path, message: `${needs}; found none`, rank: 0, slot };
  const found = present.length === 2 ? `both ${present[0]} and ${present[1]}` : `${present.slice(0, -1).join(', ')} and ${present.at(-1)}`;
  return { path, at: [...path, present[1]!], anchor: 'key', message: `${needs}; found ${found}`, rank: 0, slot };
}

/**
 * A misspelled key (`titel:`, `htpp:`) already gets "did you mean"; saying that the key it
 * meant is missing (`title`, or a check's kind key) would only repeat it.
 */
function suppressImpliedByTypos(issues: Issue[]): Issue[] {
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.suggestion === undefined || issue.anchor !== 'key') continue;
    const parent = formatPath(issue.path.slice(0, -1));
    meant.add(`${parent}|required:${issue.suggestion}`);
    if (CHECK_KIND_KEYS.includes(issue.suggestion)) meant.add(`${parent}|kind:none`);
  }
  return issues.filter((issue) => !meant.has(issue.slot) && !(issue.message.endsWith('found none') && meant.has(`${issue.slot}:none`)));
}

function definitionOfKind(kind: string): SchemaObject | undefined {
  const ref = (definition('check')?.properties as Record<string, SchemaObject> | undefined)?.[kind]?.$ref;
  return typeof ref === 'string' ? definition(ref.replace('#/definitions/', '')) : undefined;
}

/** Keys a schema accepts, looking into the branches of a union. */
function propertyNames(schema: unknown): string[] {
  if (!isPlainObject(schema)) return [];
  const own = isPlainObject(schema.properties) ? Object.keys(schema.properties) : [];
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf.flatMap(propertyNames) : [];
  return [...new Set([...own, ...branches])];
}

function expectedOf(schemaNode: unknown): string | undefined {
  return EXPECTED[schemaRole(schemaNode) ?? ''];
}

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  if (types.includes('string')) return 'text';
  const words = types.map((t) => TYPE_WORDS[t] ?? t);
  return words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function typeFits(type: unknown, value: unknown): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'null':
        return value === null;
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isPlainObject(value);
      case 'integer':
        return Number.isInteger(value);
      default:
        return typeof value === t;
    }
  });
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  return String(value);
}

/** JSON pointer → key path; segments under a list become numbers. */
function toPath(pointer: string, data: unknown): KeyPath {
  const path: (string | number)[] = [];
  let here = data;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(here) ? Number(segment) : segment;
    path.push(key);
    here = isPlainObject(here) || Array.isArray(here) ? (here as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let here = data;
  for (const key of path) here = isPlainObject(here) || Array.isArray(here) ? (here as Record<string | number, unknown>)[key] : undefined;
  return here;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

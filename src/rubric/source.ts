/**
 * The rubric text parsed with positions kept, so every problem can point at a line and column.
 * JSON is YAML too: both go through the same parser.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { RubricError } from '../basics/errors.js';
import type { RubricProblem } from '../basics/errors.js';

/** A path into the rubric data: map keys and list indexes (`['checks', 2, 'http', 'status']`). */
export type KeyPath = readonly (string | number)[];

/** Which end of a `key: value` pair a problem points at. */
export type Anchor = 'key' | 'value';

export interface Position {
  line: number;
  column: number;
}

export interface ProblemOptions {
  anchor?: Anchor;
  /** Where to point instead of `path` itself. */
  at?: KeyPath;
  suggestion?: string;
}

export interface RubricSource {
  /** The file name used in messages. */
  file: string;
  /** The plain data (what `JSON.parse` would give for a JSON file). */
  data: unknown;
  /** 1-based position of the key or the value at `path`; the closest existing ancestor when it is missing. */
  positionOf(path: KeyPath, anchor?: Anchor): Position;
  /** A problem about `path`, positioned there (or at `options.at` when it is more precise). */
  problem(path: KeyPath, message: string, options?: ProblemOptions): RubricProblem;
}

/** `checks[2].http.status`; keys that are not plain words are quoted: `response_headers["Content-Type"]`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[\p{L}\p{N}_$-]+$/u.test(segment) && !/^-/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Parses the text; a syntax error throws a RubricError listing every syntax problem with its position. */
export function parseSource(text: string, file: string): RubricSource {
  const lineCounter = new LineCounter();
  // `merge`: `<<: *anchor` lets a rubric reuse a block (e.g. common http headers) as YAML 1.1 allowed.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error): RubricProblem => {
      const { line, column } = position(error.pos[0]);
      return { file, line, column, key: '', message: syntaxMessage(error.code, error.message, keyAt(text, error.pos[0])) };
    });
    throw new RubricError(file, problems);
  }

  const positionOf = (path: KeyPath, anchor: Anchor = 'value'): Position => {
    const found = locate(doc, path);
    const offset = anchor === 'key' && found.pair ? found.pair.key : found.node;
    return position(offset);
  };

  return {
    file,
    data: doc.toJS(),
    positionOf,
    problem(path, message, options = {}) {
      const { line, column } = positionOf(options.at ?? path, options.anchor);
      const problem: RubricProblem = { file, line, column, key: formatPath(path), message };
      if (options.suggestion !== undefined) problem.suggestion = options.suggestion;
      return problem;
    },
  };
}

/** The map key written at `offset` (`title` in `title: x`, also quoted), for messages. */
function keyAt(text: string, offset: number): string | undefined {
  const match = /^\s*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([^:\n]+?))\s*:/.exec(text.slice(offset, offset + 1100));
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function syntaxMessage(code: string, message: string, key: string | undefined): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return `duplicate key${key ? ` "${key}"` : ''}: each key may appear once per mapping`;
    case 'MULTIPLE_DOCS':
      return 'a rubric is a single YAML document (found a second "---")';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed for indentation in YAML; indent with spaces';
    default:
      return `YAML syntax error: ${message}`;
  }
}

interface Located {
  /** Offset of the node (or of the deepest ancestor that exists). */
  node: number;
  /** Offset of the key, when the path ends at a map entry that exists. */
  pair?: { key: number };
}

function startOf(node: Node | Pair | null | undefined, fallback: number): number {
  const range = node && 'range' in node ? node.range : undefined;
  return range ? range[0] : fallback;
}

function locate(doc: Document, path: KeyPath): Located {
  let node: unknown = doc.contents;
  let here = startOf(doc.contents as Node | null, 0);
  let pair: { key: number } | undefined;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    pair = undefined;
    if (isMap(node)) {
      const entry = node.items.find((item) => keyText(item.key) === String(segment));
      if (!entry) break;
      const keyOffset = startOf(entry.key as Node, here);
      pair = { key: keyOffset };
      node = entry.value;
      // A key with nothing after it (`build:`) has no useful value position: use the key's.
      here = isScalar(entry.value) && entry.value.value === null ? keyOffset : startOf(entry.value as Node, keyOffset);
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      here = startOf(item as Node, here);
    } else {
      break;
    }
  }
  return pair ? { node: here, pair } : { node: here };
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

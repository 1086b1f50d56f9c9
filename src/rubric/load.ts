/**
 * Loading a rubric: a built-in by name (`web` → rubrics/web.yml) or a file path; parsed with
 * positions, validated against the schema, checked and normalized. Any problem throws one
 * RubricError that lists them all.
 */
import type { Locale } from '../basics/i18n/catalogue.js';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RubricError, UserError, errorMessage } from '../basics/errors.js';
import type { Rubric } from './model.js';
import { normalizeRubric } from './normalize.js';
import { explainSchemaErrors } from './schema-errors.js';
import { validateSchema } from './schema.js';
import { parseSource } from './source.js';
import { closest } from './suggest.js';

const SCHEMA_FILE = 'rubric.schema.json';
const BUILTIN_EXTENSION = '.yml';

let cachedRubricsDir: string | undefined;

/**
 * The folder of built-in rubrics: the nearest `rubrics/` holding the schema, walking up from
 * this module, so it is found from src/rubric/ (tests) and from a bundle in dist/ alike.
 */
export function rubricsDir(): string {
  if (cachedRubricsDir) return cachedRubricsDir;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'rubrics');
    if (existsSync(join(candidate, SCHEMA_FILE))) return (cachedRubricsDir = candidate);
    if (dirname(dir) === dir) throw new Error(`no rubrics/${SCHEMA_FILE} found above ${start}`);
  }
}

/** Names of the built-in rubrics (`web`, `cli`, ...), sorted. */
export function listBuiltinRubrics(): string[] {
  return readdirSync(rubricsDir())
    .filter((file) => file.endsWith(BUILTIN_EXTENSION))
    .map((file) => file.slice(0, -BUILTIN_EXTENSION.length))
    .sort();
}

/** A bare name (no slash, no extension) names a built-in rubric. */
export function isBuiltinName(nameOrPath: string): boolean {
  return !/[/\\]/.test(nameOrPath) && extname(nameOrPath) === '';
}

/** Where a rubric argument points: the file to read, the name for messages, the Rubric's `source`. */
export interface RubricLocation {
  path: string;
  file: string;
  source: string;
}

export function locateRubric(nameOrPath: string): RubricLocation {
  if (!isBuiltinName(nameOrPath)) return { path: nameOrPath, file: nameOrPath, source: nameOrPath };
  const builtins = listBuiltinRubrics();
  if (builtins.includes(nameOrPath)) {
    return {
      path: join(rubricsDir(), nameOrPath + BUILTIN_EXTENSION),
      file: `rubrics/${nameOrPath}${BUILTIN_EXTENSION}`,
      source: `builtin:${nameOrPath}`,
    };
  }
  // A file literally named like that (e.g. `RUBRIC` without extension) still works.
  if (existsSync(nameOrPath)) return { path: nameOrPath, file: nameOrPath, source: nameOrPath };
  const suggestion = closest(nameOrPath, builtins);
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
  const available = builtins.length > 0 ? `built-in rubrics: ${builtins.join(', ')}` : 'no built-in rubrics are installed';
  throw new UserError(`unknown rubric "${nameOrPath}"${hint}; ${available}; or give a path to a .yml/.json file`);
}

/** Loads a built-in rubric by name or a rubric file by path. */
export interface LoadOptions {
  /** The language of the feedback, instead of the rubric's own `locale`. */
  locale?: Locale;
}

export async function loadRubric(nameOrPath: string, options: LoadOptions = {}): Promise<Rubric> {
  const location = locateRubric(nameOrPath);
  let text: string;
  try {
    text = await readFile(location.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `rubric file not found: ${location.file}` : `cannot read rubric ${location.file}: ${errorMessage(err)}`,
    );
  }
  return parseRubric(text, location.file, location.source, options);
}

/**
 * Parses, validates and normalizes rubric text (YAML or JSON). `file` names it in messages;
 * `source` is recorded on the Rubric (default: `file`).
 */
export function parseRubric(text: string, file: string, source: string = file, options: LoadOptions = {}): Rubric {
  const parsed = parseSource(text.replace(/^\uFEFF/, ''), file);
  const result = validateSchema(parsed.data);
  if (!result.valid) throw new RubricError(file, explainSchemaErrors(result.errors, parsed));
  return normalizeRubric(result.rubric, parsed, source, options.locale);
}

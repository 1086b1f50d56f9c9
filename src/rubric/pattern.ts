/**
 * The rubric's regular expressions (`matches`, `service.ready.log`), run on student text.
 * They run on RE2 (re2js), whose time grows linearly with the text, where a backtracking
 * engine can take exponential time: `(a+)+$` on forty `a`s and a `!` froze the grader,
 * and with it the watchdog and the signal handlers, for minutes. RE2's cost is still
 * proportional to the pattern's size times the text's length, so both are bounded here:
 * at these two limits the costliest pattern searches its text in well under a second.
 */
import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

/** A pattern searches at most this many characters of a text. */
export const MATCH_CAP_CHARS = 64 * 1024;

/** The most RE2 instructions (its program size) a rubric pattern may compile to. */
export const MAX_PATTERN_SIZE = 100;

export interface PatternSearch {
  found: boolean;
  /** False when the text was longer than MATCH_CAP_CHARS, so only its start was searched. */
  complete: boolean;
}

export interface TextPattern {
  readonly source: string;
  search(text: string): PatternSearch;
  /** Whether `search` finds it. */
  test(text: string): boolean;
}

/** Why `source` cannot be a rubric pattern, or undefined when it can. */
export function patternProblem(source: string): string | undefined {
  let size: number;
  try {
    size = compile(source).programSize();
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    return `not a valid regular expression: ${syntaxError(err)}${unsupportedHint(source)}`;
  }
  if (size > MAX_PATTERN_SIZE) {
    return `regular expression too complex: it compiles to ${size} RE2 instructions, at most ${MAX_PATTERN_SIZE} are allowed (large counted repetitions such as {100} cost the most)`;
  }
  return undefined;
}

/** Probes match one rubric pattern against many texts (every LABEL of a Dockerfile, say): compile each once. */
const compiled = new Map<string, TextPattern>();
const COMPILED_KEPT = 256;

/**
 * A pattern as the probes use it: `^` and `$` match at every line end (`\n`, `\r\n` or
 * a lone `\r`, as JavaScript's `m` flag reads them). Throws on a pattern `patternProblem` rejects.
 */
export function compilePattern(source: string): TextPattern {
  let pattern = compiled.get(source);
  if (pattern === undefined) {
    if (compiled.size >= COMPILED_KEPT) compiled.clear();
    pattern = compileUncached(source);
    compiled.set(source, pattern);
  }
  return pattern;
}

function compileUncached(source: string): TextPattern {
  const problem = patternProblem(source);
  if (problem !== undefined) throw new Error(`rubric pattern /${source}/: ${problem}`);
  const re = compile(source);
  const search = (text: string): PatternSearch => {
    const complete = text.length <= MATCH_CAP_CHARS;
    const searched = complete ? text : capped(text);
    return { found: re.test(searched.replace(/\r\n?/g, '\n')), complete };
  };
  return { source, search, test: (text) => search(text).found };
}

function compile(source: string): RE2JS {
  return RE2JS.compile(source, RE2JS.MULTILINE);
}

/** The first MATCH_CAP_CHARS characters, without a high surrogate cut from its pair. */
function capped(text: string): string {
  const code = text.charCodeAt(MATCH_CAP_CHARS - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? MATCH_CAP_CHARS - 1 : MATCH_CAP_CHARS;
  return text.slice(0, end);
}

/** RE2's reason, quoting the part of the pattern it stopped at as the rubric wrote it. */
function syntaxError(err: RE2JSException): string {
  if (!(err instanceof RE2JSSyntaxException)) return err.message;
  // The multiline flag is compiled in as a `(?m)` prefix; the rubric never wrote it.
  const input = err.getPattern()?.replace(/^\(\?m\)/, '') ?? '';
  return input === '' ? err.getDescription() : `${err.getDescription()}: \`${input}\``;
}

/** Names the JavaScript-only features a pattern seems to use, which RE2 leaves out to stay linear. */
function unsupportedHint(source: string): string {
  const missing: string[] = [];
  if (/\(\?<?[=!]/.test(source)) missing.push('lookahead or lookbehind');
  if (/\\[1-9]|\\k</.test(source)) missing.push('backreferences');
  return missing.length > 0 ? ` (rubric patterns use RE2 syntax, which has no ${missing.join(' and no ')})` : '';
}

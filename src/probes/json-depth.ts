/**
 * How deeply a response's JSON nests, told without parsing it. JSON.stringify and every
 * walk over a parsed value recurse once per level, so a body nested 100,000 levels deep
 * would overflow the stack; such a body is refused before it is parsed.
 */

/** The deepest nesting of arrays and objects the grader parses in a response body. */
export const MAX_JSON_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether `text`'s arrays and objects nest deeper than `limit` levels: one pass over the
 * text, brackets inside strings skipped. Says nothing about whether the text is valid JSON.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(c)) depth--;
  }
  return false;
}

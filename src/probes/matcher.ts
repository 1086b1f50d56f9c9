/** Text matchers (`equals`, `contains`, `matches`, `not_contains`) and the JSON subset match of http checks. */
import type { Matcher } from '../rubric/model.js';
import { compilePattern, MATCH_CAP_CHARS } from '../rubric/pattern.js';
import { quote } from './display.js';

export interface MatchResult {
  ok: boolean;
  /** What the matcher wants, for `expected`. */
  expected: string;
  /** One phrase per key that did not hold, e.g. `does not contain "pong"`. */
  failures: string[];
}

export function matchText(matcher: Matcher, text: string): MatchResult {
  const failures: string[] = [];
  if (matcher.equals !== undefined) {
    const want = normaliseForEquals(matcher.equals);
    const got = normaliseForEquals(text);
    if (want !== got) failures.push(`is not equal to the expected text (${firstDifference(want, got)})`);
  }
  if (matcher.contains !== undefined && !text.includes(matcher.contains)) {
    failures.push(`does not contain ${quote(matcher.contains)}`);
  }
  if (matcher.matches !== undefined) {
    const search = compilePattern(matcher.matches).search(text);
    if (!search.found) {
      const where = search.complete ? '' : ` in its first ${MATCH_CAP_CHARS.toLocaleString('en-US')} characters (only those are searched)`;
      failures.push(`does not match /${matcher.matches}/${where}`);
    }
  }
  if (matcher.not_contains !== undefined && text.includes(matcher.not_contains)) {
    failures.push(`contains ${quote(matcher.not_contains)}, which it must not`);
  }
  return { ok: failures.length === 0, expected: describeMatcher(matcher), failures };
}

export function describeMatcher(matcher: Matcher): string {
  const parts: string[] = [];
  if (matcher.equals !== undefined) parts.push(`equals ${quote(matcher.equals, 200)}`);
  if (matcher.contains !== undefined) parts.push(`contains ${quote(matcher.contains)}`);
  if (matcher.matches !== undefined) parts.push(`matches /${matcher.matches}/`);
  if (matcher.not_contains !== undefined) parts.push(`does not contain ${quote(matcher.not_contains)}`);
  return parts.length > 0 ? parts.join(' and ') : 'anything';
}

/** CRLF to LF, trailing whitespace trimmed on every line and at the end. */
export function normaliseForEquals(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}

function firstDifference(want: string, got: string): string {
  const wantLines = want.split('\n');
  const gotLines = got.split('\n');
  for (let i = 0; i < Math.max(wantLines.length, gotLines.length); i++) {
    const w = wantLines[i];
    const g = gotLines[i];
    if (w === g) continue;
    if (g === undefined) return `line ${i + 1} is missing, expected ${quote(w ?? '')}`;
    if (w === undefined) return `unexpected extra line ${i + 1}: ${quote(g)}`;
    return `line ${i + 1}: expected ${quote(w)}, got ${quote(g)}`;
  }
  return 'they differ';
}

/**
 * Where `actual` fails to contain `expected`: objects match when every expected key
 * matches (extra keys are fine), arrays element-wise by index (extra elements are
 * fine), everything else by strict equality. Each difference is `path: what`.
 */
export function jsonSubset(expected: unknown, actual: unknown, at = '$'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${describeJson(actual)}`];
    if (actual.length < expected.length) {
      return [`${at}: expected at least ${expected.length} element(s), got ${actual.length}`];
    }
    return expected.flatMap((item, i) => jsonSubset(item, actual[i], `${at}[${i}]`));
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${at}: expected an object, got ${describeJson(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => {
      const child = `${at}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
      if (!Object.hasOwn(actual, key)) return [`${child}: missing (expected ${describeJson(value)})`];
      return jsonSubset(value, actual[key], child);
    });
  }
  if (expected === actual) return [];
  return [`${at}: expected ${describeJson(expected)}, got ${describeJson(actual)}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

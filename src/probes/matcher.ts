/** Text matchers (`equals`, `contains`, `matches`, `not_contains`) and the JSON subset match of http checks. */
import { t } from '../basics/i18n/catalogue.js';
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
    if (want !== got) failures.push(t('probe.match.not_equal', { difference: firstDifference(want, got) }));
  }
  if (matcher.contains !== undefined && !text.includes(matcher.contains)) {
    failures.push(t('probe.match.missing_text', { text: quote(matcher.contains) }));
  }
  if (matcher.matches !== undefined) {
    const search = compilePattern(matcher.matches).search(text);
    if (!search.found) {
      const pattern = matcher.matches;
      failures.push(
        search.complete
          ? t('probe.match.no_match', { pattern })
          : t('probe.match.no_match_capped', { pattern, count: MATCH_CAP_CHARS.toLocaleString('en-US') }),
      );
    }
  }
  if (matcher.not_contains !== undefined && text.includes(matcher.not_contains)) {
    failures.push(t('probe.match.forbidden_text', { text: quote(matcher.not_contains) }));
  }
  return { ok: failures.length === 0, expected: describeMatcher(matcher), failures };
}

export function describeMatcher(matcher: Matcher): string {
  const parts: string[] = [];
  if (matcher.equals !== undefined) parts.push(t('probe.match.describe.equals', { text: quote(matcher.equals, 200) }));
  if (matcher.contains !== undefined) parts.push(t('probe.match.describe.contains', { text: quote(matcher.contains) }));
  if (matcher.matches !== undefined) parts.push(t('probe.match.describe.matches', { pattern: matcher.matches }));
  if (matcher.not_contains !== undefined) parts.push(t('probe.match.describe.not_contains', { text: quote(matcher.not_contains) }));
  return parts.length > 0 ? parts.join(t('probe.match.describe.and')) : t('probe.match.describe.anything');
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
    if (g === undefined) return t('probe.match.diff.missing_line', { line: i + 1, want: quote(w ?? '') });
    if (w === undefined) return t('probe.match.diff.extra_line', { line: i + 1, got: quote(g) });
    return t('probe.match.diff.line', { line: i + 1, want: quote(w), got: quote(g) });
  }
  return t('probe.match.diff.unknown');
}

/**
 * Where `actual` fails to contain `expected`: objects match when every expected key
 * matches (extra keys are fine), arrays element-wise by index (extra elements are
 * fine), everything else by strict equality. Each difference is `path: what`.
 */
export function jsonSubset(expected: unknown, actual: unknown, at = '$'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [t('probe.json.not_array', { at, actual: describeJson(actual) })];
    if (actual.length < expected.length) return [t('probe.json.too_short', { at, count: expected.length, actual: actual.length })];
    return expected.flatMap((item, i) => jsonSubset(item, actual[i], `${at}[${i}]`));
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [t('probe.json.not_object', { at, actual: describeJson(actual) })];
    return Object.entries(expected).flatMap(([key, value]) => {
      const child = `${at}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
      if (!Object.hasOwn(actual, key)) return [t('probe.json.missing_key', { at: child, value: describeJson(value) })];
      return jsonSubset(value, actual[key], child);
    });
  }
  if (expected === actual) return [];
  return [t('probe.json.different', { at, want: describeJson(expected), got: describeJson(actual) })];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === undefined) return t('probe.json.nothing');
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

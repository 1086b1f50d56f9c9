/**
 * The public JSON form of a GradeResult. Keys are written in a fixed order so
 * diffs and golden files stay stable; text is cleaned of control characters and
 * escape sequences but not escaped for markdown.
 */
import type { BuildSummary, CheckResult, GradeResult, SourceLocation } from '../basics/results.js';
import { cleanText } from '../basics/sanitize.js';
import { checkLocations } from './format.js';

/** Pretty-printed, with a trailing newline. Keys whose value is undefined are left out (JSON.stringify's rule). */
export function toJson(result: GradeResult): string {
  return `${JSON.stringify(publicResult(result), null, 2)}\n`;
}

function publicResult(result: GradeResult): Record<string, unknown> {
  return {
    rubric: { title: cleanText(result.rubric.title), source: cleanText(result.rubric.source) },
    locale: result.locale,
    submission: {
      source: cleanText(result.submission.source),
      commit: nullableText(result.submission.commit),
      committed_at: optionalText(result.submission.committed_at),
      ref: nullableText(result.submission.ref),
    },
    status: result.status,
    reason: optionalText(result.reason),
    score: result.score,
    max_score: result.max_score,
    percent: result.percent,
    pass_threshold: result.pass_threshold,
    passed: result.passed,
    duration_ms: result.duration_ms,
    build: result.build && publicBuild(result.build),
    notes: result.notes?.map(cleanText),
    checks: result.checks.map(publicCheck),
  };
}

function publicBuild(build: BuildSummary): Record<string, unknown> {
  return {
    ok: build.ok,
    duration_ms: build.duration_ms,
    image_size: build.image_size,
    failing_step: optionalText(build.failing_step),
    log_tail: optionalText(build.log_tail),
  };
}

function publicCheck(check: CheckResult): Record<string, unknown> {
  // A concealed check carries no details; drop them here too in case a caller forgot.
  const places = checkLocations(check).map(publicLocation);
  const details = check.hidden
    ? {}
    : {
        expected: optionalText(check.expected),
        actual: optionalText(check.actual),
        output: optionalText(check.output),
        // `location` is the first place, kept for readers that want one; `locations` is every place.
        location: places[0],
        locations: places.length > 0 ? places : undefined,
      };
  return {
    id: check.id,
    name: cleanText(check.name),
    kind: check.kind,
    status: check.status,
    points: check.points,
    max_points: check.max_points,
    message: cleanText(check.message),
    feedback: optionalText(check.feedback),
    ...details,
    hidden: check.hidden ? true : undefined,
  };
}

function publicLocation(location: SourceLocation): { path: string; line: number } {
  return { path: cleanText(location.path), line: location.line };
}

function optionalText(text: string | undefined): string | undefined {
  return text === undefined ? undefined : cleanText(text);
}

function nullableText(text: string | undefined): string | null {
  return text === undefined ? null : cleanText(text);
}

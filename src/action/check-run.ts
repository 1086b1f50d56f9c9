/**
 * The check run on the graded commit: created in progress before grading, completed
 * after with a conclusion, the report as its summary, and annotations on the lines
 * failed checks point at — 50 per request, the Checks API's limit.
 */
import type { Translate } from '../basics/i18n/catalogue.js';
import { isPartial, type CheckResult, type GradeResult } from '../basics/results.js';
import { clip } from '../basics/sanitize.js';
import { checkLocations, formatEarnedPoints, reportTranslator } from '../report/format.js';
import type { CheckAnnotation, CheckConclusion, CheckOutput, GitHubApi } from './github-api.js';
import { clipUtf8 } from './utf8.js';

export const CHECK_NAME = 'grader';
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on a check run's summary and text, in characters. */
export const MAX_CHECK_SUMMARY_LENGTH = 65_535;
/** GitHub's limits on an annotation: the title in characters, the message in bytes (64 KB). */
export const MAX_ANNOTATION_TITLE_LENGTH = 255;
export const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;
/** Shorter than GitHub allows: an annotation sits between the lines of a diff. */
const MAX_ANNOTATION_MESSAGE = 4_000;

export function conclusionFor(result: GradeResult): CheckConclusion {
  if (result.status === 'ungradable') return 'neutral';
  return result.passed ? 'success' : 'failure';
}

/**
 * One annotation per place a failed check points at. `pathPrefix` turns paths relative to
 * the submission into paths relative to the repository (when the submission is a subfolder).
 */
export function annotationsFor(result: GradeResult, pathPrefix = ''): CheckAnnotation[] {
  const tr = reportTranslator(result.locale);
  return result.checks
    .filter((check) => check.status === 'failed' && !check.hidden)
    .flatMap((check) => checkAnnotations(check, pathPrefix, tr));
}

/** The check's name; a check that earned part of its points says how many: `Dockerfile rules · 3/5 (partial)`. */
function annotationTitle(check: CheckResult, tr: Translate): string {
  return isPartial(check) ? `${check.name} · ${formatEarnedPoints(check, tr)}` : check.name;
}

function checkAnnotations(check: CheckResult, pathPrefix: string, tr: Translate): CheckAnnotation[] {
  const message = clipUtf8(
    clip([check.message, check.feedback].filter(Boolean).join('\n\n'), MAX_ANNOTATION_MESSAGE),
    MAX_ANNOTATION_MESSAGE_BYTES,
  );
  return checkLocations(check)
    .filter((location) => location.line >= 1)
    .map((location) => ({
      path: joinPath(pathPrefix, location.path),
      start_line: location.line,
      end_line: Math.max(location.line, location.endLine ?? location.line),
      // A check worth no points is advice, not a fault.
      annotation_level: check.max_points > 0 ? 'failure' : 'warning',
      message,
      title: clip(annotationTitle(check, tr), MAX_ANNOTATION_TITLE_LENGTH),
    }));
}

export function inBatches<T>(items: readonly T[], size = MAX_ANNOTATIONS_PER_REQUEST): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

export async function startCheckRun(
  api: GitHubApi,
  headSha: string,
  details: { runUrl?: string; runId: string },
): Promise<{ id: number; appSlug?: string }> {
  return api.createCheckRun({
    name: CHECK_NAME,
    head_sha: headSha,
    external_id: details.runId,
    ...(details.runUrl ? { details_url: details.runUrl } : {}),
  });
}

/** Completes the run with the first batch of annotations, then appends the rest. */
export async function completeCheckRun(
  api: GitHubApi,
  checkRunId: number,
  conclusion: CheckConclusion,
  output: { title: string; summary: string; annotations?: readonly CheckAnnotation[] },
): Promise<void> {
  const [first = [], ...rest] = inBatches(output.annotations ?? []);
  const base: CheckOutput = { title: output.title, summary: output.summary };
  await api.updateCheckRun(checkRunId, {
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    output: first.length > 0 ? { ...base, annotations: first } : base,
  });
  for (const batch of rest) await api.updateCheckRun(checkRunId, { output: { ...base, annotations: batch } });
}

function joinPath(prefix: string, file: string): string {
  const clean = file.replace(/^\.?\/+/, '');
  return prefix ? `${prefix.replace(/\/+$/, '')}/${clean}` : clean;
}

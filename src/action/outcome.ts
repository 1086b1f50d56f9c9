/**
 * What one run came to, and every text derived from it: the step's failure line, the
 * comment body, the check run's completion, the job summary. Pure functions.
 */
import { RubricError, UserError, errorMessage, formatRubricProblem } from '../basics/errors.js';
import type { GradeResult } from '../basics/results.js';
import { clip, firstLine } from '../basics/sanitize.js';
import { renderMarkdown, renderSummaryLine } from '../report/markdown.js';
import { MAX_CHECK_SUMMARY_LENGTH, annotationsFor, conclusionFor } from './check-run.js';
import { MAX_COMMENT_LENGTH, REPORT_MARKER } from './comment.js';
import type { CheckCompletion } from './publish.js';
import { MAX_SUMMARY_LENGTH, composeSummary } from './summary.js';

/** Why nothing was graded, when grading did not even produce a result. */
export interface NotGraded {
  /** One line for setFailed. */
  headline: string;
  /** The whole story, for the summary and the check run. */
  detail: string;
}

export type Outcome = ({ result: GradeResult } | { notGraded: NotGraded }) & { cancelled?: boolean };

export function describeNotGraded(err: unknown): NotGraded {
  if (err instanceof RubricError) {
    const [first = firstLine(err.message), ...more] = err.problems.map(formatRubricProblem);
    const others = more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? '' : 's'}; see the job summary)` : '';
    return { headline: `grader: invalid rubric: ${first}${others}`, detail: err.message };
  }
  if (err instanceof UserError) return { headline: `grader: not graded: ${firstLine(err.message)}`, detail: err.message };
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { headline: `grader: internal error: ${firstLine(errorMessage(err))}`, detail };
}

/** The one line the step fails with, or undefined when it passes. */
export function stepFailure(outcome: Outcome): string | undefined {
  if ('notGraded' in outcome) return outcome.notGraded.headline;
  const { result } = outcome;
  if (result.status === 'ungradable') return `grader: not graded: ${firstLine(result.reason ?? 'the submission could not be graded')}`;
  if (!result.passed) return renderSummaryLine(result);
  return undefined;
}

/** The pull request comment, which is also the markdown report file. */
export function commentBody(outcome: Outcome): string {
  if ('result' in outcome) return renderMarkdown(outcome.result, { marker: REPORT_MARKER, maxLength: MAX_COMMENT_LENGTH });
  return clip(`${REPORT_MARKER}\n${composeSummary({ warnings: [], failure: outcome.notGraded.detail })}`, MAX_COMMENT_LENGTH);
}

/**
 * `annotationPrefix` is where the graded folder sits in this repository, or undefined
 * when the submission is not this repository's files (then there is nothing to annotate).
 */
export function checkCompletion(outcome: Outcome, annotationPrefix: string | undefined): CheckCompletion {
  if ('notGraded' in outcome) {
    return {
      conclusion: outcome.cancelled ? 'cancelled' : 'neutral',
      title: outcome.cancelled ? 'grader: cancelled' : 'grader: not graded',
      summary: clip(composeSummary({ warnings: [], failure: outcome.notGraded.detail }), MAX_CHECK_SUMMARY_LENGTH),
    };
  }
  const { result } = outcome;
  return {
    conclusion: outcome.cancelled ? 'cancelled' : conclusionFor(result),
    title: renderSummaryLine(result),
    summary: renderMarkdown(result, { maxLength: MAX_CHECK_SUMMARY_LENGTH }),
    ...(annotationPrefix !== undefined ? { annotations: annotationsFor(result, annotationPrefix) } : {}),
  };
}

export function summaryMarkdown(outcome: Outcome, warnings: readonly string[]): string {
  const markdown =
    'result' in outcome
      ? composeSummary({ warnings, report: renderMarkdown(outcome.result, { maxLength: MAX_SUMMARY_LENGTH - 8_000 }) })
      : composeSummary({ warnings, failure: outcome.notGraded.detail });
  return clip(markdown, MAX_SUMMARY_LENGTH);
}

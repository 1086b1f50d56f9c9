/**
 * What one run came to, and every text derived from it: the step's failure line, the
 * comment body, the check run's completion, the job summary. Pure functions.
 */
import { RubricError, UserError, errorMessage, formatRubricProblem } from '../basics/errors.js';
import { DEFAULT_LOCALE, translator, type Locale } from '../basics/i18n/catalogue.js';
import type { GradeResult } from '../basics/results.js';
import { clip, firstLine } from '../basics/sanitize.js';
import { reportTranslator } from '../report/format.js';
import { renderMarkdown, renderSummaryLine } from '../report/markdown.js';
import { MAX_CHECK_SUMMARY_LENGTH, annotationsFor, conclusionFor } from './check-run.js';
import { MAX_COMMENT_LENGTH, REPORT_MARKER } from './comment.js';
import type { CheckCompletion } from './publish.js';
import { MAX_SUMMARY_LENGTH, composeSummary, fitJobSummary } from './summary.js';

/** Why nothing was graded, when grading did not even produce a result. */
export interface NotGraded {
  /** One line for setFailed. */
  headline: string;
  /** The whole story, for the summary and the check run. */
  detail: string;
  /** The language of the words around it (the detail itself is the error's, for the instructor). */
  locale: Locale;
}

export type Outcome = ({ result: GradeResult } | { notGraded: NotGraded }) & { cancelled?: boolean };

/**
 * `locale` is the language asked for, when known: rubric problems and internal errors are
 * the instructor's to fix and stay in English, as their detail is.
 */
export function describeNotGraded(err: unknown, locale: Locale = DEFAULT_LOCALE): NotGraded {
  if (err instanceof RubricError) {
    const [first = firstLine(err.message), ...more] = err.problems.map(formatRubricProblem);
    const others = more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? '' : 's'}; see the job summary)` : '';
    return { headline: `grader: invalid rubric: ${first}${others}`, detail: err.message, locale };
  }
  if (err instanceof UserError) {
    const headline = `grader: ${translator(locale)('report.run.not_graded_because', { reason: firstLine(err.message) })}`;
    return { headline, detail: err.message, locale };
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { headline: `grader: internal error: ${firstLine(errorMessage(err))}`, detail, locale };
}

/** The one line the step fails with, or undefined when it passes. */
export function stepFailure(outcome: Outcome): string | undefined {
  if ('notGraded' in outcome) return outcome.notGraded.headline;
  const { result } = outcome;
  if (result.status === 'ungradable') {
    const tr = reportTranslator(result.locale);
    return `grader: ${tr('report.run.ungradable_because', { reason: firstLine(result.reason ?? tr('report.run.ungradable_fallback')) })}`;
  }
  if (!result.passed) return renderSummaryLine(result);
  return undefined;
}

/** The pull request comment, which is also the markdown report file. */
export function commentBody(outcome: Outcome): string {
  if ('result' in outcome) return renderMarkdown(outcome.result, { marker: REPORT_MARKER, maxLength: MAX_COMMENT_LENGTH });
  return clip(`${REPORT_MARKER}\n${notGradedSummary(outcome.notGraded, [])}`, MAX_COMMENT_LENGTH);
}

function notGradedSummary(notGraded: NotGraded, warnings: readonly string[]): string {
  return composeSummary({ warnings, failure: notGraded.detail, locale: notGraded.locale });
}

/**
 * `annotationPrefix` is where the graded folder sits in this repository, or undefined
 * when the submission is not this repository's files (then there is nothing to annotate).
 */
export function checkCompletion(outcome: Outcome, annotationPrefix: string | undefined): CheckCompletion {
  if ('notGraded' in outcome) {
    const tr = translator(outcome.notGraded.locale);
    return {
      conclusion: outcome.cancelled ? 'cancelled' : 'neutral',
      title: `grader: ${outcome.cancelled ? tr('report.run.cancelled') : tr('report.run.not_graded')}`,
      summary: clip(notGradedSummary(outcome.notGraded, []), MAX_CHECK_SUMMARY_LENGTH),
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

/** The job summary: within MAX_SUMMARY_LENGTH characters, and so within GitHub's limit in bytes, which is checked as well. */
export function summaryMarkdown(outcome: Outcome, warnings: readonly string[]): string {
  const markdown =
    'result' in outcome
      ? composeSummary({ warnings, report: renderMarkdown(outcome.result, { maxLength: MAX_SUMMARY_LENGTH - 8_000 }) })
      : notGradedSummary(outcome.notGraded, warnings);
  return fitJobSummary(clip(markdown, MAX_SUMMARY_LENGTH));
}

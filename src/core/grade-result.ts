/** The GradeResult of a run: graded (scored against the pass mark) or ungradable (no score at all). */
import { t } from '../basics/i18n/catalogue.js';
import type { BuildSummary, CheckResult, GradeResult } from '../basics/results.js';
import type { BuildOutcome } from '../engine/engine.js';
import type { Rubric } from '../rubric/model.js';
import { errored } from './check-results.js';
import type { Gate } from './scheduler.js';
import { meetsThreshold, totalScore } from './score.js';

export interface ResultSubject {
  rubric: Rubric;
  submission: { source: string; commit?: string; committedAt?: string; ref?: string };
  /** Overrides the rubric's `pass` (percent). */
  passThreshold?: number;
  /** When grading started (ms since the epoch). */
  started: number;
}

export function gradedResult(subject: ResultSubject, checks: CheckResult[], build?: BuildSummary, notes?: string[]): GradeResult {
  const { score, max_score, percent } = totalScore(checks);
  const threshold = subject.passThreshold ?? subject.rubric.pass;
  return {
    ...header(subject),
    status: 'graded',
    score,
    max_score,
    percent,
    ...(threshold !== undefined ? { pass_threshold: threshold } : {}),
    passed: meetsThreshold(percent, threshold),
    duration_ms: Date.now() - subject.started,
    ...(build ? { build } : {}),
    ...(notes?.length ? { notes } : {}),
    checks,
  };
}

export function ungradableResult(subject: ResultSubject, reason: string): GradeResult {
  const checks = subject.rubric.checks.map((check) => errored(check, t('core.ungradable.check', { reason }), 0));
  const threshold = subject.passThreshold ?? subject.rubric.pass;
  return {
    ...header(subject),
    status: 'ungradable',
    reason,
    score: null,
    max_score: totalScore(checks).max_score,
    percent: null,
    ...(threshold !== undefined ? { pass_threshold: threshold } : {}),
    passed: false,
    duration_ms: Date.now() - subject.started,
    checks,
  };
}

/** The build as reports show it; an image the image gate refused (too large) counts as not built. */
export function summariseBuild(build: BuildOutcome, imageGate: Gate): BuildSummary {
  const durationMs = Math.round(build.durationMs);
  if (build.ok && !imageGate.unavailable) {
    return { ok: true, duration_ms: durationMs, image_size: imageGate.ctx.image?.info.sizeBytes };
  }
  return {
    ok: false,
    duration_ms: durationMs,
    failing_step: !build.ok && build.reason === 'failed' ? build.failingStep : undefined,
    log_tail: build.logTail || undefined,
  };
}

function header(subject: ResultSubject): Pick<GradeResult, 'rubric' | 'locale' | 'submission'> {
  const { submission, rubric } = subject;
  return {
    rubric: { title: rubric.title, source: rubric.source },
    locale: rubric.locale,
    submission: {
      source: submission.source,
      ...(submission.commit ? { commit: submission.commit } : {}),
      ...(submission.committedAt ? { committed_at: submission.committedAt } : {}),
      ...(submission.ref ? { ref: submission.ref } : {}),
    },
  };
}

/** Totals and the pass decision: pure functions of the check results. */
import type { CheckResult } from '../basics/results.js';

export interface Score {
  score: number;
  max_score: number;
  percent: number;
}

export function totalScore(checks: readonly CheckResult[]): Score {
  const score = checks.reduce((sum, c) => sum + c.points, 0);
  const max_score = checks.reduce((sum, c) => sum + c.max_points, 0);
  const percent = max_score === 0 ? 100 : Math.round((score / max_score) * 1000) / 10;
  return { score, max_score, percent };
}

/** A graded run passes when it reaches the threshold; with no threshold every graded run passes. */
export function meetsThreshold(percent: number, threshold: number | undefined): boolean {
  return threshold === undefined || percent >= threshold;
}

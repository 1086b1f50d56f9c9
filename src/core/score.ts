/** Totals and the pass decision: pure functions of the check results. */
import type { CheckResult } from '../basics/results.js';

export interface Score {
  score: number;
  max_score: number;
  percent: number;
}

/** Points are kept to two decimals: partial credit (`10 × 1/3`) gives 3.33, and sums of such stay exact. */
export function roundPoints(points: number): number {
  // toPrecision first, so a product such as 1.005 × 100 = 100.49999… still rounds up.
  return Math.round(Number((points * 100).toPrecision(12))) / 100;
}

/**
 * What a check made of parts earns: `points × passed / of`, to two decimals; never the full
 * points while a part failed, and never 0 while one passed, however the rounding falls.
 */
export function partialPoints(points: number, passed: number, of: number): number {
  if (of <= 0 || passed >= of) return points;
  if (passed <= 0 || points <= 0) return 0;
  return Math.min(Math.max(roundPoints((points * passed) / of), 0.01), roundPoints(points - 0.01));
}

export function totalScore(checks: readonly CheckResult[]): Score {
  const score = roundPoints(checks.reduce((sum, c) => sum + c.points, 0));
  const max_score = checks.reduce((sum, c) => sum + c.max_points, 0);
  const percent = max_score === 0 ? 100 : Math.round((score / max_score) * 1000) / 10;
  return { score, max_score, percent };
}

/** A graded run passes when it reaches the threshold; with no threshold every graded run passes. */
export function meetsThreshold(percent: number, threshold: number | undefined): boolean {
  return threshold === undefined || percent >= threshold;
}

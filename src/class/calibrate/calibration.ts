/**
 * What a calibration found: for each mutation, the checks that caught it (they passed on the
 * reference solution and lost points on the mutant); then the checks no mutation made fail, the
 * mistakes that cost nothing, and the mutants that still pass. Its JSON form is `--json`'s output.
 */
import type { CheckKind } from '../../basics/check-kinds.js';
import type { CheckStatus, GradeResult } from '../../basics/results.js';
import type { Mutation } from './mutation.js';

export const CALIBRATION_SCHEMA = 'grader/calibration/v1';

export interface CalibrationCheck {
  id: string;
  name: string;
  kind: CheckKind;
  max_points: number;
}

/** A check that lost points on a mutant: how many, and whether it failed or was skipped behind a failed required check. */
export interface Catch {
  id: string;
  lost: number;
  status: CheckStatus;
}

export interface MutantRow {
  name: string;
  description: string;
  origin: Mutation['origin'];
  /** `not-applicable`: the solution gives the mutation nothing to change; `ungradable`: the mutant could not be graded. */
  status: 'graded' | 'not-applicable' | 'ungradable';
  /** What the mutation changed in the copy. */
  change?: string;
  /** Why it was not applied, or not graded. */
  reason?: string;
  score?: number;
  percent?: number;
  passed?: boolean;
  /** Whether the mutant's image built. */
  built?: boolean;
  caught_by: Catch[];
  duration_ms?: number;
}

export interface Calibration {
  schema: typeof CALIBRATION_SCHEMA;
  rubric: { title: string; source: string; pass_threshold?: number };
  solution: { source: string; score: number; max_score: number; duration_ms: number };
  checks: CalibrationCheck[];
  mutations: MutantRow[];
  /** Ids of the checks worth points that no mutant made lose any. */
  untested: string[];
  /** Names of the graded mutants that lost no points. */
  survivors: string[];
  /** Names of the graded mutants at or above the pass mark; absent when the rubric sets none. */
  passing?: string[];
  duration_ms: number;
}

/** The checks that lost points on the mutant, compared with the solution's. */
export function catches(solution: GradeResult, mutant: GradeResult): Catch[] {
  const mutantChecks = new Map(mutant.checks.map((check) => [check.id, check]));
  return solution.checks.flatMap((check) => {
    const other = mutantChecks.get(check.id);
    if (!other || other.points >= check.points) return [];
    return [{ id: check.id, lost: check.points - other.points, status: other.status }];
  });
}

/** A graded mutant's row. */
export function gradedRow(mutation: Mutation, change: string, solution: GradeResult, mutant: GradeResult, durationMs: number): MutantRow {
  const base = { name: mutation.name, description: mutation.description, origin: mutation.origin, change, duration_ms: durationMs };
  if (mutant.status === 'ungradable') return { ...base, status: 'ungradable', reason: mutant.reason ?? 'ungradable', caught_by: [] };
  return {
    ...base,
    status: 'graded',
    score: mutant.score ?? 0,
    percent: mutant.percent ?? 0,
    passed: mutant.passed,
    ...(mutant.build ? { built: mutant.build.ok } : {}),
    caught_by: catches(solution, mutant),
  };
}

export function summarise(solution: GradeResult, rows: MutantRow[], durationMs: number): Calibration {
  const graded = rows.filter((row) => row.status === 'graded');
  const caught = new Set(graded.flatMap((row) => row.caught_by.map((c) => c.id)));
  const passThreshold = solution.pass_threshold;
  return {
    schema: CALIBRATION_SCHEMA,
    rubric: { ...solution.rubric, ...(passThreshold !== undefined ? { pass_threshold: passThreshold } : {}) },
    solution: {
      source: solution.submission.source,
      score: solution.score ?? 0,
      max_score: solution.max_score,
      duration_ms: solution.duration_ms,
    },
    checks: solution.checks.map((check) => ({ id: check.id, name: check.name, kind: check.kind, max_points: check.max_points })),
    mutations: rows,
    untested: solution.checks.filter((check) => check.max_points > 0 && !caught.has(check.id)).map((check) => check.id),
    survivors: graded.filter((row) => row.caught_by.length === 0).map((row) => row.name),
    ...(passThreshold !== undefined ? { passing: graded.filter((row) => row.passed).map((row) => row.name) } : {}),
    duration_ms: durationMs,
  };
}

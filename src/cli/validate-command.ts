/** What `grader validate RUBRIC` calls: the loaded rubric and a one-line summary of it. */
import { basename } from 'node:path';
import { loadRubric, locateRubric } from '../rubric/load.js';
import type { Rubric } from '../rubric/model.js';

export interface RubricValidation {
  rubric: Rubric;
  /** e.g. `web.yml: 12 checks, 100 points, pass 60%`. */
  summary: string;
}

/** Loads and checks a rubric; a broken one throws RubricError with every problem. */
export async function validateRubric(nameOrPath: string): Promise<RubricValidation> {
  const rubric = await loadRubric(nameOrPath);
  return { rubric, summary: summarizeRubric(rubric, basename(locateRubric(nameOrPath).file)) };
}

export function summarizeRubric(rubric: Rubric, label: string): string {
  // Rounded so that 0.1 + 0.2 points print as 0.3.
  const points = Math.round(rubric.checks.reduce((sum, check) => sum + check.points, 0) * 1000) / 1000;
  const parts = [plural(rubric.checks.length, 'check'), plural(points, 'point')];
  if (rubric.pass !== undefined) parts.push(`pass ${rubric.pass}%`);
  return `${label}: ${parts.join(', ')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

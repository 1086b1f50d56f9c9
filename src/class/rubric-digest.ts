/** A rubric's fingerprint: results graded against another rubric (or another version of it) are not reused. */
import { createHash } from 'node:crypto';
import type { Rubric } from '../rubric/model.js';

export function rubricDigest(rubric: Rubric): string {
  // Warnings say how the rubric was read, not what it grades.
  const { warnings: _warnings, ...graded } = rubric;
  return `sha256:${createHash('sha256').update(JSON.stringify(graded)).digest('hex')}`;
}

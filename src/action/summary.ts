/**
 * The job summary: the report, preceded by any warning about what could not be posted.
 * Pure composition here; `writeJobSummary` is the one call that touches the runner.
 */
import * as core from '@actions/core';
import { fence } from '../basics/sanitize.js';

/**
 * GitHub takes at most 1 MiB of summary per step; a UTF-16 code unit is at most
 * 3 bytes of UTF-8, so this many characters always fit.
 */
export const MAX_SUMMARY_LENGTH = 300_000;

export function composeSummary(parts: { warnings: readonly string[]; report?: string; failure?: string }): string {
  const sections: string[] = [];
  for (const warning of parts.warnings) sections.push(`> [!WARNING]\n> ${warning.replace(/\n/g, '\n> ')}\n`);
  if (parts.failure !== undefined) sections.push(`## grader: not graded\n\n${fence(parts.failure)}`);
  if (parts.report !== undefined) sections.push(parts.report);
  return sections.join('\n');
}

export async function writeJobSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown, true).write();
}

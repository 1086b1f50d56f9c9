/**
 * The job summary: the report, preceded by any warning about what could not be posted.
 * Pure composition here; `writeJobSummary` is the one call that touches the runner.
 */
import * as core from '@actions/core';
import { DEFAULT_LOCALE, translator, type Locale } from '../basics/i18n/catalogue.js';
import { fence } from '../basics/sanitize.js';
import { clipUtf8 } from './utf8.js';

/** GitHub takes at most 1 MiB of job summary per step, counted in bytes of UTF-8. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

/**
 * Characters the summary's text is rendered to: a UTF-16 code unit is at most 3 bytes of
 * UTF-8, so this many characters fit MAX_SUMMARY_BYTES in any language, Korean included.
 */
export const MAX_SUMMARY_LENGTH = 300_000;

export function composeSummary(parts: { warnings: readonly string[]; report?: string; failure?: string; locale?: Locale }): string {
  const sections: string[] = [];
  for (const warning of parts.warnings) sections.push(`> [!WARNING]\n> ${warning.replace(/\n/g, '\n> ')}\n`);
  if (parts.failure !== undefined) {
    const notGraded = translator(parts.locale ?? DEFAULT_LOCALE)('report.run.not_graded');
    sections.push(`## grader: ${notGraded}\n\n${fence(parts.failure)}`);
  }
  if (parts.report !== undefined) sections.push(parts.report);
  return sections.join('\n');
}

/** The summary cut to what GitHub takes, by bytes. */
export function fitJobSummary(markdown: string): string {
  return clipUtf8(markdown, MAX_SUMMARY_BYTES);
}

export async function writeJobSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(fitJobSummary(markdown), true).write();
}

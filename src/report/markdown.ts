/**
 * The markdown report the action posts (PR comment, check-run summary, job summary)
 * and the CLI writes with `--markdown`. A pure function of one GradeResult that
 * always fits GitHub's size limits.
 */
import type { Translate } from '../basics/i18n/catalogue.js';
import { isPartial, type CheckResult, type GradeResult } from '../basics/results.js';
import { formatBytes, formatDuration } from '../basics/units.js';
import {
  checkLocations,
  formatEarnedPoints,
  formatLocation,
  formatScore,
  formatVerdict,
  omittedNoteIn,
  reportTranslator,
  shortCommit,
  visibleDetails,
} from './format.js';
import {
  cleanText,
  escapeInline,
  escapeInlineWithCode,
  fence,
  inlineCode,
  neutraliseMarker,
  tail,
  truncateMiddle,
  type OmittedNote,
} from '../basics/sanitize.js';

export interface MarkdownOptions {
  /** Hidden marker written as the first line, by which the action finds its own comment again. */
  marker?: string;
  /** Characters the whole report may take, marker included. */
  maxLength?: number;
  /** When given, the footer says when the report was made. */
  now?: Date;
}

/** Under GitHub's 65,536 (comment) and 65,535 (check-run summary) character limits, with room to spare. */
export const DEFAULT_MAX_LENGTH = 65_000;
/** The English note heading a report that was shortened (each language has its own). */
export const SHORTENED_NOTE = reportTranslator('en')('report.markdown.shortened');

/** Blocks are shortened down to this before any is dropped. */
const BLOCK_FLOOR = 500;
/** Student text shown inline (message, short expected/actual). */
const INLINE_CAP = 1_000;
/** Longer (or multi-line) expected/actual values get a code block of their own. */
const INLINE_CODE_MAX = 200;
const BUILD_LOG_LINES = 60;

const STATUS_ICON: Record<CheckResult['status'], string> = {
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
  error: '⚠️',
};
/** A failed check that still earned some of its points. */
const PARTIAL_ICON = '🟡';

function iconOf(check: CheckResult): string {
  return isPartial(check) ? PARTIAL_ICON : STATUS_ICON[check.status];
}

/** A piece of student text shown in a code block: the part the size budget may shorten or drop. */
interface Block {
  id: string;
  /** Already cleaned, and no longer than the whole report may be. */
  text: string;
  /** Logs keep their end; other output keeps its start and end. */
  keep: 'tail' | 'middle';
}

/** How much of the report to show. */
interface Fit {
  cap: number;
  dropped: ReadonlySet<string>;
  shortened: boolean;
  /** Only the heading, the table and the footer. */
  compact: boolean;
}

export function renderMarkdown(result: GradeResult, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const marker = options.marker;
  const head = marker ? `${marker}\n` : '';
  const tr = reportTranslator(result.locale);
  const blocks = collectBlocks(result, maxLength, omittedNoteIn(tr));
  const render = (fit: Fit): string => {
    const body = renderBody(result, blocks, fit, tr, options.now);
    return marker ? neutraliseMarker(body, marker) : body;
  };
  return head + fitWithin(render, [...blocks.values()], maxLength - head.length, tr);
}

/** One line for logs and check-run titles, e.g. `grader: 72/100 (72%) — passed`. Plain text. */
export function renderSummaryLine(result: GradeResult): string {
  const tr = reportTranslator(result.locale);
  const score = formatScore(result, '/', tr);
  if (score === undefined) {
    const reason = result.reason ? ` — ${oneLine(result.reason, 200, omittedNoteIn(tr))}` : '';
    return `grader: ${tr('report.verdict.ungradable')}${reason}`;
  }
  return `grader: ${score} — ${formatVerdict(result, tr)}`;
}

function oneLine(text: string, maxChars: number, note: OmittedNote): string {
  return truncateMiddle(
    cleanText(text)
      .replace(/\s*\n\s*/g, ' ')
      .trim(),
    maxChars,
    note,
  ).replace(/\n/g, ' ');
}

// ---- fitting the size limit ----

function fitWithin(render: (fit: Fit) => string, blocks: Block[], budget: number, tr: Translate): string {
  const full = render({ cap: Infinity, dropped: new Set(), shortened: false, compact: false });
  if (full.length <= budget) return full;

  const at = (cap: number, dropped: ReadonlySet<string> = new Set()) => render({ cap, dropped, shortened: true, compact: false });
  const longest = Math.max(0, ...blocks.map((b) => b.text.length));
  if (longest > BLOCK_FLOOR && at(BLOCK_FLOOR).length <= budget) {
    // The largest cap that fits: every block longer than it is cut to it, longest first by construction.
    let fits = BLOCK_FLOOR;
    let tooBig = longest;
    while (tooBig - fits > 1) {
      const mid = Math.floor((fits + tooBig) / 2);
      if (at(mid).length <= budget) fits = mid;
      else tooBig = mid;
    }
    return at(fits);
  }

  const dropped = new Set<string>();
  for (const block of [...blocks].sort((a, b) => b.text.length - a.text.length)) {
    dropped.add(block.id);
    const text = at(BLOCK_FLOOR, dropped);
    if (text.length <= budget) return text;
  }

  const compact = render({ cap: BLOCK_FLOOR, dropped, shortened: true, compact: true });
  return compact.length <= budget ? compact : cutAtLine(compact, budget, tr);
}

/** Last resort: the compact report holds no code blocks, so a cut between lines cannot leave one open. */
function cutAtLine(text: string, budget: number, tr: Translate): string {
  const note = `\n\n_${tr('report.markdown.cut')}_\n`;
  if (budget <= note.length) return text.slice(0, Math.max(0, budget));
  const end = text.lastIndexOf('\n', budget - note.length);
  return `${text.slice(0, Math.max(0, end))}${note}`;
}

// ---- the blocks of student text ----

function collectBlocks(result: GradeResult, maxLength: number, note: OmittedNote): Map<string, Block> {
  const blocks = new Map<string, Block>();
  const add = (id: string, raw: string, keep: Block['keep']) => {
    // Cap before cleaning so a huge output costs little; cleaning can lengthen text, so cap again.
    const cleaned = cleanText(shorten(raw, keep, maxLength, note));
    blocks.set(id, { id, text: shorten(cleaned, keep, maxLength, note), keep });
  };
  result.checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    const { expected, actual, output } = visibleDetails(check);
    if (expected !== undefined && !fitsInline(expected)) add(`expected:${i}`, expected, 'middle');
    if (actual !== undefined && !fitsInline(actual)) add(`actual:${i}`, actual, 'middle');
    if (output !== undefined && output !== '') add(`output:${i}`, output, 'middle');
  });
  const log = result.build && !result.build.ok ? result.build.log_tail : undefined;
  if (log) add('build-log', tail(log, BUILD_LOG_LINES, maxLength, note), 'tail');
  return blocks;
}

function shorten(text: string, keep: Block['keep'], maxChars: number, note: OmittedNote): string {
  if (text.length <= maxChars) return text;
  return keep === 'tail' ? tail(text, Number.MAX_SAFE_INTEGER, maxChars, note) : truncateMiddle(text, maxChars, note);
}

function fitsInline(value: string): boolean {
  return value.length <= INLINE_CODE_MAX && !/[\r\n]/.test(value);
}

function needsFixing(check: CheckResult): boolean {
  return (check.status === 'failed' || check.status === 'error') && !check.hidden;
}

// ---- the report ----

function renderBody(result: GradeResult, blocks: Map<string, Block>, fit: Fit, tr: Translate, now?: Date): string {
  const blockText = (id: string): string | undefined => {
    const block = blocks.get(id);
    if (!block || fit.dropped.has(id)) return undefined;
    return shorten(block.text, block.keep, fit.cap, omittedNoteIn(tr));
  };
  const parts: string[] = [...heading(result, tr)];
  if (fit.shortened) parts.push(`> ⚠️ ${tr('report.markdown.shortened')}`);
  parts.push(submissionLine(result, tr));
  for (const note of result.notes ?? []) parts.push(`> ℹ️ ${escapeInlineWithCode(truncateMiddle(note, INLINE_CAP, omittedNoteIn(tr)))}`);
  if (result.checks.length > 0) parts.push(checkTable(result.checks, tr));
  if (result.checks.some((c) => c.hidden)) parts.push(`🔒 ${tr('report.markdown.hidden_note')}`);
  if (fit.compact) {
    parts.push(`_${tr('report.markdown.compact')}_`);
  } else {
    parts.push(...buildFailure(result, blockText, tr));
    parts.push(...whatToFix(result.checks, blocks, blockText, tr));
    parts.push(...skippedList(result.checks, tr));
  }
  parts.push('---', footer(result, tr, now));
  return `${parts.join('\n\n')}\n`;
}

function heading(result: GradeResult, tr: Translate): string[] {
  const title = escapeInline(result.rubric.title);
  const score = formatScore(result, ' / ', tr);
  if (score === undefined) {
    const reason = result.reason
      ? escapeInline(truncateMiddle(result.reason, INLINE_CAP, omittedNoteIn(tr)))
      : tr('report.ungradable.no_reason');
    return [
      `## ${title} — ⚠️ ${tr('report.verdict.ungradable')}`,
      `**${tr('report.markdown.ungradable_lead')}** ${reason}\n\n${tr('report.markdown.ungradable_advice')}`,
    ];
  }
  const verdict = formatVerdict(result, tr);
  return [`## ${title} — ${score}`, `${result.passed ? '✅' : '❌'} ${verdict[0]!.toUpperCase()}${verdict.slice(1)}`];
}

function submissionLine(result: GradeResult, tr: Translate): string {
  const { source, commit, ref } = result.submission;
  const at = commit ? ` ${tr('report.markdown.at_commit', { commit: inlineCode(shortCommit(commit)) })}` : '';
  const onRef = ref ? ` (${escapeInline(ref)})` : '';
  return `**${tr('report.markdown.submission')}** ${escapeInline(source)}${onRef}${at}`;
}

function checkTable(checks: CheckResult[], tr: Translate): string {
  const rows = checks.map((check) => {
    const lock = check.hidden ? ' 🔒' : '';
    return `| ${iconOf(check)} | ${escapeInline(check.name)}${lock} | ${formatEarnedPoints(check, tr)} |`;
  });
  const header = `| | ${tr('report.markdown.table_check')} | ${tr('report.markdown.table_points')} |`;
  return [header, '| :-: | :-- | --: |', ...rows].join('\n');
}

function buildFailure(result: GradeResult, blockText: (id: string) => string | undefined, tr: Translate): string[] {
  const build = result.build;
  if (!build || build.ok) return [];
  const parts = [`### ❌ ${tr('report.build.failed')}`];
  if (build.failing_step) {
    parts.push(`**${tr('report.build.failing_step')}** ${inlineCode(truncateMiddle(build.failing_step, INLINE_CAP, omittedNoteIn(tr)))}`);
  }
  if (build.log_tail) parts.push(codeOrOmitted(blockText('build-log'), tr('report.build.log_end'), tr));
  return parts;
}

function whatToFix(
  checks: CheckResult[],
  blocks: Map<string, Block>,
  blockText: (id: string) => string | undefined,
  tr: Translate,
): string[] {
  const expectedLabel = `**${tr('report.field.expected')}**`;
  const actualLabel = `**${tr('report.field.actual')}**`;
  const parts: string[] = [];
  checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    parts.push(`#### ${iconOf(check)} ${escapeInline(check.name)} · ${formatEarnedPoints(check, tr)}`);
    if (check.message) parts.push(escapeInlineWithCode(truncateMiddle(check.message, INLINE_CAP, omittedNoteIn(tr))));
    if (check.status === 'error') parts.push(`_${tr('report.check.error')}_`);
    if (check.feedback) parts.push(`💡 ${escapeInlineWithCode(check.feedback)}`);

    const { expected, actual, output } = visibleDetails(check);
    const facts: string[] = [];
    if (expected !== undefined && !blocks.has(`expected:${i}`)) facts.push(`- ${expectedLabel} ${inlineCode(expected)}`);
    if (actual !== undefined && !blocks.has(`actual:${i}`)) facts.push(`- ${actualLabel} ${inlineCode(actual)}`);
    const where = checkLocations(check).map((l) => escapeInline(formatLocation(l)));
    if (where.length > 0) facts.push(`- **${tr('report.field.where')}** ${where.join(', ')}`);
    if (facts.length > 0) parts.push(facts.join('\n'));

    if (blocks.has(`expected:${i}`)) parts.push(codeOrOmitted(blockText(`expected:${i}`), expectedLabel, tr));
    if (blocks.has(`actual:${i}`)) parts.push(codeOrOmitted(blockText(`actual:${i}`), actualLabel, tr));
    if (output !== undefined && blocks.has(`output:${i}`)) {
      parts.push(details(tr('report.markdown.output'), blockText(`output:${i}`), tr));
    }
  });
  return parts.length > 0 ? [`### ${tr('report.markdown.what_to_fix')}`, ...parts] : [];
}

function skippedList(checks: CheckResult[], tr: Translate): string[] {
  const skipped = checks.filter((c) => c.status === 'skipped' && !c.hidden);
  if (skipped.length === 0) return [];
  const items = skipped.map((check) => {
    const message = withoutSkippedPrefix(check.message, tr);
    const reason = message ? ` — ${escapeInline(truncateMiddle(message, INLINE_CAP, omittedNoteIn(tr)))}` : '';
    return `- ${STATUS_ICON.skipped} ${escapeInline(check.name)}${reason}`;
  });
  return [`### ${tr('report.markdown.skipped')}`, items.join('\n')];
}

/** The core words its reasons `skipped: …` (in either language); under a "Skipped" heading that is said already. */
function withoutSkippedPrefix(message: string, tr: Translate): string {
  const own = tr('report.check.skipped_prefix');
  if (message.toLowerCase().startsWith(own.toLowerCase())) return message.slice(own.length).trimStart();
  return message.replace(/^skipped:\s*/i, '');
}

function omitted(tr: Translate): string {
  return `_${tr('report.markdown.left_out')}_`;
}

function codeOrOmitted(text: string | undefined, label: string, tr: Translate): string {
  return text === undefined ? `${label} ${omitted(tr)}` : `${label}\n\n${fence(text, 'text').trimEnd()}`;
}

function details(summary: string, text: string | undefined, tr: Translate): string {
  if (text === undefined) return `${summary}: ${omitted(tr)}`;
  return `<details><summary>${summary}</summary>\n\n${fence(text, 'text').trimEnd()}\n\n</details>`;
}

function footer(result: GradeResult, tr: Translate, now?: Date): string {
  const bits = [tr('report.footer.graded_in', { duration: formatDuration(result.duration_ms, tr.locale) })];
  if (result.build?.ok) {
    bits.push(tr('report.footer.built_in', { duration: formatDuration(result.build.duration_ms, tr.locale) }));
    if (result.build.image_size !== undefined) bits.push(tr('report.image_size', { size: formatBytes(result.build.image_size) }));
  }
  bits.push(tr('report.footer.rubric', { source: escapeInline(result.rubric.source) }));
  if (now) bits.push(`${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  return `<sub>${bits.join(' · ')}</sub>`;
}

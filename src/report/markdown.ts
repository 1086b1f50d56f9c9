/**
 * The markdown report the action posts (PR comment, check-run summary, job summary)
 * and the CLI writes with `--markdown`. A pure function of one GradeResult that
 * always fits GitHub's size limits.
 */
import type { CheckResult, GradeResult } from '../basics/results.js';
import { formatBytes, formatDuration } from '../basics/units.js';
import { checkLocations, formatLocation, formatPoints, formatScore, formatVerdict, shortCommit, visibleDetails } from './format.js';
import {
  cleanText,
  escapeInline,
  escapeInlineWithCode,
  fence,
  inlineCode,
  neutraliseMarker,
  tail,
  truncateMiddle,
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
export const SHORTENED_NOTE = "Some output was shortened to fit GitHub's size limit.";

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
  const blocks = collectBlocks(result, maxLength);
  const render = (fit: Fit): string => {
    const body = renderBody(result, blocks, fit, options.now);
    return marker ? neutraliseMarker(body, marker) : body;
  };
  return head + fitWithin(render, [...blocks.values()], maxLength - head.length);
}

/** One line for logs and check-run titles, e.g. `grader: 72/100 (72%) — passed`. Plain text. */
export function renderSummaryLine(result: GradeResult): string {
  const score = formatScore(result, '/');
  if (score === undefined) {
    const reason = result.reason ? ` — ${oneLine(result.reason, 200)}` : '';
    return `grader: ungradable${reason}`;
  }
  return `grader: ${score} — ${formatVerdict(result)}`;
}

function oneLine(text: string, maxChars: number): string {
  return truncateMiddle(
    cleanText(text)
      .replace(/\s*\n\s*/g, ' ')
      .trim(),
    maxChars,
  ).replace(/\n/g, ' ');
}

// ---- fitting the size limit ----

function fitWithin(render: (fit: Fit) => string, blocks: Block[], budget: number): string {
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
  return compact.length <= budget ? compact : cutAtLine(compact, budget);
}

/** Last resort: the compact report holds no code blocks, so a cut between lines cannot leave one open. */
function cutAtLine(text: string, budget: number): string {
  const note = "\n\n_… the rest of the report did not fit GitHub's size limit._\n";
  if (budget <= note.length) return text.slice(0, Math.max(0, budget));
  const end = text.lastIndexOf('\n', budget - note.length);
  return `${text.slice(0, Math.max(0, end))}${note}`;
}

// ---- the blocks of student text ----

function collectBlocks(result: GradeResult, maxLength: number): Map<string, Block> {
  const blocks = new Map<string, Block>();
  const add = (id: string, raw: string, keep: Block['keep']) => {
    // Cap before cleaning so a huge output costs little; cleaning can lengthen text, so cap again.
    const cleaned = cleanText(shorten(raw, keep, maxLength));
    blocks.set(id, { id, text: shorten(cleaned, keep, maxLength), keep });
  };
  result.checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    const { expected, actual, output } = visibleDetails(check);
    if (expected !== undefined && !fitsInline(expected)) add(`expected:${i}`, expected, 'middle');
    if (actual !== undefined && !fitsInline(actual)) add(`actual:${i}`, actual, 'middle');
    if (output !== undefined && output !== '') add(`output:${i}`, output, 'middle');
  });
  const log = result.build && !result.build.ok ? result.build.log_tail : undefined;
  if (log) add('build-log', tail(log, BUILD_LOG_LINES, maxLength), 'tail');
  return blocks;
}

function shorten(text: string, keep: Block['keep'], maxChars: number): string {
  if (text.length <= maxChars) return text;
  return keep === 'tail' ? tail(text, Number.MAX_SAFE_INTEGER, maxChars) : truncateMiddle(text, maxChars);
}

function fitsInline(value: string): boolean {
  return value.length <= INLINE_CODE_MAX && !/[\r\n]/.test(value);
}

function needsFixing(check: CheckResult): boolean {
  return (check.status === 'failed' || check.status === 'error') && !check.hidden;
}

// ---- the report ----

function renderBody(result: GradeResult, blocks: Map<string, Block>, fit: Fit, now?: Date): string {
  const blockText = (id: string): string | undefined => {
    const block = blocks.get(id);
    if (!block || fit.dropped.has(id)) return undefined;
    return shorten(block.text, block.keep, fit.cap);
  };
  const parts: string[] = [...heading(result)];
  if (fit.shortened) parts.push(`> ⚠️ ${SHORTENED_NOTE}`);
  parts.push(submissionLine(result));
  if (result.checks.length > 0) parts.push(checkTable(result.checks));
  if (result.checks.some((c) => c.hidden)) parts.push('🔒 Hidden checks show only their result.');
  if (fit.compact) {
    parts.push("_Details were left out to fit GitHub's size limit; the job log has the full report._");
  } else {
    parts.push(...buildFailure(result, blockText));
    parts.push(...whatToFix(result.checks, blocks, blockText));
    parts.push(...skippedList(result.checks));
  }
  parts.push('---', footer(result, now));
  return `${parts.join('\n\n')}\n`;
}

function heading(result: GradeResult): string[] {
  const title = escapeInline(result.rubric.title);
  const score = formatScore(result);
  if (score === undefined) {
    const reason = result.reason ? escapeInline(truncateMiddle(result.reason, INLINE_CAP)) : 'no reason was given';
    return [
      `## ${title} — ⚠️ ungradable`,
      `**This submission could not be graded:** ${reason}\n\nNo score was given (this is not a zero). Try again later, or ask your instructor.`,
    ];
  }
  const verdict = formatVerdict(result);
  return [`## ${title} — ${score}`, `${result.passed ? '✅' : '❌'} ${verdict[0]!.toUpperCase()}${verdict.slice(1)}`];
}

function submissionLine(result: GradeResult): string {
  const { source, commit, ref } = result.submission;
  const at = commit ? ` at ${inlineCode(shortCommit(commit))}` : '';
  const onRef = ref ? ` (${escapeInline(ref)})` : '';
  return `**Submission:** ${escapeInline(source)}${onRef}${at}`;
}

function checkTable(checks: CheckResult[]): string {
  const rows = checks.map((check) => {
    const lock = check.hidden ? ' 🔒' : '';
    return `| ${STATUS_ICON[check.status]} | ${escapeInline(check.name)}${lock} | ${formatPoints(check)} |`;
  });
  return ['| | Check | Points |', '| :-: | :-- | --: |', ...rows].join('\n');
}

function buildFailure(result: GradeResult, blockText: (id: string) => string | undefined): string[] {
  const build = result.build;
  if (!build || build.ok) return [];
  const parts = ['### ❌ The image did not build'];
  if (build.failing_step) parts.push(`**Failing step:** ${inlineCode(truncateMiddle(build.failing_step, INLINE_CAP))}`);
  if (build.log_tail) parts.push(codeOrOmitted(blockText('build-log'), 'The end of the build log'));
  return parts;
}

function whatToFix(checks: CheckResult[], blocks: Map<string, Block>, blockText: (id: string) => string | undefined): string[] {
  const parts: string[] = [];
  checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    parts.push(`#### ${STATUS_ICON[check.status]} ${escapeInline(check.name)} · ${formatPoints(check)}`);
    if (check.message) parts.push(escapeInlineWithCode(truncateMiddle(check.message, INLINE_CAP)));
    if (check.status === 'error') parts.push('_The grader could not run this check; this is not a fault in your submission._');
    if (check.feedback) parts.push(`💡 ${escapeInlineWithCode(check.feedback)}`);

    const { expected, actual, output } = visibleDetails(check);
    const facts: string[] = [];
    if (expected !== undefined && !blocks.has(`expected:${i}`)) facts.push(`- **Expected:** ${inlineCode(expected)}`);
    if (actual !== undefined && !blocks.has(`actual:${i}`)) facts.push(`- **Actual:** ${inlineCode(actual)}`);
    const where = checkLocations(check).map((l) => escapeInline(formatLocation(l)));
    if (where.length > 0) facts.push(`- **Where:** ${where.join(', ')}`);
    if (facts.length > 0) parts.push(facts.join('\n'));

    if (blocks.has(`expected:${i}`)) parts.push(codeOrOmitted(blockText(`expected:${i}`), '**Expected:**'));
    if (blocks.has(`actual:${i}`)) parts.push(codeOrOmitted(blockText(`actual:${i}`), '**Actual:**'));
    if (output !== undefined && blocks.has(`output:${i}`)) parts.push(details('Output', blockText(`output:${i}`)));
  });
  return parts.length > 0 ? ['### What to fix', ...parts] : [];
}

function skippedList(checks: CheckResult[]): string[] {
  const skipped = checks.filter((c) => c.status === 'skipped' && !c.hidden);
  if (skipped.length === 0) return [];
  const items = skipped.map((check) => {
    const message = withoutSkippedPrefix(check.message);
    const reason = message ? ` — ${escapeInline(truncateMiddle(message, INLINE_CAP))}` : '';
    return `- ${STATUS_ICON.skipped} ${escapeInline(check.name)}${reason}`;
  });
  return ['### Skipped', items.join('\n')];
}

/** The core words its reasons `skipped: …`; under a "Skipped" heading that is said already. */
function withoutSkippedPrefix(message: string): string {
  return message.replace(/^skipped:\s*/i, '');
}

const OMITTED = "_(left out to fit GitHub's size limit)_";

function codeOrOmitted(text: string | undefined, label: string): string {
  return text === undefined ? `${label} ${OMITTED}` : `${label}\n\n${fence(text, 'text').trimEnd()}`;
}

function details(summary: string, text: string | undefined): string {
  if (text === undefined) return `${summary}: ${OMITTED}`;
  return `<details><summary>${summary}</summary>\n\n${fence(text, 'text').trimEnd()}\n\n</details>`;
}

function footer(result: GradeResult, now?: Date): string {
  const bits = [`Graded in ${formatDuration(result.duration_ms)}`];
  if (result.build?.ok) {
    bits.push(`built in ${formatDuration(result.build.duration_ms)}`);
    if (result.build.image_size !== undefined) bits.push(`image ${formatBytes(result.build.image_size)}`);
  }
  bits.push(`rubric: ${escapeInline(result.rubric.source)}`);
  if (now) bits.push(`${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  return `<sub>${bits.join(' · ')}</sub>`;
}

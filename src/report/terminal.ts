/**
 * The compact report the CLI prints. Only ASCII is ever padded (the status symbol
 * and the points), so names in Korean or any other wide script never skew a column.
 * Every line of student text after its first sits behind a gutter (`│ `), so no
 * output can draw a line that reads as the grader's own, such as a fake score.
 */
import type { Translate } from '../basics/i18n/catalogue.js';
import { isPartial, type CheckResult, type GradeResult } from '../basics/results.js';
import { formatBytes, formatDuration } from '../basics/units.js';
import {
  checkLocations,
  formatLocation,
  formatPoints,
  formatScore,
  formatVerdict,
  omittedNoteIn,
  reportTranslator,
  shortCommit,
  visibleDetails,
} from './format.js';
import { cleanText, head, tail, truncateMiddle, type OmittedNote } from '../basics/sanitize.js';

export interface TerminalOptions {
  /** ANSI colours; the CLI passes `process.stdout.isTTY && !NO_COLOR`. */
  color: boolean;
}

const OUTPUT_LINES = 20;
const OUTPUT_CHARS = 2_000;
const TEXT_CHARS = 1_000;
const GUTTER = '│ ';

const SYMBOL: Record<CheckResult['status'], string> = { passed: '✔', failed: '✘', skipped: '○', error: '!' };
const STATUS_COLOR: Record<CheckResult['status'], keyof typeof SGR> = {
  passed: 'green',
  failed: 'red',
  skipped: 'dim',
  error: 'yellow',
};
/** A failed check that still earned some of its points. */
const PARTIAL_SYMBOL = '◐';
const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;

type Paint = (style: keyof typeof SGR, text: string) => string;

/** How this report is written: its colours, its language, and its note where text was cut. */
interface Writer {
  paint: Paint;
  tr: Translate;
  note: OmittedNote;
  /** `expected: ` and `actual:   `: the labels padded to one width, so that their values line up. */
  labels: { expected: string; actual: string };
}

export function renderTerminal(result: GradeResult, options: TerminalOptions): string {
  const paint: Paint = options.color ? (style, text) => `\x1b[${SGR[style]}m${text}\x1b[0m` : (_style, text) => text;
  const tr = reportTranslator(result.locale);
  const w: Writer = { paint, tr, note: omittedNoteIn(tr), labels: detailLabels(tr) };
  const lines: string[] = [paint('bold', plain(result.rubric.title, w)), submissionLine(result, w)];
  for (const note of result.notes ?? []) lines.push(paint('yellow', `ℹ ${oneLine(note, w)}`));
  lines.push('');

  // Every row's points end alike (`5/5`, or `5/5점` in Korean), so padding by length keeps them aligned.
  const pointsWidth = Math.max(0, ...result.checks.map((c) => formatPoints(c, tr).length));
  const pointsColumns = Math.max(0, ...result.checks.map((c) => displayWidth(formatPoints(c, tr).padStart(pointsWidth))));
  const indent = ' '.repeat(1 + 2 + pointsColumns + 2);
  for (const check of result.checks) {
    const partial = isPartial(check);
    const symbol = partial ? paint('yellow', PARTIAL_SYMBOL) : paint(STATUS_COLOR[check.status], SYMBOL[check.status]);
    const partialMark = partial ? paint('yellow', ` ${tr('report.check.partial')}`) : '';
    const hidden = check.hidden ? paint('dim', ` ${tr('report.terminal.hidden')}`) : '';
    lines.push(`${symbol}  ${formatPoints(check, tr).padStart(pointsWidth)}  ${oneLine(check.name, w)}${partialMark}${hidden}`);
    lines.push(...checkDetails(check, w).map((line) => (line === '' ? '' : indent + line)));
  }

  lines.push(...buildFailure(result, w));
  if (result.checks.length > 0) lines.push('');
  lines.push(totalLine(result, w));
  return `${lines.join('\n')}\n`;
}

/** Student or instructor text on one or more lines, escape sequences and controls made harmless. */
function plain(text: string, w: Writer, maxChars = TEXT_CHARS): string {
  // Cap before cleaning so huge text costs little; cleaning can lengthen it, so cap again.
  return truncateMiddle(cleanText(truncateMiddle(text, maxChars * 4, w.note)), maxChars, w.note);
}

/** `plain`, on a single line. */
function oneLine(text: string, w: Writer): string {
  return plain(text, w).replace(/\n/g, ' ');
}

function submissionLine(result: GradeResult, w: Writer): string {
  const { source, commit, ref } = result.submission;
  const onRef = ref ? ` (${oneLine(ref, w)})` : '';
  const at = commit ? ` @ ${oneLine(shortCommit(commit), w)}` : '';
  return `${oneLine(source, w)}${onRef}${at}`;
}

function detailLabels(tr: Translate): Writer['labels'] {
  const expected = tr('report.terminal.expected');
  const actual = tr('report.terminal.actual');
  const width = Math.max(displayWidth(expected), displayWidth(actual)) + 1;
  const pad = (label: string) => label + ' '.repeat(width - displayWidth(label));
  return { expected: pad(expected), actual: pad(actual) };
}

/** Columns a terminal gives `text`: two for each wide (Hangul, CJK, fullwidth) character. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** A skip reason behind the language's `skipped:`, said once even when the reason already says it. */
function skippedReason(text: string, tr: Translate): string {
  const prefix = tr('report.check.skipped_prefix');
  if (text.toLowerCase().startsWith(prefix.toLowerCase())) return text;
  const english = /^skipped:\s*/i;
  return `${prefix} ${english.test(text) ? text.replace(english, '') : text}`;
}

function checkDetails(check: CheckResult, w: Writer): string[] {
  const { paint, tr, labels } = w;
  if (check.status === 'passed') return [];
  if (check.hidden) return check.status === 'error' ? message(check.message, w) : [];
  if (check.status === 'skipped') {
    const [first = '', ...rest] = message(skippedReason(check.message, tr), w);
    return [paint('dim', first), ...rest];
  }

  const out: string[] = [];
  if (check.message) out.push(...message(check.message, w));
  if (check.feedback) out.push(...lined(`${tr('report.terminal.hint')} ${check.feedback}`, w).map((l) => paint('yellow', l)));
  const { expected, actual, output } = visibleDetails(check);
  if (expected !== undefined) out.push(...labelled(labels.expected, expected, w));
  if (actual !== undefined) out.push(...labelled(labels.actual, actual, w));
  const where = checkLocations(check).map((l) => oneLine(formatLocation(l), w));
  if (where.length > 0) out.push(tr('report.terminal.at', { where: where.join(', ') }));
  if (output) out.push(...excerpt(head(plain(output, w, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS, w.note).split('\n'), w));
  return out;
}

function lined(text: string, w: Writer): string[] {
  return plain(text, w).split('\n');
}

/**
 * A message is the grader's sentence on one line; any further line is text it quotes
 * (a student's output, an engine's error), so it goes behind the gutter.
 */
function message(text: string, w: Writer): string[] {
  const [first = '', ...rest] = lined(text, w);
  return [first, ...excerpt(rest, w)];
}

/**
 * `label value`; a value on several lines has every line behind the gutter. That is
 * needed for the student's `actual`, and keeps `expected` aligned with it.
 */
function labelled(label: string, value: string, w: Writer): string[] {
  const lines = lined(value, w);
  const shown = lines.length > 1 ? excerpt(lines, w) : lines;
  const [first = '', ...rest] = shown;
  return [label + first, ...rest.map((line) => ' '.repeat(displayWidth(label)) + line)];
}

function excerpt(lines: string[], w: Writer): string[] {
  return lines.map((line) => w.paint('dim', `${GUTTER}${line}`));
}

function buildFailure(result: GradeResult, w: Writer): string[] {
  const build = result.build;
  if (!build || build.ok) return [];
  const step = build.failing_step ? `: ${oneLine(build.failing_step, w)}` : '';
  const lines = ['', `${w.paint('red', '✘')} ${w.tr('report.build.failed')}${step}`];
  if (build.log_tail) {
    const log = tail(plain(build.log_tail, w, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS, w.note);
    lines.push(...excerpt(log.split('\n'), w).map((line) => `  ${line}`));
  }
  return lines;
}

function totalLine(result: GradeResult, w: Writer): string {
  const { paint, tr } = w;
  const took = tr('report.terminal.took', { duration: formatDuration(result.duration_ms, tr.locale) });
  const size =
    result.build?.ok && result.build.image_size !== undefined
      ? `, ${tr('report.image_size', { size: formatBytes(result.build.image_size) })}`
      : '';
  const score = formatScore(result, '/', tr);
  if (score === undefined) {
    const reason = result.reason ? `: ${oneLine(result.reason, w)}` : '';
    return `${paint('yellow', `! ${tr('report.verdict.ungradable')}${reason}`)} — ${tr('report.terminal.no_score')} (${took})`;
  }
  const verdict = paint(result.passed ? 'green' : 'red', formatVerdict(result, tr));
  return `${paint('bold', tr('report.terminal.score', { score }))} — ${verdict} (${took}${size})`;
}

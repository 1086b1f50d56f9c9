/**
 * The compact report the CLI prints. Only ASCII is ever padded (the status symbol
 * and the points), so names in Korean or any other wide script never skew a column.
 * Every line of student text after its first sits behind a gutter (`│ `), so no
 * output can draw a line that reads as the grader's own, such as a fake score.
 */
import type { CheckResult, GradeResult } from '../basics/results.js';
import { formatBytes, formatDuration } from '../basics/units.js';
import { checkLocations, formatLocation, formatPoints, formatScore, formatVerdict, shortCommit, visibleDetails } from './format.js';
import { cleanText, head, tail, truncateMiddle } from '../basics/sanitize.js';

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
const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;

type Paint = (style: keyof typeof SGR, text: string) => string;

export function renderTerminal(result: GradeResult, options: TerminalOptions): string {
  const paint: Paint = options.color ? (style, text) => `\x1b[${SGR[style]}m${text}\x1b[0m` : (_style, text) => text;
  const lines: string[] = [paint('bold', plain(result.rubric.title)), submissionLine(result), ''];

  const pointsWidth = Math.max(0, ...result.checks.map((c) => formatPoints(c).length));
  const indent = ' '.repeat(1 + 2 + pointsWidth + 2);
  for (const check of result.checks) {
    const symbol = paint(STATUS_COLOR[check.status], SYMBOL[check.status]);
    const hidden = check.hidden ? paint('dim', ' (hidden)') : '';
    lines.push(`${symbol}  ${formatPoints(check).padStart(pointsWidth)}  ${oneLine(check.name)}${hidden}`);
    lines.push(...checkDetails(check, paint).map((line) => (line === '' ? '' : indent + line)));
  }

  lines.push(...buildFailure(result, paint));
  if (result.checks.length > 0) lines.push('');
  lines.push(totalLine(result, paint));
  return `${lines.join('\n')}\n`;
}

/** Student or instructor text on one or more lines, escape sequences and controls made harmless. */
function plain(text: string, maxChars = TEXT_CHARS): string {
  // Cap before cleaning so huge text costs little; cleaning can lengthen it, so cap again.
  return truncateMiddle(cleanText(truncateMiddle(text, maxChars * 4)), maxChars);
}

/** `plain`, on a single line. */
function oneLine(text: string): string {
  return plain(text).replace(/\n/g, ' ');
}

function submissionLine(result: GradeResult): string {
  const { source, commit, ref } = result.submission;
  const onRef = ref ? ` (${oneLine(ref)})` : '';
  const at = commit ? ` @ ${oneLine(shortCommit(commit))}` : '';
  return `${oneLine(source)}${onRef}${at}`;
}

function checkDetails(check: CheckResult, paint: Paint): string[] {
  if (check.status === 'passed') return [];
  if (check.hidden) return check.status === 'error' ? message(check.message, paint) : [];
  if (check.status === 'skipped') {
    const reason = /^skipped:/i.test(check.message) ? check.message : `skipped: ${check.message}`;
    const [first = '', ...rest] = message(reason, paint);
    return [paint('dim', first), ...rest];
  }

  const out: string[] = [];
  if (check.message) out.push(...message(check.message, paint));
  if (check.feedback) out.push(...lined(`hint: ${check.feedback}`).map((l) => paint('yellow', l)));
  const { expected, actual, output } = visibleDetails(check);
  if (expected !== undefined) out.push(...labelled('expected: ', expected, paint));
  if (actual !== undefined) out.push(...labelled('actual:   ', actual, paint));
  const where = checkLocations(check).map((l) => oneLine(formatLocation(l)));
  if (where.length > 0) out.push(`at ${where.join(', ')}`);
  if (output) out.push(...excerpt(head(plain(output, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS).split('\n'), paint));
  return out;
}

function lined(text: string): string[] {
  return plain(text).split('\n');
}

/**
 * A message is the grader's sentence on one line; any further line is text it quotes
 * (a student's output, an engine's error), so it goes behind the gutter.
 */
function message(text: string, paint: Paint): string[] {
  const [first = '', ...rest] = lined(text);
  return [first, ...excerpt(rest, paint)];
}

/**
 * `label value`; a value on several lines has every line behind the gutter. That is
 * needed for the student's `actual`, and keeps `expected` aligned with it.
 */
function labelled(label: string, value: string, paint: Paint): string[] {
  const lines = lined(value);
  const shown = lines.length > 1 ? excerpt(lines, paint) : lines;
  const [first = '', ...rest] = shown;
  return [label + first, ...rest.map((line) => ' '.repeat(label.length) + line)];
}

function excerpt(lines: string[], paint: Paint): string[] {
  return lines.map((line) => paint('dim', `${GUTTER}${line}`));
}

function buildFailure(result: GradeResult, paint: Paint): string[] {
  const build = result.build;
  if (!build || build.ok) return [];
  const step = build.failing_step ? `: ${oneLine(build.failing_step)}` : '';
  const lines = ['', `${paint('red', '✘')} The image did not build${step}`];
  if (build.log_tail) {
    const log = tail(plain(build.log_tail, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS);
    lines.push(...excerpt(log.split('\n'), paint).map((line) => `  ${line}`));
  }
  return lines;
}

function totalLine(result: GradeResult, paint: Paint): string {
  const took = `took ${formatDuration(result.duration_ms)}`;
  const size = result.build?.ok && result.build.image_size !== undefined ? `, image ${formatBytes(result.build.image_size)}` : '';
  const score = formatScore(result, '/');
  if (score === undefined) {
    const reason = result.reason ? `: ${oneLine(result.reason)}` : '';
    return `${paint('yellow', `! ungradable${reason}`)} — no score was given (${took})`;
  }
  const verdict = paint(result.passed ? 'green' : 'red', formatVerdict(result));
  return `${paint('bold', `Score ${score}`)} — ${verdict} (${took}${size})`;
}

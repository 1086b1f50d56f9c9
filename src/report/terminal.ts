/**
 * The compact report the CLI prints. Only ASCII is ever padded (the status symbol
 * and the points), so names in Korean or any other wide script never skew a column.
 */
import type { CheckResult, GradeResult } from '../core/results.js';
import { formatBytes, formatDuration } from '../core/units.js';
import {
  checkLocations,
  formatLocation,
  formatPoints,
  formatScore,
  formatVerdict,
  shortCommit,
  visibleDetails,
} from './format.js';
import { cleanText, head, tail, truncateMiddle } from './sanitize.js';

export interface TerminalOptions {
  /** ANSI colours; the CLI passes `process.stdout.isTTY && !NO_COLOR`. */
  color: boolean;
}

const OUTPUT_LINES = 20;
const OUTPUT_CHARS = 2_000;
const TEXT_CHARS = 1_000;

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
    lines.push(`${symbol}  ${formatPoints(check).padStart(pointsWidth)}  ${plain(check.name)}${hidden}`);
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

function submissionLine(result: GradeResult): string {
  const { source, commit, ref } = result.submission;
  const onRef = ref ? ` (${plain(ref)})` : '';
  const at = commit ? ` @ ${plain(shortCommit(commit))}` : '';
  return `${plain(source)}${onRef}${at}`;
}

function checkDetails(check: CheckResult, paint: Paint): string[] {
  if (check.status === 'passed') return [];
  if (check.hidden) return check.status === 'error' ? lined(check.message) : [];
  if (check.status === 'skipped') {
    const reason = /^skipped:/i.test(check.message) ? check.message : `skipped: ${check.message}`;
    return lined(reason).map((l) => paint('dim', l));
  }

  const out: string[] = [];
  if (check.message) out.push(...lined(check.message));
  if (check.feedback) out.push(...lined(`hint: ${check.feedback}`).map((l) => paint('yellow', l)));
  const { expected, actual, output } = visibleDetails(check);
  if (expected !== undefined) out.push(...labelled('expected: ', expected));
  if (actual !== undefined) out.push(...labelled('actual:   ', actual));
  const where = checkLocations(check).map((l) => plain(formatLocation(l)));
  if (where.length > 0) out.push(`at ${where.join(', ')}`);
  if (output) out.push(...excerpt(head(plain(output, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS), paint));
  return out;
}

function lined(text: string): string[] {
  return plain(text).split('\n');
}

function labelled(label: string, value: string): string[] {
  const [first = '', ...rest] = lined(value);
  return [label + first, ...rest.map((line) => ' '.repeat(label.length) + line)];
}

function excerpt(text: string, paint: Paint): string[] {
  return text.split('\n').map((line) => paint('dim', `│ ${line}`));
}

function buildFailure(result: GradeResult, paint: Paint): string[] {
  const build = result.build;
  if (!build || build.ok) return [];
  const step = build.failing_step ? `: ${plain(build.failing_step).replace(/\n/g, ' ')}` : '';
  const lines = ['', `${paint('red', '✘')} The image did not build${step}`];
  if (build.log_tail) {
    const log = tail(plain(build.log_tail, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS);
    lines.push(...excerpt(log, paint).map((line) => `  ${line}`));
  }
  return lines;
}

function totalLine(result: GradeResult, paint: Paint): string {
  const took = `took ${formatDuration(result.duration_ms)}`;
  const size = result.build?.ok && result.build.image_size !== undefined ? `, image ${formatBytes(result.build.image_size)}` : '';
  const score = formatScore(result, '/');
  if (score === undefined) {
    const reason = result.reason ? `: ${plain(result.reason).replace(/\n/g, ' ')}` : '';
    return `${paint('yellow', `! ungradable${reason}`)} — no score was given (${took})`;
  }
  const verdict = paint(result.passed ? 'green' : 'red', formatVerdict(result));
  return `${paint('bold', `Score ${score}`)} — ${verdict} (${took}${size})`;
}

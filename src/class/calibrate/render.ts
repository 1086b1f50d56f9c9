/**
 * A calibration for the instructor: the matrix of mutations × checks as plain text (terminal)
 * and as markdown, then what it means for the rubric. Checks are numbered in rubric order and
 * the matrix uses the numbers, so it stays narrow however long the names are.
 */
import { cleanText, escapeInline } from '../../basics/sanitize.js';
import type { Calibration, Catch, MutantRow } from './calibration.js';

/** A check that lost points by failing, by being skipped behind a failed required check, or kept them. */
const MARK = { failed: '✗', skipped: '○', kept: '·' } as const;

function mark(row: MutantRow, id: string): string {
  const caught = row.caught_by.find((c) => c.id === id);
  if (!caught) return MARK.kept;
  return caught.status === 'skipped' ? MARK.skipped : MARK.failed;
}

function scoreOf(row: MutantRow, calibration: Calibration): string {
  if (row.status === 'not-applicable') return 'skipped';
  if (row.status === 'ungradable') return 'ungradable';
  return `${row.score}/${calibration.solution.max_score}`;
}

/** What the mutation changed (and whether the image still built), or why it was not graded. */
function whatHappened(row: MutantRow): string {
  if (row.status === 'not-applicable') return `skipped: ${row.reason ?? ''}`;
  if (row.status === 'ungradable') return `not graded: ${row.reason ?? ''}`;
  return `${row.change ?? row.description}${row.built === false ? ' (the image did not build)' : ''}`;
}

function lostPoints(row: MutantRow): number {
  return row.caught_by.reduce((sum: number, c: Catch) => sum + c.lost, 0);
}

function points(calibration: Calibration, ids: readonly string[]): number {
  return ids.reduce((sum, id) => sum + (calibration.checks.find((check) => check.id === id)?.max_points ?? 0), 0);
}

/** One line per finding, the same in both renderings. */
interface Findings {
  untested: { title: string; lines: string[] };
  survivors: { title: string; lines: string[] };
  passing: { title: string; lines: string[] };
}

function findings(calibration: Calibration, text: (s: string) => string): Findings {
  const byName = new Map(calibration.mutations.map((row) => [row.name, row]));
  const untestedPoints = points(calibration, calibration.untested);
  const pass = calibration.rubric.pass_threshold;
  return {
    untested: {
      title: `Checks no mutation made lose points (untested: ${untestedPoints} of ${calibration.solution.max_score} points)`,
      lines: calibration.untested.map((id) => {
        const check = calibration.checks.find((c) => c.id === id)!;
        return `${text(id)}: ${text(check.name)} (${check.max_points} points)`;
      }),
    },
    survivors: {
      title: 'Mistakes that cost no points (survivors)',
      lines: calibration.survivors.map((name) => `${text(name)}: ${text(byName.get(name)?.description ?? '')}`),
    },
    passing: {
      title:
        pass === undefined ? 'Mutants that still pass: the rubric sets no pass mark' : `Mutants that still pass the pass mark (${pass}%)`,
      lines: (calibration.passing ?? []).map((name) => {
        const row = byName.get(name)!;
        return `${text(name)}: ${row.score}/${calibration.solution.max_score} (${row.percent}%)`;
      }),
    },
  };
}

export function renderCalibrationText(calibration: Calibration): string {
  const { checks, mutations, solution } = calibration;
  const out: string[] = [];
  out.push(`Calibration of "${cleanText(calibration.rubric.title)}" (${cleanText(calibration.rubric.source)})`);
  out.push(`Reference solution ${cleanText(solution.source)}: ${solution.score}/${solution.max_score}`);
  out.push('');
  out.push('Checks:');
  checks.forEach((check, i) =>
    out.push(`  ${String(i + 1).padStart(2)}  ${cleanText(check.id)}: ${cleanText(check.name)} (${check.max_points})`),
  );
  out.push('');
  out.push('Mutations (each made on a copy of the solution):');
  const nameWidth = Math.max(...mutations.map((row) => cleanText(row.name).length), 8);
  for (const row of mutations) {
    out.push(`  ${cleanText(row.name).padEnd(nameWidth)}  ${cleanText(whatHappened(row))}`);
  }
  out.push('');
  const graded = mutations.filter((row) => row.status !== 'not-applicable');
  const cell = Math.max(2, String(checks.length).length + 1);
  const scoreWidth = Math.max(5, ...graded.map((row) => scoreOf(row, calibration).length));
  out.push(
    `  ${'mutation'.padEnd(nameWidth)}  ${'score'.padStart(scoreWidth)} ${checks.map((_, i) => String(i + 1).padStart(cell)).join('')}`,
  );
  for (const row of graded) {
    const cells = checks.map((check) => (row.status === 'graded' ? mark(row, check.id) : '?').padStart(cell)).join('');
    out.push(`  ${cleanText(row.name).padEnd(nameWidth)}  ${scoreOf(row, calibration).padStart(scoreWidth)} ${cells}`);
  }
  out.push(
    `  ${MARK.failed} failed (lost points)   ${MARK.skipped} skipped behind a failed required check (lost points)   ${MARK.kept} kept its points`,
  );
  out.push('');
  const found = findings(calibration, cleanText);
  for (const section of [found.untested, found.survivors, found.passing]) {
    out.push(`${section.title}:`);
    out.push(...(section.lines.length > 0 ? section.lines.map((line) => `  ${line}`) : ['  none']));
    out.push('');
  }
  const ungradable = mutations.filter((row) => row.status === 'ungradable');
  if (ungradable.length > 0) {
    out.push('Not graded (the matrix lacks them):');
    out.push(...ungradable.map((row) => `  ${cleanText(row.name)}: ${cleanText(row.reason ?? '')}`));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderCalibrationMarkdown(calibration: Calibration): string {
  const { checks, mutations, solution } = calibration;
  const e = escapeInline;
  const out: string[] = [];
  out.push(`# Calibration: ${e(calibration.rubric.title)}`);
  out.push('');
  out.push(
    `Rubric ${e(calibration.rubric.source)}; reference solution ${e(solution.source)} scored ${solution.score}/${solution.max_score}.`,
  );
  out.push(
    'Each mutation is a typical mistake, made on a copy of the solution. A check *catches* a mutation when it lost points on the mutant.',
  );
  out.push('');
  out.push(`| mutation | score | ${checks.map((_, i) => String(i + 1)).join(' | ')} |`);
  out.push(`| --- | ---: | ${checks.map(() => ':---:').join(' | ')} |`);
  for (const row of mutations.filter((r) => r.status !== 'not-applicable')) {
    const cells = checks.map((check) => (row.status === 'graded' ? mark(row, check.id) : '?'));
    out.push(`| ${e(row.name)} | ${scoreOf(row, calibration)} | ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push(
    `${MARK.failed} failed (lost points) · ${MARK.skipped} skipped behind a failed required check (lost points) · ${MARK.kept} kept its points`,
  );
  out.push('');
  out.push('| # | check | points | caught |');
  out.push('| ---: | --- | ---: | --- |');
  checks.forEach((check, i) => {
    const by = mutations.filter((row) => row.caught_by.some((c) => c.id === check.id)).map((row) => e(row.name));
    out.push(`| ${i + 1} | ${e(check.id)}: ${e(check.name)} | ${check.max_points} | ${by.length > 0 ? by.join(', ') : '**never**'} |`);
  });
  out.push('');
  out.push('## Mutations');
  out.push('');
  out.push('| mutation | mistake | change | lost |');
  out.push('| --- | --- | --- | ---: |');
  for (const row of mutations) {
    const what = whatHappened(row);
    const lost = row.status === 'graded' ? String(lostPoints(row)) : '';
    out.push(`| ${e(row.name)}${row.origin === 'custom' ? ' (custom)' : ''} | ${e(row.description)} | ${e(what)} | ${lost} |`);
  }
  out.push('');
  const found = findings(calibration, e);
  for (const section of [found.untested, found.survivors, found.passing]) {
    out.push(`## ${section.title}`);
    out.push('');
    out.push(...(section.lines.length > 0 ? section.lines.map((line) => `- ${line}`) : ['None.']));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderCalibrationJson(calibration: Calibration): string {
  return `${JSON.stringify(calibration, null, 2)}\n`;
}

import { describe, expect, it } from 'vitest';
import type { ClassResult, StudentRow } from '../../src/basics/class-results.js';
import { LOCALES, type Locale } from '../../src/basics/i18n/catalogue.js';
import { DEFAULT_SUMMARY_MAX_LENGTH, renderClassSummary } from '../../src/report/class-summary.js';
import { FIXTURE_TITLE, HOSTILE, classFixture } from '../helpers/class-fixture.js';

const ZWSP = '\u200B';

/** A markdown table row's cells as GitHub splits them: at every `|` not escaped by a backslash. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cell += c + line[i + 1];
      i++;
    } else if (c === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out.slice(1, -1); // the row's leading and trailing pipes
}

/** Every table in the text: its header cells and body rows, as GitHub would split them. */
function tables(markdown: string): { header: string[]; rows: string[][] }[] {
  const found: { header: string[]; rows: string[][] }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !/^\|[\s:|-]+\|$/.test(lines[i + 1] ?? '')) continue;
    const header = cells(lines[i]!);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j]!.startsWith('|'); j++) rows.push(cells(lines[j]!));
    found.push({ header, rows });
    i = j;
  }
  return found;
}

function tableAfter(markdown: string, heading: string) {
  const at = markdown.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  return tables(markdown.slice(at))[0]!;
}

describe('renderClassSummary', () => {
  const md = renderClassSummary(classFixture());

  it('opens with the rubric title, the deadline and the counts', () => {
    expect(md.startsWith(`## HW1: Containerise the web app — class results\n`)).toBe(true);
    expect(md).toContain('**Deadline:** 2026-03-02 14:59 UTC');
    expect(md).toContain('**10 students:** 6 graded · 2 ungradable · 2 missing · 3 late');
  });

  it('shows the score distribution in tenths, with a bar as long as the count', () => {
    const histogram = tableAfter(md, '### Score distribution');
    const counts = Object.fromEntries(histogram.rows.map((r) => [r[0], Number(r[1])]));
    expect(counts).toEqual({
      '0–9%': 1,
      '10–19%': 0,
      '20–29%': 0,
      '30–39%': 1,
      '40–49%': 1,
      '50–59%': 0,
      '60–69%': 0,
      '70–79%': 0,
      '80–89%': 2,
      '90–100%': 1,
    });
    for (const row of histogram.rows) expect(row[2]).toBe('█'.repeat(Number(row[1])));
    expect(md).toContain('Mean 58.1% · median 62.5% (6 graded)');
  });

  it('scales the bars of a large class to at most 30 blocks', () => {
    const result = classFixture();
    const alice = result.students[0]!;
    result.students = Array.from({ length: 90 }, (_, i): StudentRow => ({ ...alice, index: i, username: `s${i}` }));
    const histogram = tableAfter(renderClassSummary(result), '### Score distribution');
    expect(histogram.rows[9]).toEqual(['90–100%', '90', '█'.repeat(30)]);
  });

  it('lists the checks most failed first, with pass rates over the graded rows that ran them', () => {
    const checks = tableAfter(md, '### Checks, most failed first');
    expect(checks.header).toEqual(['Check', 'Pass rate', 'Passed', 'Failed', 'Not run']);
    expect(checks.rows).toEqual([
      ['Image is under 100 MB', '20%', '1', '4', '1'],
      ['Runs as a non-root user', '60%', '3', '2', '1'],
      ['GET /ping answers 200', '75%', '3', '1', '2'],
      ['Image builds', '83.3%', '5', '1', '0'],
      ['Dockerfile is present', '100%', '6', '0', '0'],
    ]);
  });

  it('lists ungradable, missing and late students with the reason or how late', () => {
    expect(tableAfter(md, '### Ungradable (2)').rows.map((r) => r[0]!.split(' · ')[0])).toEqual(['bob', 'trent']);
    expect(tableAfter(md, '### Ungradable (2)').rows[0]).toEqual(['bob · Brown, Bob', 'the container engine stopped responding']);
    expect(tableAfter(md, '### Missing (2)').rows).toEqual([
      ['carol · Chen, Carol', 'no repository'],
      ['dave · Diaz, Dave', 'no commit before the deadline'],
    ]);
    expect(tableAfter(md, '### Late (3)').rows.map((r) => [r[0]!.split(' · ')[0], r[1], r[2]])).toEqual([
      ['mallory', 'graded', '1m'],
      ['dave', 'missing', '3d 4h'],
      ['eve', 'graded', '2h 5m'],
    ]);
  });

  it('says when nothing was graded, and omits lists that are empty', () => {
    const result = classFixture();
    result.students = result.students.filter((row) => row.status === 'missing').map((row) => ({ ...row, late_ms: undefined }));
    const text = renderClassSummary(result);
    expect(text).toContain('_No submission was graded._');
    expect(text).toContain('**2 students:** 0 graded · 0 ungradable · 2 missing · 0 late');
    expect(text).not.toContain('### Ungradable');
    expect(text).not.toContain('### Late');
    expect(tableAfter(text, '### Checks, most failed first').rows.every((r) => r[1] === '—')).toBe(true);
  });

  it('omits the deadline line when there is no deadline', () => {
    const result = classFixture();
    delete result.deadline;
    expect(renderClassSummary(result)).not.toContain('Deadline');
  });
});

/** The list headings of the fixture's summary in each language. */
const HEADINGS: Record<Locale, { late: string; ungradable: string }> = {
  en: { late: '### Late (3)', ungradable: '### Ungradable (2)' },
  ko: { late: '### 지각 (3)', ungradable: '### 채점 불가 (2)' },
};

describe.each(LOCALES)('renderClassSummary against hostile roster text (%s)', (locale) => {
  const md = renderClassSummary({ ...classFixture(), locale });
  const heading = HEADINGS[locale];

  it('keeps hostile names and reasons inside their cells, with no HTML, code or mentions', () => {
    for (const table of tables(md)) {
      for (const row of table.rows) expect(row, row.join(' | ')).toHaveLength(table.header.length);
    }
    expect(md).not.toMatch(/<script|<img/i);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).not.toMatch(/@(?=[\w-])/); // every @ is followed by a zero-width space
    expect(md).toContain(`@${ZWSP}octocat`);
    expect(md).toContain(`@${ZWSP}everyone`);
    expect(md).not.toMatch(/(?<!\\)`/); // no backtick opens a code span
    expect(md).not.toMatch(/(?<!\\)#(?=\d)/); // no issue link
    const mallory = tableAfter(md, heading.late).rows[0]!;
    expect(mallory[0]).toBe('mallory · &lt;script&gt;alert(1)&lt;/script&gt;, =HYPERLINK("http://evil.example","click")');
    const trent = tableAfter(md, heading.ungradable).rows[1]!;
    expect(trent[0]).toBe(`trent · \\\`rm -rf /\\\`\\|\\| x, @${ZWSP}octocat sneaky`);
    expect(trent[1]).toContain('\\| @');
  });
});

describe('renderClassSummary in Korean', () => {
  const md = renderClassSummary({ ...classFixture(), locale: 'ko' });

  it('says everything in Korean, with the same counts and figures', () => {
    expect(md.startsWith(`## HW1: Containerise the web app — 반 전체 결과\n`)).toBe(true);
    expect(md).toContain('**마감:** 2026-03-02 14:59 UTC');
    expect(md).toContain('**학생 10명:** 채점됨 6명 · 채점 불가 2명 · 미제출 2명 · 지각 3명');
    expect(md).toContain('평균 58.1% · 중앙값 62.5% (채점된 학생 6명)');
    expect(tableAfter(md, '### 항목별 결과 (많이 실패한 순)').header).toEqual(['항목', '통과율', '통과', '실패', '실행 안 됨']);
    expect(tableAfter(md, '### 미제출 (2)').rows[0]).toEqual(['carol · Chen, Carol', 'no repository']);
    expect(tableAfter(md, '### 지각 (3)').rows.map((r) => [r[0]!.split(' · ')[0], r[1], r[2]])).toEqual([
      ['mallory', '채점됨', '1분'],
      ['dave', '미제출', '3일 4시간'],
      ['eve', '채점됨', '2시간 5분'],
    ]);
  });

  it('says in Korean how many students a shortened list leaves out', () => {
    const result = { ...classFixture(), locale: 'ko' as const };
    const trent = result.students[7]!;
    result.students = Array.from({ length: 400 }, (_, i): StudentRow => ({ ...trent, index: i, username: `student-${i}` }));
    const text = renderClassSummary(result, { maxLength: 5_000 });
    expect(text.length).toBeLessThanOrEqual(5_000);
    expect(text).toMatch(/_… 외 \d+명 \(grades\.csv에 모든 학생이 있습니다\)_/);
  });
});

describe('renderClassSummary within a size limit', () => {
  function bigClass(count: number): ClassResult {
    const result = classFixture();
    const trent = result.students[7]!;
    result.students = Array.from({ length: count }, (_, i): StudentRow => ({
      ...trent,
      index: i,
      username: `student-${i}`,
      late_ms: 60_000 * (i + 1),
      reason: `${HOSTILE.reason} ${'x'.repeat(400)}`,
    }));
    return result;
  }

  it('fits the default limit by shortening the lists, saying how many were left out', () => {
    const result = bigClass(3000);
    const md = renderClassSummary(result);
    expect(md.length).toBeLessThanOrEqual(DEFAULT_SUMMARY_MAX_LENGTH);
    expect(md).toContain('**3000 students:** 0 graded · 3000 ungradable · 0 missing · 3000 late');
    const ungradable = tableAfter(md, '### Ungradable (3000)');
    expect(ungradable.rows.length).toBeGreaterThan(10);
    expect(md).toContain(`_… and ${3000 - ungradable.rows.length} more (grades.csv lists every student)_`);
    for (const table of tables(md)) {
      for (const row of table.rows) expect(row).toHaveLength(table.header.length);
    }
    // The budget is used, not wasted: one more student per list would not have fitted.
    expect(md.length).toBeGreaterThan(DEFAULT_SUMMARY_MAX_LENGTH - 2 * 700);
  });

  it('shortens each reason to one bounded cell', () => {
    const md = renderClassSummary(bigClass(1));
    const reason = tableAfter(md, '### Ungradable (1)').rows[0]![1]!;
    expect(reason.endsWith('…')).toBe(true);
    expect(reason.length).toBeLessThan(400);
  });

  it('honours a small limit, dropping every list row when it must', () => {
    const md = renderClassSummary(bigClass(50), { maxLength: 3_000 });
    expect(md.length).toBeLessThanOrEqual(3_000);
    expect(md).toContain('### Checks, most failed first');
    expect(md).toMatch(/_… and \d+ more/);
  });

  it('cuts between lines as a last resort', () => {
    const md = renderClassSummary(bigClass(5), { maxLength: 600 });
    expect(md.length).toBeLessThanOrEqual(600);
    expect(md).toContain(FIXTURE_TITLE);
    expect(md.trimEnd().endsWith('grades.csv has everything._')).toBe(true);
  });
});

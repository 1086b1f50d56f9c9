/**
 * The class dashboard (index.html) opened from disk in a real headless Chromium: it shows
 * every student, sorts, filters, opens a student's checks, draws the heatmap and the
 * histogram from the data, and hostile student text stays text. Chromium is required:
 * without it these tests fail and say how to install it.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassResult, StudentRow } from '../../src/basics/class-results.js';
import type { CheckResult } from '../../src/basics/results.js';
import { writeStudentFiles } from '../../src/class/class-output.js';
import { renderDashboard } from '../../src/report/dashboard.js';
import { launchBrowser, type Browser, type Page } from '../helpers/browser.js';
import { classFixture, fixtureResult } from '../helpers/class-fixture.js';

/** Text that would run script or add elements if the page ever treated it as markup. */
const ATTACKS = {
  closeScript: '</script><script>window.__pwned = "script"</script>',
  comment: '<!--<script>window.__pwned = "comment"</script>',
  img: '<img id="injected" src=x onerror="window.__pwned = \'img\'">',
  javascriptUrl: 'javascript:window.__pwned="url"',
  separators: 'line\u2028para\u2029end',
};

/** The shared fixture class, plus a student whose every field is an attack. */
function hostileClass(): ClassResult {
  const result = classFixture();
  const row: StudentRow = {
    index: result.students.length,
    username: ATTACKS.javascriptUrl,
    first_name: ATTACKS.img,
    last_name: ATTACKS.closeScript,
    email: ATTACKS.comment,
    section: ATTACKS.closeScript,
    repository: ATTACKS.javascriptUrl,
    commit: ATTACKS.img,
    status: 'graded',
    result: fixtureResult('hostile', { 'dockerfile-present': 'passed', builds: 'failed' }),
  };
  row.result!.checks = row.result!.checks.map((check) => ({
    ...check,
    message: `${ATTACKS.closeScript} ${ATTACKS.separators}`,
    feedback: `${ATTACKS.img} ${ATTACKS.comment}`,
  }));
  result.students.push(row);
  result.roster.rows = result.students.length;
  return result;
}

/** The output folder as `grader class` leaves it: index.html and each student's reports. */
async function writeClassFolder(result: ClassResult, dir: string): Promise<string> {
  await mkdir(path.join(dir, 'students'), { recursive: true });
  for (const row of result.students) await writeStudentFiles(dir, row);
  const index = path.join(dir, 'index.html');
  await writeFile(index, renderDashboard(result));
  return pathToFileURL(index).href;
}

const score = (row: StudentRow): number | null => (row.status === 'graded' ? (row.result?.score ?? null) : null);

/** Usernames in the order the dashboard must show after sorting by score; rows without one last. */
function byScore(result: ClassResult, direction: 1 | -1): string[] {
  return [...result.students]
    .sort((a, b) => {
      const x = score(a);
      const y = score(b);
      if ((x === null) !== (y === null)) return x === null ? 1 : -1;
      return (x !== null && y !== null && x !== y ? (x - y) * direction : 0) || a.index - b.index;
    })
    .map((row) => row.username);
}

/** The heatmap class each check of each student should get, worked out here from the results. */
function expectedCell(row: StudentRow, checkId: string): string {
  const check: CheckResult | undefined = row.result?.checks.find((c) => c.id === checkId);
  if (!check) return 'c-none';
  if (check.status === 'skipped') return 'c-skip';
  if (check.points >= check.max_points) return 'c-pass';
  return check.points > 0 ? 'c-part' : 'c-fail';
}

describe('the class dashboard in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let result: ClassResult;

  const tableOrder = () => page.evaluate<string[]>(`[...document.querySelectorAll('#rows tr')].map((tr) => tr.dataset.username)`);
  const heatOrder = () => page.evaluate<string[]>(`[...document.querySelectorAll('#heat-rows tr')].map((tr) => tr.dataset.username)`);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grader-dashboard-'));
    result = hostileClass();
    const url = await writeClassFolder(result, dir);
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(url);
    await page.waitFor(`document.querySelectorAll('#rows tr').length > 0`);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads from disk without a console error, exception or CSP violation, and shows every student', async () => {
    expect(page.problems).toEqual([]);
    expect(await tableOrder()).toEqual(result.students.map((row) => row.username));
    const table = await page.evaluate<string>(`document.getElementById('rows').textContent`);
    expect(table).toContain('김, 민준');
    expect(await page.evaluate<string>(`document.getElementById('shown').textContent`)).toBe(`All ${result.students.length} students`);
  });

  it('counts the class in the header', async () => {
    const tiles = await page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('.tile')].map((t) => [t.querySelector('.k').textContent, t.querySelector('.v').textContent]))`,
    );
    const rows = result.students;
    const percents = rows.flatMap((row) => (row.status === 'graded' && row.result?.percent != null ? [row.result.percent] : []));
    const sorted = [...percents].sort((a, b) => a - b);
    const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    const mean = percents.reduce((a, b) => a + b, 0) / percents.length;
    const oneDecimal = (n: number) => `${Math.round(n * 10) / 10}%`;
    expect(tiles).toEqual({
      Students: String(rows.length),
      Graded: String(rows.filter((row) => row.status === 'graded').length),
      Ungradable: String(rows.filter((row) => row.status === 'ungradable').length),
      Missing: String(rows.filter((row) => row.status === 'missing').length),
      Late: String(rows.filter((row) => (row.late_ms ?? 0) > 0).length),
      Passed: String(rows.filter((row) => row.status === 'graded' && row.result?.passed).length),
      Mean: oneDecimal(mean),
      Median: oneDecimal(median),
    });
    // with the hostile student (dockerfile-present passed, builds failed), image-size passes 1 of 5 graded runs
    const hardest = await page.evaluate<string[]>(`[...document.querySelectorAll('ol.hardest li')].map((li) => li.textContent)`);
    expect(hardest[0]).toBe('Image is under 100 MB20%1/5');
    expect(hardest).toHaveLength(4); // dockerfile-present, passed by all, is not among the failed
  });

  it('says how late each late student was, as the other class outputs do', async () => {
    const late = await page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('#rows tr')].map((tr) => [tr.dataset.username, tr.cells[6].textContent]).filter(([, t]) => t))`,
    );
    expect(late).toEqual({ mallory: '1m', dave: '3d 4h', eve: '2h 5m' });
  });

  it('sorts by score ascending, then descending, with students without a score last', async () => {
    await page.click('th[data-key="score"] button');
    expect(await tableOrder()).toEqual(byScore(result, 1));
    expect(await page.evaluate(`document.querySelector('th[data-key="score"]').getAttribute('aria-sort')`)).toBe('ascending');
    expect(await heatOrder()).toEqual(byScore(result, 1));

    await page.click('th[data-key="score"] button');
    expect(await tableOrder()).toEqual(byScore(result, -1));
    expect(await page.evaluate(`document.querySelector('th[data-key="score"]').getAttribute('aria-sort')`)).toBe('descending');
    expect(await heatOrder()).toEqual(byScore(result, -1));
    // the descending order is not the ascending one reversed: ties keep roster order, the unscored stay last
    expect(byScore(result, -1)).not.toEqual([...byScore(result, 1)].reverse());
  });

  it('filters by text, status and section, and the heatmap follows', async () => {
    const usernames = (keep: (row: StudentRow) => boolean) =>
      result.students
        .filter(keep)
        .map((row) => row.username)
        .sort();
    const shownSorted = async () => [...(await tableOrder())].sort();

    await page.fill('#filter', 'KIM');
    expect(await tableOrder()).toEqual(['kim-minjun']);
    await page.fill('#filter', '분반');
    expect(await tableOrder()).toEqual(['kim-minjun']);
    await page.fill('#filter', 'e');
    const withE = usernames((row) => `${row.username}\n${row.first_name} ${row.last_name}\n${row.section}`.toLowerCase().includes('e'));
    expect(withE.length).toBeLessThan(result.students.length);
    expect(withE.length).toBeGreaterThan(1);
    expect(await shownSorted()).toEqual(withE);
    expect([...(await heatOrder())].sort()).toEqual(withE);
    await page.fill('#filter', 'nobody-has-this');
    expect(await tableOrder()).toEqual([]);
    expect(await page.evaluate(`document.getElementById('no-rows').hidden`)).toBe(false);
    await page.fill('#filter', '');
    expect(await tableOrder()).toHaveLength(result.students.length);

    await page.select('#status', 'missing');
    expect(await shownSorted()).toEqual(usernames((row) => row.status === 'missing'));
    await page.select('#status', 'late');
    expect(await shownSorted()).toEqual(usernames((row) => (row.late_ms ?? 0) > 0));
    await page.select('#status', '');
    await page.select('#section', 'B');
    expect(await shownSorted()).toEqual(usernames((row) => row.section === 'B'));
    expect(await page.evaluate<string>(`document.getElementById('shown').textContent`)).toBe(
      `${usernames((row) => row.section === 'B').length} of ${result.students.length} students`,
    );
    await page.select('#section', '');
    expect(await tableOrder()).toHaveLength(result.students.length);
  });

  it("opens a student's checks with one click, with links to their reports", async () => {
    const kim = result.students.find((row) => row.username === 'kim-minjun')!;
    await page.click('#rows tr[data-username="kim-minjun"] td.name');
    await page.waitFor(`document.getElementById('detail').open`);
    expect(await page.evaluate('document.getElementById("d-title").textContent')).toBe('kim-minjun');
    const checks = await page.evaluate<{ name: string; status: string; points: string }[]>(
      `[...document.querySelectorAll('#d-checks tr')].map((tr) => ({
        name: tr.cells[0].firstChild.textContent, status: tr.cells[1].textContent, points: tr.cells[2].textContent }))`,
    );
    expect(checks).toEqual(kim.result!.checks.map((c) => ({ name: c.name, status: c.status, points: `${c.points} / ${c.max_points}` })));
    const links = await page.evaluate<string[]>(`[...document.querySelectorAll('#d-links a')].map((a) => a.href)`);
    expect(links.map((href) => path.relative(dir, fileURLToPath(href)))).toEqual([
      path.join('students', 'kim-minjun.md'),
      path.join('students', 'kim-minjun.json'),
    ]);
    const order = await tableOrder();
    await page.click('#d-next');
    expect(await page.evaluate('document.getElementById("d-title").textContent')).toBe(order[order.indexOf('kim-minjun') + 1]);
    await page.click('#d-close');
    await page.waitFor(`!document.getElementById('detail').open`);

    // a student with no run has no checks, says why, and still links to the note written for them
    await page.click('#heat-rows tr[data-username="carol"] th button');
    await page.waitFor(`document.getElementById('detail').open`);
    expect(await page.evaluate(`document.querySelectorAll('#d-checks tr').length`)).toBe(0);
    expect(await page.evaluate(`document.getElementById('d-no-checks').hidden`)).toBe(false);
    expect(await page.evaluate(`document.getElementById('d-facts').textContent`)).toContain('no repository');
    const carolLinks = await page.evaluate<string[]>(`[...document.querySelectorAll('#d-links a')].map((a) => a.href)`);
    expect(carolLinks).toHaveLength(2);
    for (const href of carolLinks) expect((await stat(fileURLToPath(href))).isFile()).toBe(true);
    await page.click('#d-close');
    await page.waitFor(`!document.getElementById('detail').open`);
  });

  it('draws one heatmap cell per student and check, coloured by points', async () => {
    const checkIds = result.rubric.checks.map((c) => c.id);
    const heading = await page.evaluate<{ id: string; title: string }[]>(
      `[...document.querySelectorAll('#heat-head th.col')].map((th) => ({ id: th.textContent, title: th.title }))`,
    );
    expect(heading.map((h) => h.id)).toEqual(checkIds);
    expect(heading[0]!.title).toContain(result.rubric.checks[0]!.name);
    const cells = await page.evaluate<Record<string, string[]>>(
      `Object.fromEntries([...document.querySelectorAll('#heat-rows tr')].map((tr) =>
        [tr.dataset.username, [...tr.querySelectorAll('td.cell')].map((td) => td.className.replace('cell ', ''))]))`,
    );
    const expected = Object.fromEntries(result.students.map((row) => [row.username, checkIds.map((id) => expectedCell(row, id))]));
    expect(cells).toEqual(expected);
    const kinds = new Set(Object.values(expected).flat());
    expect([...kinds].sort()).toEqual(['c-fail', 'c-none', 'c-part', 'c-pass', 'c-skip']);

    // the last row: each check's pass rate over the graded students (passed / (passed + failed))
    const rates = await page.evaluate<string[]>(`[...document.querySelectorAll('#heat-rates td')].map((td) => td.textContent)`);
    const graded = result.students.filter((row) => row.status === 'graded');
    expect(rates).toEqual(
      checkIds.map((id) => {
        const statuses = graded.map((row) => row.result?.checks.find((c) => c.id === id)?.status);
        const passed = statuses.filter((s) => s === 'passed').length;
        const ran = passed + statuses.filter((s) => s === 'failed').length;
        return ran === 0 ? '' : `${Math.round((100 * passed) / ran)}%`;
      }),
    );
  });

  it('draws a ten-bin histogram of the graded students', async () => {
    const bars = await page.evaluate<number[]>(
      `[...document.querySelectorAll('svg.hist rect[data-bin]')].map((r) => Number(r.dataset.count))`,
    );
    const expected = new Array<number>(10).fill(0);
    for (const row of result.students) {
      if (row.status === 'graded' && row.result?.percent != null) expected[Math.min(9, Math.floor(row.result.percent / 10))]! += 1;
    }
    expect(bars).toEqual(expected);
    expect(bars.reduce((a, b) => a + b, 0)).toBe(result.students.filter((row) => row.status === 'graded').length);
  });

  it('keeps hostile student text inert: shown as text, nothing injected runs or exists', async () => {
    expect(await page.evaluate(`typeof window.__pwned`)).toBe('undefined');
    expect(await page.evaluate(`document.querySelectorAll('img, iframe, object, embed, #injected').length`)).toBe(0);
    expect(await page.evaluate(`document.scripts.length`)).toBe(2);

    const hostile = result.students.at(-1)!;
    const rowText = await page.evaluate<string>(
      `document.querySelector('#rows tr[data-username=' + CSS.escape(${JSON.stringify(hostile.username)}) + ']').textContent`,
    );
    expect(rowText).toContain(hostile.username);
    expect(rowText).toContain(ATTACKS.img);
    expect(rowText).toContain(ATTACKS.closeScript);
    const mallory = await page.evaluate<string>(`document.querySelector('#rows tr[data-username="mallory"]').textContent`);
    expect(mallory).toContain('<script>alert(1)</script>');

    await page.click(`#rows tr[data-i="${hostile.index}"] td.name`);
    await page.waitFor(`document.getElementById('detail').open`);
    const detail = await page.evaluate<string>(`document.getElementById('detail').textContent`);
    expect(detail).toContain(ATTACKS.closeScript);
    expect(detail).toContain(ATTACKS.img);
    expect(detail).toContain(ATTACKS.comment);
    // every link stays a file in the output folder; the username is one path segment
    const hrefs = await page.evaluate<string[]>(`[...document.querySelectorAll('a[href]')].map((a) => a.href)`);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      expect(new URL(href).protocol).toBe('file:');
      expect(path.dirname(fileURLToPath(href))).toBe(path.join(dir, 'students'));
    }
    const own = await page.evaluate<string[]>(`[...document.querySelectorAll('#d-links a')].map((a) => a.href)`);
    for (const href of own) expect((await stat(fileURLToPath(href))).isFile()).toBe(true);
    await page.click('#d-close');

    expect(await page.evaluate(`typeof window.__pwned`)).toBe('undefined');
    expect(page.problems).toEqual([]);
  });
});

describe('the Korean class dashboard in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let result: ClassResult;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grader-dashboard-ko-'));
    result = { ...hostileClass(), locale: 'ko' };
    const url = await writeClassFolder(result, dir);
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(url);
    await page.waitFor(`document.querySelectorAll('#rows tr').length > 0`);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const text = (selector: string) => page.evaluate<string>(`document.querySelector(${JSON.stringify(selector)}).textContent`);

  it('writes every label in Korean, from the page and from the script', async () => {
    expect(page.problems).toEqual([]);
    expect(await page.evaluate('document.documentElement.lang')).toBe('ko');
    expect(await text('#shown')).toBe(`학생 ${result.students.length}명 전체`);
    const tiles = await page.evaluate<string[]>(`[...document.querySelectorAll('.tile .k')].map((k) => k.textContent)`);
    expect(tiles).toEqual(['학생', '채점됨', '채점 불가', '미제출', '지각', '통과', '평균', '중앙값']);
    expect(await text('#rows tr[data-username="bob"] .badge')).toBe('채점 불가');
    expect(await text('#rows tr[data-username="eve"] td:nth-child(4)')).toBe('채점됨 지각');
    expect(await text('#rows tr[data-username="eve"] td:nth-child(7)')).toBe('2시간 5분');
    expect(await text('#rows tr[data-username="eve"] td.reports a')).toBe('보고서');
    expect(await text('#heat-rates th')).toBe('통과율');

    await page.select('#status', 'late');
    expect(await text('#shown')).toBe(`학생 ${result.students.length}명 중 3명`);
    await page.select('#status', '');
  });

  it('shows a student’s facts and checks in Korean, and hostile text stays inert', async () => {
    const hostile = result.students.at(-1)!;
    await page.click(`#rows tr[data-i="${hostile.index}"] td.name`);
    await page.waitFor(`document.getElementById('detail').open`);
    const facts = await page.evaluate<string[]>(`[...document.querySelectorAll('#d-facts dt')].map((dt) => dt.textContent)`);
    expect(facts.slice(0, 2)).toEqual(['상태', '점수']);
    expect(await text('#d-facts dd')).toBe('채점됨 · 통과하지 못함');
    const statuses = await page.evaluate<string[]>(`[...document.querySelectorAll('#d-checks .badge')].map((b) => b.textContent)`);
    expect(statuses).toEqual(['통과', '실패']);
    expect(await text('#d-links a')).toBe('전체 보고서 (Markdown)');
    const detail = await text('#detail');
    expect(detail).toContain(ATTACKS.closeScript);
    expect(detail).toContain(ATTACKS.img);
    await page.click('#d-close');

    expect(await page.evaluate(`typeof window.__pwned`)).toBe('undefined');
    expect(await page.evaluate(`document.querySelectorAll('img, iframe, object, embed, #injected').length`)).toBe(0);
    expect(await page.evaluate(`document.scripts.length`)).toBe(2);
    expect(page.problems).toEqual([]);
  });
});

/** A class of `size` students and `checkCount` checks, every message different: the dashboard's worst case for size. */
function largeClass(size: number, checkCount: number): ClassResult {
  const base = classFixture();
  const checks = Array.from({ length: checkCount }, (_, i) => ({
    id: `check-${i + 1}`,
    name: `Check number ${i + 1} of the rubric`,
    max_points: 5,
  }));
  const students: StudentRow[] = Array.from({ length: size }, (_, index) => {
    const runChecks: CheckResult[] = checks.map((c, j) => {
      const points = (index * 7 + j * 3) % 6;
      return {
        id: c.id,
        name: c.name,
        kind: 'http',
        status: points >= 5 ? 'passed' : 'failed',
        points: Math.min(points, 5),
        max_points: 5,
        message: `expected status 200 from /path/${j}, got ${400 + ((index + j) % 100)} after ${index * 31 + j} ms for student ${index}`,
        feedback: `Check the handler for /path/${j}: the server must answer within 2 s.`,
        duration_ms: 5,
      };
    });
    const score = runChecks.reduce((sum, c) => sum + c.points, 0);
    const percent = (100 * score) / (5 * checkCount);
    return {
      index,
      username: `student-${String(index).padStart(3, '0')}`,
      first_name: index % 3 === 0 ? '서연' : 'Student',
      last_name: index % 3 === 0 ? '이' : `Number ${index}`,
      email: `s${index}@example.edu`,
      section: `Section ${index % 4}`,
      repository: `course-org/hw1-student-${index}`,
      commit: (index.toString(16) + 'abcdef0123456789'.repeat(3)).slice(0, 40),
      committed_at: '2026-03-02T12:00:00Z',
      pushed_at: '2026-03-02T12:00:05Z',
      deadline_basis: 'push-time',
      status: 'graded',
      result: { ...fixtureResult(`s${index}`, {}), checks: runChecks, score, max_score: 5 * checkCount, percent, passed: percent >= 60 },
    };
  });
  return { ...base, rubric: { ...base.rubric, checks }, roster: { file: 'roster.csv', rows: size }, students };
}

describe('a large class in headless Chromium', () => {
  let browser: Browser | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('200 students × 30 checks stay under 1.5 MB and render every row and cell without errors', async () => {
    const result = largeClass(200, 30);
    const html = renderDashboard(result);
    const bytes = Buffer.byteLength(html);
    console.log(`dashboard of 200 students × 30 checks: ${(bytes / 1024).toFixed(0)} KiB`);
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);

    dir = await mkdtemp(path.join(tmpdir(), 'grader-dashboard-large-'));
    await writeFile(path.join(dir, 'index.html'), html);
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    await page.waitFor(`document.querySelectorAll('#rows tr').length === 200`);
    expect(await page.evaluate(`document.querySelectorAll('#heat-rows td.cell').length`)).toBe(200 * 30);
    await page.click('th[data-key="percent"] button');
    const percents = await page.evaluate<number[]>(
      `[...document.querySelectorAll('#rows tr')].map((tr) => parseFloat(tr.cells[5].textContent))`,
    );
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(page.problems).toEqual([]);
  });
});

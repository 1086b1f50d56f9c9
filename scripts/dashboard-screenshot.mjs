// Renders the class dashboard of the test fixture class (plus some ordinary students, so the
// histogram and heatmap have something to show) in headless Chromium and saves a 1280×900
// screenshot, for the README.
//
//   npx node scripts/dashboard-screenshot.mjs [--out docs/dashboard.png]
//
// `npx node` runs the project's Node 24, whose global WebSocket the browser helper uses.
// The TypeScript sources are bundled on the fly with esbuild, as Node cannot resolve their
// `.js` import specifiers to `.ts` files itself.
import { build } from 'esbuild';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/dashboard.png' } } });
const out = path.resolve(root, values.out);

if (typeof WebSocket === 'undefined') {
  console.error(
    `Node ${process.versions.node} has no global WebSocket: run this with the project's Node 24 (npx node ${path.relative(root, process.argv[1])}).`,
  );
  process.exit(2);
}

const work = await mkdtemp(path.join(tmpdir(), 'grader-dashboard-shot-'));
let browser;
try {
  const bundle = path.join(work, 'parts.mjs');
  await build({
    stdin: {
      contents: [
        "export { renderDashboard } from './src/report/dashboard.ts';",
        "export { classFixture, fixtureResult } from './test/helpers/class-fixture.ts';",
        "export { launchBrowser } from './test/helpers/browser.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    outfile: bundle,
    logLevel: 'warning',
  });
  const { renderDashboard, classFixture, fixtureResult, launchBrowser } = await import(pathToFileURL(bundle).href);

  const result = withOrdinaryStudents(classFixture(), fixtureResult);
  const folder = path.join(work, 'grades');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'index.html'), renderDashboard(result));

  browser = await launchBrowser();
  const page = await browser.newPage();
  await page.setViewport(1280, 900);
  await page.goto(pathToFileURL(path.join(folder, 'index.html')).href);
  await page.waitFor(`document.querySelectorAll('#rows tr').length === ${result.students.length}`);
  if (page.problems.length > 0) throw new Error(`the dashboard reported problems:\n${page.problems.join('\n')}`);
  const png = await page.screenshot();
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, png);
  console.log(`wrote ${path.relative(root, out)} (${result.students.length} students, ${png.length} bytes)`);
} finally {
  await browser?.close();
  await rm(work, { recursive: true, force: true });
}

/** The fixture's ten students, then fourteen more with a spread of results, names and sections. */
function withOrdinaryStudents(result, fixtureResult) {
  const people = [
    ['박', '서연', 'hw1-seoyeon'],
    ['Nguyen', 'Linh', 'linh-ng'],
    ['이', '도윤', 'doyoon-lee'],
    ['Okafor', 'Chidi', 'chidi-o'],
    ['Rossi', 'Giulia', 'grossi'],
    ['최', '지우', 'jiwoo-choi'],
    ['Martin', 'Lucas', 'lmartin'],
    ['Schmidt', 'Hanna', 'hanna-s'],
    ['정', '하준', 'hajun-jung'],
    ['Silva', 'Mateus', 'msilva'],
    ['Tanaka', 'Yui', 'yui-t'],
    ['강', '민서', 'minseo-kang'],
    ['Novak', 'Petra', 'pnovak'],
    ['Haddad', 'Omar', 'ohaddad'],
  ];
  const ids = result.rubric.checks.map((check) => check.id);
  const outcomes = [
    ['passed', 'passed', 'passed', 'passed', 'passed'],
    ['passed', 'passed', 'passed', 'passed', 'failed'],
    ['passed', 'passed', 'failed', 'passed', 'passed'],
    ['passed', 'passed', 'passed', ['failed', 5], 'failed'],
    ['passed', 'failed', 'skipped', 'skipped', 'skipped'],
    ['passed', 'passed', 'failed', 'passed', 'failed'],
    ['passed', 'passed', 'passed', 'passed', 'passed'],
  ];
  people.forEach(([last, first, username], i) => {
    const row = {
      index: result.students.length,
      username,
      first_name: first,
      last_name: last,
      email: `${username}@example.edu`,
      section: i % 2 === 0 ? 'A' : 'B',
      repository: `course-org/hw1-${username}`,
      commit: (i.toString(16) + '3f9c2d81e0b7a4655c1e9d0f2b8a7c6d5e4f3a2b1c').slice(0, 40),
      committed_at: '2026-03-02T10:00:00Z',
      pushed_at: '2026-03-02T10:00:20Z',
      deadline_basis: 'push-time',
      status: 'graded',
    };
    const picked = outcomes[(i * 3) % outcomes.length];
    row.result = fixtureResult(row.repository, Object.fromEntries(ids.map((id, j) => [id, picked[j]])));
    result.students.push(row);
  });
  result.roster.rows = result.students.length;
  return result;
}

/**
 * `grader calibrate` on the real engine: examples/web-app against the built-in `web` rubric.
 * Every built-in mistake must be caught by the check meant for it; instructors' own mutations
 * (a YAML file) close the gaps the built-ins leave; a solution below full marks is refused.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/basics/logger.js';
import { builtinMutations } from '../../src/class/calibrate/builtin-mutations.js';
import { calibrate, type CalibrationOutcome } from '../../src/class/calibrate/calibrate.js';
import { summarise, type Calibration, type MutantRow } from '../../src/class/calibrate/calibration.js';
import { loadMutationsFile } from '../../src/class/calibrate/mutations-file.js';
import { renderCalibrationMarkdown, renderCalibrationText } from '../../src/class/calibrate/render.js';
import type { ContainerEngine } from '../../src/engine/engine.js';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';
import { engine as connectEngine, expectNothingLeft } from '../helpers/docker.js';

const root = path.resolve(import.meta.dirname, '../..');
const webApp = path.join(root, 'examples/web-app');

let engine: ContainerEngine;
let scratch: string;
let outcome: CalibrationOutcome;
let calibration: Calibration;
const runIds: string[] = [];
let copiesBefore: string[];

const copies = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('grader-calibrate-'));

const MUTATIONS_YAML = `mutations:
  - name: dockerfile-deleted
    delete: Dockerfile
  - name: maintainer-forgotten
    description: no LABEL maintainer
    dockerfile: { replace: 'LABEL maintainer=', with: 'LABEL author=' }
  - name: wrong-greeting
    edit: { file: handle.sh, replace: '\${GREETING}', with: 'hi' }
  - name: typo-in-edit
    edit: { file: handle.sh, replace: 'no such text', with: 'x' }
`;

beforeAll(async () => {
  engine = await connectEngine();
  scratch = await mkdtemp(path.join(tmpdir(), 'grader-calibrate-test-'));
  const mutationsFile = path.join(scratch, 'mutations.yml');
  await writeFile(mutationsFile, MUTATIONS_YAML);
  const builtins = builtinMutations();
  const custom = await loadMutationsFile(
    mutationsFile,
    builtins.map((m) => m.name),
  );
  copiesBefore = await copies();
  outcome = await calibrate({
    solutionDir: webApp,
    rubric: await loadRubric('web'),
    mutations: [...builtins, ...custom],
    engine,
    jobs: 4,
    logger: silentLogger,
    onProgress: (event) => runIds.push(event.runId),
  });
  if (outcome.status !== 'calibrated') throw new Error(`the example did not calibrate: ${outcome.status}`);
  calibration = outcome.calibration;
}, 300_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const row = (name: string): MutantRow => {
  const found = calibration.mutations.find((r) => r.name === name);
  if (!found) throw new Error(`no mutation ${name}`);
  return found;
};
const caught = (name: string) => row(name).caught_by.map((c) => c.id);

describe('examples/web-app against the web rubric', () => {
  it('grades the reference solution at full marks first', () => {
    expect(outcome.solution).toMatchObject({ status: 'graded', score: 100, max_score: 100 });
    expect(calibration.solution).toMatchObject({ score: 100, max_score: 100 });
  });

  it('catches each static mistake with exactly the check meant for it', () => {
    expect(caught('shell-form-cmd')).toEqual(['exec-form']);
    expect(caught('user-removed')).toEqual(['non-root']);
    expect(caught('dockerignore-deleted')).toEqual(['dockerignore']);
    expect(caught('add-for-copy')).toEqual(['copy-not-add']);
    expect(caught('env-removed')).toEqual(['env-used']);
    expect(caught('big-layer')).toEqual(['image-size']);
    expect(caught('sigterm-ignored')).toEqual(['stops']);
    for (const name of [
      'shell-form-cmd',
      'user-removed',
      'dockerignore-deleted',
      'add-for-copy',
      'env-removed',
      'big-layer',
      'sigterm-ignored',
    ]) {
      expect(row(name), name).toMatchObject({ status: 'graded', score: 95, built: true });
    }
  });

  it('catches an unpinned base with the pinned-base check (whether or not a registry lets it build)', () => {
    const catches = caught('unpinned-base');
    expect(catches[0]).toBe('pinned-base');
    expect(catches).not.toContain('exec-form');
    // Without a registry the unpinned image cannot be pulled: then the build, and all behind it, fail too.
    if (row('unpinned-base').built === false) expect(catches).toContain('builds');
    else expect(catches).toEqual(['pinned-base']);
  });

  it('catches a wrong port, a crash at start and a broken build with the checks that run the service', () => {
    const service = [
      { id: 'answers', lost: 10, status: 'failed' },
      { id: 'http', lost: 10, status: 'skipped' },
      { id: 'stops', lost: 5, status: 'skipped' },
    ];
    expect(row('expose-changed').caught_by).toEqual(service);
    expect(row('app-port-changed').caught_by).toEqual(service);
    expect(row('crash-at-start').caught_by).toEqual(service);
    expect(row('broken-run').caught_by[0]).toEqual({ id: 'builds', lost: 15, status: 'failed' });
    expect(row('broken-run')).toMatchObject({ built: false, score: 50 });
    expect(caught('broken-run').slice(1)).toEqual(['image-size', 'non-root', 'answers', 'http', 'stops']);
  });

  it('says which mutations do not apply, and why', () => {
    expect(row('loopback-only')).toMatchObject({
      status: 'not-applicable',
      reason: 'no ENV, ARG, CMD or ENTRYPOINT passes the app a bind address (0.0.0.0)',
      caught_by: [],
    });
    expect(row('typo-in-edit')).toMatchObject({ status: 'not-applicable', reason: '"no such text" does not occur in handle.sh' });
  });

  it("runs the instructor's own mutations as well", () => {
    expect(row('dockerfile-deleted').caught_by[0]).toEqual({ id: 'dockerfile-present', lost: 5, status: 'failed' });
    expect(row('dockerfile-deleted').score).toBe(0);
    expect(row('maintainer-forgotten')).toMatchObject({ origin: 'custom', description: 'no LABEL maintainer', score: 95 });
    expect(caught('maintainer-forgotten')).toEqual(['label-maintainer']);
  });

  it('finds the survivors, the mutants that still pass, and the checks nothing tested', () => {
    // The web rubric never asks for /env-test: a greeting the app ignores costs nothing.
    expect(calibration.survivors).toEqual(['wrong-greeting']);
    expect(calibration.passing).toEqual(calibration.mutations.filter((r) => r.status === 'graded' && r.percent! >= 60).map((r) => r.name));
    expect(calibration.passing).toContain('crash-at-start');
    expect(calibration.passing).not.toContain('broken-run');
    // With the custom mutations every check lost points somewhere; the built-ins alone leave five untested.
    expect(calibration.untested).toEqual([]);
    const builtinsOnly = summarise(
      outcome.solution,
      calibration.mutations.filter((r) => r.origin === 'built-in'),
      0,
    );
    expect(builtinsOnly.untested).toEqual(['dockerfile-present', 'label-maintainer', 'workdir-absolute', 'apt-in-one-run', 'expose']);
    expect(builtinsOnly.survivors).toEqual([]);
  });

  it('renders the matrix as text and markdown', () => {
    const text = renderCalibrationText(calibration);
    expect(text).toMatch(/^ {2}sigterm-ignored +95\/100( +·){15} +✗$/m);
    expect(text).toMatch(/^ {2}broken-run +RUN exit 1 \(after line 3\) \(the image did not build\)$/m);
    expect(text).toMatch(/Mistakes that cost no points \(survivors\):\n {2}wrong-greeting: handle\.sh edited\n/);
    const markdown = renderCalibrationMarkdown(calibration);
    expect(markdown).toContain('| user-removed | 95/100 | · | · | · | · | · | · | · | · | · | · | · | · | ✗ | · | · | · |\n');
    expect(markdown).toContain('| 8 | apt-in-one-run: apt-get update and install share one RUN | 5 | dockerfile-deleted |\n');
  });

  it('leaves no container, network, image or copy behind', async () => {
    expect(runIds).toHaveLength(calibration.mutations.length + 1);
    for (const runId of runIds) await expectNothingLeft(runId);
    expect(await copies()).toEqual(copiesBefore);
  });
});

describe('a solution whose Dockerfile tells the app where to listen', () => {
  it('catches the app on another port or only on 127.0.0.1 with the service checks', async () => {
    const dir = path.join(scratch, 'httpd-solution');
    await mkdir(dir);
    await writeFile(path.join(dir, 'index.html'), 'hello\n');
    await writeFile(
      path.join(dir, 'Dockerfile'),
      'FROM busybox:1.35\nWORKDIR /www\nCOPY index.html /www/\nEXPOSE 8080\nUSER 65534:65534\nCMD ["httpd", "-f", "-p", "0.0.0.0:8080", "-h", "/www"]\n',
    );
    const rubric = parseRubric(
      'rubric: 1\ntitle: listen\nchecks:\n  - { id: answers, name: answers, required: true, tcp: {} }\n  - { id: page, name: page, http: { path: /index.html, status: 200, body: hello } }\n',
      'listen.yml',
    );
    const wanted = ['app-port-changed', 'loopback-only', 'expose-changed'];
    const ids: string[] = [];
    const result = await calibrate({
      solutionDir: dir,
      rubric,
      mutations: builtinMutations().filter((m) => wanted.includes(m.name)),
      engine,
      jobs: 3,
      logger: silentLogger,
      onProgress: (event) => ids.push(event.runId),
    });
    if (result.status !== 'calibrated') throw new Error(`did not calibrate: ${result.status}`);
    const byName = new Map(result.calibration.mutations.map((r) => [r.name, r]));
    expect(byName.get('app-port-changed')).toMatchObject({
      status: 'graded',
      change: "the app's port 8080 → 3000 (line 6); EXPOSE unchanged",
    });
    expect(byName.get('loopback-only')).toMatchObject({ status: 'graded', change: '0.0.0.0 → 127.0.0.1 (line 6)' });
    for (const name of wanted) {
      expect(byName.get(name)!.caught_by, name).toEqual([
        { id: 'answers', lost: expect.any(Number), status: 'failed' },
        { id: 'page', lost: expect.any(Number), status: 'skipped' },
      ]);
    }
    for (const runId of ids) await expectNothingLeft(runId);
  });
});

describe('a reference solution below full marks', () => {
  it('is refused before any mutant is graded', async () => {
    const dir = path.join(scratch, 'root-solution');
    await cp(webApp, dir, { recursive: true });
    await writeFile(path.join(dir, 'Dockerfile'), (await readFile(path.join(dir, 'Dockerfile'), 'utf8')).replace(/^USER .*$/m, ''));
    const events: string[] = [];
    const result = await calibrate({
      solutionDir: dir,
      rubric: await loadRubric('web'),
      mutations: builtinMutations(),
      engine,
      jobs: 2,
      logger: silentLogger,
      onProgress: (event) => events.push(event.type),
    });
    expect(result.status).toBe('not-perfect');
    expect(result.solution.checks.find((c) => c.id === 'non-root')).toMatchObject({ status: 'failed', points: 0 });
    expect(events).toEqual(['solution']);
  });
});

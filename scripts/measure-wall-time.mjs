#!/usr/bin/env node
/**
 * Figure: wall time to grade hostile submissions that never end by themselves, next to
 * the limits configured for them. Grades with the CLI bundle on Node 24:
 *   - a fork bomb as a one-shot run (time limit 3 s, pids 64) and as the service (ready timeout 5 s);
 *   - a CLI that never exits and ignores SIGTERM (time limit 3 s);
 *   - a service that never listens (ready timeout 5 s).
 * Each is graded twice: the first includes the image build, the second hits the build cache.
 * Goal: bounded by the configured limits plus a few seconds.
 *
 *   node scripts/measure-wall-time.mjs
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runQuietly } from './lib/run-quietly.mjs';

const root = path.resolve(import.meta.dirname, '..');
const node24 = path.join(root, 'node_modules/node/bin/node');
/** The CLI bundle to measure: dist/cli.js (`npm run bundle`), or another build given in GRADER_CLI. */
const cli = process.env.GRADER_CLI ?? path.join(root, 'dist/cli.js');
const LIMITS = 'limits: { memory: 64m, pids: 64 }';

const cases = [
  {
    name: 'fork bomb (run)',
    fixture: 'fork-bomb',
    limitS: 3,
    limit: 'run time limit 3 s, pids 64',
    rubric: `${LIMITS}\nchecks:\n  - { id: c, name: runs, timeout: 3s, run: { args: [] } }\n`,
  },
  {
    name: 'fork bomb (service)',
    fixture: 'fork-bomb',
    limitS: 5,
    limit: 'ready timeout 5 s, pids 64',
    rubric: `${LIMITS}\nservice: { port: 8080, ready: { timeout: 5s } }\nchecks:\n  - { id: c, name: answers, tcp: {} }\n`,
  },
  {
    name: 'CLI that never exits',
    fixture: 'never-exits',
    limitS: 3,
    limit: 'run time limit 3 s',
    rubric: `${LIMITS}\nchecks:\n  - { id: c, name: runs, timeout: 3s, run: { args: [] } }\n`,
  },
  {
    name: 'service that never listens',
    fixture: 'never-listens',
    limitS: 5,
    limit: 'ready timeout 5 s',
    rubric: `${LIMITS}\nservice: { ready: { timeout: 5s } }\nchecks:\n  - { id: c, name: answers, tcp: {} }\n`,
  },
];

const dir = await mkdtemp(path.join(tmpdir(), 'grader-measure-wall-'));
try {
  for (const c of cases) {
    const rubric = path.join(dir, `${c.fixture}.yml`);
    const json = path.join(dir, `${c.fixture}.json`);
    await writeFile(rubric, `rubric: 1\ntitle: ${c.name}\n${c.rubric}`);
    const times = [];
    let result;
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      await runQuietly(node24, [cli, path.join(root, 'test/fixtures/hostile', c.fixture), '--rubric', rubric, '--json', json]);
      times.push((Date.now() - started) / 1000);
      result = JSON.parse(await readFile(json, 'utf8'));
    }
    const check = result.checks[0];
    const worst = Math.max(...times);
    console.log(
      `${c.name.padEnd(28)} wall ${times.map((t) => `${t.toFixed(1)} s`).join(' / ')} (configured: ${c.limit}) → limit + ${(worst - c.limitS).toFixed(1)} s`,
    );
    console.log(`${''.padEnd(28)} ${check.status}: ${check.message}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

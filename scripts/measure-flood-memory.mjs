#!/usr/bin/env node
/**
 * Figure: the grader's peak memory while a submission floods 1 GB of output.
 * Grades test/fixtures/hostile/flood-1gb (a `run` printing 10^9 bytes of "x" as fast as it
 * can) with the CLI bundle on Node 24, under /usr/bin/time -v, and prints the CLI's
 * maximum resident set size. Goal: under 200 MB.
 *
 *   node scripts/measure-flood-memory.mjs
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const node24 = path.join(root, 'node_modules/node/bin/node');
/** The CLI bundle to measure: dist/cli.js (`npm run bundle`), or another build given in GRADER_CLI. */
const cli = process.env.GRADER_CLI ?? path.join(root, 'dist/cli.js');
const GOAL_MB = 200;

const dir = await mkdtemp(path.join(tmpdir(), 'grader-measure-flood-'));
try {
  const rubric = path.join(dir, 'rubric.yml');
  const json = path.join(dir, 'results.json');
  // The run passes only if the whole gigabyte was read: a grader that stopped draining
  // would leave `tr` blocked on a full pipe until the time limit.
  await writeFile(
    rubric,
    `rubric: 1
title: 1 GB flood
checks:
  - { id: flood, name: prints 1 GB, timeout: 180s, run: { args: [], exit_code: 0, stdout: { matches: "^x+" } } }
`,
  );
  // Baseline: the same CLI grading a run that prints about 1 KB.
  const small = path.join(dir, 'small.yml');
  await writeFile(small, 'rubric: 1\ntitle: small\nchecks:\n  - { id: small, name: prints a little, timeout: 30s, run: { args: [] } }\n');
  const base = await run('/usr/bin/time', ['-v', node24, cli, path.join(root, 'test/fixtures/hostile/binary-output'), '--rubric', small]);
  const baseKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(base.stderr)?.[1]);
  console.log(`baseline: grader peak RSS for a run printing ~1 KB: ${(baseKb / 1024).toFixed(1)} MiB`);

  const started = Date.now();
  const { code, stderr } = await run('/usr/bin/time', [
    '-v',
    node24,
    cli,
    path.join(root, 'test/fixtures/hostile/flood-1gb'),
    '--rubric',
    rubric,
    '--json',
    json,
  ]);
  const wallS = (Date.now() - started) / 1000;
  const maxKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]);
  const results = JSON.parse(await readFile(json, 'utf8'));
  const flood = results.checks.find((c) => c.id === 'flood');
  console.log(`flood check: ${flood.status} — ${flood.message}`);
  console.log(`CLI exit code ${code}, wall ${wallS.toFixed(1)} s (≈ ${(1000 / wallS).toFixed(0)} MB/s of output drained)`);
  console.log(
    `grader peak RSS while 1 GB was printed: ${(maxKb / 1024).toFixed(1)} MiB (goal < ${GOAL_MB} MB) — ${maxKb * 1024 < GOAL_MB * 1e6 && flood.status === 'passed' ? 'OK' : 'NOT MET'}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

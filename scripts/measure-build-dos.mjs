#!/usr/bin/env node
/**
 * Figure: what a hostile Dockerfile costs the engine. Grades with the CLI bundle on Node 24:
 *   - 10,000 ENV lines (148 KB), which kept the engine's BuildKit busy for over 25 minutes
 *     when it reached the engine: now refused before the engine sees it;
 *   - the costliest shapes still within the limits (200 instructions, 100 ENV/ARG/LABEL pairs);
 *   - a RUN step that spins forever, stopped by a 3 s build time limit.
 * After each grading, the engine's CPU use over the next 2 s (dockerd, containerd and what
 * they started) says whether it is idle again: it should be near 0 % of a core.
 *
 *   node scripts/measure-build-dos.mjs
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runQuietly } from './lib/run-quietly.mjs';
import { engineCpuOver } from './lib/engine-cpu.mjs';

const root = path.resolve(import.meta.dirname, '..');
const node24 = path.join(root, 'node_modules/node/bin/node');
const cli = process.env.GRADER_CLI ?? path.join(root, 'dist/cli.js');

const envLines = (lines, perLine) =>
  Array.from({ length: lines }, (_, i) => `ENV ${Array.from({ length: perLine }, (_, j) => `V${i}_${j}=value`).join(' ')}`).join('\n');

const cases = [
  { name: '10,000 ENV lines (148 KB)', dockerfile: `FROM busybox:1.35\n${envLines(10_000, 1)}\n` },
  { name: '200 instructions (ENV ×99, WORKDIR ×100)', dockerfile: `FROM busybox:1.35\n${envLines(99, 1)}\n${'WORKDIR /w\n'.repeat(100)}` },
  { name: '4 ENV lines of 25 variables', dockerfile: `FROM busybox:1.35\n${envLines(4, 25)}\n` },
  { name: '1 ENV line of 100 variables', dockerfile: `FROM busybox:1.35\n${envLines(1, 100)}\n` },
  {
    name: 'RUN spinning, 3 s build limit',
    dockerfile: `FROM busybox:1.35\nRUN echo ${Date.now()} && while :; do :; done\n`,
    timeout: '3s',
  },
];

const dir = await mkdtemp(path.join(tmpdir(), 'grader-measure-build-dos-'));
try {
  for (const c of cases) {
    const submission = path.join(dir, 'submission');
    await rm(submission, { recursive: true, force: true });
    await mkdir(submission);
    await writeFile(path.join(submission, 'Dockerfile'), c.dockerfile);
    const rubric = path.join(dir, 'rubric.yml');
    const json = path.join(dir, 'result.json');
    await writeFile(
      rubric,
      `rubric: 1\ntitle: build\nbuild: { timeout: ${c.timeout ?? '5m'} }\nchecks:\n  - { id: build, name: builds, build: {} }\n`,
    );
    const started = Date.now();
    await runQuietly(node24, [cli, submission, '--rubric', rubric, '--json', json]);
    const wall = (Date.now() - started) / 1000;
    const busy = await engineCpuOver(2_000);
    const check = JSON.parse(await readFile(json, 'utf8')).checks[0];
    console.log(`${c.name.padEnd(42)} wall ${wall.toFixed(2)} s; engine CPU in the 2 s after: ${(busy * 100).toFixed(0)} % of a core`);
    console.log(`${''.padEnd(42)} ${check.status}: ${check.message.slice(0, 140)}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
/**
 * Figure: how far past its disk limit a container gets before the grader kills it.
 * Grades throw-away submissions with the CLI bundle on Node 24, each a `run` check with a
 * 200 MiB disk limit, whose filler writes zeros as fast as it can in 16 MiB steps and
 * prints its running total after each: the last total printed is what it had written when
 * it was killed (less than 16 MiB short). The fillers:
 *   - straight away, into the writable layer;
 *   - after 300,000 empty files (slow for anyone who walks the layer to measure it);
 *   - after 45,000 empty files, just under the grader's file ceiling, so that each
 *     measure walks that many entries: next to them, and among them;
 *   - into a VOLUME path (a tmpfs of the disk limit plus 1 MiB: the kernel's bound).
 * Goal: the disk limit plus what the fastest writer does between two measures.
 *
 *   node scripts/measure-disk-overshoot.mjs
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runQuietly } from './lib/run-quietly.mjs';

const root = path.resolve(import.meta.dirname, '..');
const node24 = path.join(root, 'node_modules/node/bin/node');
/** The CLI bundle to measure: dist/cli.js (`npm run bundle`), or another build given in GRADER_CLI. */
const cli = process.env.GRADER_CLI ?? path.join(root, 'dist/cli.js');
const LIMIT_MIB = 200;
const STEP_MIB = 16;

/** Writes STEP_MIB at a time into `dir`, printing the MiB written so far, until killed (or 8 GiB). */
const fill = (dir) =>
  `i=0; while [ $i -lt ${8192 / STEP_MIB} ]; do dd if=/dev/zero of=${dir}/fill.$i bs=1M count=${STEP_MIB} 2>/dev/null || break; i=$((i+1)); echo $((i*${STEP_MIB})); done; echo done; sleep 60`;
const files = (count) => `mkdir /many && cd /many && seq ${count} | xargs touch && cd / && echo made`;

const cases = [
  { name: 'fast filler', script: fill('') },
  { name: '300,000 files, then fill', makesFiles: true, script: `${files(300_000)} && ${fill('')}` },
  { name: '45,000 files, then fill', makesFiles: true, script: `${files(45_000)} && ${fill('')}` },
  // Among them: found only when the walk reaches them, anywhere in the 45,000.
  { name: '45,000 files, fill among', makesFiles: true, script: `${files(45_000)} && ${fill('/many')}` },
  { name: 'VOLUME filler', volume: '/data', memory: '512m', script: fill('/data') },
];

const dir = await mkdtemp(path.join(tmpdir(), 'grader-measure-disk-'));
try {
  console.log(`disk limit ${LIMIT_MIB} MiB; figures are MiB written when killed (to within ${STEP_MIB} MiB)`);
  for (const c of cases) {
    const submission = path.join(dir, c.name.replace(/\W+/g, '-'));
    await mkdir(submission);
    const volume = c.volume ? `RUN mkdir ${c.volume}\nVOLUME ${c.volume}\n` : '';
    await writeFile(
      path.join(submission, 'Dockerfile'),
      `FROM busybox:1.35\n${volume}ENTRYPOINT ["sh", "-c", ${JSON.stringify(c.script)}]\n`,
    );
    const rubric = path.join(dir, 'rubric.yml');
    const json = path.join(dir, 'results.json');
    await writeFile(
      rubric,
      `rubric: 1\ntitle: ${c.name}\nlimits: { memory: ${c.memory ?? '64m'}, pids: 64, disk: ${LIMIT_MIB}m }\nchecks:\n  - { id: c, name: fills, timeout: 120s, run: { args: [] } }\n`,
    );
    const started = Date.now();
    await runQuietly(node24, [cli, submission, '--rubric', rubric, '--json', json]);
    const seconds = (Date.now() - started) / 1000;
    const check = JSON.parse(await readFile(json, 'utf8')).checks[0];
    const totals = (check.output ?? '')
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
    const written = totals.at(-1) ?? 0;
    const over = written - LIMIT_MIB;
    console.log(
      `${c.name.padEnd(27)} wrote ${String(written).padStart(5)} MiB (${over > 0 ? `${over} MiB over` : 'not over'} the limit)` +
        `${c.makesFiles && !check.output?.includes('made') ? ', killed before it had made all its files' : ''}; graded in ${seconds.toFixed(1)} s`,
    );
    console.log(`${''.padEnd(27)} ${check.status}: ${check.message}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

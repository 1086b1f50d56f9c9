// Benchmark of class mode: a class of 30 varied submissions (scripts/lib/class-fixture.mjs:
// good, flawed, broken, hostile, late, root, unpinned…, every one gradable) graded with
// `--jobs 1` and with the default --jobs, each with --force so that everything is graded;
// then an unchanged rerun (everything reused). Prints the wall times, the speed-up, and the
// grader process's peak RSS (its own getrusage maxRSS, written at exit).
//
//   npm run bench:class [-- --students 30 --rounds 1 --jobs N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { makeClass } from './lib/class-fixture.mjs';

const { values } = parseArgs({
  options: { students: { type: 'string', default: '30' }, rounds: { type: 'string', default: '1' }, jobs: { type: 'string' } },
});
const root = path.resolve(import.meta.dirname, '..');
const cli = process.env.GRADER_CLI ?? path.join(root, 'dist/cli.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'grader-bench-class-'));
const klass = makeClass(dir, { size: Number(values.students), gradableOnly: true });
const out = path.join(dir, 'grades');
const rssFile = path.join(dir, 'rss');
// Loaded into the grader process: notes its peak resident set when it exits.
const rssHook = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.GRADER_RSS_FILE, String(process.resourceUsage().maxRSS)));",
)}`;

function gradeClass(extra) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = [cli, 'class', klass.roster, '--rubric', klass.rubric, '--deadline', klass.deadline, '--out', out, ...extra];
    const env = { ...process.env, NO_COLOR: '1', CI: 'true', GRADER_RSS_FILE: rssFile, NODE_OPTIONS: `--import=${rssHook}` };
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`grader class exited ${code}:\n${stderr.slice(-2000)}`));
      resolve({ ms: performance.now() - started, rssKiB: Number(readFileSync(rssFile, 'utf8')) });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const defaultJobs = values.jobs ? ['--jobs', values.jobs] : [];
const runs = { one: [], many: [], rerun: [] };
try {
  console.log(`${klass.students.length} submissions, ${os.availableParallelism()} cores, ${values.rounds} round(s)`);
  await gradeClass(['--jobs', '1', '--force']); // warm the build cache and the base image
  for (let round = 0; round < Number(values.rounds); round++) {
    runs.one.push(await gradeClass(['--jobs', '1', '--force']));
    console.log(`  --jobs 1:       ${seconds(runs.one.at(-1).ms)}`);
    runs.many.push(await gradeClass([...defaultJobs, '--force']));
    console.log(`  --jobs ${values.jobs ?? 'default'}: ${seconds(runs.many.at(-1).ms)}`);
    runs.rerun.push(await gradeClass(defaultJobs));
    console.log(`  unchanged rerun: ${seconds(runs.rerun.at(-1).ms)}`);
  }
  const one = median(runs.one.map((r) => r.ms));
  const many = median(runs.many.map((r) => r.ms));
  console.log(`\n| measure | value |\n| --- | --- |`);
  console.log(`| --jobs 1 | ${seconds(one)} |`);
  console.log(`| --jobs ${values.jobs ?? 'default'} | ${seconds(many)} |`);
  console.log(`| speed-up | ${(one / many).toFixed(2)}× |`);
  console.log(`| unchanged rerun | ${seconds(median(runs.rerun.map((r) => r.ms)))} |`);
  console.log(`| peak RSS (grader process) | ${Math.round(Math.max(...[...runs.one, ...runs.many].map((r) => r.rssKiB)) / 1024)} MiB |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

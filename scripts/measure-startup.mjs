#!/usr/bin/env node
/**
 * Figure: start-up of the bundles, from process start to the first Docker Engine API call,
 * and their sizes. Grades examples/web-app with bench/rubric.yml through a proxy of the
 * engine's socket that notes when each call starts (scripts/lib/engine-trace.mjs): the CLI
 * (dist/cli.js) as `grader`, the action (dist/index.js) as the action's main step with
 * `report: none` (no GitHub API calls). The bundles take turns, so a busy moment of the
 * machine touches them alike. Median of --rounds runs (default 9) each.
 *
 *   node scripts/measure-startup.mjs [--rounds 9] [--node PATH] [DIR ...]   (default DIR: dist)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEngineTrace, wallClock } from './lib/engine-trace.mjs';

const { values, positionals } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, node: { type: 'string', default: process.execPath } },
  allowPositionals: true,
});
const root = path.resolve(import.meta.dirname, '..');
const dirs = positionals.length > 0 ? positionals : [path.join(root, 'dist')];
const example = path.join(root, 'examples/web-app');
const rubric = path.join(root, 'bench/rubric.yml');

const scratch = await mkdtemp(path.join(tmpdir(), 'grader-startup-'));
const trace = await startEngineTrace();
const engineEnv = { ...process.env, DOCKER_HOST: `unix://${trace.socket}`, NO_COLOR: '1' };

const kinds = {
  cli: (dir) => ({ args: [path.join(dir, 'cli.js'), example, '--rubric', rubric], env: engineEnv }),
  action: (dir) => ({
    args: [path.join(dir, 'index.js')],
    env: {
      ...engineEnv,
      INPUT_RUBRIC: rubric,
      INPUT_PATH: example,
      INPUT_REPORT: 'none',
      GITHUB_WORKSPACE: root,
      RUNNER_TEMP: scratch,
      GITHUB_STATE: path.join(scratch, 'state'),
      GITHUB_OUTPUT: path.join(scratch, 'output'),
    },
  }),
};

/** Runs one bundle to its end; the time from spawn to its first engine call. */
async function firstCall({ args, env }) {
  await Promise.all(['state', 'output'].map((file) => writeFile(path.join(scratch, file), '')));
  trace.calls.length = 0;
  const spawned = wallClock();
  const code = await new Promise((resolve, reject) => {
    const child = spawn(values.node, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0 || trace.calls.length === 0) throw new Error(`${args[0]} exited with ${code} after ${trace.calls.length} engine calls`);
  return trace.calls[0].start - spawned;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases = dirs.flatMap((dir) => Object.entries(kinds).map(([kind, make]) => ({ dir, kind, run: make(dir), times: [] })));
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const c of cases) c.times.push(await firstCall(c.run));
  }
  const bare = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const started = wallClock();
    await new Promise((resolve) => spawn(values.node, ['-e', ''], { stdio: 'ignore' }).on('exit', resolve));
    bare.push(wallClock() - started);
  }
  console.log(`Node ${values.node}: an empty script runs in ${median(bare).toFixed(0)} ms (median)`);
  for (const c of cases) {
    const file = c.run.args[0];
    const size = await loadedBytes(file);
    console.log(
      `${path.relative(root, file).padEnd(28)} ${(size / 1024 ** 2).toFixed(2)} MiB   first engine call after ${median(c.times).toFixed(0)} ms (median of ${c.times.length}, min ${Math.min(...c.times).toFixed(0)}; ${c.times.map((t) => t.toFixed(0)).join(' ')})`,
    );
  }
} finally {
  await trace.close();
  await rm(scratch, { recursive: true, force: true });
}

/**
 * Bytes of the entry and of every chunk it imports, statically or not, however deep, and of
 * the CommonJS program it runs (dist/cli.js runs dist/cli-main.cjs): what a run may load.
 */
async function loadedBytes(entry) {
  const seen = new Set();
  const visit = async (file) => {
    if (seen.has(file)) return 0;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    let total = (await stat(file)).size;
    for (const match of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+\.js)"|"(\.{1,2}\/[^"]+\.cjs)"/g))
      total += await visit(path.resolve(path.dirname(file), match[1] ?? match[2]));
    return total;
  };
  return visit(entry);
}

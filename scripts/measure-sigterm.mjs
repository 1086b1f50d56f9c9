#!/usr/bin/env node
/**
 * Figure: seconds from SIGTERM sent to the CLI during a build to a clean engine.
 * Grades test/fixtures/hostile/build-sleep (`RUN sleep 600`) with the CLI bundle on Node 24,
 * waits until the build's `sleep 600` process runs, sends SIGTERM to the CLI (this script's
 * own child, by pid), then polls every 100 ms until: the CLI has exited, no `sleep 600`
 * process started by this build is left, and no container, network, volume or image
 * labelled io.github.grader.run (created since this script started) remains. Goal: under 5 s.
 *
 *   node scripts/measure-sigterm.mjs
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const node24 = path.join(root, 'node_modules/node/bin/node');
/** The CLI bundle to measure: dist/cli.js (`npm run bundle`), or another build given in GRADER_CLI. */
const cli = process.env.GRADER_CLI ?? path.join(root, 'dist/cli.js');
const RUN_LABEL = 'io.github.grader.run';
const CREATED_LABEL = 'io.github.grader.created';
const GIVE_UP_MS = 60_000;
const exec = promisify(execFile);
const scriptStart = new Date();

/** Pids of processes whose command line is exactly `sleep 600`. */
async function sleepers() {
  const pids = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readFile(`/proc/${entry}/cmdline`, 'utf8')) === 'sleep\u0000600\u0000') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Grader-labelled resources created since this script started. */
async function labelled() {
  const format = `{{.ID}} {{.Label "${CREATED_LABEL}"}}`;
  const lists = await Promise.all([
    exec('docker', ['ps', '-a', '--filter', `label=${RUN_LABEL}`, '--format', format]),
    exec('docker', ['network', 'ls', '--filter', `label=${RUN_LABEL}`, '--format', format]),
    exec('docker', ['volume', 'ls', '--filter', `label=${RUN_LABEL}`, '--format', `{{.Name}} {{.Label "${CREATED_LABEL}"}}`]),
    exec('docker', ['image', 'ls', '--filter', `label=${RUN_LABEL}`, '--format', '{{.ID}} {{.CreatedAt}}']),
  ]);
  const kinds = ['container', 'network', 'volume', 'image'];
  const found = [];
  lists.forEach(({ stdout }, i) => {
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [id, ...rest] = line.split(' ');
      const created = Date.parse(kinds[i] === 'image' ? rest.slice(0, 2).join('T') + 'Z' : (rest[0] ?? ''));
      if (!Number.isFinite(created) || created >= scriptStart.getTime() - 1000) found.push(`${kinds[i]} ${id}`);
    }
  });
  return found;
}

const sleepersBefore = new Set(await sleepers());
const dir = await mkdtemp(path.join(tmpdir(), 'grader-measure-sigterm-'));
let child;
try {
  const rubric = path.join(dir, 'rubric.yml');
  await writeFile(rubric, 'rubric: 1\ntitle: sigterm\nchecks:\n  - { id: build, name: builds, build: {} }\n');
  child = spawn(node24, [cli, path.join(root, 'test/fixtures/hostile/build-sleep'), '--rubric', rubric], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exitedAt;
  let exitCode;
  child.on('exit', (code, signal) => {
    exitedAt = Date.now();
    exitCode = code ?? signal;
  });

  // Wait for the build step to be running.
  const waitStart = Date.now();
  let ours = [];
  while (ours.length === 0) {
    if (exitedAt !== undefined) throw new Error(`the CLI exited before the build step ran:\n${output}`);
    if (Date.now() - waitStart > GIVE_UP_MS) throw new Error('no `sleep 600` process appeared within 60 s');
    await new Promise((r) => setTimeout(r, 100));
    ours = (await sleepers()).filter((pid) => !sleepersBefore.has(pid));
  }
  console.log(
    `build step running after ${((Date.now() - waitStart) / 1000).toFixed(1)} s (sleep pid ${ours.join(', ')}); sending SIGTERM to the CLI (pid ${child.pid})`,
  );

  const sent = Date.now();
  child.kill('SIGTERM');
  let sleepGoneAt;
  let engineCleanAt;
  let remaining = [];
  while (Date.now() - sent < GIVE_UP_MS) {
    const alive = (await sleepers()).filter((pid) => ours.includes(pid));
    if (alive.length === 0 && sleepGoneAt === undefined) sleepGoneAt = Date.now();
    remaining = await labelled();
    engineCleanAt = remaining.length === 0 ? (engineCleanAt ?? Date.now()) : undefined;
    if (exitedAt !== undefined && sleepGoneAt !== undefined && engineCleanAt !== undefined) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const secs = (t) => (t === undefined ? 'never (gave up after 60 s)' : `${((t - sent) / 1000).toFixed(2)} s`);
  console.log(`CLI exited (code ${exitCode}) after ${secs(exitedAt)}`);
  console.log(`build's sleep 600 gone after ${secs(sleepGoneAt)}`);
  console.log(
    `no grader-labelled container/network/volume/image after ${secs(engineCleanAt)}${remaining.length ? ` (left: ${remaining.join(', ')})` : ''}`,
  );
  const done = [exitedAt, sleepGoneAt, engineCleanAt];
  const total = done.includes(undefined) ? undefined : Math.max(...done);
  console.log(`SIGTERM → clean engine: ${secs(total)} (goal < 5 s) — ${total !== undefined && total - sent < 5000 ? 'OK' : 'NOT MET'}`);
  const older = (
    await exec('docker', ['ps', '-a', '--filter', `label=${RUN_LABEL}`, '--format', '{{.ID}} ({{.Label "io.github.grader.created"}})'])
  ).stdout.trim();
  console.log(
    `docker ps -a, every grader-labelled container: ${older || 'none'}${older ? ' (created before this script: not from this run)' : ''}`,
  );
  if (process.env.VERBOSE) console.log(output);
} finally {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}

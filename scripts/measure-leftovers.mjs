#!/usr/bin/env node
/**
 * Figure: leftovers after the whole hostile suite. Runs test/integration/hostile*.test.ts
 * (vitest, on the real engine) with HOSTILE_RUN_IDS_FILE set, so each grading records its
 * run id, then counts the containers, networks, volumes and images still labelled
 * io.github.grader.run with one of those ids, and the test's own helpers (labelled
 * io.github.grader.test-run); then the firewall rules of those runs, cache mounts in the
 * engine, temp folders the grader makes, git processes, and the engine's CPU use once the
 * suite is over. Goal: zero, and an idle engine.
 *
 *   node scripts/measure-leftovers.mjs
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { engineCpuOver } from './lib/engine-cpu.mjs';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const exec = promisify(execFile);
const RUN_LABEL = 'io.github.grader.run';

const dir = await mkdtemp(path.join(tmpdir(), 'grader-measure-leftovers-'));
try {
  const idsFile = path.join(dir, 'run-ids');
  const started = Date.now();
  const code = await new Promise((resolve, reject) => {
    const child = spawn('npx', ['vitest', 'run', 'test/integration/hostile'], {
      cwd: root,
      env: { ...process.env, HOSTILE_RUN_IDS_FILE: idsFile, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (c) => {
      const summary = out.split('\n').filter((l) => /Test Files|Tests |✓|×|FAIL/.test(l));
      console.log(summary.join('\n'));
      resolve(c);
    });
  });
  const runIds = (await readFile(idsFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  console.log(`hostile suite: exit ${code}, ${((Date.now() - started) / 1000).toFixed(0)} s, ${runIds.length} gradings`);

  const kinds = [
    ['containers', ['ps', '-a', '-q']],
    ['networks', ['network', 'ls', '-q']],
    ['volumes', ['volume', 'ls', '-q']],
    ['images', ['image', 'ls', '-q']],
  ];
  const totals = {};
  for (const [kind, args] of kinds) {
    totals[kind] = 0;
    for (const id of runIds) {
      const { stdout } = await exec('docker', [...args, '--filter', `label=${RUN_LABEL}=${id}`]);
      totals[kind] += stdout.split('\n').filter(Boolean).length;
    }
  }
  const helpers =
    (await exec('docker', ['ps', '-a', '-q', '--filter', 'label=io.github.grader.test-run'])).stdout.split('\n').filter(Boolean).length +
    (await exec('docker', ['network', 'ls', '-q', '--filter', 'label=io.github.grader.test-run'])).stdout.split('\n').filter(Boolean)
      .length;
  const sum = Object.values(totals).reduce((a, b) => a + b, 0);
  console.log(
    `leftovers labelled with the suite's ${runIds.length} run ids: ${Object.entries(totals)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')} (goal 0) — ${sum === 0 ? 'OK' : 'NOT MET'}`,
  );
  console.log(`the tests' own helper containers/networks (label io.github.grader.test-run) left: ${helpers}`);

  const rules = await exec('sh', ['-c', 'iptables -w 5 -S INPUT; iptables -w 5 -S DOCKER-USER']).then(
    (r) => r.stdout,
    () => '',
  );
  const runRules = rules.split('\n').filter((line) => runIds.some((id) => line.includes(`grader:${id}`))).length;
  const usage = JSON.parse((await exec('curl', ['-s', '--unix-socket', '/var/run/docker.sock', 'http://engine/system/df'])).stdout);
  const cacheMounts = (usage.BuildCache ?? []).filter((record) => record.Type === 'exec.cachemount').length;
  const tmp = (await readdir(tmpdir())).filter((name) => /^grader-(submission|git-home|hostile)/.test(name)).length;
  const git = (await exec('sh', ['-c', 'pgrep -c -x git || true'])).stdout.trim();
  console.log(
    `firewall rules of those runs: ${runRules}; cache mounts in the engine: ${cacheMounts}; grader temp folders: ${tmp}; git processes: ${git} (goal 0 each)`,
  );
  console.log(`engine CPU over the 3 s after the suite: ${((await engineCpuOver(3_000)) * 100).toFixed(0)} % of a core (goal: near 0)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

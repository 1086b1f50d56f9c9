/**
 * The benchmark's baseline: the work bench/rubric.yml asks for, done with no grader.
 *
 * Every step but the build is the docker CLI: `image inspect`, `run -d` with the limits
 * the grader gives a service (memory and swap, CPUs, pids, capabilities, no new
 * privileges, capped logs, no health check), `inspect` for the address, polling the port
 * on the grader's schedule, the four HTTP requests of the rubric's checks, `rm -f`. The
 * requests go one after the other: the example's server (busybox `nc -ll`) listens with a
 * backlog of two, so connections made at once, as the grader's checks make them, now and
 * then wait a second for a SYN to be sent again. One at a time, the baseline never does.
 * The rubric's network limit is the default, `none`: no way out, yet the checks reach the
 * port. The docker CLI's way to that is what the grader does too, an internal network of
 * the run's own (`network create --internal`, `run --network`, `network rm`).
 *
 * The build goes through the Engine API with BuildKit (`version=2`), as the grader builds:
 * the docker CLI here has no buildx, so `docker build` would use the classic builder,
 * which caches and answers differently. The request is made from this process, so the
 * baseline pays no client start-up for it (a `docker build` would): if anything, the
 * baseline is a little faster than the CLI would be. Its image is kept, so every round
 * builds on the same warm cache as the grader.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { promisify } from 'node:util';
import ignore from '@balena/dockerignore';
import tar from 'tar-fs';
import { wallClock } from './engine-trace.mjs';

const run = promisify(execFile);
const docker = async (...args) => (await run('docker', args, { encoding: 'utf8' })).stdout.trim();

export const BASELINE_TAG = 'grader-bench/baseline:latest';

/** The grader's service limits (rubric defaults) and sandbox, as docker CLI flags. */
const RUN_FLAGS = [
  '--memory',
  '512m',
  '--memory-swap',
  '512m',
  '--cpus',
  '1',
  '--pids-limit',
  '256',
  '--cap-drop',
  'ALL',
  ...['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE', 'KILL'].flatMap((cap) => ['--cap-add', cap]),
  '--security-opt',
  'no-new-privileges',
  '--ipc',
  'private',
  '--no-healthcheck',
  '--log-driver',
  'json-file',
  '--log-opt',
  'max-size=10m',
  '--log-opt',
  'max-file=1',
];

/**
 * One round: returns each step's milliseconds, and when the checks' answers were all in
 * (`resultMs`) and everything was removed (`totalMs`), from its start.
 * `service` is `{ port, env, requests: [[path, status]] }`.
 * Throws when a step fails or an answer is not what the rubric expects.
 */
export async function baselineOnce(contextDir, service, engineSocket = '/var/run/docker.sock') {
  const started = wallClock();
  let resultMs;
  const steps = {};
  const step = async (name, work) => {
    const started = wallClock();
    const value = await work();
    steps[name] = wallClock() - started;
    return value;
  };
  await step('build', () => buildWithBuildKit(contextDir, BASELINE_TAG, engineSocket));
  await step('image inspect', () => docker('image', 'inspect', BASELINE_TAG));
  const network = `grader-bench-${randomBytes(6).toString('hex')}`;
  await step('network create', () => docker('network', 'create', '--internal', network));
  try {
    const env = Object.entries(service.env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    const id = await step('run -d', () => docker('run', '-d', ...RUN_FLAGS, '--network', network, ...env, BASELINE_TAG));
    try {
      const ip = await step('inspect', () => docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id));
      await step('port', () => waitForPort(ip, service.port, 60_000));
      await step('requests', async () => {
        for (const [urlPath, status] of service.requests) {
          const got = await get(ip, service.port, urlPath);
          if (got !== status) throw new Error(`baseline: GET ${urlPath} answered ${got}, expected ${status}`);
        }
      });
      resultMs = wallClock() - started;
    } finally {
      await step('rm -f', () => docker('rm', '-f', id));
    }
  } finally {
    await step('network rm', () => docker('network', 'rm', network));
  }
  return { steps, resultMs, totalMs: wallClock() - started };
}

/** POST /build with BuildKit, the context as a tar that honours .dockerignore; resolves when the build ends. */
function buildWithBuildKit(contextDir, tag, socketPath) {
  const rules = readFileSync(path.join(contextDir, '.dockerignore'), 'utf8');
  const ignored = ignore().add(rules.split('\n'));
  const context = tar.pack(contextDir, { ignore: (name) => ignored.ignores(path.relative(contextDir, name)) });
  const query = new URLSearchParams({ t: tag, version: '2', rm: '1' });
  return new Promise((resolve, reject) => {
    const request = http.request(
      { socketPath, method: 'POST', path: `/build?${query}`, headers: { 'Content-Type': 'application/x-tar' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          const failed =
            response.statusCode !== 200 ||
            text.split('\n').some((line) => line.startsWith('{"errorDetail"') || line.startsWith('{"error"'));
          if (failed) reject(new Error(`baseline build failed (${response.statusCode}): ${text.slice(-500)}`));
          else resolve();
        });
      },
    );
    request.on('error', reject);
    context.pipe(request);
  });
}

/** The grader's readiness schedule: 25 ms, growing by half up to 250 ms. */
async function waitForPort(host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let interval = 25;
  while (!(await connects(host, port))) {
    if (Date.now() > deadline) throw new Error(`baseline: port ${port} never opened`);
    await delay(interval);
    interval = Math.min(interval * 1.5, 250);
  }
}

function connects(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function get(host, port, urlPath) {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: urlPath, timeout: 5000, agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      })
      .on('error', reject);
  });
}

// Benchmark: grading examples/web-app with bench/rubric.yml (ten checks) versus the
// same work done with the plain docker CLI (build, run, wait for the port, request
// each endpoint, remove), on a warm build cache. Prints both medians and the ratio.
//
//   npm run bench [-- --rounds 7]
import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const example = 'examples/web-app';
const rubric = 'bench/rubric.yml';
const requests = [
  ['/ping', 200],
  ['/env-test', 200],
  ['/', 200],
  ['/nope', 404],
];

const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function gradeOnce() {
  const run = spawnSync(process.execPath, ['dist/cli.js', example, '--rubric', rubric, '--no-color'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`grader exited with ${run.status}:\n${run.stdout}\n${run.stderr}`);
}

async function dockerCliOnce() {
  const tag = 'grader-bench/baseline:latest';
  docker('build', '-q', '-t', tag, example);
  const id = docker('run', '-d', '-e', 'GREETING=hello bench', tag);
  try {
    const ip = docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id);
    await waitForPort(ip, 8080, 60_000);
    for (const [path, status] of requests) {
      const got = await get(ip, 8080, path);
      if (got !== status) throw new Error(`baseline: GET ${path} answered ${got}, expected ${status}`);
    }
  } finally {
    docker('rm', '-f', id);
    docker('rmi', tag);
  }
}

function waitForPort(host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => { socket.destroy(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} never opened`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

function get(host, port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host, port, path, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

console.log(`warming the build cache…`);
gradeOnce();
await dockerCliOnce();

const graderTimes = [];
const cliTimes = [];
for (let round = 1; round <= rounds; round++) {
  // Alternate the order so neither side always runs on a cooler machine.
  const pair = round % 2 ? [['grader', gradeOnce], ['docker', dockerCliOnce]] : [['docker', dockerCliOnce], ['grader', gradeOnce]];
  for (const [name, fn] of pair) {
    const ms = await timed(fn);
    (name === 'grader' ? graderTimes : cliTimes).push(ms);
  }
  console.log(`round ${round}: grader ${graderTimes.at(-1).toFixed(0)} ms, docker CLI ${cliTimes.at(-1).toFixed(0)} ms`);
}

const g = median(graderTimes);
const c = median(cliTimes);
console.log(`\nmedian over ${rounds} rounds (warm cache, ${requests.length} requests, 10 checks)`);
console.log(`  grader      ${g.toFixed(0)} ms`);
console.log(`  docker CLI  ${c.toFixed(0)} ms`);
console.log(`  ratio       ${(g / c).toFixed(2)}x (goal ≤ 1.15x)`);

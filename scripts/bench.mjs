// Benchmark: grading examples/web-app with bench/rubric.yml (ten checks) against a
// baseline that does the same engine work with no grader (scripts/lib/bench-baseline.mjs:
// a BuildKit build through the Engine API, as the grader builds, then the docker CLI's
// `image inspect`, an internal network for the rubric's default `network: none`, `run -d`
// with the same limits, polling the port, the four HTTP requests of the rubric, `rm -f`,
// `network rm`). Both sides build with BuildKit on the same warm cache, which neither
// clears between rounds (the grader removes its image at the end of each run, as it always
// does; the layers stay cached). Why the baseline builds through the API rather than with
// `docker build`: see scripts/lib/bench-baseline.mjs.
//
// Prints each round, the medians and their ratios (to the report, and to the end, which
// counts the clean-up), then where the grader's time goes:
// a few more rounds run through a proxy of the engine's socket (scripts/lib/engine-trace.mjs)
// that notes when each API call starts and ends, and the baseline's own steps.
//
//   npm run bench [-- --rounds 9 --traced 3]
//   GRADER_CLI=path/to/cli.js npm run bench    (another bundle than dist/cli.js)
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BASELINE_TAG, baselineOnce } from './lib/bench-baseline.mjs';
import { startEngineTrace, wallClock } from './lib/engine-trace.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, traced: { type: 'string', default: '3' } },
});
const rounds = Number(values.rounds);
const tracedRounds = Number(values.traced);
const root = path.resolve(import.meta.dirname, '..');
const cli = process.env.GRADER_CLI ?? path.join(root, 'dist/cli.js');
const example = path.join(root, 'examples/web-app');
const rubric = path.join(root, 'bench/rubric.yml');
// What bench/rubric.yml asks of the service.
const service = {
  port: 8080,
  env: { GREETING: 'hello bench' },
  requests: [
    ['/ping', 200],
    ['/env-test', 200],
    ['/', 200],
    ['/nope', 404],
  ],
};

/** Grades once; returns the wall-clock times of the start, the report's appearance and the exit. */
function gradeOnce(env = process.env) {
  return new Promise((resolve, reject) => {
    const spawned = wallClock();
    const child = spawn(process.execPath, [cli, example, '--rubric', rubric, '--no-color'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let reported;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (reported === undefined && stdout.includes('Score ')) reported = wallClock();
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const exited = wallClock();
      if (code !== 0 || !stdout.includes('Score 10/10')) reject(new Error(`grader exited with ${code}:\n${stdout}\n${stderr}`));
      else resolve({ spawned, reported, exited });
    });
  });
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '–');

console.log(
  `grader: ${path.relative(root, cli) || cli} on Node ${process.version}; docker ${execFileSync('docker', ['version', '-f', '{{.Server.Version}}'], { encoding: 'utf8' }).trim()}`,
);
console.log('warming the build cache…');
await gradeOnce();
await baselineOnce(example, service);

const grader = { result: [], total: [] };
const baseline = { result: [], total: [], steps: [] };
for (let round = 1; round <= rounds; round++) {
  // Alternate the order so that neither side always runs on a cooler machine.
  const sides = [
    async () => {
      const { spawned, reported, exited } = await gradeOnce();
      grader.result.push(reported - spawned);
      grader.total.push(exited - spawned);
    },
    async () => {
      const { steps, resultMs, totalMs } = await baselineOnce(example, service);
      baseline.result.push(resultMs);
      baseline.total.push(totalMs);
      baseline.steps.push(steps);
    },
  ];
  for (const side of round % 2 ? sides : sides.reverse()) await side();
  console.log(`round ${round}: grader ${ms(grader.total.at(-1))}, baseline ${ms(baseline.total.at(-1))}`);
}

const row = (label, a, b) => `  ${label.padEnd(10)} ${a.padStart(14)} ${b.padStart(14)}`;
const ratio = (side) => median(grader[side]) / median(baseline[side]);
console.log(`\nmedian over ${rounds} rounds (warm cache, ${service.requests.length} requests, 10 checks)`);
console.log(row('', 'to the report', 'to the end'));
console.log(row('grader', ms(median(grader.result)), ms(median(grader.total))));
console.log(row('baseline', ms(median(baseline.result)), ms(median(baseline.total))));
console.log(`${row('ratio', `${ratio('result').toFixed(2)}×`, `${ratio('total').toFixed(2)}×`)}   (goal ≤ 1.15×, to the end)`);
console.log('  (the grader prints its report before it cleans up; the baseline\'s "report" is its last answer, before rm -f)');

// Where the grader's time goes, from the engine calls it makes.
const phases = [];
const trace = await startEngineTrace();
try {
  for (let round = 0; round < tracedRounds; round++) {
    trace.calls.length = 0;
    const run = await gradeOnce({ ...process.env, DOCKER_HOST: `unix://${trace.socket}` });
    phases.push(
      graderPhases(
        trace.calls.map((call) => ({ ...call })),
        run,
      ),
    );
  }
} finally {
  await trace.close();
}
console.log(`\ngrader, by phase (median of ${tracedRounds} rounds through a tracing proxy of the engine socket)`);
for (const name of Object.keys(phases[0] ?? {})) console.log(`  ${name.padEnd(40)} ${ms(median(phases.map((p) => p[name])))}`);
console.log('\nbaseline, by step (median of the timed rounds)');
for (const name of Object.keys(baseline.steps[0] ?? {}))
  console.log(`  ${name.padEnd(40)} ${ms(median(baseline.steps.map((s) => s[name])))}`);

execFileSync('docker', ['rmi', BASELINE_TAG], { stdio: 'ignore' });

/**
 * Splits one traced grading at its engine calls: the first call; the build; from the
 * build's end to the service's start (image inspect, network, create, start); from there
 * to the first clean-up call (readiness and the checks, which talk to the container, not
 * the engine); the clean-up calls; and from the last answer to the exit.
 */
function graderPhases(calls, { spawned, reported, exited }) {
  const first = calls[0];
  const build = calls.find((c) => c.method === 'POST' && /^\/(build|session)\b/.test(c.path) && !c.path.startsWith('/build/'));
  const buildEnd = calls.find((c) => c.method === 'POST' && /^\/build\?/.test(c.path))?.end;
  const started = calls.find((c) => c.method === 'POST' && /^\/containers\/[^/]+\/start/.test(c.path));
  const afterStart = calls.filter((c) => started && c.start >= started.end);
  const cleanup = afterStart.find((c) => c.method === 'DELETE' || /grader\.run%3D/.test(c.path));
  const lastEnd = Math.max(...calls.map((c) => c.end ?? c.start));
  return {
    'start-up to first engine call': first.start - spawned,
    'engine check, build firewall, repo checks': build ? build.start - first.start : NaN,
    build: build && buildEnd ? buildEnd - build.start : NaN,
    'image checks, network, container start': buildEnd && started ? started.end - buildEnd : NaN,
    'readiness and service checks': started && cleanup ? cleanup.start - started.end : NaN,
    'clean-up, and the sweep of old leftovers': cleanup ? lastEnd - cleanup.start : NaN,
    'last engine answer to exit': exited - lastEnd,
    'report printed (from start)': reported - spawned,
    'total (traced)': exited - spawned,
  };
}

/**
 * The `grader` command as users run it: the committed bundle, real engine, real git.
 * Exit codes, the JSON contract, the markdown file, and Ctrl-C clean-up.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, engine as connectEngine, eventually } from '../helpers/docker.js';
import { makeSubmission, writeRubric, type TempSubmission } from '../helpers/submissions.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const made: TempSubmission[] = [];
/** After a signal, the CLI cleans up and exits 130 this long later whatever the pipeline is doing. */
const BACKSTOP_MS = 5_000;

afterAll(async () => {
  await Promise.all(made.map((s) => s.remove()));
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function grader(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function temp(files: Record<string, string>): Promise<string> {
  const s = await makeSubmission(files);
  made.push(s);
  return s.dir;
}

describe('grader CLI', () => {
  it('validates a good rubric (exit 0) and reports every problem of a broken one with file:line:column (exit 2)', async () => {
    const ok = await grader(['validate', 'rubrics/web.yml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/web\.yml: 16 checks, 100 points, pass 60%/);

    const dir = await temp({});
    const broken = await writeRubric(dir, 'rubric: 1\ntitle: t\nchecks:\n  - name: a\n    http: { stauts: 200 }\n');
    const bad = await grader(['validate', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${broken}:5:13: checks[0].http.stauts: unknown key "stauts" (did you mean "status"?)`);

    const grading = await grader([dir, '--rubric', broken]);
    expect(grading.code).toBe(2);
    expect(grading.stderr).toContain('did you mean "status"');
  });

  it('grades the example: exit 0, the JSON contract and the markdown report', async () => {
    const dir = await temp({});
    const json = path.join(dir, 'results.json');
    const markdown = path.join(dir, 'report.md');
    const run = await grader(['examples/web-app', '--rubric', 'web', '--json', json, '--markdown', markdown]);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Score 100\/100 \(100%\)/);
    const results = JSON.parse(readFileSync(json, 'utf8'));
    expect(results).toMatchObject({
      rubric: { title: 'Dockerfile homework — web service' },
      submission: { source: 'examples/web-app' },
      status: 'graded',
      score: 100,
      max_score: 100,
      percent: 100,
      passed: true,
    });
    expect(typeof results.duration_ms).toBe('number');
    expect(Object.keys(results.checks[0])).toEqual(
      expect.arrayContaining(['id', 'name', 'kind', 'status', 'points', 'max_points', 'message']),
    );
    expect(readFileSync(markdown, 'utf8')).toMatch(/100 \/ 100/);
  });

  it('exits 1 below the pass mark', async () => {
    const dir = await temp({ Dockerfile: 'FROM busybox:1.35\nCMD ["true"]\n' });
    const rubric = await writeRubric(
      dir,
      'rubric: 1\ntitle: t\npass: 50\nchecks:\n  - { name: pinned, dockerfile: { rule: pinned-base } }\n  - { name: label, dockerfile: { instruction: LABEL, contains: maintainer } }\n  - { name: user, dockerfile: { rule: non-root-user } }\n',
    );
    const run = await grader([dir, '--rubric', rubric]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/1\/3 \(33\.3%\)/);
    expect((await grader([dir, '--rubric', rubric, '--fail-under', '30'])).code).toBe(0);
  });

  it('exits 3 with no score, saying so, when the engine is down', async () => {
    const dir = await temp({});
    const json = path.join(dir, 'results.json');
    const run = await grader(['examples/web-app', '--rubric', 'web', '--json', json], { DOCKER_HOST: `unix://${dir}/no-engine.sock` });
    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).toMatch(/no-engine\.sock/);
    const results = JSON.parse(readFileSync(json, 'utf8'));
    expect(results).toMatchObject({ status: 'ungradable', score: null, percent: null, passed: false });
  });

  it('speaks TLS to an engine that asks for it (DOCKER_TLS_VERIFY)', async () => {
    // An engine that is no engine: it notes whether a connection opens with a TLS handshake record, then hangs up.
    const handshakes: boolean[] = [];
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (data: Buffer) => {
        handshakes.push(data[0] === 0x16 && data[1] === 0x03);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await grader(['examples/web-app', '--rubric', 'web'], {
        DOCKER_HOST: `tcp://127.0.0.1:${port}`,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: '',
      });
      expect(run.code).toBe(3);
      expect(run.stdout + run.stderr).toMatch(/TLS/);
      expect(handshakes.length).toBeGreaterThan(0);
      expect(handshakes.every(Boolean)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('cleans up everything on Ctrl-C while waiting for a service, within seconds', async () => {
    await connectEngine();
    const dir = await temp({ Dockerfile: 'FROM busybox:1.35\nEXPOSE 8080\nCMD ["sleep", "600"]\n' });
    const rubric = await writeRubric(
      dir,
      'rubric: 1\ntitle: t\nservice: { ready: { timeout: 120s } }\nchecks:\n  - { name: port, tcp: {} }\n',
    );
    const child = spawn(process.execPath, [cli, dir, '--rubric', rubric, '--verbose'], { cwd: root });
    let stderr = '';
    const sawStart = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('Starting the service')) resolve();
      });
      child.on('close', (code) => reject(new Error(`grader exited (${code}) before starting the service:\n${stderr}`)));
    });
    await sawStart;
    const runId = /run ([0-9a-f]+):/.exec(stderr)?.[1];
    expect(runId).toBeDefined();
    const labelled = (...what: string[]) => docker(...what, '--filter', `label=io.github.grader.run=${runId}`);
    // The signal must find the service container and its network there, or there is nothing to clean up.
    await eventually(async () => {
      const running = await labelled('ps', '-q', '--filter', 'status=running');
      if (running === '') throw new Error(`run ${runId} never had its service container running`);
    });
    expect(await labelled('network', 'ls', '-q')).not.toBe('');
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const elapsed = Date.now() - interruptedAt;
    expect(code).toBe(130);
    // The CLI's backstop also exits 130 after cleaning up, but only 5 s after the signal:
    // ending sooner is what shows the pipeline stopped by itself.
    expect(elapsed).toBeLessThan(BACKSTOP_MS);
    expect(await labelled('ps', '-aq')).toBe('');
    expect(await labelled('network', 'ls', '-q')).toBe('');
  });
});

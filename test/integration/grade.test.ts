/**
 * The whole pipeline on the real Docker Engine: real builds, real containers,
 * each outcome a user will meet (crash, wrong port, slow start, failed build…).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grade, newRunId } from '../../src/core/grade.js';
import type { GradeResult } from '../../src/basics/results.js';
import type { ContainerEngine } from '../../src/engine/engine.js';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';
import { engine as connectEngine, expectNothingLeft } from '../helpers/docker.js';
import { makeSubmission, type TempSubmission } from '../helpers/submissions.js';

let engine: ContainerEngine;
const made: TempSubmission[] = [];

beforeAll(async () => {
  engine = await connectEngine();
});

afterAll(async () => {
  await Promise.all(made.map((s) => s.remove()));
});

const root = path.resolve(import.meta.dirname, '../..');

async function gradeFolder(dir: string, rubricText: string): Promise<{ result: GradeResult; runId: string }> {
  const rubric = parseRubric(rubricText, 'test-rubric.yml');
  const runId = newRunId();
  const result = await grade({ rubric, submission: { dir, source: dir }, engine, runId });
  return { result, runId };
}

async function submission(files: Record<string, string>): Promise<string> {
  const s = await makeSubmission(files);
  made.push(s);
  return s.dir;
}

function byId(result: GradeResult, id: string) {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

/**
 * The ready timeout of the tests below that must end early. The message tells an early end
 * from a timeout; half the timeout is the bound on a busy machine (it usually takes seconds).
 */
const READY_TIMEOUT_MS = 60_000;
const EARLY_MS = READY_TIMEOUT_MS / 2;

/** A shell web server in BusyBox: answers every request with `body`, on `port`, after `delay` seconds. */
function shellServer(port: number, body: string, delay = 0): Record<string, string> {
  return {
    'server.sh': `#!/bin/sh\ntrap 'exit 0' TERM\nsleep ${delay}\necho "listening on ${port}"\nnc -ll -p ${port} -e /app/handle.sh &\nwait $!\n`,
    'handle.sh': `#!/bin/sh\nread -r line\nprintf 'HTTP/1.1 200 OK\\r\\nContent-Length: ${body.length}\\r\\nConnection: close\\r\\n\\r\\n${body}'\n`,
  };
}

describe('grading on the real engine', () => {
  it('gives the bundled web example full marks with the built-in web rubric, leaving nothing behind', async () => {
    const rubric = await loadRubric('web');
    const runId = newRunId();
    const result = await grade({
      rubric,
      submission: { dir: path.join(root, 'examples/web-app'), source: 'examples/web-app' },
      engine,
      runId,
    });
    const notPassed = result.checks.filter((c) => c.status !== 'passed').map((c) => `${c.name}: ${c.message}`);
    expect(notPassed).toEqual([]);
    expect(result).toMatchObject({ status: 'graded', percent: 100, passed: true });
    expect(result.build?.ok).toBe(true);
    await expectNothingLeft(runId);
  });

  it('gives the bundled CLI example full marks with the built-in cli rubric', async () => {
    const rubric = await loadRubric('cli');
    const result = await grade({ rubric, submission: { dir: path.join(root, 'examples/cli-app'), source: 'examples/cli-app' }, engine });
    expect(result.checks.filter((c) => c.status !== 'passed').map((c) => `${c.name}: ${c.message}`)).toEqual([]);
    expect(result.percent).toBe(100);
  });

  it('runs a CLI with arguments and stdin, and sees through a wrong answer', async () => {
    const { result } = await gradeFolder(
      path.join(root, 'examples/cli-app'),
      `
rubric: 1
title: CLI
checks:
  - { id: count, name: counts words from stdin, run: { args: [count], stdin: "one two three\\n", stdout: { equals: "3" } } }
  - { id: greet, name: greets in Korean, run: { args: [greet, 민수], env: { GREETING: 안녕 }, stdout: { equals: "안녕, 민수!" } } }
  - { id: usage, name: bad command exits 2, run: { args: [nope], exit_code: 2, stderr: unknown command } }
  - { id: wrong, name: wrong expectation, run: { args: [count], stdin: "a b", stdout: { equals: "3" } } }
`,
    );
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['count', 'passed'],
      ['greet', 'passed'],
      ['usage', 'passed'],
      ['wrong', 'failed'],
    ]);
    expect(byId(result, 'wrong').message).toMatch(/stdout/);
    expect(byId(result, 'wrong').output?.trim()).toBe('2');
  });

  it('names the failing step, its line and the log tail when the build fails, and skips what needs the image', async () => {
    const dir = await submission({
      Dockerfile:
        'FROM busybox:1.35\nWORKDIR /app\nRUN echo "installing deps" && \\\n    echo "npm ERR! missing script: build" >&2 && exit 3\nCMD ["true"]\n',
    });
    const { result, runId } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
checks:
  - { id: build, name: builds, required: true, build: {} }
  - { id: root, name: not root, image: { user: non-root } }
  - { id: port, name: port, tcp: { port: 80 } }
`,
    );
    const build = byId(result, 'build');
    expect(build.status).toBe('failed');
    expect(build.message).toMatch(/RUN echo "installing deps"/);
    // The step and its line are named once, not once by the engine and again by the check.
    expect(build.message.match(/RUN echo "installing deps"/g)).toHaveLength(1);
    expect(build.message.match(/line 3/g)).toHaveLength(1);
    expect(build.location).toMatchObject({ path: 'Dockerfile', line: 3 });
    // The tail of the failing step's log is shown once: in the run's build summary, not again in the build check.
    expect(result.build?.log_tail).toContain('npm ERR! missing script: build');
    expect(build.output).toBeUndefined();
    expect(byId(result, 'root').status).toBe('skipped');
    expect(byId(result, 'port').status).toBe('skipped');
    await expectNothingLeft(runId);
  });

  it('says where it looked when there is no Dockerfile', async () => {
    const dir = await submission({ 'dockerfile.txt': 'FROM busybox:1.35\n', 'app.sh': 'echo hi\n' });
    const { result } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
checks:
  - { id: build, name: builds, build: {} }
`,
    );
    expect(byId(result, 'build').status).toBe('failed');
    expect(byId(result, 'build').message).toContain(`no Dockerfile at "Dockerfile" (looked in ${dir}`);
    expect(byId(result, 'build').message).toContain('dockerfile.txt');
  });

  it('reports a crashing service with its exit code and last log lines, at once', async () => {
    const dir = await submission({
      Dockerfile:
        'FROM busybox:1.35\nEXPOSE 8080\nCMD ["sh", "-c", "echo starting; echo \\"Error: Cannot find module express\\" >&2; exit 3"]\n',
    });
    const started = Date.now();
    const { result, runId } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
service: { ready: { timeout: ${READY_TIMEOUT_MS / 1000}s } }
checks:
  - { id: port, name: answers, tcp: {} }
  - { id: ping, name: ping, http: { path: /ping } }
`,
    );
    const port = byId(result, 'port');
    expect(port.status).toBe('failed');
    // Not "never became ready within 60 s": readiness stopped when the container exited.
    expect(port.message).toMatch(/crashed before it was ready: the container exited with code 3 after/);
    expect(Date.now() - started).toBeLessThan(EARLY_MS);
    expect(port.output).toContain('Cannot find module express');
    expect(byId(result, 'ping').status).toBe('failed');
    await expectNothingLeft(runId);
  });

  it('waits for a slow starter without a fixed sleep, and passes it', async () => {
    const dir = await submission({
      Dockerfile: 'FROM busybox:1.35\nWORKDIR /app\nCOPY . /app/\nEXPOSE 8080\nENTRYPOINT ["/app/server.sh"]\n',
      ...shellServer(8080, 'slow but fine', 3),
    });
    const { result } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
checks:
  - { id: page, name: page, http: { path: /, body: slow but fine } }
`,
    );
    expect(byId(result, 'page')).toMatchObject({ status: 'passed' });
  });

  it('explains a service that listens on another port than the one it EXPOSEs, without waiting the full minute', async () => {
    const dir = await submission({
      Dockerfile: 'FROM busybox:1.35\nWORKDIR /app\nCOPY . /app/\nEXPOSE 8080\nENTRYPOINT ["/app/server.sh"]\n',
      ...shellServer(3000, 'wrong port'),
    });
    const started = Date.now();
    const { result } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
service: { ready: { timeout: ${READY_TIMEOUT_MS / 1000}s } }
checks:
  - { id: port, name: answers, tcp: {} }
`,
    );
    const port = byId(result, 'port');
    expect(port.status).toBe('failed');
    // Not "never became ready within 60 s": readiness gave up once it saw the other port.
    expect(port.message).toMatch(
      /^the service is not reachable: the app listens on port 3000, not on port 8080: the Dockerfile EXPOSEs 8080/,
    );
    expect(Date.now() - started).toBeLessThan(EARLY_MS);
  });

  it('says a service never became ready, and where it does listen, when it only opens the wrong port late', async () => {
    const dir = await submission({
      Dockerfile: 'FROM busybox:1.35\nWORKDIR /app\nCOPY . /app/\nEXPOSE 8080\nENTRYPOINT ["/app/server.sh"]\n',
      ...shellServer(3000, 'late', 2),
    });
    const { result } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
service: { ready: { timeout: 4s } }
checks:
  - { id: port, name: answers, tcp: {} }
`,
    );
    expect(byId(result, 'port').message).toMatch(
      /never became ready within 4\.0 s: nothing accepted connections on port 8080 .*; the app listens on port 3000, not on port 8080/,
    );
  });

  it('explains an app bound to 127.0.0.1 inside the container', async () => {
    const dir = await submission({
      Dockerfile: 'FROM busybox:1.35\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "127.0.0.1:8080"]\n',
    });
    const started = Date.now();
    const { result } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
service: { ready: { timeout: ${READY_TIMEOUT_MS / 1000}s } }
checks:
  - { id: port, name: answers, tcp: {} }
`,
    );
    expect(byId(result, 'port').message).toMatch(
      /^the service is not reachable: the app listens on port 8080 only on 127\.0\.0\.1 \(localhost\).*make it listen on 0\.0\.0\.0/,
    );
    expect(Date.now() - started).toBeLessThan(EARLY_MS);
  });

  it('reaches a service on a port the Dockerfile forgot to EXPOSE, when the rubric names it', async () => {
    const dir = await submission({
      Dockerfile: 'FROM busybox:1.35\nWORKDIR /app\nCOPY . /app/\nENTRYPOINT ["/app/server.sh"]\n',
      ...shellServer(5000, 'no expose'),
    });
    const { result } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
service: { port: 5000 }
checks:
  - { id: page, name: page, http: { path: /, body: no expose } }
  - { id: expose, name: expose rule, dockerfile: { rule: expose } }
`,
    );
    expect(byId(result, 'page').status).toBe('passed');
    expect(byId(result, 'expose').status).toBe('failed');
  });

  it('gives the service only the rubric environment and checks exec, logs and stop', async () => {
    process.env.GRADER_TEST_SECRET = 'must-not-leak';
    const dir = await submission({
      Dockerfile: 'FROM busybox:1.35\nWORKDIR /app\nCOPY . /app/\nEXPOSE 8080\nENV FROM_IMAGE=yes\nENTRYPOINT ["/app/server.sh"]\n',
      ...shellServer(8080, 'ok'),
    });
    const { result } = await gradeFolder(
      dir,
      `
rubric: 1
title: t
service: { env: { GREETING: 안녕 } }
checks:
  - { id: env, name: env, exec: { command: [sh, -c, 'echo "$GREETING/$FROM_IMAGE/$GRADER_TEST_SECRET"'], stdout: { equals: "안녕/yes/" } } }
  - { id: logs, name: logs, logs: listening on 8080 }
  - { id: stop, name: stop, stop: { within: 5s } }
`,
    );
    delete process.env.GRADER_TEST_SECRET;
    expect(result.checks.map((c) => [c.id, c.status, c.message])).toEqual([
      ['env', 'passed', expect.any(String)],
      ['logs', 'passed', expect.any(String)],
      ['stop', 'passed', expect.any(String)],
    ]);
  });
});

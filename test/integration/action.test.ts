/**
 * The bundled action (dist/index.js) run the way the runner runs it: Node 24, INPUT_*
 * variables (hyphens kept), the event payload in GITHUB_EVENT_PATH, the GITHUB_OUTPUT,
 * GITHUB_STATE and GITHUB_STEP_SUMMARY files, then the post step with STATE_* variables.
 * Submissions are graded on the real Docker Engine; GitHub is a fake on 127.0.0.1 that
 * checks every request against GitHub's REST description.
 *
 * dist/ is rebuilt first when it is missing or older than src/ (CI bundles before testing).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/action/comment.js';
import { RUN_LABEL } from '../../src/engine/engine.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { makeClass } from '../../scripts/lib/class-fixture.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = path.join(ROOT, 'dist/index.js');
const LOCAL_NODE = path.join(ROOT, 'node_modules/node/bin/node');
/** `runs.using: node24`: test on the runtime the action ships for. */
const NODE = existsSync(LOCAL_NODE) ? LOCAL_NODE : process.execPath;
const TOKEN = 'ghs_integrationTestToken0123456789';
const FIXTURES = path.join(ROOT, 'test/fixtures/github');

interface PullRequestPayload {
  number: number;
  pull_request: { number: number; head: { sha: string; repo: { full_name: string; fork: boolean } | null } };
}
const payload = <T>(name: string): T => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;

interface StepRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

interface ActionRun extends StepRun {
  post: StepRun;
}

let tmp: string;
let goodWorkspace: string;
let badWorkspace: string;
let slowWorkspace: string;

beforeAll(async () => {
  ensureFreshBundle();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'grader-action-'));
  goodWorkspace = path.join(tmp, 'good');
  cpSync(path.join(ROOT, 'examples/web-app'), goodWorkspace, { recursive: true });
  badWorkspace = path.join(tmp, 'bad');
  cpSync(path.join(ROOT, 'examples/web-app'), badWorkspace, { recursive: true });
  // Unlabelled, ADD, shell-form CMD that exits, root, no EXPOSE: well below the pass mark.
  writeFileSync(path.join(badWorkspace, 'Dockerfile'), 'FROM busybox:1.35\nADD server.sh /app/server.sh\nCMD sh -c "exit 3"\n');
  slowWorkspace = path.join(tmp, 'slow');
  cpSync(path.join(ROOT, 'examples/web-app'), slowWorkspace, { recursive: true });
  // Takes a minute to listen: the job gets cancelled while the grader waits for it.
  const dockerfile = readFileSync(path.join(slowWorkspace, 'Dockerfile'), 'utf8');
  writeFileSync(path.join(slowWorkspace, 'Dockerfile'), `${dockerfile}\nENTRYPOINT ["sh", "-c", "sleep 60; exec /app/server.sh 8080"]\n`);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the action on a pull request', () => {
  let github: FakeGitHub;
  const opened = payload<PullRequestPayload>('pull_request.opened.json');
  const headSha = opened.pull_request.head.sha;

  beforeAll(async () => {
    github = await FakeGitHub.start({ owner: 'Codertocat', repo: 'Hello-World' });
  });
  afterAll(async () => {
    await github?.close();
  });

  it('fails a submission below the pass mark: check run with annotations on the head commit, a comment, the summary', async () => {
    const run = await runAction({ workspace: badWorkspace, event: 'pull_request', payload: opened, github });

    expect(run.code).toBe(1);
    // The runner escapes % in command data as %25.
    expect(run.stdout).toMatch(/^::error::grader: \d+\/\d+ \([\d.]+%25\) — below the pass mark of 60%25$/m);
    const results = JSON.parse(readFileSync(run.outputs.results!, 'utf8')) as {
      status: string;
      score: number;
      max_score: number;
      passed: boolean;
    };
    expect(results).toMatchObject({ status: 'graded', passed: false });
    expect(results.score).toBeLessThan(results.max_score * 0.6);
    expect(run.outputs).toMatchObject({ score: String(results.score), 'max-score': String(results.max_score), passed: 'false' });
    expect(readFileSync(run.outputs.report!, 'utf8').startsWith(`${REPORT_MARKER}\n`)).toBe(true);

    const [check, ...others] = [...github.checkRuns.values()];
    expect(others).toEqual([]);
    expect(check).toMatchObject({ name: 'grader', head_sha: headSha, status: 'completed', conclusion: 'failure' });
    expect(check!.output.title).toMatch(
      new RegExp(`^grader: ${results.score}/${results.max_score} \\([\\d.]+%\\) — below the pass mark of 60%$`),
    );
    expect(check!.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'Dockerfile',
          start_line: 2,
          annotation_level: 'failure',
          title: 'COPY (not ADD) for local files',
        }),
        expect.objectContaining({ path: 'Dockerfile', start_line: 3, annotation_level: 'failure' }),
      ]),
    );
    expect(run.state.checkRunDone).toBe('true');

    const comments = github.commentsOn(opened.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(comments[0]!.body).toContain(`${results.score}`);
    expect(run.summary).toContain('COPY (not ADD) for local files');

    expect(run.stdout).toMatch(/::stop-commands::\w{16,}\n/);
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.post.code).toBe(0);
    expect(run.post.stdout).toContain(`cleaned up run ${run.state.runId}`);
    expect(await labelled(run.state.runId!)).toEqual([]);
    expect(github.problems).toEqual([]);
  });

  it('updates the same comment when a new push to the pull request passes', async () => {
    const synchronize = payload<PullRequestPayload>('pull_request.synchronize.json');
    synchronize.pull_request.head.sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const commentId = github.commentsOn(opened.number)[0]!.id;

    const run = await runAction({ workspace: goodWorkspace, event: 'pull_request', payload: synchronize, github });

    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/^::error::/m);
    expect(run.outputs.passed).toBe('true');
    const comments = github.commentsOn(opened.number);
    expect(comments.map((c) => c.id)).toEqual([commentId]);
    expect(comments[0]!.body).toContain(run.outputs.score!);
    expect(comments[0]!.body).not.toContain('COPY (not ADD) for local files\n');
    const updates = github.requests.filter((r) => r.operationId === 'issues/update-comment');
    expect(updates).toHaveLength(1);

    const runs = [...github.checkRuns.values()];
    expect(runs.map((r) => [r.head_sha, r.conclusion])).toEqual([
      [headSha, 'failure'],
      [synchronize.pull_request.head.sha, 'success'],
    ]);
    expect(runs[1]!.annotations).toEqual([]);
    expect(run.post.code).toBe(0);
    expect(github.problems).toEqual([]);
  });
});

describe('the action on a pull request from a fork', () => {
  it('grades and reports in the job summary when the read-only token cannot post', async () => {
    const github = await FakeGitHub.start({ owner: 'Codertocat', repo: 'Hello-World' });
    try {
      github.readOnly = true;
      const fork = payload<PullRequestPayload>('pull_request.opened.json');
      fork.pull_request.head.repo = { ...fork.pull_request.head.repo!, full_name: 'student/Hello-World', fork: true };

      const run = await runAction({ workspace: goodWorkspace, event: 'pull_request', payload: fork, github });

      expect(run.code).toBe(0);
      expect(run.outputs.passed).toBe('true');
      expect(run.stdout).toMatch(
        /^::warning::this pull request comes from a fork: the token is read-only, so the grader could not post its check run/m,
      );
      expect(run.stdout).toMatch(/^::warning::this pull request comes from a fork: .*could not post its comment/m);
      expect(run.summary).toMatch(/^> \[!WARNING\]\n> this pull request comes from a fork: the token is read-only/);
      expect(run.summary).toContain('The service answers HTTP');
      expect(github.checkRuns.size).toBe(0);
      expect(github.comments).toEqual([]);
      expect(github.requests.filter((r) => r.status === 403).map((r) => r.operationId)).toEqual(
        expect.arrayContaining(['checks/create', 'issues/create-comment']),
      );
      expect(run.post.code).toBe(0);
      expect(github.problems).toEqual([]);
    } finally {
      await github.close();
    }
  });
});

describe('the action on a push', () => {
  it('completes a check run on the pushed commit and writes no comment', async () => {
    const github = await FakeGitHub.start({ owner: 'Codertocat', repo: 'Hello-World' });
    try {
      const push = payload<{ after: string }>('push.json');
      const run = await runAction({ workspace: goodWorkspace, event: 'push', payload: push, sha: push.after, github });

      expect(run.code).toBe(0);
      expect([...github.checkRuns.values()].map((r) => [r.head_sha, r.status, r.conclusion])).toEqual([
        [push.after, 'completed', 'success'],
      ]);
      expect(github.operations()).toEqual(['checks/create', 'checks/update']);
      expect(run.summary).toContain('The service answers HTTP');
      expect(run.post.code).toBe(0);
      expect(github.problems).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('fails in one line on a broken rubric and closes the check run as neutral', async () => {
    const github = await FakeGitHub.start({ owner: 'Codertocat', repo: 'Hello-World' });
    try {
      const rubric = path.join(tmp, 'broken-rubric.yml');
      writeFileSync(rubric, 'rubric: 1\ntitle: broken\npass: 160\nchecks: []\n');
      const push = payload<{ after: string }>('push.json');
      const run = await runAction({ workspace: goodWorkspace, event: 'push', payload: push, sha: push.after, github, inputs: { rubric } });

      expect(run.code).toBe(1);
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^::error::grader: invalid rubric: /);
      expect([...github.checkRuns.values()].map((r) => r.conclusion)).toEqual(['neutral']);
      expect(run.summary).toContain('## grader: not graded');
      expect(run.outputs).toMatchObject({ score: '', passed: 'false', results: '' });
      expect(github.problems).toEqual([]);
    } finally {
      await github.close();
    }
  });
});

describe('the action when the job is cancelled', () => {
  it('on SIGINT posts no comment, the check run ends cancelled, and the post step cleans up', async () => {
    const github = await FakeGitHub.start({ owner: 'Codertocat', repo: 'Hello-World' });
    try {
      const opened = payload<PullRequestPayload>('pull_request.opened.json');
      const run = await runAction({
        workspace: slowWorkspace,
        event: 'pull_request',
        payload: opened,
        github,
        during: async (main, stateFile) => {
          await containerOf(stateFile);
          main.kill('SIGINT');
        },
      });

      expect(run.stdout).toMatch(/^::warning::SIGINT: the job is being cancelled/m);
      expect([...github.checkRuns.values()].map((r) => r.conclusion)).toEqual(['cancelled']);
      expect(github.comments).toEqual([]);
      expect(run.post.code).toBe(0);
      expect(await labelled(run.state.runId!)).toEqual([]);
      expect(github.problems).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('leaves nothing behind when the main step is killed: the post step removes the containers and closes the check run', async () => {
    const github = await FakeGitHub.start({ owner: 'Codertocat', repo: 'Hello-World' });
    try {
      const push = payload<{ after: string }>('push.json');
      const run = await runAction({
        workspace: slowWorkspace,
        event: 'push',
        payload: push,
        sha: push.after,
        github,
        during: async (main, stateFile) => {
          await containerOf(stateFile);
          main.kill('SIGKILL');
        },
      });

      expect(run.code).toBeNull();
      expect(run.state.checkRunDone).toBeUndefined();
      expect(run.post.code).toBe(0);
      expect(run.post.stdout).toContain(`cleaned up run ${run.state.runId}`);
      expect(run.post.stdout).toMatch(/check run \d+ marked cancelled/);
      expect(await labelled(run.state.runId!)).toEqual([]);
      expect([...github.checkRuns.values()].map((r) => [r.head_sha, r.status, r.conclusion])).toEqual([
        [push.after, 'completed', 'cancelled'],
      ]);
      expect(github.problems).toEqual([]);
    } finally {
      await github.close();
    }
  });
});

// ---- running the bundle as the runner does ----

async function runAction(options: {
  workspace: string;
  event: string;
  payload: unknown;
  github: FakeGitHub;
  sha?: string;
  inputs?: Record<string, string>;
  /** Called while the main step runs, e.g. to cancel it as the runner would. */
  during?: (main: ChildProcess, stateFile: string) => Promise<void>;
}): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(tmp, 'runner-'));
  const eventPath = path.join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  const inputs = {
    rubric: 'web',
    path: '.',
    repository: '',
    ref: '',
    token: TOKEN,
    report: 'comment, check, summary',
    'fail-under': '',
    ...options.inputs,
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    // The runner turns every input into INPUT_<NAME upper-cased>, spaces to _, hyphens kept.
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_SHA: options.sha ?? '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.github.url,
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: dir,
  };
  const main = await runStep(env, dir, 'main', options.during);
  const post = await runStep({ ...env, ...Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v])) }, dir, 'post');
  return { ...main, post };
}

async function runStep(
  baseEnv: NodeJS.ProcessEnv,
  dir: string,
  step: string,
  during?: (child: ChildProcess, stateFile: string) => Promise<void>,
): Promise<StepRun> {
  const files = { GITHUB_OUTPUT: `${step}-output`, GITHUB_STATE: `${step}-state`, GITHUB_STEP_SUMMARY: `${step}-summary` };
  const env = { ...baseEnv };
  for (const [name, file] of Object.entries(files)) {
    env[name] = path.join(dir, file);
    writeFileSync(env[name]!, '');
  }
  const child = spawn(NODE, [BUNDLE], { cwd: baseEnv.GITHUB_WORKSPACE, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 110_000);
  try {
    if (during) await during(child, env.GITHUB_STATE!);
    const code = await exited;
    return {
      code,
      stdout: Buffer.concat(chunks).toString('utf8'),
      outputs: parseFileCommands(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
      state: parseFileCommands(readFileSync(env.GITHUB_STATE!, 'utf8')),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    };
  } finally {
    clearTimeout(watchdog);
  }
}

/** The runner's `name<<DELIMITER\nvalue\nDELIMITER` format of GITHUB_OUTPUT and GITHUB_STATE. */
function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^(.+?)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const match of text.matchAll(pattern)) values[match[1]!] = match[3]!;
  return values;
}

function labelled(runId: string, only?: string[]): Promise<string[]> {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const list = (args: string[]) =>
    new Promise<string[]>((resolve, reject) =>
      execFile('docker', [...args, '--filter', filter, '-q'], (error, out) =>
        error ? reject(error) : resolve(out.split('\n').filter(Boolean)),
      ),
    );
  if (only) return list(only);
  return Promise.all([list(['ps', '-a']), list(['images']), list(['network', 'ls']), list(['volume', 'ls'])]).then((all) => all.flat());
}

/** Polls until the run has a container in the engine; fails after `timeoutMs`. */
async function containerOf(stateFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runId = parseFileCommands(readFileSync(stateFile, 'utf8')).runId;
    if (runId && (await labelled(runId, ['ps', '-a'])).length > 0) return;
    if (Date.now() > deadline) throw new Error('the grading never started a container');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function ensureFreshBundle(): void {
  const newestSource = Math.max(...listFiles(path.join(ROOT, 'src')).map((file) => statSync(file).mtimeMs));
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= newestSource) return;
  execFileSync(NODE, ['scripts/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

describe('the action in class mode (the roster input)', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await FakeGitHub.start({ owner: 'course-org', repo: 'grading' });
  });
  afterAll(async () => {
    await github?.close();
  });

  it('grades every roster row, writes the output folder and puts the class summary in the job summary', async () => {
    const workspace = mkdtempSync(path.join(tmp, 'class-'));
    const klass = makeClass(workspace, { size: 7 });
    const run = await runAction({
      workspace,
      event: 'workflow_dispatch',
      payload: {},
      github,
      inputs: {
        roster: 'roster.csv',
        rubric: 'rubric.yml',
        deadline: klass.deadline,
        out: 'grades',
        export: 'moodle',
        jobs: '4',
        report: 'summary',
      },
    });
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    const expected = (status: string) => String(klass.students.filter((s) => s.expect.status === status).length);
    expect(run.outputs).toMatchObject({
      grades: path.join(workspace, 'grades'),
      graded: expected('graded'),
      missing: expected('missing'),
      ungradable: '0',
    });
    expect(readdirSync(path.join(workspace, 'grades')).sort()).toEqual([
      'class.json',
      'grades.csv',
      'index.html',
      'moodle.csv',
      'students',
      'summary.md',
    ]);
    expect(run.summary.trim()).toBe(readFileSync(path.join(workspace, 'grades', 'summary.md'), 'utf8').trim());
    expect(run.summary).toContain('숙제 1');
    // Nothing was asked of GitHub: the repositories are local and the summary needs no API.
    expect(github.problems).toEqual([]);
  }, 300_000);
});

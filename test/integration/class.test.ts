/**
 * `grader class` as instructors run it: the committed bundle, a class of real git repositories,
 * the real engine. Deadline commits, missing students, parallel gradings, reruns that reuse,
 * shards merged into the unsharded result, and Ctrl-C in the middle.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassResult, StudentRow } from '../../src/basics/class-results.js';
import { parseCsv } from '../../src/basics/csv.js';
import { makeClass } from '../../scripts/lib/class-fixture.mjs';
import { docker, eventually } from '../helpers/docker.js';
import { FakeGitHub } from '../helpers/fake-github.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function grader(args: string[], options: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const env = { ...process.env, NO_COLOR: '1', CI: 'true', CLASS_TOKEN: TOKEN };
    // Every run names the fake GitHub: no request may leave this machine.
    const withApi = args[0] === 'class' && args[1] !== 'merge' ? [...args, '--api-url', github.apiUrl, '--token-env', 'CLASS_TOKEN'] : args;
    const child = spawn(process.execPath, [cli, ...withApi], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const readClass = (out: string): ClassResult => JSON.parse(readFileSync(path.join(out, 'class.json'), 'utf8')) as ClassResult;
const rowOf = (result: ClassResult, username: string): StudentRow => result.students.find((row) => row.username === username)!;

const TOKEN = 'ghp_classTestToken0123456789';
let dir: string;
let klass: ReturnType<typeof makeClass>;
let out: string;
let first: CliRun;
let github: FakeGitHub;
/** The GitHub-hosted student's two commits: A pushed before the deadline, B after (with a forged early date). */
let pushed: { a: string; b: string };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'grader-class-test-'));
  klass = makeClass(dir);
  out = path.join(dir, 'grades');
  github = await FakeGitHub.start({ token: TOKEN });
  pushed = addGitHubStudents(dir, klass, github);
  first = await grader([
    'class',
    klass.roster,
    '--rubric',
    klass.rubric,
    '--deadline',
    klass.deadline,
    '--jobs',
    '4',
    '--out',
    out,
    '--export',
    'canvas,moodle',
  ]);
}, 300_000);

afterAll(async () => {
  await github?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Two rows on the fake GitHub: a private repository whose fixed commit came after the deadline
 * though its committer date says before (push times decide), and a repository that does not exist.
 */
function addGitHubStudents(root: string, fixture: ReturnType<typeof makeClass>, fake: FakeGitHub): { a: string; b: string } {
  const work = path.join(root, 'gh-work');
  const bare = path.join(root, 'gh-bare', 'hw1-gh-late.git');
  const late = fixture.students.find((s) => s.kind === 'late')!;
  const source = path.join(root, late.repository);
  execFileSync('git', ['clone', '-q', source, work]);
  const a = gitLog(work).at(-1)!.sha;
  // B's dates are forged to before the deadline: only GitHub's push times tell.
  const forged = { ...process.env, GIT_COMMITTER_DATE: '2026-10-30T00:00:00Z', GIT_AUTHOR_DATE: '2026-10-30T00:00:00Z' };
  execFileSync('git', ['-c', 'user.email=s@example.com', '-c', 'user.name=s', 'commit', '-q', '--amend', '--no-edit'], {
    cwd: work,
    env: forged,
  });
  const forgedB = gitLog(work)[0]!.sha;
  execFileSync('git', ['clone', '-q', '--bare', work, bare]);
  const repository = fake.addRepository({ owner: 'course', name: 'hw1-gh-late', bareDir: bare, private: true });
  fake.addActivity(repository, { after: a, timestamp: '2026-10-31T22:00:00Z' });
  fake.addActivity(repository, { after: forgedB, timestamp: '2026-11-01T05:00:00Z' });
  appendFileSync(fixture.roster, 's13-github,민서,문,분반 1,course/hw1-gh-late\ns14-github-gone,Jun,Park,분반 2,course/hw1-gh-gone\n');
  return { a, b: forgedB };
}

describe('grader class', () => {
  it('grades every student, at the deadline, and tells missing from ungradable', () => {
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    const result = readClass(out);
    expect(result.students.map((row) => row.username)).toEqual([...klass.students.map((s) => s.username), 's13-github', 's14-github-gone']);
    for (const student of klass.students) {
      const row = rowOf(result, student.username);
      expect({ who: student.username, status: row.status }).toEqual({ who: student.username, status: student.expect.status });
      if (student.expect.percent !== undefined && student.expect.percent !== null) {
        expect({ who: student.username, percent: row.result?.percent }).toEqual({ who: student.username, percent: student.expect.percent });
      }
      expect({ who: student.username, late: Boolean(row.late_ms) }).toEqual({ who: student.username, late: Boolean(student.expect.late) });
    }
  });

  it('on GitHub, grades what was pushed by the deadline, whatever the commit dates say', () => {
    const row = rowOf(readClass(out), 's13-github');
    expect(row).toMatchObject({ status: 'graded', commit: pushed.a, deadline_basis: 'push-time', pushed_at: '2026-10-31T22:00:00.000Z' });
    expect(row.late_ms).toBe(5 * 3600_000);
    expect(row.result?.percent).toBe(50);
    expect(rowOf(readClass(out), 's14-github-gone')).toMatchObject({ status: 'missing' });
    expect(github.problems).toEqual([]);
    // The private repository was read with the token, which never reached a log line.
    expect(github.requests.some((request) => request.path.includes('/activity') && request.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(first.stderr + first.stdout).not.toContain(TOKEN);
  });

  it('grades the last commit before the deadline by committer date, and says how late the rest came', () => {
    const late = klass.students.find((s) => s.kind === 'late')!;
    const row = rowOf(readClass(out), late.username);
    const commits = gitLog(path.join(dir, late.repository));
    expect(row.commit).toBe(commits.at(-1)!.sha); // the first, weak commit
    expect(row.deadline_basis).toBe('committer-date');
    expect(row.committed_at).toBe('2026-10-20T12:00:00.000Z');
    expect(row.late_ms).toBe(Date.parse('2026-11-03T09:30:00Z') - Date.parse(klass.deadline));

    const missing = rowOf(readClass(out), klass.students.find((s) => s.kind === 'after-deadline')!.username);
    expect(missing.reason).toMatch(/deadline/);
    expect(rowOf(readClass(out), klass.students.find((s) => s.kind === 'no-repository')!.username).reason).toMatch(/no repository/);
  });

  it('writes the grades table, the student reports, the summary, the dashboard and the gradebooks', () => {
    expect(readdirSync(out).sort()).toEqual([
      'canvas.csv',
      'class.json',
      'grades.csv',
      'index.html',
      'moodle.csv',
      'students',
      'summary.md',
    ]);
    const csv = readFileSync(path.join(out, 'grades.csv'), 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(csv).map((record) => record.fields);
    expect(header).toEqual(expect.arrayContaining(['username', 'status', 'score', 'max_score', 'dockerfile', 'ping']));
    expect(rows).toHaveLength(klass.students.length + 2);
    const good = rows.find((fields) => fields[0] === klass.students[0]!.username)!;
    expect(good).toContain('김');
    // A name that a spreadsheet would run as a formula is text.
    const hostile = rows.find((fields) => fields[0]!.endsWith('-hostile'))!;
    expect(hostile.some((cell) => cell.startsWith('=HYPERLINK'))).toBe(false);

    for (const student of klass.students) {
      expect(existsSync(path.join(out, 'students', `${student.username}.json`))).toBe(true);
      expect(existsSync(path.join(out, 'students', `${student.username}.md`))).toBe(true);
    }
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('GET /ping answers 200');
    expect(summary).not.toMatch(/<script|<img/i);
  });

  it('regrades nothing on a rerun where nothing changed, and only what changed after a push', async () => {
    const before = readClass(out);
    const rerun = await grader(['class', klass.roster, '--rubric', klass.rubric, '--deadline', klass.deadline, '--out', out]);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).not.toMatch(/grading s\d/);
    const after = readClass(out);
    const graded = (result: ClassResult) => result.students.filter((row) => row.status === 'graded');
    expect(graded(after).map((row) => row.result)).toEqual(graded(before).map((row) => row.result));
    expect(rerun.ms).toBeLessThan(15_000);

    // A new commit (before the deadline) in one repository: that student alone is graded again.
    const changed = klass.students[0]!;
    const repo = path.join(dir, changed.repository);
    const dated = { ...process.env, GIT_AUTHOR_DATE: '2026-10-25T08:00:00Z', GIT_COMMITTER_DATE: '2026-10-25T08:00:00Z' };
    execFileSync('git', ['-c', 'user.email=s@example.com', '-c', 'user.name=s', 'commit', '-q', '--allow-empty', '-m', 'more'], {
      cwd: repo,
      env: dated,
    });
    const afterPush = await grader(['class', klass.roster, '--rubric', klass.rubric, '--deadline', klass.deadline, '--out', out]);
    expect(afterPush.code).toBe(0);
    expect(afterPush.stderr.match(/grading s\d+\S*/g)).toEqual([`grading ${changed.username}`]);
    expect(rowOf(readClass(out), changed.username).commit).toBe(gitLog(repo)[0]!.sha);

    // --force grades everyone again.
    const forced = await grader([
      'class',
      klass.roster,
      '--rubric',
      klass.rubric,
      '--deadline',
      klass.deadline,
      '--out',
      out,
      '--force',
      '--jobs',
      '4',
    ]);
    expect(forced.code).toBe(0);
    const gradedAgain = forced.stderr.match(/grading s\d+/g) ?? [];
    expect(gradedAgain.length).toBe(graded(before).length);
  }, 300_000);

  it('gives the unsharded result when shards are graded apart and merged', async () => {
    const shardDirs = [path.join(dir, 'shard-1'), path.join(dir, 'shard-2')];
    const runs = await Promise.all(
      shardDirs.map((shardOut, i) =>
        grader([
          'class',
          klass.roster,
          '--rubric',
          klass.rubric,
          '--deadline',
          klass.deadline,
          '--jobs',
          '2',
          '--out',
          shardOut,
          '--shard',
          `${i + 1}/2`,
        ]),
      ),
    );
    for (const run of runs) expect(run.code).toBe(0);
    const parts = shardDirs.map(readClass);
    expect(parts[0]!.students.length + parts[1]!.students.length).toBe(klass.students.length + 2);
    expect(parts.every((part) => part.students.length > 0)).toBe(true);

    const merged = path.join(dir, 'merged');
    const merge = await grader(['class', 'merge', ...shardDirs, '--out', merged]);
    expect(merge.code).toBe(0);
    const table = (folder: string) =>
      parseCsv(readFileSync(path.join(folder, 'grades.csv'), 'utf8')).map((record) => record.fields.join(' | '));
    expect(table(merged)).toEqual(table(out));
    expect(readFileSync(path.join(merged, 'grades.csv'), 'utf8')).toBe(readFileSync(path.join(out, 'grades.csv'), 'utf8'));
    const outline = (result: ClassResult) =>
      result.students.map((row) => [row.username, row.status, row.commit, row.result?.score ?? null]);
    expect(outline(readClass(merged))).toEqual(outline(readClass(out)));
  }, 300_000);

  it('keeps the finished students and leaves a clean engine after Ctrl-C', async () => {
    const interruptedOut = path.join(dir, 'interrupted');
    let classRunId: string | undefined;
    let signalled = false;
    const run = await grader(['class', klass.roster, '--rubric', klass.rubric, '--jobs', '2', '--out', interruptedOut, '--verbose'], {
      onStderr: (text, child) => {
        classRunId ??= /class run ([0-9a-f]+):/.exec(text)?.[1];
        // Once one student is done and others are being graded.
        if (!signalled && /✓ s\d+/.test(text) && /grading s\d+/.test(text.split(/✓ s\d+/).at(-1) ?? '')) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(signalled).toBe(true);
    expect(run.code).toBe(130);
    const kept = readClass(interruptedOut);
    const finished = kept.students.filter((row) => row.status === 'graded');
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(klass.students.length + 2);
    for (const row of finished) expect(existsSync(path.join(interruptedOut, 'students', `${row.username}.json`))).toBe(true);

    expect(classRunId).toBeDefined();
    await eventually(async () => {
      const labelled = await docker('ps', '-a', '--filter', 'label=io.github.grader.run', '--format', '{{.Label "io.github.grader.run"}}');
      const networks = await docker(
        'network',
        'ls',
        '--filter',
        'label=io.github.grader.run',
        '--format',
        '{{.Label "io.github.grader.run"}}',
      );
      const imageIds = (await docker('image', 'ls', '-q', '--filter', 'label=io.github.grader.run')).split('\n').filter(Boolean);
      const images = imageIds.length
        ? await docker('image', 'inspect', '--format', '{{index .Config.Labels "io.github.grader.run"}}', ...imageIds)
        : '';
      const ours = [labelled, networks, images]
        .join('\n')
        .split('\n')
        .filter((id) => id.startsWith(classRunId!));
      expect(ours).toEqual([]);
    });

    // The rerun grades only what the interruption left undone.
    const resumed = await grader(['class', klass.roster, '--rubric', klass.rubric, '--jobs', '4', '--out', interruptedOut]);
    expect(resumed.code).toBe(0);
    for (const row of finished) expect(resumed.stderr).not.toContain(`grading ${row.username}\n`);
  }, 300_000);

  it('refuses a broken roster before grading anything (exit 2, file and line)', async () => {
    const broken = path.join(dir, 'broken-roster.csv');
    await writeFile(broken, 'username,repository\nalice,repos/a\nbob,repos/b\nalice,repos/c\n');
    const run = await grader(['class', broken, '--rubric', klass.rubric, '--out', path.join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken-roster\.csv:4: duplicate username "alice"/);
    expect(existsSync(path.join(dir, 'never', 'class.json'))).toBe(false);
  });
});

function gitLog(repo: string): { sha: string }[] {
  return execFileSync('git', ['log', '--format=%H'], { cwd: repo, encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((sha) => ({ sha }));
}

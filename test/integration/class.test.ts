/**
 * `grader class` as instructors run it: the committed bundle, a class of real git repositories,
 * the real engine. Deadline commits, missing students, parallel gradings, reruns that reuse,
 * shards merged into the unsharded result, and Ctrl-C in the middle.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassResult, StudentRow } from '../../src/basics/class-results.js';
import { parseCsv } from '../../src/basics/csv.js';
import { makeClass, type FixtureStudent } from '../../scripts/lib/class-fixture.mjs';
import { docker, eventually } from '../helpers/docker.js';

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
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
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

let dir: string;
let klass: ReturnType<typeof makeClass>;
let out: string;
let first: CliRun;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'grader-class-test-'));
  klass = makeClass(dir);
  out = path.join(dir, 'grades');
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
  await rm(dir, { recursive: true, force: true });
});

describe('grader class', () => {
  it('grades every student, at the deadline, and tells missing from ungradable', () => {
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    const result = readClass(out);
    expect(result.students.map((row) => row.username)).toEqual(klass.students.map((s) => s.username));
    for (const student of klass.students) {
      const row = rowOf(result, student.username);
      expect({ who: student.username, status: row.status }).toEqual({ who: student.username, status: student.expect.status });
      if (student.expect.percent !== undefined && student.expect.percent !== null) {
        expect({ who: student.username, percent: row.result?.percent }).toEqual({ who: student.username, percent: student.expect.percent });
      }
      expect({ who: student.username, late: Boolean(row.late_ms) }).toEqual({ who: student.username, late: Boolean(student.expect.late) });
    }
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
    expect(rows).toHaveLength(klass.students.length);
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
    const { execFileSync } = await import('node:child_process');
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
    expect(parts[0]!.students.length + parts[1]!.students.length).toBe(klass.students.length);
    expect(parts.every((part) => part.students.length > 0)).toBe(true);

    const merged = path.join(dir, 'merged');
    const merge = await grader(['class', 'merge', ...shardDirs, '--out', merged]);
    expect(merge.code).toBe(0);
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
    expect(finished.length).toBeLessThan(klass.students.length);
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
    const { writeFile } = await import('node:fs/promises');
    const broken = path.join(dir, 'broken-roster.csv');
    await writeFile(broken, 'username,repository\nalice,repos/a\nbob,repos/b\nalice,repos/c\n');
    const run = await grader(['class', broken, '--rubric', klass.rubric, '--out', path.join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken-roster\.csv:4: duplicate username "alice"/);
    expect(existsSync(path.join(dir, 'never', 'class.json'))).toBe(false);
  });
});

function gitLog(repo: string): { sha: string }[] {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  return execFileSync('git', ['log', '--format=%H'], { cwd: repo, encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((sha) => ({ sha }));
}

export type { FixtureStudent };

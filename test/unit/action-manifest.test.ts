import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inputEnvironment, parseSettings, readInputs } from '../../src/action/inputs.js';
import { setClassOutputs, setOutputs } from '../../src/action/outputs.js';

interface Manifest {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: Record<string, string>;
}
const manifest = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as Manifest;
const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('action.yml', () => {
  it('runs the bundle on node24 as main and post step', () => {
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' });
  });

  it('declares exactly the inputs the action reads', () => {
    for (const name of Object.keys(manifest.inputs)) process.env[inputVariable(name)] = `value of ${name}`;
    const raw = readInputs();
    expect(Object.values(raw).sort()).toEqual(
      Object.keys(manifest.inputs)
        .map((name) => `value of ${name}`)
        .sort(),
    );
  });

  it('has defaults that parse to: the workspace, the web rubric, every report, the job token', () => {
    for (const [name, input] of Object.entries(manifest.inputs)) {
      // The runner evaluates `${{ github.token }}` before the action sees it.
      process.env[inputVariable(name)] = input.default === '${{ github.token }}' ? 'ghs_token' : (input.default ?? '');
    }
    const settings = parseSettings(readInputs(), inputEnvironment({ GITHUB_WORKSPACE: '/ws' }));
    expect(settings).toMatchObject({ rubric: 'web', target: '/ws', token: 'ghs_token' });
    expect([...settings.reports]).toEqual(['comment', 'check', 'summary']);
    expect(settings.failUnder).toBeUndefined();
  });

  it('declares exactly the outputs the action sets', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grader-outputs-'));
    try {
      process.env.GITHUB_OUTPUT = path.join(dir, 'output');
      writeFileSync(process.env.GITHUB_OUTPUT, '');
      setOutputs(undefined, undefined);
      setClassOutputs('grades', []);
      const names = [...readFileSync(process.env.GITHUB_OUTPUT, 'utf8').matchAll(/^(.+)<<ghadelimiter_/gm)].map((m) => m[1]);
      expect(names.sort()).toEqual(Object.keys(manifest.outputs).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('examples/workflows', () => {
  const workflow = (name: string) =>
    parse(readFileSync(new URL(`../../examples/workflows/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

  it('grades a class at the deadline in shards, merges them and keeps the grades as an artifact', () => {
    const klass = workflow('grade-class.yml') as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: Record<
        string,
        {
          needs?: string;
          strategy?: { matrix: { shard: number[] } };
          steps: { uses?: string; with?: Record<string, string>; run?: string }[];
        }
      >;
    };
    expect(Object.keys(klass.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(klass.permissions).toEqual({ contents: 'read' });
    const shards = klass.jobs.grade!.strategy!.matrix.shard;
    const grading = klass.jobs.grade!.steps.find((step) => step.uses?.startsWith('grader-edu/grader'))!;
    expect(grading.with).toMatchObject({ roster: 'roster.csv', shard: `\${{ matrix.shard }}/${shards.length}` });
    for (const input of Object.keys(grading.with!)) expect(Object.keys(manifest.inputs)).toContain(input);
    expect(klass.jobs.merge!.needs).toBe('grade');
    const merge = klass.jobs.merge!.steps.map((step) => step.run ?? '').join('\n');
    expect(merge).toMatch(/grader class merge grades-\* --out grades/);
    expect(merge).toContain('GITHUB_STEP_SUMMARY');
    expect(klass.jobs.merge!.steps.some((step) => step.uses?.startsWith('actions/upload-artifact') && step.with?.path === 'grades')).toBe(
      true,
    );
  });

  it('gives the student workflow only the permissions it needs', () => {
    const student = workflow('grader.yml');
    expect(student.permissions).toEqual({ contents: 'read', checks: 'write', 'pull-requests': 'write' });
    expect(Object.keys(student.on as object).sort()).toEqual(['pull_request', 'push']);
  });

  it('grades forks read-only and posts from workflow_run without checking out their code', () => {
    const grade = workflow('grader-grade.yml');
    expect(grade.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(grade.on as object)).toEqual(['pull_request']);
    const report = workflow('grader-report.yml');
    expect(Object.keys(report.on as object)).toEqual(['workflow_run']);
    const text = readFileSync(new URL('../../examples/workflows/grader-report.yml', import.meta.url), 'utf8');
    expect(text).not.toMatch(/actions\/checkout|pull_request_target/);
  });
});

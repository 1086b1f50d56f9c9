/**
 * Readiness strategies on the real Docker Engine: an image whose HEALTHCHECK turns healthy
 * after a moment, a rubric that waits for a log line twice, and an app with no EXPOSE
 * graded by the built-in `web` rubric, whose service checks pass on the port it listens on.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeResult } from '../../src/basics/results.js';
import { grade, newRunId } from '../../src/core/grade.js';
import { startServiceAndWait, type ServiceStart } from '../../src/core/service-start.js';
import type { ContainerEngine, Service } from '../../src/engine/engine.js';
import { runLabels } from '../../src/engine/engine.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';
import { TEST_SESSION, buildTestImage, docker, engine as connectEngine, expectNothingLeft, removeTestImages } from '../helpers/docker.js';
import { fixture } from '../helpers/hostile.js';
import { makeSubmission, type TempSubmission } from '../helpers/submissions.js';

const WEB_APP = path.resolve(import.meta.dirname, '../../examples/web-app');
const runId = `${TEST_SESSION}-readiness`;
const labels = runLabels(runId);

let engine: ContainerEngine;
const made: TempSubmission[] = [];
const services: Service[] = [];

beforeAll(async () => {
  engine = await connectEngine();
});

afterAll(async () => {
  for (const service of services) if (!service.exitInfo()) await service.stop(0).catch(() => {});
  await engine?.cleanup(runId);
  await Promise.all(made.map((s) => s.remove()));
  await removeTestImages();
});

/** The example web app's files, with its Dockerfile changed by `edit`. */
async function webApp(edit: (dockerfile: string) => string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(WEB_APP)) files[name] = await readFile(path.join(WEB_APP, name), 'utf8');
  files.Dockerfile = edit(files.Dockerfile!);
  return files;
}

async function submission(files: Record<string, string>): Promise<string> {
  const s = await makeSubmission(files);
  made.push(s);
  return s.dir;
}

interface Inspected {
  Config: { Healthcheck?: { Test?: string[]; Interval?: number } };
  State: { Health?: { Status: string; Log: { ExitCode: number }[] } };
}

async function inspect(id: string): Promise<Inspected> {
  return JSON.parse(await docker('container', 'inspect', id))[0] as Inspected;
}

/** Starts `image` as the rubric says and waits as it says; the time that took. */
async function startTimed(image: string, rubricText: string): Promise<{ start: ServiceStart; elapsedMs: number }> {
  const rubric = parseRubric(rubricText, 'readiness.yml');
  const info = await engine.inspectImage(image);
  const started = Date.now();
  const start = await startServiceAndWait(engine, info, rubric, labels, new AbortController().signal);
  const elapsedMs = Date.now() - started;
  if (start.service) services.push(start.service);
  return { start, elapsedMs };
}

const RUBRIC_HEAD = 'rubric: 1\ntitle: readiness\nlimits: { memory: 64m, pids: 64 }\n';
const TCP_CHECK = 'checks:\n  - { id: answers, name: answers, tcp: {} }\n';

/** Becomes healthy once /tmp/ready exists, which the app makes a second after it starts. */
const SLOW_HEALTHY = `FROM busybox:1.35
HEALTHCHECK --interval=30s --retries=1 CMD test -f /tmp/ready
CMD ["sh", "-c", "trap 'exit 0' TERM; (sleep 1; touch /tmp/ready) & nc -ll -p 8080 -e /bin/cat & wait"]
`;

describe('healthcheck: true', () => {
  it("waits until the image's HEALTHCHECK says healthy, run every second rather than the image's 30 s", async () => {
    const image = await buildTestImage('slow-healthy', SLOW_HEALTHY);
    const { start, elapsedMs } = await startTimed(
      image,
      `${RUBRIC_HEAD}service: { port: 8080, ready: { timeout: 20s, healthcheck: true } }\n${TCP_CHECK}`,
    );
    expect(start.ready).toBe(true);
    // The port accepted connections at once; healthy came only after the app's one second.
    expect(elapsedMs).toBeGreaterThanOrEqual(1_000);
    const state = await inspect(start.service!.id);
    expect(state.Config.Healthcheck).toMatchObject({ Test: ['CMD-SHELL', 'test -f /tmp/ready'], Interval: 1e9 });
    expect(state.State.Health?.Status).toBe('healthy');
  });

  it('keeps an image that asks for a check every millisecond to one a second', async () => {
    const image = await buildTestImage('healthcheck-storm', await readFile(path.join(fixture('healthcheck-storm'), 'Dockerfile'), 'utf8'));
    const { start } = await startTimed(
      image,
      `${RUBRIC_HEAD}service: { port: 8080, ready: { timeout: 20s, healthcheck: true } }\n${TCP_CHECK}`,
    );
    expect(start.ready).toBe(true);
    expect((await inspect(start.service!.id)).Config.Healthcheck).toMatchObject({ Test: ['CMD-SHELL', 'true'], Interval: 1e9 });
  });

  it('fails every service check with a clear message when the image has no HEALTHCHECK', async () => {
    const dir = await submission(await webApp((d) => d.replace(/^HEALTHCHECK .*\n/m, '')));
    const rubric = parseRubric(
      `${RUBRIC_HEAD}service: { ready: { timeout: 20s, healthcheck: true } }\nchecks:\n  - { id: builds, name: builds, build: {} }\n  - { id: answers, name: answers, tcp: {} }\n`,
      'readiness.yml',
    );
    const gradeRun = newRunId();
    const result = await grade({ rubric, submission: { dir, source: dir }, engine, runId: gradeRun });
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['builds', 'passed'],
      ['answers', 'failed'],
    ]);
    expect(result.checks[1]!.message).toBe(
      "the rubric waits for the image's HEALTHCHECK to report healthy, but the image has no HEALTHCHECK: add one to the Dockerfile, such as `HEALTHCHECK CMD wget -q -O /dev/null http://localhost:8080/ || exit 1`",
    );
    await expectNothingLeft(gradeRun);
  });
});

/** Prints `tick` once at start and once a second later, then serves. */
const TWO_TICKS = `FROM busybox:1.35
EXPOSE 8080
CMD ["sh", "-c", "trap 'exit 0' TERM; echo tick; nc -ll -p 8080 -e /bin/cat & sleep 1; echo tick; wait"]
`;

describe('log: { matches, times }', () => {
  it('is ready once the pattern has matched on two lines, not at the first', async () => {
    const image = await buildTestImage('two-ticks', TWO_TICKS);
    const { start, elapsedMs } = await startTimed(
      image,
      `${RUBRIC_HEAD}service: { ready: { timeout: 20s, log: { matches: "^tick$", times: 2 } } }\n${TCP_CHECK}`,
    );
    expect(start.ready).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(start.service!.logs().text).toBe('tick\ntick\n');
  });

  it('says how many lines matched when fewer did than asked for', async () => {
    const image = await buildTestImage('two-ticks', TWO_TICKS);
    const { start } = await startTimed(
      image,
      `${RUBRIC_HEAD}service: { ready: { timeout: 3s, log: { matches: "^tick$", times: 3 } } }\n${TCP_CHECK}`,
    );
    expect(start).toMatchObject({
      ready: false,
      message: 'the service never became ready within 3.0 s: only 2 log lines matched /^tick$/ (3 needed)',
    });
  });
});

describe('an app with no EXPOSE, graded by the built-in web rubric', () => {
  let result: GradeResult;
  let gradeRun: string;

  beforeAll(async () => {
    const dir = await submission(await webApp((d) => d.replace(/^EXPOSE 8080\n/m, '')));
    const rubric = await loadRubric('web');
    gradeRun = newRunId();
    result = await grade({ rubric, submission: { dir, source: dir }, engine, runId: gradeRun });
  });

  it('passes its service checks on the port the app listens on, and loses only the EXPOSE points', () => {
    const statusOf = (id: string) => result.checks.find((c) => c.id === id)?.status;
    expect(statusOf('answers')).toBe('passed');
    expect(statusOf('http')).toBe('passed');
    expect(statusOf('stops')).toBe('passed');
    expect(statusOf('expose')).toBe('failed');
    expect(result.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual(['expose']);
  });

  it('says which port it used and what to add, at the top of the report', () => {
    const note = 'the image EXPOSEs no port; the app listens on 8080, which was used: add `EXPOSE 8080`';
    expect(result.notes).toEqual([note]);
    expect(renderMarkdown(result)).toContain(`> ℹ️ ${note}`);
  });

  it('leaves nothing behind', async () => {
    await expectNothingLeft(gradeRun);
  });
});

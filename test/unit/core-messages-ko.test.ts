/**
 * What the grading pipeline and the engine say to a student, in Korean when the rubric's
 * language is `ko` and word for word as before in English: build refusals and failures,
 * a service that never gets ready or listens on the wrong port, checks skipped after a
 * required one failed, and a run the engine leaves ungradable.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/basics/i18n/catalogue.js';
import { withLocale } from '../../src/basics/i18n/catalogue.js';
import { formatDuration } from '../../src/basics/units.js';
import { grade } from '../../src/core/grade.js';
import { nothingToStart, NOTHING_TO_START } from '../../src/engine/container/start-command.js';
import { engineUnavailable } from '../../src/engine/engine-errors.js';
import type { BuildOutcome } from '../../src/engine/engine.js';
import type { Check, Rubric } from '../../src/rubric/model.js';
import { FakeEngine, check, imageInfo, testRubric } from '../helpers/fake-engine.js';

let repo: string;
let refusedRepo: string;

beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'grader-ko-'));
  writeFileSync(path.join(repo, 'Dockerfile'), 'FROM busybox:1.35\nEXPOSE 8080\nRUN exit 3\nCMD ["httpd", "-f"]\n');
  refusedRepo = mkdtempSync(path.join(os.tmpdir(), 'grader-ko-refused-'));
  writeFileSync(path.join(refusedRepo, 'Dockerfile'), '# syntax=example.com/frontend:1\nFROM busybox:1.35\n');
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(refusedRepo, { recursive: true, force: true });
});

const HANGUL = /[\uAC00-\uD7A3]/;

/**
 * Two English words in a row, once the parts that stay as written are taken out: what the
 * test passes in (paths, names, the builder's own error) and the tokens Korean keeps.
 */
function englishLeft(text: string, kept: readonly string[] = []): string | undefined {
  let rest = text;
  for (const part of [...kept, 'Docker Engine', 'Docker Desktop', 'sudo systemctl start docker', 'docker/dockerfile']) {
    rest = rest.split(part).join(' ');
  }
  return /[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,})+/.exec(rest)?.[0];
}

function expectKorean(text: string | undefined, kept: readonly string[] = []): void {
  expect(text).toMatch(HANGUL);
  expect(englishLeft(text!, kept)).toBeUndefined();
}

function engineWithImage(partial: Parameters<typeof imageInfo>[0] = {}): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set('sha256:fake', imageInfo({ exposedPorts: [8080], ...partial }));
  return engine;
}

function rubric(locale: Locale, checks: Check[], partial: Partial<Rubric> = {}): Rubric {
  return testRubric({ locale, checks, service: { env: {}, ready: { timeoutMs: 1_000 } }, ...partial });
}

const failedStep: BuildOutcome = {
  ok: false,
  reason: 'failed',
  error: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
  failingStep: '[2/3] RUN exit 3',
  logTail: 'the log',
  durationMs: 10,
};

describe('a required check that fails skips the later checks', () => {
  const checks = [
    check({ kind: 'build' }, { id: 'b', name: '이미지 빌드', required: true }),
    check({ kind: 'image', user: 'non-root' }, { id: 'u', name: 'root가 아닌 사용자' }),
    check({ kind: 'tcp' }, { id: 't', name: '포트' }),
  ];

  it('in Korean, naming the required check', async () => {
    const engine = engineWithImage();
    engine.buildOutcome = failedStep;
    const result = await grade({ rubric: rubric('ko', checks), submission: { dir: repo, source: repo }, engine });
    expect(result.checks.map((c) => c.status)).toEqual(['failed', 'skipped', 'skipped']);
    for (const skipped of result.checks.slice(1)) {
      expect(skipped.message).toBe('건너뜀: 필수 항목 "이미지 빌드"을(를) 통과하지 못했습니다');
    }
  });

  it('in English, as before', async () => {
    const engine = engineWithImage();
    engine.buildOutcome = failedStep;
    const english = checks.map((c) => ({ ...c, name: 'The image builds' }));
    const result = await grade({ rubric: rubric('en', english), submission: { dir: repo, source: repo }, engine });
    expect(result.checks[1]!.message).toBe('skipped: the required check "The image builds" did not pass');
  });
});

describe('a build that fails at a step', () => {
  const checks = [check({ kind: 'build' }, { id: 'b' }), check({ kind: 'image', user: 'non-root' }, { id: 'u' })];

  it('in Korean: the checks that need the image say it did not build, keeping the step and the builder error', async () => {
    const engine = engineWithImage();
    engine.buildOutcome = failedStep;
    const result = await grade({ rubric: rubric('ko', checks), submission: { dir: repo, source: repo }, engine });
    const skipped = result.checks[1]!;
    expect(skipped.status).toBe('skipped');
    expect(skipped.message.startsWith('이미지를 빌드하지 못했습니다: ')).toBe(true);
    expect(skipped.message).toContain('[2/3] RUN exit 3');
    expect(skipped.message).toContain(failedStep.error);
    // The rest of the sentence (the step's line) is the build check's wording, written by the probe.
    expect(skipped.message.endsWith(result.checks[0]!.message)).toBe(true);
  });

  it('in English, as before', async () => {
    const engine = engineWithImage();
    engine.buildOutcome = failedStep;
    const result = await grade({ rubric: rubric('en', checks), submission: { dir: repo, source: repo }, engine });
    expect(result.checks[1]!.message).toBe(
      'the image did not build: [2/3] RUN exit 3 (line 3) failed: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
    );
  });
});

describe('a Dockerfile the grader refuses to build', () => {
  const checks = [check({ kind: 'build' }, { id: 'b' })];

  it('in Korean, keeping the directive and the line', async () => {
    const result = await grade({
      rubric: rubric('ko', checks),
      submission: { dir: refusedRepo, source: refusedRepo },
      engine: engineWithImage(),
    });
    expect(result.checks[0]!.status).toBe('failed');
    expect(result.checks[0]!.message).toBe(
      '1번째 줄: "# syntax=example.com/frontend:1"은(는) Docker의 공식 프론트엔드(docker/dockerfile)가 아닌 다른 Dockerfile 프론트엔드를 요청합니다. ' +
        '채점 프로그램은 이 프론트엔드를 실행하지 않습니다. 이 줄을 지우거나 docker/dockerfile:1을 사용하세요.',
    );
  });

  it('in English, as before', async () => {
    const result = await grade({
      rubric: rubric('en', checks),
      submission: { dir: refusedRepo, source: refusedRepo },
      engine: engineWithImage(),
    });
    expect(result.checks[0]!.message).toBe(
      'Line 1: "# syntax=example.com/frontend:1" asks for a Dockerfile frontend other than Docker\'s own (docker/dockerfile), ' +
        'which the grader does not run. Remove the line or use docker/dockerfile:1.',
    );
  });

  it('says where it looked for a missing Dockerfile, in Korean', async () => {
    const missing = rubric('ko', checks, { build: { dockerfile: 'docker/Dockerfile', context: '.', args: {}, timeoutMs: 1000 } });
    const result = await grade({ rubric: missing, submission: { dir: repo, source: repo }, engine: engineWithImage() });
    const where = path.join(repo, 'docker');
    expect(result.checks[0]!.message).toBe(`"docker/Dockerfile"에 Dockerfile이 없습니다(${where}에서 찾았습니다).`);
  });
});

describe('a service that never gets ready', () => {
  const tcp = [check({ kind: 'tcp' }, { id: 't' })];

  function listeningOn(port: number, loopback = false): FakeEngine {
    const engine = engineWithImage();
    engine.service.listening = [{ port, loopback }];
    return engine;
  }

  it('in Korean, on the wrong port: what it listens on and what to change', async () => {
    const result = await grade({ rubric: rubric('ko', tcp), submission: { dir: repo, source: repo }, engine: listeningOn(5000) });
    const message = result.checks[0]!.message;
    expect(result.checks[0]!.status).toBe('failed');
    expect(message).toBe(
      '1초 안에 서비스가 준비되지 않았습니다: 8080번 포트로 연결되지 않았습니다(앱이 0.0.0.0에서, Dockerfile이 EXPOSE하는 포트로 요청을 기다리는지 확인하세요). ' +
        '앱이 8080번이 아니라 5000번 포트에서 요청을 기다리고 있습니다. ' +
        'Dockerfile이 EXPOSE하는 포트는 8080입니다. 앱이 EXPOSE한 포트에서 0.0.0.0으로 요청을 기다리도록 고치세요',
    );
    expectKorean(message);
  });

  it('in English, on the wrong port, as before', async () => {
    const result = await grade({ rubric: rubric('en', tcp), submission: { dir: repo, source: repo }, engine: listeningOn(5000) });
    expect(result.checks[0]!.message).toBe(
      'the service never became ready within 1.0 s: nothing accepted connections on port 8080 (does the app listen on 0.0.0.0 and on the port the Dockerfile EXPOSEs?); ' +
        'the app listens on port 5000, not on port 8080: the Dockerfile EXPOSEs 8080; make the app listen on the port you EXPOSE (on 0.0.0.0)',
    );
  });

  it('names several ports, and the rubric’s port, in both languages', async () => {
    const engine = engineWithImage();
    engine.service.listening = [
      { port: 3000, loopback: false },
      { port: 5000, loopback: false },
    ];
    const service = { env: {}, port: 8080, ready: { timeoutMs: 1_000 } };
    const [ko, en] = await Promise.all(
      (['ko', 'en'] as const).map((locale) =>
        grade({ rubric: rubric(locale, tcp, { service }), submission: { dir: repo, source: repo }, engine }),
      ),
    );
    expect(ko!.checks[0]!.message).toContain(
      '앱이 8080번이 아니라 3000, 5000번 포트에서 요청을 기다리고 있습니다. 이 과제는 8080번 포트로 채점합니다. 앱이 이 포트에서 요청을 기다리도록 하고, 이 포트를 EXPOSE하세요',
    );
    expectKorean(ko!.checks[0]!.message);
    expect(en!.checks[0]!.message).toContain(
      '; the app listens on ports 3000, 5000, not on port 8080: the rubric grades port 8080; make the app listen there (and EXPOSE it)',
    );
  });

  it('in Korean, bound to 127.0.0.1 only', async () => {
    const result = await grade({ rubric: rubric('ko', tcp), submission: { dir: repo, source: repo }, engine: listeningOn(8080, true) });
    const message = result.checks[0]!.message;
    expect(message).toContain(
      '앱이 8080번 포트에서 127.0.0.1(localhost)로만 요청을 기다리고 있어 컨테이너 밖에서는 접속할 수 없습니다. 앱이 0.0.0.0에서 요청을 기다리도록 고치세요',
    );
    expectKorean(message);
  });

  it('in Korean, when the container ran out of memory or exited, with its last log lines', async () => {
    const oom = engineWithImage();
    oom.service.exit = { exitCode: 137, oomKilled: true };
    oom.service.logText = 'allocating\n';
    const limits = { memoryBytes: 256 * 1024 ** 2, cpus: 1, pids: 256, network: 'none' as const };
    const killed = await grade({ rubric: rubric('ko', tcp, { limits }), submission: { dir: repo, source: repo }, engine: oom });
    expect(killed.checks[0]!.message).toMatch(
      /^서비스가 준비되기 전에 메모리 한도\(256 MiB\)를 넘어 컨테이너가 \d+ms 만에 종료되었습니다$/,
    );
    expect(killed.checks[0]!.output).toContain('allocating');

    const exited = engineWithImage();
    exited.service.exit = { exitCode: 3, oomKilled: false };
    const crashed = await grade({ rubric: rubric('ko', tcp), submission: { dir: repo, source: repo }, engine: exited });
    expect(crashed.checks[0]!.message).toMatch(/^서비스가 준비되기 전에 컨테이너가 \d+ms 만에 비정상 종료되었습니다\(종료 코드 3\)$/);
  });

  it('names the process limit when a service that hit it exited before it was ready', async () => {
    for (const [locale, limit] of [
      ['en', /exited with code 2 after \d+ ms; it had reached its process limit \(256 processes\)$/],
      ['ko', /\(종료 코드 2\)\. 프로세스 수 한도\(256개\)를 넘었습니다$/],
    ] as const) {
      const bombed = engineWithImage();
      bombed.service.exit = { exitCode: 2, oomKilled: false };
      bombed.service.pidsHit = true;
      const result = await grade({ rubric: rubric(locale, tcp), submission: { dir: repo, source: repo }, engine: bombed });
      expect(result.checks[0]!.message).toMatch(limit);
    }
  });

  it('in Korean, when the image has nothing to start', async () => {
    const engine = engineWithImage({ cmd: null });
    const result = await grade({ rubric: rubric('ko', tcp), submission: { dir: repo, source: repo }, engine });
    expect(result.checks[0]).toMatchObject({ status: 'failed', message: '이미지에 CMD도 ENTRYPOINT도 없어서 시작할 명령어가 없습니다' });
    expect(NOTHING_TO_START).toBe('the image has no CMD or ENTRYPOINT, so there is nothing to start');
    expect(nothingToStart()).toBe(NOTHING_TO_START);
  });
});

describe('a check the grader could not run, and a hidden check', () => {
  it('in Korean', async () => {
    const engine = engineWithImage();
    engine.runHandler = () => {
      throw new Error('boom');
    };
    const checks = [
      check({ kind: 'run', args: [], env: {}, exitCode: 0 }, { id: 'r' }),
      check({ kind: 'image', user: 'non-root' }, { id: 'h', visibility: 'hidden' }),
    ];
    const result = await grade({ rubric: rubric('ko', checks), submission: { dir: repo, source: repo }, engine });
    expect(result.checks[0]).toMatchObject({ status: 'error', message: '채점 프로그램이 이 항목을 실행하지 못했습니다: boom' });
    expect(result.checks[1]).toMatchObject({
      status: 'failed',
      hidden: true,
      message: '통과하지 못했습니다(세부 내용은 공개되지 않습니다)',
    });
  });
});

describe('an engine that goes away', () => {
  const checks = [check({ kind: 'file', path: 'Dockerfile', in: 'repo' }), check({ kind: 'build' })];

  class GoneEngine extends FakeEngine {
    override async ping(): Promise<never> {
      throw engineUnavailable(
        { description: 'unix:///var/run/docker.sock' },
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      );
    }
  }

  it('in Korean: ungradable, saying plainly it is not the student’s fault', async () => {
    const result = await grade({ rubric: rubric('ko', checks), submission: { dir: repo, source: repo }, engine: new GoneEngine() });
    expect(result).toMatchObject({ status: 'ungradable', score: null, locale: 'ko' });
    expect(result.reason).toBe(
      '채점 환경의 Docker Engine(unix:///var/run/docker.sock)이 응답하지 않습니다: 실행 중이 아닙니다(연결이 거부되었습니다). ' +
        '채점 환경의 문제이며 제출물의 잘못이 아닙니다. ' +
        'Docker를 시작하거나(Docker Desktop 또는 "sudo systemctl start docker"), DOCKER_HOST가 실행 중인 엔진을 가리키도록 설정하세요.',
    );
    expectKorean(result.reason, ['unix:///var/run/docker.sock']);
    for (const c of result.checks) expect(c).toMatchObject({ status: 'error', message: `채점 불가: ${result.reason}` });
  });

  it('in English, as before', async () => {
    const result = await grade({ rubric: rubric('en', checks), submission: { dir: repo, source: repo }, engine: new GoneEngine() });
    expect(result.reason).toBe(
      'The Docker Engine at unix:///var/run/docker.sock does not answer: not running (connection refused). ' +
        'Start Docker (Docker Desktop, or "sudo systemctl start docker"), or point DOCKER_HOST at a running engine.',
    );
    expect(result.checks[0]!.message).toBe(`not graded: ${result.reason}`);
  });

  it('in Korean, when the watchdog gives up on a hung engine', async () => {
    const engine = engineWithImage();
    engine.build = () => new Promise(() => {});
    const result = await grade({
      rubric: rubric('ko', [check({ kind: 'build' })]),
      submission: { dir: repo, source: repo },
      engine,
      watchdogMs: 300,
    });
    expect(result).toMatchObject({ status: 'ungradable', score: null });
    expect(result.reason).toBe(
      '채점이 허용 시간(300ms)을 넘겼습니다. Docker Engine이 멈춘 것으로 보입니다. 채점 환경의 문제이며 제출물의 잘못이 아닙니다',
    );
  });
});

describe('durations', () => {
  it('are written the Korean way in a Korean grading, and as before in English', () => {
    const samples = [250, 1_000, 1_234, 59_960, 125_000, 120_000];
    expect(samples.map((ms) => formatDuration(ms))).toEqual(['250 ms', '1.0 s', '1.2 s', '60.0 s', '2 min 5 s', '2 min 0 s']);
    expect(withLocale('ko', () => samples.map((ms) => formatDuration(ms)))).toEqual(['250ms', '1초', '1.2초', '60초', '2분 5초', '2분']);
    expect(withLocale('ko', () => formatDuration(1_500, 'en'))).toBe('1.5 s');
  });
});

/**
 * The reports of a Korean grading (`locale: ko`): the markdown report, the terminal report and
 * the check run (title, summary, annotations) of a passing, two failing and an ungradable run.
 * The results are the English fixtures of report-snapshots.test.ts, given the Korean names and
 * messages a Korean rubric and the Korean probes write; the scores are the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCompletion } from '../../src/action/outcome.js';
import { catalogueOf } from '../../src/basics/i18n/catalogue.js';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';

const FIXTURES = new URL('../fixtures/results/', import.meta.url);

function load(name: string): GradeResult {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as GradeResult;
}

type KoreanText = Partial<Pick<CheckResult, 'name' | 'message' | 'feedback' | 'expected' | 'actual'>>;

const BUILD_FAILED_SKIP = '건너뜀: 필수 항목 "이미지가 빌드됩니다"를 통과하지 못했습니다';

/** What a Korean rubric and the Korean probes say for each check of the fixtures, by check id. */
const KOREAN: Record<string, Record<string, KoreanText>> = {
  'passing-web': {
    'has-dockerfile': { name: 'Dockerfile이 있습니다', message: 'Dockerfile이 있습니다' },
    dockerignore: { name: '.dockerignore가 있습니다', message: '.dockerignore를 찾았습니다' },
    'pinned-base': { name: '베이스 이미지를 버전 태그로 고정했습니다', message: 'FROM node:22-alpine' },
    builds: { name: '이미지가 빌드됩니다', message: '31.9초 만에 빌드했습니다' },
    'non-root': { name: 'root가 아닌 사용자로 실행합니다', message: 'USER node' },
    ping: { name: 'GET /ping이 pong을 응답합니다', message: '200 OK' },
    'env-test': { name: 'GET /env-test가 ENV 값을 돌려줍니다', message: '200 OK, 본문에 "hello"가 있습니다' },
    info: { name: '이미지 크기 (참고용)', message: '142.6 MB' },
    stops: { name: 'SIGTERM을 받으면 정상 종료합니다', message: 'SIGTERM을 받고 0.2초 후 종료 코드 0으로 종료했습니다' },
  },
  'failing-web': {
    builds: { name: '이미지가 빌드됩니다', message: '20.5초 만에 빌드했습니다' },
    exposes: {
      name: 'EXPOSE한 포트에서 앱이 요청을 기다립니다',
      message: 'Dockerfile은 `EXPOSE 5000`인데, 앱은 8080번 포트에서 요청을 기다립니다',
    },
    ping: {
      name: 'GET /ping이 pong을 응답합니다',
      message: '상태 코드 200을 기대했지만 404를 받았습니다',
      feedback: '/ping 경로를 추가하고 pong을 응답하도록 고치세요.',
      expected: '상태 코드 200',
      actual: '상태 코드 404',
    },
    greeting: { name: 'CLI가 이름을 불러 인사합니다', message: 'stdout이 기대한 텍스트와 다릅니다' },
    logs: { name: '로그에 listening이 나옵니다', message: '"listening"을 찾았습니다' },
    tcp: { name: '8080번 포트가 연결을 받습니다', message: '컨테이너 네트워크를 확인하지 못했습니다: engine returned 500' },
    size: { name: '이미지가 250 MB 이하입니다', message: '참고: 1.1 GB' },
  },
  'failing-build': {
    'has-dockerfile': { name: 'Dockerfile이 있습니다', message: 'Dockerfile이 있습니다' },
    dockerignore: {
      name: '.dockerignore가 있습니다',
      message: '빌드 컨텍스트에 .dockerignore가 없습니다',
      feedback: 'node_modules와 .env가 이미지에 들어가지 않도록 .dockerignore를 추가하세요.',
    },
    'pinned-base': {
      name: '베이스 이미지를 버전 태그로 고정했습니다',
      message: 'FROM node에 태그가 없어서 node:latest를 뜻합니다',
      feedback: '베이스 이미지를 버전 태그로 고정하세요. 예: FROM node:22-alpine',
      expected: 'latest가 아닌 태그',
    },
    'no-add': { name: '로컬 파일은 ADD가 아니라 COPY로 복사합니다', message: '2줄에서 로컬 파일을 ADD로 복사합니다' },
    label: { name: 'LABEL maintainer가 있습니다' },
    builds: {
      name: '이미지가 빌드됩니다',
      message: 'RUN npm ci 단계에서 빌드가 실패했습니다 (종료 코드 1)',
      feedback: 'package-lock.json을 커밋하거나 npm install을 사용하세요.',
    },
    ping: { name: 'GET /ping이 pong을 응답합니다', message: BUILD_FAILED_SKIP },
    'env-test': { name: 'GET /env-test가 ENV 값을 돌려줍니다', message: BUILD_FAILED_SKIP },
    stops: { name: 'SIGTERM을 받으면 정상 종료합니다', message: BUILD_FAILED_SKIP },
  },
  ungradable: {},
};

function korean(name: string): GradeResult {
  const result = load(name);
  const texts = KOREAN[name]!;
  return {
    ...result,
    locale: 'ko',
    rubric: { ...result.rubric, title: '도커 미니 프로젝트 (웹)' },
    ...(result.status === 'ungradable' ? { reason: '도커 엔진이 응답하지 않았습니다: connect ENOENT /var/run/docker.sock' } : {}),
    checks: result.checks.map((check) => ({ ...check, ...texts[check.id] })),
  };
}

/** The check run as GitHub shows it: title, annotations, then the summary. */
function checkRunText(result: GradeResult): string {
  const { title, summary, annotations = [] } = checkCompletion({ result }, '');
  const notes = annotations.map(
    (a) => `- ${a.path}:${a.start_line}-${a.end_line} ${a.annotation_level} · ${a.title}\n  ${a.message.replace(/\n(?!\n)/g, '\n  ')}`,
  );
  return `title: ${title}\n\nannotations:\n${notes.join('\n') || '(none)'}\n\nsummary:\n${summary}`;
}

/** English phrases the renderers own (longer ones, so as not to catch names in student output). */
const ENGLISH = Object.entries(catalogueOf('en'))
  .filter(([key, text]) => key.startsWith('report.') && !text.includes('{') && text.length >= 6)
  .map(([, text]) => text.replace(/:$/, ''));

const NAMES = Object.keys(KOREAN);

describe.each(NAMES)('Korean report of %s', (name) => {
  const result = korean(name);

  it('markdown', async () => {
    const md = renderMarkdown(result, { marker: '<!-- grader:report -->', now: new Date('2025-04-01T09:30:00Z') });
    expect(ENGLISH.filter((phrase) => md.includes(phrase))).toEqual([]);
    await expect(md).toMatchFileSnapshot(`__snapshots__/report-ko/${name}.md`);
  });

  it('terminal without colour', async () => {
    const text = renderTerminal(result, { color: false });
    expect(text).not.toContain('\x1b');
    expect(ENGLISH.filter((phrase) => text.includes(phrase))).toEqual([]);
    await expect(text).toMatchFileSnapshot(`__snapshots__/report-ko/${name}.txt`);
  });

  it('check run: title, annotations and summary', async () => {
    const text = checkRunText(result);
    expect(ENGLISH.filter((phrase) => text.includes(phrase))).toEqual([]);
    await expect(text).toMatchFileSnapshot(`__snapshots__/report-ko/${name}.check-run.md`);
  });
});

describe('Korean reports of long output', () => {
  it('say in Korean where they cut it, in the terminal and in markdown', () => {
    const result = korean('failing-web');
    result.checks[2]!.output = Array.from({ length: 500 }, (_, i) => `응답 ${i}번째 줄`).join('\n');
    result.checks[2]!.message = `${'가'.repeat(3_000)} 끝`;
    const text = renderTerminal(result, { color: false });
    const md = renderMarkdown(result, { maxLength: 6_000 });
    for (const report of [text, md]) {
      expect(report).toMatch(/… [\d,]+자 생략 …/);
      expect(report).not.toContain('characters omitted');
    }
  });
});

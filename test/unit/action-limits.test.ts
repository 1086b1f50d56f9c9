/**
 * GitHub's size limits hold for Korean reports, which take 3 bytes a character in UTF-8:
 * the job summary (1 MiB, bytes) and annotation messages (64 KB, bytes) are counted in bytes;
 * the comment (65,536), the check-run summary (65,535) and annotation titles (255) in characters.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_ANNOTATION_MESSAGE_BYTES,
  MAX_ANNOTATION_TITLE_LENGTH,
  MAX_CHECK_SUMMARY_LENGTH,
  annotationsFor,
} from '../../src/action/check-run.js';
import { MAX_COMMENT_LENGTH, REPORT_MARKER } from '../../src/action/comment.js';
import { checkCompletion, commentBody, describeNotGraded, summaryMarkdown } from '../../src/action/outcome.js';
import { MAX_SUMMARY_BYTES, fitJobSummary } from '../../src/action/summary.js';
import { clipUtf8 } from '../../src/action/utf8.js';
import { UserError } from '../../src/basics/errors.js';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** `count` characters of Korean text, each 3 bytes in UTF-8. */
function hangul(count: number): string {
  const line = '컨테이너가 8080번 포트에서 요청을 기다리지 않습니다. ';
  return line.repeat(Math.ceil(count / line.length)).slice(0, count);
}

function koreanResult(checkCount: number, outputChars: number): GradeResult {
  const checks: CheckResult[] = Array.from({ length: checkCount }, (_, i) => ({
    id: `c${i}`,
    name: `항목 ${i}: ${hangul(300)}`,
    kind: 'http',
    status: 'failed',
    points: 0,
    max_points: 5,
    message: hangul(3_000),
    feedback: hangul(2_000),
    expected: hangul(500),
    actual: hangul(500),
    output: hangul(outputChars),
    location: { path: 'Dockerfile', line: i + 1 },
    duration_ms: 1,
  }));
  return {
    rubric: { title: '도커 과제', source: 'rubric.yml' },
    locale: 'ko',
    submission: { source: '.' },
    status: 'graded',
    score: 0,
    max_score: 5 * checkCount,
    percent: 0,
    pass_threshold: 60,
    passed: false,
    duration_ms: 1_000,
    checks,
  };
}

describe('clipUtf8', () => {
  it('keeps text that fits, and cuts the rest to at most the bytes, never inside a character', () => {
    expect(clipUtf8('도커', 6)).toBe('도커');
    const text = `a도😀b${hangul(50)}`;
    for (let max = 0; max <= bytes(text) + 1; max++) {
      const cut = clipUtf8(text, max);
      expect(bytes(cut), `max ${max}`).toBeLessThanOrEqual(max);
      expect(cut).not.toContain('\uFFFD');
      if (cut !== text && max >= 3) {
        expect(cut.endsWith('…')).toBe(true);
        expect(text.startsWith(cut.slice(0, -1))).toBe(true);
      }
    }
  });
});

describe('the job summary, limited in bytes', () => {
  it('cuts 1.2 million Korean characters (3.6 MB) to at most 1 MiB', () => {
    const summary = fitJobSummary(hangul(1_200_000));
    expect(bytes(summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    // Not cut to a character budget: the bytes are used.
    expect(bytes(summary)).toBeGreaterThan(MAX_SUMMARY_BYTES - 4);
  });

  it('holds for a Korean report with huge outputs, and for a huge Korean failure', () => {
    const report = summaryMarkdown({ result: koreanResult(40, 200_000) }, [hangul(5_000)]);
    expect(bytes(report)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(report).toContain('GitHub 크기 제한');
    const failure = summaryMarkdown({ notGraded: describeNotGraded(new UserError(hangul(2_000_000)), 'ko') }, []);
    expect(bytes(failure)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(failure.startsWith('## grader: 채점하지 못함')).toBe(true);
  });
});

describe('annotations', () => {
  it('keep a huge Korean message within 64 KB and the name within 255 characters', () => {
    const result = koreanResult(3, 10);
    result.checks[0]!.message = hangul(100_000);
    result.checks[0]!.feedback = hangul(100_000);
    const annotations = annotationsFor(result);
    expect(annotations).toHaveLength(3);
    for (const annotation of annotations) {
      expect(bytes(annotation.message)).toBeLessThanOrEqual(MAX_ANNOTATION_MESSAGE_BYTES);
      expect(annotation.title!.length).toBeLessThanOrEqual(MAX_ANNOTATION_TITLE_LENGTH);
      expect(annotation.title!.startsWith('항목')).toBe(true);
    }
  });
});

describe('the comment and the check-run summary, limited in characters', () => {
  it('fit a Korean report with huge outputs, saying in Korean that it was shortened', () => {
    const result = koreanResult(40, 200_000);
    const comment = commentBody({ result });
    expect(comment.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(comment.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(comment).toContain('GitHub 크기 제한');
    const { summary, title } = checkCompletion({ result }, '');
    expect(summary.length).toBeLessThanOrEqual(MAX_CHECK_SUMMARY_LENGTH);
    expect(title).toBe('grader: 0/200점 (0%) — 통과 기준 60% 미달');
  });

  it('shorten huge Korean outputs with a Korean note', () => {
    const comment = commentBody({ result: koreanResult(3, 200_000) });
    expect(comment.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(comment).toMatch(/… [\d,]+자 생략 …/);
    expect(comment).not.toContain('characters omitted');
  });
});

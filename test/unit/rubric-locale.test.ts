import { describe, expect, it } from 'vitest';
import { RubricError } from '../../src/basics/errors.js';
import { parseRubric } from '../../src/rubric/load.js';

const BILINGUAL = `rubric: 1
title: { en: Homework 1, ko: 숙제 1 }
locale: ko
checks:
  - name: { en: Dockerfile is present, ko: Dockerfile이 있습니다 }
    feedback: { en: Add a Dockerfile., ko: Dockerfile을 추가하세요. }
    file: { path: Dockerfile }
  - name: { en: The image builds }
    build: true
`;

describe('rubric languages', () => {
  it('picks the rubric’s locale, falls back to English, and keeps ids from the English names', () => {
    const rubric = parseRubric(BILINGUAL, 'hw.yml');
    expect(rubric.locale).toBe('ko');
    expect(rubric.title).toBe('숙제 1');
    expect(rubric.checks.map((check) => [check.id, check.name, check.feedback])).toEqual([
      ['dockerfile-is-present', 'Dockerfile이 있습니다', 'Dockerfile을 추가하세요.'],
      ['the-image-builds', 'The image builds', undefined],
    ]);
  });

  it('lets the user choose another language than the rubric’s, without changing the ids', () => {
    const rubric = parseRubric(BILINGUAL, 'hw.yml', 'hw.yml', { locale: 'en' });
    expect(rubric.locale).toBe('en');
    expect(rubric.title).toBe('Homework 1');
    expect(rubric.checks.map((check) => check.id)).toEqual(['dockerfile-is-present', 'the-image-builds']);
  });

  it('is English when the rubric says nothing', () => {
    expect(parseRubric('rubric: 1\ntitle: t\nchecks:\n  - name: b\n    build: true\n', 'r.yml').locale).toBe('en');
  });

  it('reports an unknown language, in the locale or in a text map, with file, line and key', () => {
    const text = `rubric: 1
title: { en: Homework, kr: 숙제 }
locale: kor
checks:
  - name: { en: Builds, jp: ビルド }
    build: true
`;
    let error: unknown;
    try {
      parseRubric(text, 'hw.yml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RubricError);
    const message = (error as RubricError).message;
    expect(message).toContain('hw.yml:2:');
    expect(message).toMatch(/title\.kr: unknown language "kr" \(did you mean "ko"\?\)/);
    expect(message).toMatch(/hw\.yml:3:\d+: locale: unknown language "kor"/);
    expect(message).toMatch(/hw\.yml:5:\d+: checks\[0\]\.name\.jp: unknown language "jp"/);
  });

  it('refuses an empty map or an empty text', () => {
    expect(() => parseRubric('rubric: 1\ntitle: {}\nchecks:\n  - name: b\n    build: true\n', 'r.yml')).toThrow(RubricError);
    expect(() => parseRubric('rubric: 1\ntitle: { en: "" }\nchecks:\n  - name: b\n    build: true\n', 'r.yml')).toThrow(RubricError);
  });
});

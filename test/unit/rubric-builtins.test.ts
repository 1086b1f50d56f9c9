import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuiltinName, listBuiltinRubrics, loadRubric, parseRubric, rubricsDir } from '../../src/rubric/load.js';
import type { Rubric } from '../../src/rubric/model.js';

/** The built-in rubrics users are told about (`--rubric web`, the action's `rubric: cli`). */
const DOCUMENTED = ['cli', 'web'];
const BUILTINS = [...new Set([...DOCUMENTED, ...listBuiltinRubrics()])];

const HANGUL = /[\uAC00-\uD7A3]/;
/** Words a translation keeps exactly as written: Dockerfile instructions, files, commands, addresses, signals. */
const KEPT =
  /\b(?:FROM|RUN|COPY|ADD|USER|EXPOSE|CMD|ENTRYPOINT|WORKDIR|ENV|LABEL|HEALTHCHECK|VOLUME|SIGTERM|HTTP|Dockerfile|maintainer|stdin|apt-get|docker run)\b|\.dockerignore|\.git\b|\.env\b|node_modules|\/bin\/sh|\d+(?:\.\d+){3}|\d+ ?MB/g;

/** The texts a student reads, by where they are in the rubric. */
function texts(rubric: Rubric): [string, string][] {
  return [
    ['title', rubric.title],
    ...rubric.checks.flatMap((check): [string, string][] => [
      [`${check.id}.name`, check.name],
      ...(check.feedback === undefined ? [] : [[`${check.id}.feedback`, check.feedback] as [string, string]]),
    ]),
  ];
}

/** Everything but the language and the texts. */
function withoutTexts(rubric: Rubric): unknown {
  return {
    ...rubric,
    title: undefined,
    locale: undefined,
    checks: rubric.checks.map((check) => ({ ...check, name: undefined, feedback: check.feedback === undefined ? 'none' : 'some' })),
  };
}

describe('built-in rubrics', () => {
  it('finds the rubrics folder next to the schema', () => {
    expect(existsSync(join(rubricsDir(), 'rubric.schema.json'))).toBe(true);
  });

  it('tells names from paths', () => {
    expect(isBuiltinName('web')).toBe(true);
    expect(isBuiltinName('web.yml')).toBe(false);
    expect(isBuiltinName('./web')).toBe(false);
    expect(isBuiltinName('rubrics/web')).toBe(false);
  });

  it('lists the built-ins the README and the action document', () => {
    expect(listBuiltinRubrics()).toEqual(expect.arrayContaining(DOCUMENTED));
  });

  // The documented ones too, so that a missing file fails here rather than going untested.
  it.each(BUILTINS.map((name) => [name]))('%s loads cleanly by name', async (name) => {
    const rubric = await loadRubric(name);
    expect(rubric.source).toBe(`builtin:${name}`);
    expect(rubric.checks.length).toBeGreaterThan(0);
  });

  it('lists only .yml files, by name', () => {
    for (const name of listBuiltinRubrics()) {
      expect(name).not.toMatch(/\.|\//);
      expect(existsSync(join(rubricsDir(), `${name}.yml`))).toBe(true);
    }
  });
});

describe('built-in rubrics in English and Korean', () => {
  it.each(BUILTINS.map((name) => [name]))('%s is English unless asked, and the same rubric in Korean but for its texts', async (name) => {
    const [plain, en, ko] = await Promise.all([loadRubric(name), loadRubric(name, { locale: 'en' }), loadRubric(name, { locale: 'ko' })]);
    expect(plain).toEqual(en);
    expect([en.locale, ko.locale]).toEqual(['en', 'ko']);
    expect(withoutTexts(ko)).toEqual(withoutTexts(en));
    expect(ko.checks.map((c) => [c.id, c.points, c.spec.kind])).toEqual(en.checks.map((c) => [c.id, c.points, c.spec.kind]));
  });

  it.each(BUILTINS.map((name) => [name]))('%s has every text in Korean, keeping the technical words of the English', async (name) => {
    const [en, ko] = await Promise.all([loadRubric(name, { locale: 'en' }), loadRubric(name, { locale: 'ko' })]);
    const english = new Map(texts(en));
    for (const [where, korean] of texts(ko)) {
      const original = english.get(where)!;
      expect({ where, korean: HANGUL.test(korean), english: HANGUL.test(original) }).toEqual({ where, korean: true, english: false });
      for (const word of new Set(original.match(KEPT))) expect({ where, kept: korean.includes(word) }).toEqual({ where, kept: true });
    }
  });

  it('keeps the English texts and ids that reports and results already use', async () => {
    const [web, cli] = await Promise.all([loadRubric('web'), loadRubric('cli')]);
    expect(web.title).toBe('Dockerfile homework — web service');
    expect(cli.title).toBe('Dockerfile homework — command-line tool');
    const named = (rubric: Rubric) => Object.fromEntries(rubric.checks.map((c) => [c.id, c.name]));
    expect(named(web)).toMatchObject({
      'dockerfile-present': 'Dockerfile is present',
      builds: 'The image builds',
      answers: 'The service accepts connections on its port',
      stops: 'The service stops cleanly on SIGTERM',
    });
    expect(named(cli)).toMatchObject({
      entrypoint: 'ENTRYPOINT names the program, so arguments go to it',
      exits: 'Finishes on its own with stdin closed',
    });
    expect(web.checks.find((c) => c.id === 'dockerfile-present')!.feedback).toBe(
      'Put a file named exactly `Dockerfile` at the root of your repository.',
    );
    expect(web.checks.map((c) => c.id)).toEqual([
      'dockerfile-present',
      'dockerignore',
      'pinned-base',
      'label-maintainer',
      'env-used',
      'workdir-absolute',
      'copy-not-add',
      'apt-in-one-run',
      'exec-form',
      'expose',
      'builds',
      'image-size',
      'non-root',
      'answers',
      'http',
      'stops',
    ]);
    expect(cli.checks.map((c) => c.id)).toEqual([
      'dockerfile-present',
      'dockerignore',
      'pinned-base',
      'label-maintainer',
      'workdir-absolute',
      'copy-not-add',
      'apt-in-one-run',
      'exec-form',
      'entrypoint',
      'builds',
      'image-size',
      'non-root',
      'runs-default',
      'exits',
    ]);
    const points = (rubric: Rubric) => rubric.checks.reduce((sum, c) => sum + c.points, 0);
    expect([web.checks.length, points(web), web.pass, cli.checks.length, points(cli), cli.pass]).toEqual([16, 100, 60, 14, 100, 60]);
  });
});

describe('rubrics/README.md', () => {
  const readme = readFileSync(join(rubricsDir(), 'README.md'), 'utf8');
  const rubricsIn = (text: string) =>
    [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((example) => example.includes('rubric: 1'));

  it('shows only valid rubrics', () => {
    const examples = rubricsIn(readme);
    expect(examples.length).toBeGreaterThan(1);
    for (const example of examples) expect(() => parseRubric(example, 'README.md')).not.toThrow();
  });

  it('shows a complete example whose Korean name makes a Korean id', () => {
    const section = readme.split('\n## A complete example\n')[1]!.split('\n## ')[0]!;
    const [example] = rubricsIn(section);
    expect(parseRubric(example!, 'README.md').checks.map((c) => c.id)).toContain('도커파일-정리');
  });

  it('shows a bilingual example that is Korean by its locale, English on request, with the same ids', () => {
    const section = readme.split('\n## Languages\n')[1]!.split('\n## ')[0]!;
    const [example] = rubricsIn(section);
    const ko = parseRubric(example!, 'README.md');
    const en = parseRubric(example!, 'README.md', 'README.md', { locale: 'en' });
    expect(ko.locale).toBe('ko');
    expect(HANGUL.test(ko.title)).toBe(true);
    expect(ko.checks.map((c) => c.id)).toEqual(en.checks.map((c) => c.id));
    // A name with no Korean falls back to its English.
    expect(ko.checks.map((c) => HANGUL.test(c.name))).toEqual([true, true, false]);
    expect(en.checks.some((c) => HANGUL.test(c.name) || HANGUL.test(c.feedback ?? ''))).toBe(false);
  });
});

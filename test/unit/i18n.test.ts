import { describe, expect, it } from 'vitest';
import {
  LOCALES,
  catalogueOf,
  currentLocale,
  pickText,
  t,
  translator,
  withLocale,
  type MessageKey,
} from '../../src/basics/i18n/catalogue.js';
import { formatMessage, paramNamesOf } from '../../src/basics/i18n/format.js';

describe('the catalogues', () => {
  const english = catalogueOf('en');
  const keys = Object.keys(english).sort() as MessageKey[];

  it.each(LOCALES)('%s has every key of the English catalogue and no other', (locale) => {
    expect(Object.keys(catalogueOf(locale)).sort()).toEqual(keys);
  });

  it.each(LOCALES)('%s gives each message the same parameters as English', (locale) => {
    const catalogue = catalogueOf(locale);
    const differing = keys.filter((key) => paramNamesOf(catalogue[key]).join() !== paramNamesOf(english[key]).join());
    expect(differing).toEqual([]);
  });

  it.each(LOCALES)('%s formats every message (balanced braces, known forms)', (locale) => {
    const catalogue = catalogueOf(locale);
    for (const key of keys) {
      const params = Object.fromEntries(paramNamesOf(english[key]).map((name) => [name, 2]));
      expect(() => formatMessage(catalogue[key], params, locale)).not.toThrow();
    }
  });

  it('writes Korean messages politely (합니다체), never in the plain form', () => {
    const korean = catalogueOf('ko');
    const plain = keys.filter((key) => /(?:한다|이다|없다|있다|된다)[.)]?$/.test(korean[key].trim()));
    expect(plain).toEqual([]);
  });
});

describe('formatMessage', () => {
  it('puts parameters in as they are, braces and all', () => {
    expect(formatMessage('expected {want}, got {got}', { want: 200, got: '{x} #' }, 'en')).toBe('expected 200, got {x} #');
  });

  it('picks English plural forms, and exact matches first', () => {
    const template = '{count, plural, =0 {no checks} one {# check} other {# checks}} failed';
    expect(formatMessage(template, { count: 0 }, 'en')).toBe('no checks failed');
    expect(formatMessage(template, { count: 1 }, 'en')).toBe('1 check failed');
    expect(formatMessage(template, { count: 3 }, 'en')).toBe('3 checks failed');
    expect(formatMessage('{count, plural, other {#개 항목}}', { count: 1 }, 'ko')).toBe('1개 항목');
  });

  it('lists a template’s parameter names, not the words of plural forms', () => {
    expect(paramNamesOf('{b} and {a, plural, one {# x} other {# xs}} and {b}')).toEqual(['a', 'b']);
    expect(paramNamesOf('on {count, plural, one {port} other {ports}} {ports}')).toEqual(['count', 'ports']);
    expect(paramNamesOf('{n, plural, =0 {none} other {{who} and # more}}')).toEqual(['n', 'who']);
  });

  it('puts the number for # in a plural form, never into a parameter', () => {
    expect(formatMessage('{n, plural, one {# by {who}} other {# by {who}}}', { n: 2, who: 'issue #7' }, 'en')).toBe('2 by issue #7');
  });
});

describe('the language of a grading', () => {
  it('is English outside a grading and what withLocale says inside, across awaits', async () => {
    expect(currentLocale()).toBe('en');
    const seen = await withLocale('ko', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [currentLocale(), t('report.score.total_percent', { score: 1, separator: '/', max: 2, percent: 50 })];
    });
    expect(seen).toEqual(['ko', '1/2점 (50%)']);
    expect(t('report.score.total_percent', { score: 1, separator: '/', max: 2, percent: 50 })).toBe('1/2 (50%)');
    expect(translator('ko').locale).toBe('ko');
  });

  it('keeps two gradings in different languages apart', async () => {
    const [a, b] = await Promise.all([
      withLocale('ko', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return currentLocale();
      }),
      withLocale('en', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return currentLocale();
      }),
    ]);
    expect([a, b]).toEqual(['ko', 'en']);
  });
});

describe('instructor text in several languages', () => {
  it('picks the wanted language, then English, then any', () => {
    expect(pickText('same', 'ko')).toBe('same');
    expect(pickText({ en: 'Builds', ko: '빌드됩니다' }, 'ko')).toBe('빌드됩니다');
    expect(pickText({ en: 'Builds' }, 'ko')).toBe('Builds');
    expect(pickText({ ko: '빌드됩니다' }, 'en')).toBe('빌드됩니다');
  });
});

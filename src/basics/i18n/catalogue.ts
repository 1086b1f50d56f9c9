/**
 * Every student-facing sentence the grader writes, in every language it speaks. The English
 * catalogue (en.ts) defines the keys and their parameters; every other catalogue has exactly
 * those keys (the type checker says so) with the same parameters (a unit test says so).
 * Adding a language is adding its catalogue file and one line in CATALOGUES.
 *
 * The language of a grading is set once for the whole run (`withLocale`) and read where a
 * message is made (`t`), so that code deep in the engine needs no translator handed down;
 * renderers of a finished result use `translator(result.locale)`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { UserError } from '../errors.js';
import { en } from './en.js';
import { formatMessage, type ParamNames, type ParamValue } from './format.js';
import { ko } from './ko.js';

export type MessageKey = keyof typeof en;
export type Catalogue = { readonly [K in MessageKey]: string };

const CATALOGUES = { en, ko } satisfies Record<string, Catalogue>;

export type Locale = keyof typeof CATALOGUES;
export const LOCALES = Object.keys(CATALOGUES) as Locale[];
export const DEFAULT_LOCALE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(CATALOGUES, value);
}

/** A language named on the command line or in an action input (`name` says which, for the message). */
export function parseLocale(text: string, name: string): Locale {
  const value = text.trim().toLowerCase();
  if (!isLocale(value)) throw new UserError(`${name} takes one of ${LOCALES.join(', ')}, got "${text}"`);
  return value;
}

/** What a key's message takes: nothing, or an object with exactly its parameters. */
export type MessageArgs<K extends MessageKey> = [ParamNames<(typeof en)[K]>] extends [never]
  ? []
  : [params: { readonly [P in ParamNames<(typeof en)[K]>]: ParamValue }];

export interface Translate {
  <K extends MessageKey>(key: K, ...args: MessageArgs<K>): string;
  readonly locale: Locale;
}

const translators = new Map<Locale, Translate>();

export function translator(locale: Locale): Translate {
  let translate = translators.get(locale);
  if (!translate) {
    const catalogue: Catalogue = CATALOGUES[locale];
    const fn = <K extends MessageKey>(key: K, ...args: MessageArgs<K>): string =>
      formatMessage(catalogue[key], (args[0] ?? {}) as Readonly<Record<string, ParamValue>>, locale);
    translate = Object.assign(fn, { locale });
    translators.set(locale, translate);
  }
  return translate;
}

const current = new AsyncLocalStorage<Locale>();

/** Runs `fn` (and everything it starts, awaits or schedules) in `locale`. */
export function withLocale<T>(locale: Locale, fn: () => T): T {
  return current.run(locale, fn);
}

export function currentLocale(): Locale {
  return current.getStore() ?? DEFAULT_LOCALE;
}

/** The message `key` in the language of the grading under way (English outside one). */
export function t<K extends MessageKey>(key: K, ...args: MessageArgs<K>): string {
  return translator(currentLocale())(key, ...args);
}

/** Instructor text given in several languages (`{ en: …, ko: … }`): the wanted one, else English, else any. */
export type LocalText = string | Readonly<Partial<Record<string, string>>>;

export function pickText(text: LocalText, locale: Locale): string {
  if (typeof text === 'string') return text;
  return text[locale] ?? text[DEFAULT_LOCALE] ?? Object.values(text).find((value) => value !== undefined) ?? '';
}

/** The catalogue itself, for the test that compares languages. */
export function catalogueOf(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

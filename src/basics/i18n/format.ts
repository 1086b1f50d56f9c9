/**
 * The message syntax of the catalogues, a small subset of ICU MessageFormat:
 * `{name}` puts a parameter in; `{count, plural, one {# check} other {# checks}}` picks a form
 * by the locale's plural rules, `#` being the number. Parameters are inserted as they are
 * (never parsed), so student text cannot change the message's shape.
 */

export type ParamValue = string | number;
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * The names a template takes: `{port}` and `{count, plural, …}` give `port` and `count`. A plural
 * form's body (`one {port}`) is text, not a name: it is told apart by the selector before it.
 */
export type ParamNames<S extends string> = S extends `${infer Head}{${infer Inner}}${infer Rest}`
  ? (Head extends `${string}${PluralSelector} ` ? never : NameOf<Inner>) | ParamNames<Rest>
  : never;
type PluralSelector = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other' | `=${number}`;
type NameOf<Inner extends string> = Inner extends `${infer Name},${string}` ? Identifier<Name> : Identifier<Inner>;
type Identifier<S extends string> = S extends `${string} ${string}` | `${string}#${string}` | `${string}{${string}` | '' ? never : S;

/** Every parameter of a template, sorted: what a unit test compares across locales. */
export function paramNamesOf(template: string): string[] {
  const names = new Set<string>();
  collectNames(template, names);
  return [...names].sort();
}

function collectNames(template: string, names: Set<string>): void {
  for (let open = template.indexOf('{'); open >= 0; open = template.indexOf('{', open)) {
    const close = matchingBrace(template, open);
    const body = template.slice(open + 1, close);
    const comma = body.indexOf(',');
    names.add((comma < 0 ? body : body.slice(0, comma)).trim());
    if (comma >= 0) for (const form of pluralForms(body.slice(comma + 1).replace(/^\s*plural,/, '')).values()) collectNames(form, names);
    open = close + 1;
  }
}

export function formatMessage(template: string, params: Params, locale: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = matchingBrace(template, open);
    out += formatPlaceholder(template.slice(open + 1, close), params, locale);
    i = close + 1;
  }
  return out;
}

function formatPlaceholder(body: string, params: Params, locale: string): string {
  const comma = body.indexOf(',');
  const name = (comma < 0 ? body : body.slice(0, comma)).trim();
  const value = params[name];
  if (comma < 0) return value === undefined ? `{${name}}` : String(value);
  const rest = body.slice(comma + 1).trimStart();
  if (!rest.startsWith('plural,')) throw new Error(`unknown message format "${body}"`);
  const count = Number(value);
  const forms = pluralForms(rest.slice('plural,'.length));
  const form = forms.get(`=${count}`) ?? forms.get(new Intl.PluralRules(locale).select(count)) ?? forms.get('other') ?? '';
  // `#` is the number in the form's own text, never in a parameter put into it.
  return formatMessage(
    form.replace(/#/g, () => String(value)),
    params,
    locale,
  );
}

/** `one {…} other {…}` → a map from selector to text. */
function pluralForms(text: string): Map<string, string> {
  const forms = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) break;
    const selector = text.slice(i, open).trim();
    const close = matchingBrace(text, open);
    forms.set(selector, text.slice(open + 1, close));
    i = close + 1;
  }
  return forms;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unbalanced braces in message "${text}"`);
}

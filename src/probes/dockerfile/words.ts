/**
 * What the builder makes of an instruction's argument before storing it (USER, WORKDIR…):
 * quotes removed, escapes applied and `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR:+word}`
 * replaced, as BuildKit's shell lexer does. Variables come from the Dockerfile's own ARG
 * and ENV; one it does not set (the base image may) makes the result unknown.
 */
import { t } from '../../basics/i18n/catalogue.js';
import type { DockerfileInstruction, DockerfileModel } from './model.js';
import { finalStageChain } from './model.js';

/** Variable values; null: set, but to something this module cannot tell. A name not in the map is unknown too. */
export type Variables = Map<string, string | null>;

export type Word = { known: true; value: string } | { known: false; why: string };

export function processWord(text: string, escape: string, vars: Variables): Word {
  const lexer = new Lexer(text, escape, vars);
  try {
    const value = lexer.until(undefined);
    return lexer.unknown.length > 0
      ? { known: false, why: t('probe.words.unknown_variables', { variables: lexer.unknown.map((v) => `$${v}`).join(', ') }) }
      : { known: true, value };
  } catch (err) {
    return { known: false, why: (err as Error).message };
  }
}

class Lexer {
  private at = 0;
  readonly unknown: string[] = [];

  constructor(
    private readonly text: string,
    private readonly escape: string,
    private readonly vars: Variables,
  ) {}

  /** Reads up to `stop` (consumed) or the end. */
  until(stop: string | undefined): string {
    let out = '';
    while (this.at < this.text.length) {
      const ch = this.text[this.at]!;
      if (ch === stop) {
        this.at++;
        return out;
      }
      if (ch === '$') out += this.dollar();
      else if (ch === "'") out += this.quoted("'");
      else if (ch === '"') out += this.doubleQuoted();
      else {
        this.at++;
        if (ch === this.escape) {
          if (this.at >= this.text.length) break;
          out += this.text[this.at++];
        } else out += ch;
      }
    }
    if (stop !== undefined) throw new Error(t('probe.words.unclosed', { char: stop }));
    return out;
  }

  private quoted(quote: string): string {
    const end = this.text.indexOf(quote, this.at + 1);
    if (end < 0) throw new Error(t('probe.words.unclosed', { char: quote }));
    const out = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    return out;
  }

  private doubleQuoted(): string {
    let out = '';
    this.at++;
    while (this.at < this.text.length) {
      const ch = this.text[this.at]!;
      if (ch === '"') {
        this.at++;
        return out;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      this.at++;
      // Inside double quotes the escape character escapes only `"`, `$` and itself.
      const next = this.text[this.at];
      if (ch === this.escape && (next === '"' || next === '$' || next === this.escape)) {
        out += next;
        this.at++;
      } else out += ch;
    }
    throw new Error(t('probe.words.unclosed', { char: '"' }));
  }

  private dollar(): string {
    this.at++;
    if (this.text[this.at] !== '{') {
      const name = this.name();
      return name === '' ? '$' : this.value(name);
    }
    this.at++;
    const name = this.name();
    if (name === '') throw new Error(t('probe.words.rejected_substitution', { expression: '${…}' }));
    const ch = this.text[this.at++];
    if (ch === '}') return this.value(name);
    const modifier = this.text[this.at++];
    if (ch !== ':' || (modifier !== '-' && modifier !== '+'))
      throw new Error(t('probe.words.unevaluated_substitution', { expression: `\${${name}${ch ?? ''}…}` }));
    const word = this.until('}');
    const value = this.value(name);
    if (modifier === '-') return value === '' ? word : value;
    return value === '' ? '' : word;
  }

  private name(): string {
    // Digits, one of the shell's special parameters, or a word.
    const match = /^(?:[0-9]+|[@*#?\-$!]|[\p{L}\p{N}_]+)/u.exec(this.text.slice(this.at));
    const name = match?.[0] ?? '';
    this.at += name.length;
    return name;
  }

  private value(name: string): string {
    // A special parameter is never set in a build.
    if (/^[@*#?\-$!]$/.test(name)) return '';
    const value = this.vars.get(name);
    if (value === undefined || value === null) {
      if (!this.unknown.includes(name)) this.unknown.push(name);
      return '';
    }
    return value;
  }
}

/**
 * The variables `instruction` sees: ENV from its stage and the stages it is built FROM,
 * ARG from its own stage (a build arg the rubric passes wins over the default; ENV wins over both).
 * `instruction` must be in the final stage's chain.
 */
export function variablesAt(model: DockerfileModel, instruction: DockerfileInstruction, buildArgs: Record<string, string>): Variables {
  const env: Variables = new Map();
  const args: Variables = new Map();
  const literal = (value: string): string | null => (value.includes('$') ? null : value);
  for (const stage of finalStageChain(model).reverse()) {
    if (stage.index > instruction.stage) break;
    for (const item of stage.instructions) {
      if (item.line >= instruction.line) break;
      for (const word of item.words) {
        const eq = word.indexOf('=');
        const name = eq < 0 ? word : word.slice(0, eq);
        if (item.keyword === 'ENV' && eq > 0) env.set(name, literal(word.slice(eq + 1)));
        if (item.keyword === 'ARG' && stage.index === instruction.stage) {
          const global = Object.hasOwn(model.globalArgs, name) ? model.globalArgs[name] : undefined;
          const fallback = eq > 0 ? word.slice(eq + 1) : (global ?? '');
          args.set(name, Object.hasOwn(buildArgs, name) ? buildArgs[name]! : literal(fallback));
        }
      }
    }
  }
  return new Map([...args, ...env]);
}

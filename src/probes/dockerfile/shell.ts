/**
 * A RUN's shell script read the way a linter needs it: the simple commands it runs, in
 * order, with their words after quote removal. Commands are found wherever the shell
 * would run them: after `&&`, `||`, `;`, `|`, `&` and newlines, in subshells and `{ …; }`
 * groups, inside `$(…)` and backquotes, in `sh -c '…'` scripts, and behind the wrappers
 * `sudo`, `env`, `command`, `exec`, `nice`, `nohup` and `time` (the wrapper is a command
 * too, then the command it runs). Nothing is expanded or evaluated: `$VAR` stays as written.
 */

export interface ShellCommand {
  /** The command word without its directory: `apt-get` for `/usr/bin/apt-get`. */
  name: string;
  /** The words after the command word, quotes removed. */
  args: string[];
  /** `NAME=value` words before the command word (and those `env` or `sudo` set). */
  assignments: Map<string, string>;
  /** On either side of a `|`. */
  piped: boolean;
  /** Run by an inner shell (`sh -c '…'`), whose options are its own. */
  innerShell: boolean;
}

/** Deeper nesting of `$(…)` and `sh -c` is not read: a bound against hostile input. */
const MAX_DEPTH = 8;

export function parseShell(script: string): ShellCommand[] {
  return commandsOf(script, 0, false);
}

function commandsOf(script: string, depth: number, innerShell: boolean): ShellCommand[] {
  const tokens = new Lexer(script).tokens();
  const out: ShellCommand[] = [];
  let words: Word[] = [];
  let piped = false;
  const finish = (pipeFollows: boolean) => {
    if (words.length > 0) out.push(...commandsOfWords(words, piped || pipeFollows, depth, innerShell));
    words = [];
    piped = pipeFollows;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'word') words.push(token);
    else if (token.op === '|' || token.op === '|&') finish(true);
    else if (token.op === 'redirect') {
      // The target is not an argument, but a substitution in it still runs.
      const target = tokens[i + 1];
      if (target?.kind === 'word') {
        out.push(...substitutions([target], depth, innerShell));
        i++;
      }
    } else finish(false);
  }
  finish(false);
  return out;
}

/** Words that open or close a compound command; the command proper follows them. */
const RESERVED = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac']);
/** Compound commands whose header runs nothing itself: `for x in a b`, `case $x in`. */
const HEADERS = new Set(['for', 'select', 'case']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function commandsOfWords(all: Word[], piped: boolean, depth: number, innerShell: boolean): ShellCommand[] {
  const out = substitutions(all, depth, innerShell);
  let start = 0;
  while (start < all.length && RESERVED.has(all[start]!.raw)) start++;
  if (start < all.length && HEADERS.has(all[start]!.raw)) return out;
  const assignments = new Map<string, string>();
  while (start < all.length && ASSIGNMENT.test(all[start]!.raw)) {
    const text = all[start]!.text;
    const eq = text.indexOf('=');
    assignments.set(text.slice(0, eq), text.slice(eq + 1));
    start++;
  }
  const words = all.slice(start).map((w) => w.text);
  if (words.length === 0) return out;
  out.push(...expand(words, assignments, piped, depth, innerShell));
  return out;
}

function substitutions(words: Word[], depth: number, innerShell: boolean): ShellCommand[] {
  if (depth >= MAX_DEPTH) return [];
  return words.flatMap((w) => w.substitutions.flatMap((s) => commandsOf(s, depth + 1, innerShell)));
}

/** The command and, when it is a wrapper or a shell given `-c`, the commands it runs. */
function expand(words: string[], assignments: Map<string, string>, piped: boolean, depth: number, innerShell: boolean): ShellCommand[] {
  const command: ShellCommand = { name: basename(words[0]!), args: words.slice(1), assignments, piped, innerShell };
  if (depth >= MAX_DEPTH) return [command];
  const wrapped = unwrap(command);
  if (wrapped) {
    const merged = new Map([...assignments, ...wrapped.assignments]);
    return wrapped.words.length > 0 ? [command, ...expand(wrapped.words, merged, piped, depth + 1, innerShell)] : [command];
  }
  const script = shellScript(command);
  return script === undefined ? [command] : [command, ...commandsOf(script, depth + 1, true)];
}

export function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

// --- wrappers --------------------------------------------------------------

interface Wrapper {
  /** Options that take the next word as their value (without `=`). */
  valued: Set<string>;
  /** `NAME=value` words after the options are assignments. */
  assigns: boolean;
  /** Options after which the wrapper does not run the command (`command -v x`). */
  noRun?: Set<string>;
}

const WRAPPERS: Record<string, Wrapper> = {
  sudo: {
    valued: new Set([
      'u',
      'g',
      'h',
      'p',
      'C',
      'D',
      'r',
      't',
      'T',
      'U',
      'user',
      'group',
      'host',
      'prompt',
      'close-from',
      'chdir',
      'role',
      'type',
      'command-timeout',
      'other-user',
    ]),
    assigns: true,
    noRun: new Set(['l', 'v', 'k', 'K', 'V', 'e', 'list', 'validate', 'reset-timestamp', 'remove-timestamp', 'version', 'edit']),
  },
  env: { valued: new Set(['u', 'C', 'unset', 'chdir']), assigns: true },
  command: { valued: new Set(), assigns: false, noRun: new Set(['v', 'V']) },
  builtin: { valued: new Set(), assigns: false },
  exec: { valued: new Set(['a']), assigns: false },
  nice: { valued: new Set(['n', 'adjustment']), assigns: false },
  nohup: { valued: new Set(), assigns: false },
  time: { valued: new Set(['f', 'o', 'format', 'output']), assigns: false },
};

function unwrap(command: ShellCommand): { words: string[]; assignments: Map<string, string> } | undefined {
  const wrapper = Object.hasOwn(WRAPPERS, command.name) ? WRAPPERS[command.name]! : undefined;
  if (!wrapper) return undefined;
  const { args } = command;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const option = readOption(arg, wrapper.valued);
    if (option.names.some((n) => wrapper.noRun?.has(n))) return { words: [], assignments: new Map() };
    if (option.takesNext) i++;
  }
  const assignments = new Map<string, string>();
  if (wrapper.assigns) {
    for (; i < args.length && ASSIGNMENT.test(args[i]!); i++) {
      const eq = args[i]!.indexOf('=');
      assignments.set(args[i]!.slice(0, eq), args[i]!.slice(eq + 1));
    }
  }
  return { words: args.slice(i), assignments };
}

/** `--name=value` → `name`; `-abc` → `a`, `b`, `c`. */
function optionNames(arg: string): string[] {
  if (arg.startsWith('--')) return [arg.slice(2).split('=')[0]!];
  return [...arg.slice(1)];
}

/**
 * The options one word gives and whether the next word is the value of the last:
 * `--user app` and `-u app` take it, `--user=app` and `-uapp` do not.
 */
function readOption(arg: string, valued: ReadonlySet<string>): { names: string[]; takesNext: boolean } {
  if (arg.startsWith('--')) {
    const [name, ...value] = arg.slice(2).split('=');
    return { names: [name!], takesNext: value.length === 0 && valued.has(name!) };
  }
  const names: string[] = [];
  for (let i = 1; i < arg.length; i++) {
    names.push(arg[i]!);
    if (valued.has(arg[i]!)) return { names, takesNext: i === arg.length - 1 };
  }
  return { names, takesNext: false };
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

/** The script of `sh -c '…'` (options such as `-e`, `-eux`, `-o pipefail` allowed before it). */
function shellScript(command: ShellCommand): string | undefined {
  if (!SHELLS.has(command.name)) return undefined;
  let sawC = false;
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i]!;
    if (/^[-+][A-Za-z]+$/.test(arg)) {
      if (arg.includes('c')) sawC = true;
      // `-o pipefail`, `-eo pipefail`: the option's name is the next word.
      if (arg.endsWith('o')) i++;
      continue;
    }
    if (arg.startsWith('--')) continue;
    return sawC ? arg : undefined;
  }
  return undefined;
}

// --- options of a command, the way hadolint reads them ---------------------

/** The option names a command was given: `--no-cache` → `no-cache`, `-yq` → `y`, `q`. */
export function flagsOf(command: ShellCommand): string[] {
  return command.args.flatMap((arg) => (arg === '-' || arg === '--' || !arg.startsWith('-') ? [] : optionNames(arg)));
}

export function hasFlag(command: ShellCommand, ...names: string[]): boolean {
  return flagsOf(command).some((f) => names.includes(f));
}

/** The words that are not options nor the values of the options in `valued`. */
export function operands(command: ShellCommand, valued: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i]!;
    if (arg === '-' || !arg.startsWith('-')) {
      out.push(arg);
      continue;
    }
    if (arg !== '--' && readOption(arg, valued).takesNext) i++;
  }
  return out;
}

// --- lexer -----------------------------------------------------------------

interface Word {
  kind: 'word';
  /** Quotes and escapes removed. */
  text: string;
  /** As written. */
  raw: string;
  /** Scripts of the `$(…)` and backquotes inside the word. */
  substitutions: string[];
}
type Token = Word | { kind: 'op'; op: string };

const OPERATORS = ['&&', '||', ';;', '|&', '&>>', '&>', ';', '|', '&', '(', ')'];
const REDIRECTS = ['<<<', '<<-', '<<', '<&', '<>', '<', '>>', '>&', '>|', '>'];
const BLANK = new Set([' ', '\t', '\r']);
const BREAKS = new Set([' ', '\t', '\r', '\n', '|', '&', ';', '(', ')', '<', '>']);

class Lexer {
  private at = 0;
  private readonly out: Token[] = [];
  private readonly heredocs: { delimiter: string; stripTabs: boolean }[] = [];

  constructor(private readonly s: string) {}

  tokens(): Token[] {
    const { s } = this;
    while (this.at < s.length) {
      const ch = s[this.at]!;
      if (BLANK.has(ch)) this.at++;
      else if (ch === '\\' && s[this.at + 1] === '\n') this.at += 2;
      else if (ch === '\n') {
        this.at++;
        this.out.push({ kind: 'op', op: 'newline' });
        this.skipHeredocBodies();
      } else if (ch === '#') this.skipComment();
      else if (this.redirect()) continue;
      else if (this.operator()) continue;
      else this.word();
    }
    return this.out;
  }

  private skipComment(): void {
    const end = this.s.indexOf('\n', this.at);
    this.at = end < 0 ? this.s.length : end;
  }

  private operator(): boolean {
    const op = OPERATORS.find((o) => this.s.startsWith(o, this.at));
    if (!op) return false;
    this.at += op.length;
    if (op === '&>' || op === '&>>') this.out.push({ kind: 'op', op: 'redirect' });
    else this.out.push({ kind: 'op', op });
    return true;
  }

  private redirect(): boolean {
    const op = REDIRECTS.find((o) => this.s.startsWith(o, this.at));
    if (!op) return false;
    this.at += op.length;
    this.out.push({ kind: 'op', op: 'redirect' });
    if (op === '<<' || op === '<<-') {
      while (BLANK.has(this.s[this.at] ?? '')) this.at++;
      const delimiter = this.readWord();
      this.out.push(delimiter);
      this.heredocs.push({ delimiter: delimiter.text, stripTabs: op === '<<-' });
    }
    return true;
  }

  private skipHeredocBodies(): void {
    for (const { delimiter, stripTabs } of this.heredocs.splice(0)) {
      while (this.at < this.s.length) {
        const end = this.s.indexOf('\n', this.at);
        const line = this.s.slice(this.at, end < 0 ? this.s.length : end);
        this.at = end < 0 ? this.s.length : end + 1;
        if ((stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) break;
      }
    }
  }

  private word(): void {
    const word = this.readWord();
    // `2>&1`, `2>/dev/null`: the number names a file descriptor, it is no argument.
    if (/^\d+$/.test(word.raw) && (this.s[this.at] === '<' || this.s[this.at] === '>')) return;
    this.out.push(word);
  }

  private readWord(): Word {
    const { s } = this;
    const start = this.at;
    const word: Word = { kind: 'word', text: '', raw: '', substitutions: [] };
    while (this.at < s.length && !BREAKS.has(s[this.at]!)) {
      const ch = s[this.at]!;
      if (ch === '\\') {
        const next = s[this.at + 1];
        this.at += 2;
        if (next !== undefined && next !== '\n') word.text += next;
      } else if (ch === "'") {
        const end = s.indexOf("'", this.at + 1);
        const stop = end < 0 ? s.length : end;
        word.text += s.slice(this.at + 1, stop);
        this.at = stop + 1;
      } else if (ch === '"') this.doubleQuoted(word);
      else if (ch === '$' || ch === '`') this.dollarOrBackquote(word);
      else {
        word.text += ch;
        this.at++;
      }
    }
    word.raw = s.slice(start, Math.min(this.at, s.length));
    return word;
  }

  private doubleQuoted(word: Word): void {
    const { s } = this;
    this.at++;
    while (this.at < s.length && s[this.at] !== '"') {
      const ch = s[this.at]!;
      if (ch === '\\') {
        const next = s[this.at + 1];
        this.at += 2;
        if (next === undefined || next === '\n') continue;
        word.text += '$`"\\'.includes(next) ? next : `\\${next}`;
      } else if (ch === '$' || ch === '`') this.dollarOrBackquote(word);
      else {
        word.text += ch;
        this.at++;
      }
    }
    this.at++;
  }

  /** `$(…)`, `$((…))`, `${…}`, `` `…` `` or a plain `$`; the text keeps them as written. */
  private dollarOrBackquote(word: Word): void {
    const { s } = this;
    const start = this.at;
    if (s[this.at] === '`') {
      let end = this.at + 1;
      while (end < s.length && s[end] !== '`') end += s[end] === '\\' ? 2 : 1;
      word.substitutions.push(s.slice(this.at + 1, Math.min(end, s.length)));
      this.at = end + 1;
    } else if (s.startsWith('$((', this.at)) {
      this.at = this.balanced(this.at + 3, '(', ')', 2);
    } else if (s.startsWith('$(', this.at)) {
      const end = this.balanced(this.at + 2, '(', ')', 1);
      word.substitutions.push(s.slice(this.at + 2, end - 1));
      this.at = end;
    } else if (s.startsWith('${', this.at)) {
      this.at = this.balanced(this.at + 2, '{', '}', 1);
    } else this.at++;
    word.text += s.slice(start, Math.min(this.at, s.length));
  }

  /** The position after the `close` that brings `depth` to 0, skipping quoted text. */
  private balanced(from: number, open: string, close: string, depth: number): number {
    const { s } = this;
    let at = from;
    while (at < s.length && depth > 0) {
      const ch = s[at]!;
      if (ch === '\\') at += 2;
      else if (ch === "'") {
        const end = s.indexOf("'", at + 1);
        at = end < 0 ? s.length : end + 1;
      } else {
        if (ch === open) depth++;
        else if (ch === close) depth--;
        at++;
      }
    }
    return Math.min(at, s.length);
  }
}

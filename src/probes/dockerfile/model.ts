/**
 * A Dockerfile as the rules and the `dockerfile` probe see it: stages and
 * instructions with 1-based line numbers, built on rcjsuen's dockerfile-ast.
 */
import { DockerfileParser, ModifiableInstruction, PropertyInstruction } from 'dockerfile-ast';
import type { From, Instruction } from 'dockerfile-ast';

export interface InstructionFlag {
  /** Without the leading `--`, e.g. `chown`, `from`, `mount`. */
  name: string;
  /** Null when the flag is written without `=value`. */
  value: string | null;
}

export interface DockerfileInstruction {
  /** Upper case, e.g. `RUN`, whatever case the file used. */
  keyword: string;
  /**
   * Everything after the keyword, flags included, with line continuations joined
   * (one space) and comment lines inside continuations dropped. Heredoc bodies keep their newlines.
   */
  args: string;
  /** `args` without the leading flags. */
  argsAfterFlags: string;
  /** Parsed argument words (flags excluded); for JSON form the decoded strings; for ENV/LABEL/ARG `name=value`. */
  words: string[];
  flags: InstructionFlag[];
  /** Written in JSON (exec) form, as Docker decides it: the arguments parse as a JSON array of strings. */
  json: boolean;
  /** 1-based first and last line (continuations and heredocs included). */
  line: number;
  endLine: number;
  /** Index of the stage the instruction belongs to; -1 for instructions before the first FROM. */
  stage: number;
}

export interface DockerfileStage {
  index: number;
  /** The base image as written (variables unexpanded), '' when FROM names none. */
  image: string;
  /** The `AS` name as written, if any. */
  name?: string;
  line: number;
  instructions: DockerfileInstruction[];
}

export interface DockerfileModel {
  /** Path relative to the repo root, `/`-separated; used in SourceLocations. */
  path: string;
  text: string;
  /** Parser directives (`# syntax=`, `# escape=`), names lower case. */
  directives: Record<string, { value: string; line: number }>;
  escape: string;
  /** ARGs declared before the first FROM: the only variables FROM can use. Null: declared without a default. */
  globalArgs: Record<string, string | null>;
  stages: DockerfileStage[];
  /** Every instruction in file order, global ARGs included. */
  instructions: DockerfileInstruction[];
}

export function parseDockerfile(source: string, path: string): DockerfileModel {
  // Editors such as Notepad write a byte-order mark, which the builder ignores.
  const text = source.replace(/^\uFEFF/, '');
  const parsed = DockerfileParser.parse(text);
  const escape = parsed.getEscapeCharacter();
  const lines = text.split(/\r\n|\r|\n/);

  const directives: DockerfileModel['directives'] = {};
  for (const directive of parsed.getDirectives()) {
    directives[directive.getName().toLowerCase()] = {
      value: directive.getValue(),
      line: directive.getRange().start.line + 1,
    };
  }

  const globalArgs: Record<string, string | null> = {};
  for (const arg of parsed.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) globalArgs[property.getName()] = property.getValue();
  }

  const stages: DockerfileStage[] = [];
  const instructions: DockerfileInstruction[] = [];
  for (const node of parsed.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const from = node as From;
      const buildStage = from.getBuildStage();
      stages.push({
        index: stages.length,
        image: from.getImage() ?? '',
        ...(buildStage ? { name: buildStage } : {}),
        line: node.getRange().start.line + 1,
        instructions: [],
      });
    }
    const instruction = toInstruction(node, keyword, lines, escape, stages.length - 1);
    instructions.push(instruction);
    stages.at(-1)?.instructions.push(instruction);
  }

  return { path, text, directives, escape, globalArgs, stages, instructions };
}

function toInstruction(node: Instruction, keyword: string, lines: string[], escape: string, stage: number): DockerfileInstruction {
  const range = node.getRange();
  const flags =
    node instanceof ModifiableInstruction ? node.getFlags().map((flag) => ({ name: flag.getName(), value: flag.getValue() })) : [];
  const args = joinContinuations(slice(lines, node.getInstructionRange().end, range.end), escape);
  const argumentNodes = node.getArguments();
  const firstArgument = argumentNodes[0];
  const argsAfterFlags =
    flags.length > 0 ? (firstArgument ? joinContinuations(slice(lines, firstArgument.getRange().start, range.end), escape) : '') : args;
  const jsonWords = parseJsonForm(argsAfterFlags);

  let words: string[];
  if (jsonWords) words = jsonWords;
  else if (node instanceof PropertyInstruction) {
    words = node.getProperties().map((p) => {
      const value = p.getValue();
      return value === null ? p.getName() : `${p.getName()}=${value}`;
    });
  } else words = argumentNodes.map((a) => a.getValue());

  return {
    keyword,
    args,
    argsAfterFlags,
    words,
    flags,
    json: jsonWords !== undefined,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    stage,
  };
}

interface Position {
  line: number;
  character: number;
}

function slice(lines: string[], start: Position, end: Position): string[] {
  if (start.line === end.line) return [(lines[start.line] ?? '').slice(start.character, end.character)];
  const out = [(lines[start.line] ?? '').slice(start.character)];
  for (let i = start.line + 1; i < end.line; i++) out.push(lines[i] ?? '');
  out.push((lines[end.line] ?? '').slice(0, end.character));
  return out;
}

/** Joins `\`-continued lines the way the builder does, dropping comment and blank lines inside a continuation. */
function joinContinuations(physical: string[], escape: string): string {
  let out = '';
  let continuing = false;
  for (const [i, raw] of physical.entries()) {
    const trimmedStart = raw.trimStart();
    if (continuing && (trimmedStart === '' || trimmedStart.startsWith('#'))) continue;
    let piece: string = continuing ? trimmedStart : raw;
    const trimmedEnd: string = piece.trimEnd();
    const continues: boolean = trimmedEnd.endsWith(escape) && i < physical.length - 1;
    if (continues) piece = trimmedEnd.slice(0, -escape.length).trimEnd();
    if (i > 0) out += continuing ? ' ' : '\n';
    out += piece;
    continuing = continues;
  }
  return out.trim();
}

/** The exec-form words, or undefined when Docker would run the arguments through a shell. */
export function parseJsonForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // not JSON: shell form
  }
  return undefined;
}

/** The stage a FROM or `COPY --from` names, when it is an earlier stage (names are case-insensitive). */
export function findStage(model: DockerfileModel, reference: string, before: number): DockerfileStage | undefined {
  const wanted = reference.toLowerCase();
  return model.stages
    .slice(0, before)
    .find((s) => s.name?.toLowerCase() === wanted || (/^\d+$/.test(wanted) && s.index === Number(wanted)));
}

/**
 * The final stage and the earlier stages it is built FROM, final first: what the
 * resulting image inherits (USER, HEALTHCHECK, EXPOSE…).
 */
export function finalStageChain(model: DockerfileModel): DockerfileStage[] {
  const chain: DockerfileStage[] = [];
  let stage = model.stages.at(-1);
  while (stage && !chain.includes(stage)) {
    chain.push(stage);
    stage = findStage(model, stage.image, stage.index);
  }
  return chain;
}

export interface Expansion {
  value: string;
  /** Variables used without a value. */
  unresolved: string[];
}

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` as the builder does in FROM. */
export function expandVariables(text: string, vars: Record<string, string | null | undefined>): Expansion {
  const unresolved: string[] = [];
  const value = text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const current = vars[name];
      const set = current !== undefined && current !== null && current !== '';
      if (op === '-') return set ? current : (word ?? '');
      if (op === '+') return set ? (word ?? '') : '';
      if (!set) unresolved.push(name);
      return current ?? '';
    },
  );
  return { value, unresolved };
}

export interface ImageReference {
  /** Registry and repository, e.g. `node`, `ghcr.io/owner/app`. */
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const nameAndTag = at >= 0 ? reference.slice(0, at) : reference;
  const colon = nameAndTag.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port (localhost:5000/app).
  const tag = colon > nameAndTag.lastIndexOf('/') ? nameAndTag.slice(colon + 1) : undefined;
  const name = tag === undefined ? nameAndTag : nameAndTag.slice(0, colon);
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * Line edits on a Dockerfile's text, addressed by the instructions' line ranges, so a mutation
 * changes exactly the instructions it means to and leaves every other byte (comments, line
 * endings, continuations) as the author wrote it.
 */
import type { DockerfileInstruction, DockerfileModel } from '../../probes/dockerfile/model.js';
import { finalStageChain } from '../../probes/dockerfile/model.js';

/** Replaces lines `line`…`endLine` (1-based, inclusive) with `replacement`; `endLine = line - 1` inserts before `line`. */
export interface LineEdit {
  line: number;
  endLine: number;
  replacement: string[];
}

export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  // From the bottom up, so the line numbers of the edits still to apply stay valid.
  for (const edit of [...edits].sort((a, b) => b.line - a.line || b.endLine - a.endLine)) {
    lines.splice(edit.line - 1, edit.endLine - edit.line + 1, ...edit.replacement);
  }
  return lines.join(eol);
}

export function replaceInstruction(instruction: DockerfileInstruction, text: string): LineEdit {
  return { line: instruction.line, endLine: instruction.endLine, replacement: text.split('\n') };
}

export function removeInstruction(instruction: DockerfileInstruction): LineEdit {
  return { line: instruction.line, endLine: instruction.endLine, replacement: [] };
}

export function insertAfter(instruction: DockerfileInstruction, text: string): LineEdit {
  return { line: instruction.endLine + 1, endLine: instruction.endLine, replacement: text.split('\n') };
}

/** The instruction's own lines (continuations included), each passed through `edit`; undefined when nothing changed. */
export function editLines(text: string, instruction: DockerfileInstruction, edit: (line: string) => string): LineEdit | undefined {
  const lines = text.split(/\r?\n/).slice(instruction.line - 1, instruction.endLine);
  const edited = lines.map(edit);
  if (edited.every((line, i) => line === lines[i])) return undefined;
  return { line: instruction.line, endLine: instruction.endLine, replacement: edited };
}

/** The instructions that make the final image (its stage and the stages it is built FROM), in file order. */
export function imageInstructions(df: DockerfileModel): DockerfileInstruction[] {
  return [...finalStageChain(df)].reverse().flatMap((stage) => stage.instructions);
}

/** What starts the container: the last ENTRYPOINT and CMD the final image inherits. */
export function startInstructions(df: DockerfileModel): { entrypoint?: DockerfileInstruction; cmd?: DockerfileInstruction } {
  const instructions = imageInstructions(df);
  const entrypoint = instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  const cmd = instructions.filter((i) => i.keyword === 'CMD').at(-1);
  return { ...(entrypoint ? { entrypoint } : {}), ...(cmd ? { cmd } : {}) };
}

/** The ports the final image EXPOSEs, as numbers (`8080/tcp` → 8080); ports written with variables are left out. */
export function exposedPorts(df: DockerfileModel): number[] {
  return imageInstructions(df)
    .filter((i) => i.keyword === 'EXPOSE')
    .flatMap((i) => i.words)
    .map((word) => /^(\d{1,5})(?:\/[a-z]+)?$/i.exec(word)?.[1])
    .filter((port): port is string => port !== undefined)
    .map(Number);
}

/** An instruction in exec (JSON) form, written back the way people write it: `["a", "b"]`. */
export function execForm(keyword: string, words: readonly string[]): string {
  return `${keyword} [${words.map((word) => JSON.stringify(word)).join(', ')}]`;
}

/** Words joined into a shell command line, quoted where the shell would otherwise split or expand them. */
export function shellLine(words: readonly string[]): string {
  return words.map((word) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `line 3` or `lines 3, 8`. */
export function lineNumbers(instructions: readonly { line: number }[]): string {
  const lines = instructions.map((i) => i.line);
  return lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
}

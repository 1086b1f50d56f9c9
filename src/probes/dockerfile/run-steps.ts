/**
 * The RUN steps of a Dockerfile as the shell rules read them: each RUN (and each
 * `ONBUILD RUN`, which runs in the images built FROM this one) with its flags, the
 * commands it runs and the SHELL that runs them.
 */
import type { DockerfileInstruction, DockerfileModel, DockerfileStage, InstructionFlag } from './model.js';
import { findStage, parseJsonForm } from './model.js';
import type { ShellCommand } from './shell.js';
import { parseShell } from './shell.js';

export interface RunStep {
  /** The RUN, or the ONBUILD that holds it: where a report points. */
  instruction: DockerfileInstruction;
  flags: InstructionFlag[];
  /** The script as written (shell form), or the words joined (exec form). */
  text: string;
  commands: ShellCommand[];
  /** The SHELL that runs the script; undefined in exec form, which runs no shell. */
  shell: string[] | undefined;
}

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** The RUN steps of `stages` (file order), ONBUILD RUN included. */
export function runSteps(model: DockerfileModel, stages: readonly DockerfileStage[]): RunStep[] {
  const shells = shellsAtEnd(model);
  const wanted = new Set(stages.map((s) => s.index));
  const steps: RunStep[] = [];
  for (const stage of model.stages) {
    if (!wanted.has(stage.index)) continue;
    let shell = startShell(model, stage, shells);
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'SHELL' && instruction.json && instruction.words.length > 0) shell = instruction.words;
      const run = asRun(instruction);
      if (run) steps.push(toStep(instruction, run, shell));
    }
  }
  return steps;
}

/** The SHELL in effect at the end of each stage. */
function shellsAtEnd(model: DockerfileModel): (readonly string[])[] {
  const shells: (readonly string[])[] = [];
  for (const stage of model.stages) {
    let shell = startShell(model, stage, shells);
    for (const i of stage.instructions) if (i.keyword === 'SHELL' && i.json && i.words.length > 0) shell = i.words;
    shells.push(shell);
  }
  return shells;
}

/** A stage built FROM an earlier stage starts with that stage's SHELL, as the builder does. */
function startShell(model: DockerfileModel, stage: DockerfileStage, shells: (readonly string[])[]): readonly string[] {
  const parent = findStage(model, stage.image, stage.index);
  return (parent && shells[parent.index]) ?? DEFAULT_SHELL;
}

interface RunParts {
  flags: InstructionFlag[];
  text: string;
  json: string[] | undefined;
}

/** The RUN an instruction holds: itself, or the trigger of `ONBUILD RUN …`. */
export function asRun(instruction: DockerfileInstruction): RunParts | undefined {
  if (instruction.keyword === 'RUN') {
    return { flags: instruction.flags, text: instruction.argsAfterFlags, json: instruction.json ? instruction.words : undefined };
  }
  const trigger = onbuildTrigger(instruction);
  if (trigger?.keyword !== 'RUN') return undefined;
  const flags: InstructionFlag[] = [];
  let text = trigger.args;
  for (let flag = /^--([A-Za-z][\w-]*)(?:=(\S*))?\s+/.exec(text); flag; flag = /^--([A-Za-z][\w-]*)(?:=(\S*))?\s+/.exec(text)) {
    flags.push({ name: flag[1]!, value: flag[2] ?? null });
    text = text.slice(flag[0].length);
  }
  return { flags, text, json: parseJsonForm(text) };
}

/** `ONBUILD COPY a b` → COPY and `a b`; undefined for other instructions. */
export function onbuildTrigger(instruction: DockerfileInstruction): { keyword: string; args: string } | undefined {
  if (instruction.keyword !== 'ONBUILD') return undefined;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(instruction.argsAfterFlags);
  return match ? { keyword: match[1]!.toUpperCase(), args: match[2]! } : undefined;
}

function toStep(instruction: DockerfileInstruction, run: RunParts, shell: readonly string[]): RunStep {
  if (run.json) {
    // Exec form runs the words as they are: one command, read with the same parser.
    const commands = parseShell(run.json.map(shellQuote).join(' '));
    return { instruction, flags: run.flags, text: run.json.join(' '), commands, shell: undefined };
  }
  const script = heredocScript(run.text) ?? run.text;
  return { instruction, flags: run.flags, text: script, commands: parseShell(script), shell: [...shell] };
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `RUN <<EOF` … `EOF`: the builder runs the heredoc's body as the script. */
function heredocScript(text: string): string | undefined {
  const match = /^<<(-?)(["']?)([A-Za-z_][\w]*)\2[ \t]*\n/.exec(text);
  if (!match) return undefined;
  const lines = text.slice(match[0].length).split('\n');
  const end = lines.findIndex((l) => (match[1] ? l.replace(/^\t+/, '') : l) === match[3]);
  return (end < 0 ? lines : lines.slice(0, end)).join('\n');
}

/** The cache mounts' targets (`--mount=type=cache,target=/var/cache/apk`). */
export function cacheMountTargets(step: RunStep): string[] {
  return step.flags
    .filter((f) => f.name === 'mount' && f.value !== null)
    .flatMap((f) => {
      const options = new Map(
        f.value!.split(',').map((kv) => {
          const eq = kv.indexOf('=');
          return eq < 0 ? [kv.trim(), ''] : [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
        }),
      );
      const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
      return options.get('type') === 'cache' && target ? [target] : [];
    });
}

/**
 * Rules on the instructions of each stage: one CMD and one ENTRYPOINT (single-cmd), and
 * COPY/ADD to a relative destination only once a WORKDIR says relative to what
 * (relative-copy-workdir).
 */
import { t } from '../../../basics/i18n/catalogue.js';
import { joinClauses } from '../../display.js';
import type { DockerfileInstruction, DockerfileModel } from '../model.js';
import { findStage, parseJsonForm } from '../model.js';
import { onbuildTrigger } from '../run-steps.js';
import type { RuleResult } from './outcome.js';
import { fail, lineList, locationsOf, pass } from './outcome.js';

export function singleCmd(df: DockerfileModel): RuleResult {
  const repeated = df.stages.flatMap((stage) =>
    ['CMD', 'ENTRYPOINT'].map((keyword) => stage.instructions.filter((i) => i.keyword === keyword)).filter((found) => found.length > 1),
  );
  if (repeated.length === 0) return pass(t('probe.rule.single_cmd.passed'));
  repeated.sort((a, b) => a[0]!.line - b[0]!.line);
  const clauses = repeated.map((found) => t('probe.rule.single_cmd.found', { keyword: found[0]!.keyword, lines: lineList(found) }));
  return fail(joinClauses(clauses), locationsOf(df, repeated.flat()));
}

const COPIES = new Set(['COPY', 'ADD']);

/** The destination as written: the last argument, quotes removed. */
function destination(args: string): string | undefined {
  const json = parseJsonForm(args);
  if (json && json.length >= 2) return json.at(-1);
  // Heredoc bodies follow on the next lines; the destination is on the first.
  const words = args.split('\n')[0]!.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.length < 2 ? undefined : words.at(-1)!.replace(/^(["'])(.*)\1$/, '$2');
}

/** Absolute (`/app`, `C:\app`, `C:/app`) or a variable, which the rule cannot judge. */
function isRelative(dest: string): boolean {
  return !(dest.startsWith('/') || dest.startsWith('$') || /^[A-Za-z]:[\\/]/.test(dest));
}

const withoutFlags = (args: string) => args.replace(/^(?:--\S+\s+)*/, '');

export function relativeCopyWorkdir(df: DockerfileModel): RuleResult {
  const workdirAtEnd: boolean[] = [];
  const offending: DockerfileInstruction[] = [];
  for (const stage of df.stages) {
    // A stage built FROM an earlier stage keeps its WORKDIR.
    const parent = findStage(df, stage.image, stage.index);
    let workdir = parent ? (workdirAtEnd[parent.index] ?? false) : false;
    // ONBUILD triggers run later, in a child image: an ONBUILD WORKDIR counts for ONBUILD COPY only.
    let onbuildWorkdir = false;
    for (const instruction of stage.instructions) {
      const trigger = onbuildTrigger(instruction);
      if (instruction.keyword === 'WORKDIR') workdir = true;
      else if (trigger?.keyword === 'WORKDIR') onbuildWorkdir = true;
      else if (COPIES.has(instruction.keyword)) {
        const dest = destination(instruction.argsAfterFlags);
        if (!workdir && dest !== undefined && isRelative(dest)) offending.push(instruction);
      } else if (trigger && COPIES.has(trigger.keyword)) {
        const dest = destination(withoutFlags(trigger.args));
        if (!workdir && !onbuildWorkdir && dest !== undefined && isRelative(dest)) offending.push(instruction);
      }
    }
    workdirAtEnd.push(workdir);
  }
  if (offending.length === 0) return pass(t('probe.rule.relative_copy_workdir.passed'));
  const keyword = onbuildTrigger(offending[0]!)?.keyword ?? offending[0]!.keyword;
  return fail(t('probe.rule.relative_copy_workdir.found', { keyword, lines: lineList(offending) }), locationsOf(df, offending));
}

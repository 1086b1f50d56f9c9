/**
 * How RUN uses its shell, in every stage: no `cd` where WORKDIR belongs (no-cd), no `sudo`
 * (no-sudo), and pipes that fail when any part fails (pipefail).
 */
import { t } from '../../../basics/i18n/catalogue.js';
import type { DockerfileModel } from '../model.js';
import type { RunStep } from '../run-steps.js';
import { runSteps } from '../run-steps.js';
import type { ShellCommand } from '../shell.js';
import type { RuleResult } from './outcome.js';
import { fail, lineList, locationsOf, pass } from './outcome.js';

function stepsRunning(df: DockerfileModel, name: string): RunStep[] {
  return runSteps(df, df.stages).filter((s) => s.commands.some((c) => c.name === name));
}

export function noCd(df: DockerfileModel): RuleResult {
  const offending = stepsRunning(df, 'cd').map((s) => s.instruction);
  if (offending.length === 0) return pass(t('probe.rule.no_cd.passed'));
  return fail(t('probe.rule.no_cd.found', { lines: lineList(offending) }), locationsOf(df, offending));
}

export function noSudo(df: DockerfileModel): RuleResult {
  const offending = stepsRunning(df, 'sudo').map((s) => s.instruction);
  if (offending.length === 0) return pass(t('probe.rule.no_sudo.passed'));
  return fail(t('probe.rule.no_sudo.found', { lines: lineList(offending) }), locationsOf(df, offending));
}

// --- pipefail --------------------------------------------------------------

const shellName = (word: string) => word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).toLowerCase();

/** PowerShell and cmd have no `pipefail`; their pipes are none of this rule's business. */
function isPosix(shell: string[]): boolean {
  return !/^(pwsh|powershell|cmd)(\.exe)?$/.test(shellName(shell[0] ?? ''));
}

/** `-o pipefail`, also in a group such as `-eo pipefail`. */
function setsPipefail(words: string[]): boolean {
  return words.some((w, i) => w === 'pipefail' && i > 0 && /^-[A-Za-z]*o$/.test(words[i - 1]!));
}

/** bash, zsh and ash know pipefail; plain sh may be dash, which does not. */
function shellHasPipefail(shell: string[]): boolean {
  return ['bash', 'zsh', 'ash'].includes(shellName(shell[0] ?? '')) && setsPipefail(shell);
}

/** `set -o pipefail` before the first pipe of the script. */
function scriptSetsPipefail(commands: ShellCommand[]): boolean {
  const firstPipe = commands.findIndex((c) => c.piped && !c.innerShell);
  return commands.slice(0, firstPipe).some((c) => c.name === 'set' && !c.innerShell && setsPipefail(c.args));
}

export function pipefail(df: DockerfileModel): RuleResult {
  const piped = runSteps(df, df.stages).filter(
    (s) => s.shell !== undefined && isPosix(s.shell) && s.commands.some((c) => c.piped && !c.innerShell),
  );
  if (piped.length === 0) return pass(t('probe.rule.pipefail.no_pipe'));
  const offending = piped.filter((s) => !shellHasPipefail(s.shell!) && !scriptSetsPipefail(s.commands)).map((s) => s.instruction);
  if (offending.length === 0) return pass(t('probe.rule.pipefail.passed'));
  return fail(t('probe.rule.pipefail.found', { lines: lineList(offending) }), locationsOf(df, offending));
}

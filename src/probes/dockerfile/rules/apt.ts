/**
 * The apt rules, for the stages that reach the final image: the package lists removed in
 * the RUN that installs (apt-cleanup) and no recommended extras (no-install-recommends).
 */
import { t } from '../../../basics/i18n/catalogue.js';
import type { DockerfileModel } from '../model.js';
import { finalStageChain } from '../model.js';
import type { RunStep } from '../run-steps.js';
import { cacheMountTargets, runSteps } from '../run-steps.js';
import type { ShellCommand } from '../shell.js';
import { hasFlag } from '../shell.js';
import type { RuleResult } from './outcome.js';
import { fail, lineList, locationsOf, pass } from './outcome.js';

const APT = new Set(['apt-get', 'apt', 'aptitude']);

export function isAptInstall(command: ShellCommand): boolean {
  return APT.has(command.name) && command.args.includes('install');
}

/** A mount target at `dir` or below it. */
export function mountsUnder(step: RunStep, dir: string): boolean {
  return cacheMountTargets(step).some((target) => {
    const path = target.replace(/\/+$/, '');
    return path === dir || path.startsWith(`${dir}/`);
  });
}

export function removes(step: RunStep, dir: string): boolean {
  return step.commands.some((c) => c.name === 'rm' && c.args.some((a) => a === dir || a.startsWith(`${dir}/`)));
}

export function aptCleanup(df: DockerfileModel): RuleResult {
  const installs = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isAptInstall));
  if (installs.length === 0) return pass(t('probe.rule.apt_cleanup.no_install'));
  // A cache mount keeps the lists out of the layer: the lists directory itself, or all of apt's state and cache.
  const cached = (s: RunStep) =>
    mountsUnder(s, '/var/lib/apt/lists') || (mountsUnder(s, '/var/lib/apt') && mountsUnder(s, '/var/cache/apt'));
  const offending = installs.filter((s) => !removes(s, '/var/lib/apt/lists') && !cached(s)).map((s) => s.instruction);
  if (offending.length === 0) return pass(t('probe.rule.apt_cleanup.passed'));
  return fail(t('probe.rule.apt_cleanup.lists_left', { lines: lineList(offending) }), locationsOf(df, offending));
}

function skipsRecommends(command: ShellCommand): boolean {
  if (command.name === 'aptitude') return hasFlag(command, 'R', 'without-recommends');
  return hasFlag(command, 'no-install-recommends') || command.args.some((a) => /^APT::Install-Recommends=(false|0|no|off)$/i.test(a));
}

export function noInstallRecommends(df: DockerfileModel): RuleResult {
  const installs = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isAptInstall));
  if (installs.length === 0) return pass(t('probe.rule.apt_cleanup.no_install'));
  const offending = installs.filter((s) => s.commands.some((c) => isAptInstall(c) && !skipsRecommends(c))).map((s) => s.instruction);
  if (offending.length === 0) return pass(t('probe.rule.no_install_recommends.passed'));
  return fail(t('probe.rule.no_install_recommends.found', { lines: lineList(offending) }), locationsOf(df, offending));
}

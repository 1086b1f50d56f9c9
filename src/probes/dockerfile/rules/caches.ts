/**
 * The package-cache rules, for the stages that reach the final image: `apk add` without
 * its index cache (apk-no-cache) and `pip install` without its download cache (pip-no-cache).
 */
import { t } from '../../../basics/i18n/catalogue.js';
import type { DockerfileModel } from '../model.js';
import { finalStageChain } from '../model.js';
import type { RunStep } from '../run-steps.js';
import { cacheMountTargets, runSteps } from '../run-steps.js';
import type { ShellCommand } from '../shell.js';
import { hasFlag } from '../shell.js';
import { variablesAt } from '../words.js';
import { mountsUnder, removes } from './apt.js';
import type { RuleInput, RuleResult } from './outcome.js';
import { fail, lineList, locationsOf, pass } from './outcome.js';

export function isApkAdd(command: ShellCommand): boolean {
  return command.name === 'apk' && command.args.includes('add');
}

export function apkNoCache(df: DockerfileModel): RuleResult {
  const adds = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isApkAdd));
  if (adds.length === 0) return pass(t('probe.rule.apk_no_cache.no_add'));
  const cleaned = (s: RunStep) => removes(s, '/var/cache/apk') || mountsUnder(s, '/var/cache/apk');
  const offending = adds
    .filter((s) => !cleaned(s) && s.commands.some((c) => isApkAdd(c) && !hasFlag(c, 'no-cache')))
    .map((s) => s.instruction);
  if (offending.length === 0) return pass(t('probe.rule.apk_no_cache.passed'));
  return fail(t('probe.rule.apk_no_cache.found', { lines: lineList(offending) }), locationsOf(df, offending));
}

/** pip's own arguments: after `pip`, `pip3`, `pip3.12`, or after `python -m pip`; undefined for other commands (pipx, pipenv…). */
export function pipArgs(command: ShellCommand): string[] | undefined {
  if (/^pip(\d+(\.\d+)*)?$/.test(command.name)) return command.args;
  if (!/^python(\d+(\.\d+)*)?$/.test(command.name)) return undefined;
  const m = command.args.findIndex((a, i) => a === '-m' && command.args[i + 1] === 'pip');
  return m < 0 ? undefined : command.args.slice(m + 2);
}

export function isPipInstall(command: ShellCommand): boolean {
  return pipArgs(command)?.includes('install') ?? false;
}

const TRUTHY = /^(1|true|on|yes)$/i;

export function pipNoCache(df: DockerfileModel, input: RuleInput): RuleResult {
  const installs = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isPipInstall));
  if (installs.length === 0) return pass(t('probe.rule.pip_no_cache.no_install'));
  const offending = installs
    .filter(
      (s) => !cacheOff(df, s, input) && s.commands.some((c) => isPipInstall(c) && !pipArgs(c)!.some((a) => a.startsWith('--no-cache-dir'))),
    )
    .map((s) => s.instruction);
  if (offending.length === 0) return pass(t('probe.rule.pip_no_cache.passed'));
  return fail(t('probe.rule.pip_no_cache.found', { lines: lineList(offending) }), locationsOf(df, offending));
}

/** PIP_NO_CACHE_DIR set to a true value (by ENV or ARG before the RUN, or in the RUN), or pip's cache on a cache mount. */
function cacheOff(df: DockerfileModel, step: RunStep, input: RuleInput): boolean {
  const value = variablesAt(df, step.instruction, input.buildArgs).get('PIP_NO_CACHE_DIR');
  if (value && TRUTHY.test(value)) return true;
  if (/PIP_NO_CACHE_DIR=["']?(1|true|on|yes)\b/i.test(step.text)) return true;
  return cacheMountTargets(step).some((target) => /(^|\/)\.cache(\/pip)?\/*$/.test(target));
}

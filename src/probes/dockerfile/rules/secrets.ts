/**
 * no-secrets: no ENV or ARG (in any stage, before the first FROM or in ONBUILD) sets a
 * variable whose name looks like a secret to a value. ENV values and ARG defaults are
 * kept in the image's config and history, and the Dockerfile itself is in the repository.
 * An ARG without a default, filled in at build time, passes.
 */
import { t } from '../../../basics/i18n/catalogue.js';
import type { DockerfileInstruction, DockerfileModel } from '../model.js';
import { parseDockerfile } from '../model.js';
import { onbuildTrigger } from '../run-steps.js';
import type { RuleResult } from './outcome.js';
import { fail, lineList, locationsOf, nameList, pass } from './outcome.js';

/** Names that say where a secret is, not what it is: `DB_PASSWORD_FILE=/run/secrets/db`. */
const POINTERS = new Set(['file', 'path', 'dir', 'url', 'uri', 'endpoint']);

export function looksSecret(name: string): boolean {
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p !== '');
  if (parts.length === 0 || POINTERS.has(parts.at(-1)!)) return false;
  const joined = parts.join('');
  return (
    parts.some((p) => /passw(or)?d|passphrase|secret/.test(p) || p === 'token' || p === 'tokens') ||
    /apikey|privatekey|accesskey|clientkey/.test(joined)
  );
}

/** `NAME=value` words of an ENV or ARG, also of one behind ONBUILD. */
function assignments(instruction: DockerfileInstruction, path: string): string[] {
  if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') return instruction.words;
  const trigger = onbuildTrigger(instruction);
  if (trigger?.keyword !== 'ENV' && trigger?.keyword !== 'ARG') return [];
  return parseDockerfile(`${trigger.keyword} ${trigger.args}`, path).instructions[0]?.words ?? [];
}

export function noSecrets(df: DockerfileModel): RuleResult {
  const offending: DockerfileInstruction[] = [];
  const names: string[] = [];
  for (const instruction of df.instructions) {
    const secret = assignments(instruction, df.path).filter((word) => {
      const eq = word.indexOf('=');
      return eq > 0 && eq < word.length - 1 && looksSecret(word.slice(0, eq));
    });
    if (secret.length === 0) continue;
    offending.push(instruction);
    names.push(...secret.map((w) => w.slice(0, w.indexOf('='))));
  }
  if (offending.length === 0) return pass(t('probe.rule.no_secrets.passed'));
  return fail(t('probe.rule.no_secrets.found', { names: nameList(names), lines: lineList(offending) }), locationsOf(df, offending));
}

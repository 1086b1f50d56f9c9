/**
 * pinned-packages: installs that name packages pin their versions (apt, apk, pip, npm), in
 * every stage, so that the same Dockerfile builds the same image tomorrow.
 */
import { t } from '../../../basics/i18n/catalogue.js';
import { joinClauses, quote } from '../../display.js';
import type { DockerfileInstruction, DockerfileModel } from '../model.js';
import { runSteps } from '../run-steps.js';
import type { ShellCommand } from '../shell.js';
import { operands } from '../shell.js';
import { isAptInstall } from './apt.js';
import { isApkAdd, pipArgs } from './caches.js';
import type { RuleResult } from './outcome.js';
import { fail, lineList, locationsOf, nameList, pass } from './outcome.js';

type Tool = 'apt' | 'apk' | 'pip' | 'npm';

interface Installer {
  /** The packages the command installs, or undefined when it installs none by name. */
  packages(command: ShellCommand): string[] | undefined;
  pinned(pkg: string): boolean;
  example(pkg: string): string;
}

const INSTALLERS: Record<Tool, Installer> = {
  apt: {
    packages: (c) =>
      isAptInstall(c)
        ? operands(c, new Set(['t', 'target-release', 'o', 'option', 'c', 'config-file'])).filter((a) => a !== 'install')
        : undefined,
    // `pkg=1.2`, a release (`pkg/bookworm-backports`) or a local .deb file.
    pinned: (pkg) => pkg.includes('=') || pkg.includes('/') || pkg.endsWith('.deb'),
    example: (pkg) => `${pkg}=<version>`,
  },
  apk: {
    packages: (c) =>
      isApkAdd(c)
        ? operands(
            c,
            new Set(['t', 'virtual', 'X', 'repository', 'p', 'root', 'keys-dir', 'repositories-file', 'cache-dir', 'arch']),
          ).filter((a) => a !== 'add')
        : undefined,
    pinned: (pkg) => /[=~<>]/.test(pkg) || pkg.endsWith('.apk'),
    example: (pkg) => `${pkg}=<version>`,
  },
  pip: { packages: pipPackages, pinned: pipPinned, example: (pkg) => `${pkg}==<version>` },
  npm: { packages: npmPackages, pinned: npmPinned, example: (pkg) => `${pkg}@<version>` },
};

// --- pip -------------------------------------------------------------------

const PIP_VALUED = new Set([
  ...['abi', 'b', 'build', 'e', 'editable', 'extra-index-url', 'f', 'find-links', 'i', 'index-url', 'implementation'],
  ...['no-binary', 'only-binary', 'platform', 'prefix', 'progress-bar', 'proxy', 'python-version', 'root', 'src', 't', 'target'],
  ...['trusted-host', 'upgrade-strategy', 'cache-dir', 'log', 'timeout', 'retries', 'exists-action', 'cert', 'client-cert', 'report'],
  ...['C', 'config-settings', 'global-option'],
]);
const VCS = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/;

function pipPackages(command: ShellCommand): string[] | undefined {
  const args = pipArgs(command);
  if (!args?.includes('install')) return undefined;
  // A requirements or constraints file pins (or not) outside the Dockerfile; `.` is the project itself.
  const fromFile = (a: string) => /^(-r|--requirement|-c|--constraint)/.test(a) || a === '.';
  if (args.some(fromFile)) return undefined;
  const words = operands({ ...command, args }, PIP_VALUED);
  return words.slice(words.indexOf('install') + 1).filter((w) => w !== 'install');
}

function pipPinned(pkg: string): boolean {
  if (['==', '>=', '<=', '>', '<', '!=', '~=', '==='].some((s) => pkg.includes(s))) return true;
  if (VCS.test(pkg)) return pkg.includes('@');
  // A wheel or sdist file, a directory, or a URL.
  return pkg.endsWith('.whl') || pkg.endsWith('.tar.gz') || pkg.includes('/');
}

// --- npm -------------------------------------------------------------------

const NPM_VALUED = new Set([
  ...['loglevel', 'registry', 'prefix', 'cache', 'userconfig', 'globalconfig', 'tag', 'workspace', 'w', 'omit', 'include'],
  ...['install-strategy', 'before', 'otp', 'C'],
]);
const NPM_INSTALL = new Set(['install', 'i', 'add']);

function npmPackages(command: ShellCommand): string[] | undefined {
  if (command.name !== 'npm') return undefined;
  const [verb, ...packages] = operands(command, NPM_VALUED);
  return verb !== undefined && NPM_INSTALL.has(verb) ? packages : undefined;
}

function npmPinned(pkg: string): boolean {
  if (/^git(\+(ssh|https?))?:\/\//.test(pkg)) return pkg.includes('#');
  if (/\.(tar|tar\.gz|tgz)$/.test(pkg) || /^(\/|\.\/|\.\.\/|~\/)/.test(pkg)) return true;
  // `@scope/name@version`: the version comes after the scope.
  const name = pkg.startsWith('@') ? pkg.slice(pkg.indexOf('/') + 1) : pkg;
  return name.includes('@');
}

// --- the rule --------------------------------------------------------------

export function pinnedPackages(df: DockerfileModel): RuleResult {
  const unpinned = new Map<Tool, { instructions: DockerfileInstruction[]; packages: string[] }>();
  let installs = 0;
  for (const step of runSteps(df, df.stages)) {
    for (const command of step.commands) {
      for (const [tool, installer] of Object.entries(INSTALLERS) as [Tool, Installer][]) {
        const packages = installer.packages(command);
        if (packages === undefined) continue;
        installs++;
        const loose = packages.filter((p) => !installer.pinned(p));
        if (loose.length === 0) continue;
        const found = unpinned.get(tool) ?? { instructions: [], packages: [] };
        found.instructions.push(step.instruction);
        found.packages.push(...loose);
        unpinned.set(tool, found);
      }
    }
  }
  if (installs === 0) return pass(t('probe.rule.pinned_packages.no_install'));
  if (unpinned.size === 0) return pass(t('probe.rule.pinned_packages.passed'));
  const groups = [...unpinned.entries()].sort(([, a], [, b]) => a.instructions[0]!.line - b.instructions[0]!.line);
  const problems = groups.map(([tool, { instructions, packages }]) => {
    const params = { lines: lineList(instructions), packages: nameList(packages) };
    if (tool === 'apt') return t('probe.rule.pinned_packages.apt', params);
    if (tool === 'apk') return t('probe.rule.pinned_packages.apk', params);
    if (tool === 'pip') return t('probe.rule.pinned_packages.pip', params);
    return t('probe.rule.pinned_packages.npm', params);
  });
  const [firstTool, first] = groups[0]!;
  const example = quote(INSTALLERS[firstTool].example(first.packages[0]!));
  return fail(
    t('probe.rule.pinned_packages.found', { problems: joinClauses(problems), example }),
    locationsOf(
      df,
      groups.flatMap(([, g]) => g.instructions),
    ),
  );
}

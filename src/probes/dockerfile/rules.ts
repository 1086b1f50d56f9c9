/**
 * The built-in Dockerfile rules. Each says in one sentence why it matters (the
 * lecture's reasons) and points at the offending lines.
 */
import path from 'node:path';
import { t } from '../../basics/i18n/catalogue.js';
import type { DockerfileRule } from '../../rubric/model.js';
import { resolveInRepo } from '../../workspace/repo-path.js';
import type { DockerfileInstruction, DockerfileModel, DockerfileStage } from './model.js';
import { expandVariables, findStage, finalStageChain, parseImageReference } from './model.js';
import { processWord, variablesAt } from './words.js';
import { quote } from '../display.js';
import { MAX_UID, parseUser } from '../users.js';
import { aptCleanup, noInstallRecommends } from './rules/apt.js';
import { apkNoCache, pipNoCache } from './rules/caches.js';
import { relativeCopyWorkdir, singleCmd } from './rules/instructions.js';
import type { RuleDefinition, RuleInput, RuleResult } from './rules/outcome.js';
import { alsoOn, at, fail, lineList, noStages, onDockerfile, pass } from './rules/outcome.js';
import { pinnedPackages } from './rules/pinning.js';
import { noSecrets } from './rules/secrets.js';
import { noCd, noSudo, pipefail } from './rules/shell-use.js';

export type { RuleDefinition, RuleInput, RuleResult } from './rules/outcome.js';

export const rules: { [R in DockerfileRule]: RuleDefinition } = {
  'pinned-base': onDockerfile(pinnedBase),
  'non-root-user': onDockerfile(nonRootUser),
  'multi-stage': onDockerfile(multiStage),
  healthcheck: onDockerfile(healthcheck),
  'exec-form': onDockerfile(execForm),
  'no-add': onDockerfile(noAdd),
  'apt-cleanup': onDockerfile(aptCleanup),
  'combined-apt': onDockerfile(combinedApt),
  'workdir-absolute': onDockerfile(workdirAbsolute),
  expose: onDockerfile(expose),
  dockerignore: { needsDockerfile: false, check: dockerignore },
  'no-secrets': onDockerfile(noSecrets),
  'no-cd': onDockerfile(noCd),
  'no-sudo': onDockerfile(noSudo),
  'no-install-recommends': onDockerfile(noInstallRecommends),
  'apk-no-cache': onDockerfile(apkNoCache),
  'pip-no-cache': onDockerfile(pipNoCache),
  pipefail: onDockerfile(pipefail),
  'single-cmd': onDockerfile(singleCmd),
  'relative-copy-workdir': onDockerfile(relativeCopyWorkdir),
  'pinned-packages': onDockerfile(pinnedPackages),
};

export async function checkRule(rule: DockerfileRule, input: RuleInput): Promise<RuleResult> {
  return rules[rule].check(input);
}

function chainInstructions(df: DockerfileModel, keyword: string): DockerfileInstruction[] {
  // Earlier stages in the chain come later in the chain array; file order is what counts.
  return finalStageChain(df)
    .reverse()
    .flatMap((stage) => stage.instructions.filter((i) => i.keyword === keyword));
}

// --- pinned-base ---------------------------------------------------------

const SUGGESTED_TAGS: Record<string, string> = {
  node: 'node:20-alpine',
  python: 'python:3.12-slim',
  nginx: 'nginx:1.27-alpine',
  httpd: 'httpd:2.4',
  ubuntu: 'ubuntu:24.04',
  debian: 'debian:bookworm-slim',
  alpine: 'alpine:3.20',
  golang: 'golang:1.22-alpine',
  openjdk: 'eclipse-temurin:21-jre',
  'eclipse-temurin': 'eclipse-temurin:21-jre',
  redis: 'redis:7-alpine',
};

function suggestTag(name: string): string {
  return SUGGESTED_TAGS[name.replace(/^(docker\.io\/)?(library\/)?/, '')] ?? `${name}:<version>`;
}

function pinnedBase(df: DockerfileModel, input: RuleInput): RuleResult {
  if (df.stages.length === 0) return noStages(df);
  const vars = { ...df.globalArgs, ...input.buildArgs };
  const problems: { stage: DockerfileStage; why: string }[] = [];
  for (const stage of df.stages) {
    if (stage.image.toLowerCase() === 'scratch' || findStage(df, stage.image, stage.index)) continue;
    const { value, unresolved } = expandVariables(stage.image, vars);
    if (value === 'scratch' || findStage(df, value, stage.index)) continue;
    const ref = parseImageReference(value);
    if (ref.digest) continue;
    if (stage.image === '') {
      problems.push({ stage, why: t('probe.rule.pinned_base.no_image') });
    } else if (unresolved.length > 0 && !ref.tag) {
      const suggestion = suggestTag(ref.name || 'image');
      problems.push({
        stage,
        why: t('probe.rule.pinned_base.arg_no_default', { image: stage.image, args: unresolved.join(', '), suggestion }),
      });
    } else if (!ref.tag) {
      problems.push({ stage, why: t('probe.rule.pinned_base.no_tag', { image: value, suggestion: suggestTag(ref.name) }) });
    } else if (ref.tag === 'latest') {
      problems.push({ stage, why: t('probe.rule.pinned_base.latest', { image: value, suggestion: suggestTag(ref.name) }) });
    }
  }
  if (problems.length === 0) return pass(t('probe.rule.pinned_base.passed'));
  const more =
    problems.length > 1
      ? t('probe.rule.pinned_base.more', { count: problems.length - 1, lines: lineList(problems.slice(1).map((p) => p.stage)) })
      : '';
  return fail(
    `${problems[0]!.why}${more}`,
    problems.map((p) => at(df, p.stage)),
  );
}

// --- non-root-user -------------------------------------------------------
// The rule sees the Dockerfile only. It fails a final USER that is root by itself (no
// user part, `root`, uid 0 in any spelling, also through ARG and ENV values) and takes
// a name at its word: which uid a name has is in the image's /etc/passwd, which the
// image check (`image: { user: non-root }`) reads.

function nonRootUser(df: DockerfileModel, input: RuleInput): RuleResult {
  if (df.stages.length === 0) return noStages(df);
  const users = chainInstructions(df, 'USER');
  const last = users.at(-1);
  const finalStage = df.stages.at(-1)!;
  if (!last) {
    return fail(t('probe.rule.non_root.no_user'), [at(df, finalStage)]);
  }
  const written = { user: quote(last.argsAfterFlags), line: last.line };
  const word = processWord(last.argsAfterFlags, df.escape, variablesAt(df, last, input.buildArgs));
  if (!word.known) return pass(t('probe.rule.non_root.unknown', { ...written, why: word.why }));
  const means = word.value === last.argsAfterFlags ? '' : t('probe.rule.non_root.means', { value: quote(word.value) });
  const user = parseUser(word.value);
  if (user.kind === 'out-of-range') {
    return fail(t('probe.rule.non_root.out_of_range', { ...written, means, max: MAX_UID }), [at(df, last)]);
  }
  if (user.kind === 'name') return pass(t('probe.rule.non_root.name', { ...written, means, name: quote(user.name) }));
  if (user.uid !== 0) return pass(t('probe.rule.non_root.uid', { ...written, means, uid: user.uid }));
  const root =
    user.how === 'empty'
      ? t('probe.rule.non_root.root_empty')
      : user.how === 'root'
        ? t('probe.rule.non_root.root_name')
        : t('probe.rule.non_root.root_uid');
  return fail(t('probe.rule.non_root.root', { ...written, means, root }), [at(df, last)]);
}

// --- multi-stage ---------------------------------------------------------

function multiStage(df: DockerfileModel): RuleResult {
  if (df.stages.length >= 2) return pass(t('probe.rule.multi_stage.passed', { count: df.stages.length }));
  if (df.stages.length === 0) return noStages(df);
  return fail(t('probe.rule.multi_stage.single'), [at(df, df.stages[0]!)]);
}

// --- healthcheck ---------------------------------------------------------

function healthcheck(df: DockerfileModel): RuleResult {
  if (df.stages.length === 0) return noStages(df);
  const last = chainInstructions(df, 'HEALTHCHECK').at(-1);
  if (!last) {
    return fail(t('probe.rule.healthcheck.missing'), [at(df, df.stages.at(-1)!)]);
  }
  if (/^none$/i.test(last.argsAfterFlags.trim())) return fail(t('probe.rule.healthcheck.none'), [at(df, last)]);
  return pass(t('probe.rule.healthcheck.passed', { line: last.line }));
}

// --- exec-form -----------------------------------------------------------

const SHELL_SYNTAX = /[&|;<>()`$*]/;

function execForm(df: DockerfileModel): RuleResult {
  const offending = df.instructions.filter((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.json);
  const all = df.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (all.length === 0) return pass(t('probe.rule.exec_form.no_start'));
  if (offending.length === 0) return pass(t('probe.rule.exec_form.passed'));
  const first = offending[0]!;
  const quotes = first.argsAfterFlags.startsWith('[') ? t('probe.rule.exec_form.single_quotes') : '';
  const example = first.argsAfterFlags.startsWith('[')
    ? ''
    : SHELL_SYNTAX.test(first.argsAfterFlags)
      ? t('probe.rule.exec_form.move_shell_steps')
      : t('probe.rule.exec_form.example', { keyword: first.keyword, json: JSON.stringify(first.words) });
  const message = t('probe.rule.exec_form.shell', {
    keyword: first.keyword,
    line: first.line,
    quotes,
    entrypoint: first.keyword === 'ENTRYPOINT' ? t('probe.rule.exec_form.entrypoint') : '',
    example,
    also: alsoOn(offending.slice(1)),
  });
  return fail(
    message,
    offending.map((i) => at(df, i)),
  );
}

// --- no-add --------------------------------------------------------------

const URL_SOURCE = /^(https?|git):\/\/|^git@/i;
const TAR_ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz|tzst)$/i;

function noAdd(df: DockerfileModel): RuleResult {
  const offending = df.instructions.filter((i) => {
    if (i.keyword !== 'ADD') return false;
    const sources = i.words.slice(0, -1).map((w) => w.replace(/^["']|["']$/g, ''));
    return sources.length === 0 || sources.some((s) => !URL_SOURCE.test(s) && !TAR_ARCHIVE.test(s));
  });
  if (offending.length === 0) return pass(t('probe.rule.no_add.passed'));
  return fail(
    t('probe.rule.no_add.local', { lines: lineList(offending) }),
    offending.map((i) => at(df, i)),
  );
}

// --- combined-apt ------------------------------------------------------

const APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/;
const APT_UPDATE = /\bapt(?:-get)?\s+(?:-\S+\s+)*update\b/;

function runs(df: DockerfileModel): DockerfileInstruction[] {
  return df.instructions.filter((i) => i.keyword === 'RUN');
}

function combinedApt(df: DockerfileModel): RuleResult {
  const updates = runs(df).filter((r) => APT_UPDATE.test(r.argsAfterFlags));
  const offending = updates.filter((r) => !APT_INSTALL.test(r.argsAfterFlags));
  if (updates.length === 0) return pass(t('probe.rule.combined_apt.no_update'));
  if (offending.length === 0) return pass(t('probe.rule.combined_apt.passed'));
  return fail(
    t('probe.rule.combined_apt.separate', { lines: lineList(offending) }),
    offending.map((i) => at(df, i)),
  );
}

// --- workdir-absolute ----------------------------------------------------

function workdirAbsolute(df: DockerfileModel): RuleResult {
  const workdirs = df.instructions.filter((i) => i.keyword === 'WORKDIR');
  const offending = workdirs.filter((w) => {
    const dir = w.argsAfterFlags.trim().replace(/^["']|["']$/g, '');
    return !(dir.startsWith('/') || dir.startsWith('$') || /^[A-Za-z]:[\\/]/.test(dir));
  });
  if (workdirs.length === 0) return pass(t('probe.rule.workdir.none'));
  if (offending.length === 0) return pass(t('probe.rule.workdir.passed'));
  const first = offending[0]!;
  return fail(
    t('probe.rule.workdir.relative', { dir: first.argsAfterFlags, line: first.line, also: alsoOn(offending.slice(1)) }),
    offending.map((i) => at(df, i)),
  );
}

// --- expose --------------------------------------------------------------

function expose(df: DockerfileModel): RuleResult {
  if (df.stages.length === 0) return noStages(df);
  const exposes = chainInstructions(df, 'EXPOSE');
  if (exposes.length > 0) {
    return pass(t('probe.rule.expose.passed', { ports: exposes.flatMap((e) => e.words).join(', ') }));
  }
  return fail(t('probe.rule.expose.missing'), [at(df, df.stages.at(-1)!)]);
}

// --- dockerignore --------------------------------------------------------

async function dockerignore(input: RuleInput): Promise<RuleResult> {
  const contextPath = path.posix.normalize(input.contextPath.replaceAll('\\', '/'));
  const candidates = [
    path.posix.join(contextPath, '.dockerignore'),
    // BuildKit also reads <Dockerfile>.dockerignore next to the Dockerfile.
    `${input.dockerfilePath}.dockerignore`,
  ];
  for (const candidate of candidates) {
    const found = await resolveInRepo(input.repoDir, candidate);
    if (found.ok && found.stats.isFile()) return pass(t('probe.rule.dockerignore.passed', { path: candidate }));
  }
  return fail(t('probe.rule.dockerignore.missing', { path: candidates[0]! }), []);
}

/**
 * The built-in Dockerfile rules. Each says in one sentence why it matters (the
 * lecture's reasons) and points at the offending lines.
 */
import path from 'node:path';
import type { SourceLocation } from '../../basics/results.js';
import type { DockerfileRule } from '../../rubric/model.js';
import { resolveInRepo } from '../../workspace/repo-path.js';
import type { DockerfileInstruction, DockerfileModel, DockerfileStage } from './model.js';
import { expandVariables, findStage, finalStageChain, parseImageReference } from './model.js';
import { processWord, variablesAt } from './words.js';
import { quote } from '../display.js';
import { MAX_UID, parseUser } from '../users.js';

export interface RuleInput {
  /** Undefined when the Dockerfile is missing; only rules with `needsDockerfile: false` then run. */
  dockerfile: DockerfileModel | undefined;
  /** Absolute path of the repo root. */
  repoDir: string;
  /** Dockerfile path relative to the repo root, `/`-separated. */
  dockerfilePath: string;
  /** Build context relative to the repo root. */
  contextPath: string;
  /** Build args the rubric passes: they override ARG defaults in FROM. */
  buildArgs: Record<string, string>;
}

export interface RuleResult {
  passed: boolean;
  message: string;
  locations: SourceLocation[];
}

export interface RuleDefinition {
  needsDockerfile: boolean;
  check(input: RuleInput): RuleResult | Promise<RuleResult>;
}

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
};

export async function checkRule(rule: DockerfileRule, input: RuleInput): Promise<RuleResult> {
  return rules[rule].check(input);
}

function onDockerfile(check: (df: DockerfileModel, input: RuleInput) => RuleResult): RuleDefinition {
  return {
    needsDockerfile: true,
    check: (input) => {
      if (!input.dockerfile) throw new Error(`rule needs the Dockerfile, which is missing (${input.dockerfilePath})`);
      return check(input.dockerfile, input);
    },
  };
}

const pass = (message: string): RuleResult => ({ passed: true, message, locations: [] });
const fail = (message: string, locations: SourceLocation[]): RuleResult => ({ passed: false, message, locations });

function at(df: DockerfileModel, item: { line: number; endLine?: number }): SourceLocation {
  return item.endLine !== undefined && item.endLine !== item.line
    ? { path: df.path, line: item.line, endLine: item.endLine }
    : { path: df.path, line: item.line };
}

function lineList(items: { line: number }[]): string {
  const lines = items.map((i) => i.line);
  return lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
}

function noStages(df: DockerfileModel): RuleResult {
  return fail('the Dockerfile has no FROM instruction, so it does not describe an image', [{ path: df.path, line: 1 }]);
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
      problems.push({ stage, why: 'FROM names no image; write the base image with a tag, e.g. node:20-alpine' });
    } else if (unresolved.length > 0 && !ref.tag) {
      problems.push({
        stage,
        why: `FROM ${stage.image} depends on ARG ${unresolved.join(', ')}, which has no default, so the tag may be missing; give the ARG a default such as ${suggestTag(ref.name || 'image')}`,
      });
    } else if (!ref.tag) {
      problems.push({
        stage,
        why: `FROM ${value} without a tag means \`latest\`, which changes under you; pin a version such as ${suggestTag(ref.name)}`,
      });
    } else if (ref.tag === 'latest') {
      problems.push({
        stage,
        why: `FROM ${value} uses \`latest\`, which changes under you; pin a version such as ${suggestTag(ref.name)}`,
      });
    }
  }
  if (problems.length === 0) return pass('every base image is pinned to a tag or digest');
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more FROM on ${lineList(problems.slice(1).map((p) => p.stage))})` : '';
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
    return fail(
      'the final stage never sets USER, so the app runs as root and a bug in it has root power in the container; add a user and `USER` it before CMD',
      [at(df, finalStage)],
    );
  }
  const written = `USER ${quote(last.argsAfterFlags)} on line ${last.line}`;
  const word = processWord(last.argsAfterFlags, df.escape, variablesAt(df, last, input.buildArgs));
  if (!word.known) {
    return pass(`${written} is not root as far as the Dockerfile tells (${word.why}); the image check sees which user it is`);
  }
  const means = word.value === last.argsAfterFlags ? '' : ` means ${quote(word.value)}, which`;
  const user = parseUser(word.value);
  if (user.kind === 'out-of-range') {
    return fail(
      `${written}${means} is not a uid the engine accepts (0 to ${MAX_UID}), so the container cannot start; use an unprivileged uid such as 1000`,
      [at(df, last)],
    );
  }
  if (user.kind === 'name') return pass(`${written}${means} names user ${quote(user.name)}, not root (the image check looks up its uid)`);
  if (user.uid !== 0) return pass(`${written}${means} is uid ${user.uid}, not root`);
  const root = user.how === 'empty' ? 'names no user, so the app stays root' : user.how === 'root' ? 'is root' : 'is uid 0, root';
  return fail(
    `${written}${means} ${root}: as the final stage's last USER it gives the app root power in the container; switch to an unprivileged user after the steps that need root`,
    [at(df, last)],
  );
}

// --- multi-stage ---------------------------------------------------------

function multiStage(df: DockerfileModel): RuleResult {
  if (df.stages.length >= 2) return pass(`the build has ${df.stages.length} stages`);
  if (df.stages.length === 0) return noStages(df);
  return fail(
    'the Dockerfile has a single stage, so build tools end up in the final image; build in one stage and COPY --from it into a small runtime stage',
    [at(df, df.stages[0]!)],
  );
}

// --- healthcheck ---------------------------------------------------------

function healthcheck(df: DockerfileModel): RuleResult {
  if (df.stages.length === 0) return noStages(df);
  const last = chainInstructions(df, 'HEALTHCHECK').at(-1);
  if (!last) {
    return fail(
      'the final stage has no HEALTHCHECK, so Docker cannot tell a running but broken app from a healthy one; add e.g. `HEALTHCHECK CMD wget -qO- http://localhost:8080/ || exit 1`',
      [at(df, df.stages.at(-1)!)],
    );
  }
  if (/^none$/i.test(last.argsAfterFlags.trim())) {
    return fail('HEALTHCHECK NONE turns the health check off; give a CMD that tests the app instead', [at(df, last)]);
  }
  return pass(`HEALTHCHECK on line ${last.line}`);
}

// --- exec-form -----------------------------------------------------------

const SHELL_SYNTAX = /[&|;<>()`$*]/;

function execForm(df: DockerfileModel): RuleResult {
  const offending = df.instructions.filter((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.json);
  const all = df.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (all.length === 0) return pass("no CMD or ENTRYPOINT: the base image's start command is used");
  if (offending.length === 0) return pass('CMD and ENTRYPOINT use the exec (JSON) form');
  const first = offending[0]!;
  const singleQuotes = first.argsAfterFlags.startsWith('[') ? ' (JSON needs double quotes: single quotes make it shell form)' : '';
  const example = first.argsAfterFlags.startsWith('[')
    ? ''
    : SHELL_SYNTAX.test(first.argsAfterFlags)
      ? ' (move shell steps such as `&&` into RUN or a start script)'
      : `, e.g. ${first.keyword} ${JSON.stringify(first.words)}`;
  return fail(
    `${first.keyword} on line ${first.line} is in shell form${singleQuotes}, so /bin/sh runs as PID 1 and your app never receives SIGTERM${first.keyword === 'ENTRYPOINT' ? ' (and CMD and `docker run` arguments are ignored)' : ''}; use the JSON form${example}` +
      (offending.length > 1 ? ` (also ${lineList(offending.slice(1))})` : ''),
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
  if (offending.length === 0) return pass('ADD is used only for URLs and archives (or not at all)');
  return fail(
    `ADD on ${lineList(offending)} copies local files; use COPY, which does only that, while ADD also fetches URLs and unpacks archives by surprise`,
    offending.map((i) => at(df, i)),
  );
}

// --- apt-cleanup / combined-apt -----------------------------------------

const APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/;
const APT_UPDATE = /\bapt(?:-get)?\s+(?:-\S+\s+)*update\b/;
const APT_LISTS_REMOVED = /\brm\s+(?:-\S+\s+)*[^&|;]*\/var\/lib\/apt\/lists/;

function runs(df: DockerfileModel): DockerfileInstruction[] {
  return df.instructions.filter((i) => i.keyword === 'RUN');
}

function aptCleanup(df: DockerfileModel): RuleResult {
  const installs = runs(df).filter((r) => APT_INSTALL.test(r.argsAfterFlags));
  const listsCached = (r: DockerfileInstruction) => r.flags.some((f) => f.name === 'mount' && (f.value ?? '').includes('/var/lib/apt'));
  const offending = installs.filter((r) => !APT_LISTS_REMOVED.test(r.argsAfterFlags) && !listsCached(r));
  if (installs.length === 0) return pass('no RUN installs apt packages');
  if (offending.length === 0) return pass('every apt-get install removes /var/lib/apt/lists in the same RUN');
  return fail(
    `the RUN on ${lineList(offending)} installs packages but leaves the apt lists in the layer; end it with \`&& rm -rf /var/lib/apt/lists/*\` (a later RUN cannot shrink an earlier layer)`,
    offending.map((i) => at(df, i)),
  );
}

function combinedApt(df: DockerfileModel): RuleResult {
  const updates = runs(df).filter((r) => APT_UPDATE.test(r.argsAfterFlags));
  const offending = updates.filter((r) => !APT_INSTALL.test(r.argsAfterFlags));
  if (updates.length === 0) return pass('no RUN runs apt-get update');
  if (offending.length === 0) return pass('apt-get update and install share one RUN');
  return fail(
    `apt-get update on ${lineList(offending)} is in its own RUN, so its cached layer goes stale and a later install fetches outdated lists; write \`RUN apt-get update && apt-get install -y …\` in one RUN`,
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
  if (workdirs.length === 0) return pass('no WORKDIR is set');
  if (offending.length === 0) return pass('every WORKDIR is an absolute path');
  const first = offending[0]!;
  return fail(
    `WORKDIR ${first.argsAfterFlags} on line ${first.line} is relative, so it depends on every WORKDIR before it (and the base image's); write an absolute path such as /app` +
      (offending.length > 1 ? ` (also ${lineList(offending.slice(1))})` : ''),
    offending.map((i) => at(df, i)),
  );
}

// --- expose --------------------------------------------------------------

function expose(df: DockerfileModel): RuleResult {
  if (df.stages.length === 0) return noStages(df);
  const exposes = chainInstructions(df, 'EXPOSE');
  if (exposes.length > 0) {
    return pass(`the image documents port(s) ${exposes.flatMap((e) => e.words).join(', ')} with EXPOSE`);
  }
  return fail(
    'the final stage has no EXPOSE, so nobody reading the image knows which port the app listens on; add e.g. `EXPOSE 8080` with the port your app really uses',
    [at(df, df.stages.at(-1)!)],
  );
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
    if (found.ok && found.stats.isFile()) return pass(`${candidate} exists`);
  }
  return fail(
    `there is no ${candidates[0]}, so everything in the build context (.git, node_modules, secrets such as .env) is sent to the builder and can end up in the image; add one`,
    [],
  );
}

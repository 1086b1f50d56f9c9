/** `image`: the built image's metadata against each key the rubric gives; the message lists every mismatch. */
import { formatBytes } from '../../basics/units.js';
import type { ImageInfo } from '../../engine/engine.js';
import type { Check, ImageSpec } from '../../rubric/model.js';
import { requireImage } from '../context.js';
import { checkNonRoot, type NonRootVerdict } from '../image-user.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

interface Comparison {
  expected: string;
  actual: string;
  /** Set when the key does not hold: the phrase for the message. */
  problem?: string;
}

export const imageProbe: Probe<ImageSpec> = {
  kind: 'image',
  stage: () => 'image',
  defaultTimeoutMs: 10_000,
  async run(check: Check<ImageSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const image = requireImage(ctx);
    const nonRoot = check.spec.user === 'non-root' ? await checkNonRoot(ctx.engine, image.ref, image.info.user) : undefined;
    const comparisons = compareImage(check.spec, image.info, nonRoot);
    const problems = comparisons.filter((c) => c.problem !== undefined);
    return {
      status: problems.length === 0 ? 'passed' : 'failed',
      message:
        problems.length === 0
          ? `the image matches: ${comparisons.map((c) => c.actual).join(', ')}`
          : problems.map((p) => p.problem).join('; '),
      expected: comparisons.map((c) => c.expected).join('\n'),
      actual: comparisons.map((c) => c.actual).join('\n'),
    };
  },
};

function showList(list: string[] | null): string {
  return list === null ? 'none' : JSON.stringify(list);
}

function sameList(a: string[] | null, b: string[]): boolean {
  return a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}

function subsetProblems(kind: string, want: Record<string, string>, got: Record<string, string>): string[] {
  return Object.entries(want).flatMap(([key, value]) =>
    !Object.hasOwn(got, key)
      ? [`${kind} ${key} is not set (expected ${JSON.stringify(value)})`]
      : got[key] !== value
        ? [`${kind} ${key} is ${JSON.stringify(got[key])} (expected ${JSON.stringify(value)})`]
        : [],
  );
}

function showMap(map: Record<string, string>, keys: string[]): string {
  return keys.map((k) => (Object.hasOwn(map, k) ? `${k}=${map[k]}` : `${k} unset`)).join(', ');
}

/** `nonRoot`: the verdict on the image's user, needed when `spec.user` is `non-root`. */
export function compareImage(spec: ImageSpec, info: ImageInfo, nonRoot?: NonRootVerdict): Comparison[] {
  const out: Comparison[] = [];
  if (spec.maxSizeBytes !== undefined) {
    const ok = info.sizeBytes <= spec.maxSizeBytes;
    out.push({
      expected: `size at most ${formatBytes(spec.maxSizeBytes)}`,
      actual: `size ${formatBytes(info.sizeBytes)}`,
      ...(ok ? {} : { problem: `the image is ${formatBytes(info.sizeBytes)}, over the ${formatBytes(spec.maxSizeBytes)} limit (a slim/alpine base or a multi-stage build helps)` }),
    });
  }
  if (spec.user === 'non-root') {
    if (!nonRoot) throw new Error('the non-root verdict on the image user is missing');
    out.push({ expected: 'user not root', actual: nonRoot.actual, ...(nonRoot.problem === undefined ? {} : { problem: nonRoot.problem }) });
  } else if (spec.user !== undefined) {
    const shown = info.user === '' ? 'root (no USER set)' : info.user;
    const ok = info.user === spec.user || info.user.split(':')[0] === spec.user;
    out.push({
      expected: `user ${spec.user}`,
      actual: `user ${shown}`,
      ...(ok ? {} : { problem: `the image runs as ${shown}, expected ${spec.user}` }),
    });
  }
  if (spec.exposes !== undefined) {
    const missing = spec.exposes.filter((p) => !info.exposedPorts.includes(p));
    out.push({
      expected: `exposes ${spec.exposes.join(', ')}`,
      actual: info.exposedPorts.length > 0 ? `exposes ${info.exposedPorts.join(', ')}` : 'exposes nothing',
      ...(missing.length === 0 ? {} : { problem: `port ${missing.join(', ')} is not EXPOSEd (the image exposes ${info.exposedPorts.join(', ') || 'nothing'})` }),
    });
  }
  if (spec.env !== undefined) {
    const problems = subsetProblems('ENV', spec.env, info.env);
    out.push({
      expected: `env ${Object.entries(spec.env).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      actual: `env ${showMap(info.env, Object.keys(spec.env))}`,
      ...(problems.length === 0 ? {} : { problem: problems.join('; ') }),
    });
  }
  if (spec.labels !== undefined) {
    const problems = subsetProblems('LABEL', spec.labels, info.labels);
    out.push({
      expected: `labels ${Object.entries(spec.labels).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      actual: `labels ${showMap(info.labels, Object.keys(spec.labels))}`,
      ...(problems.length === 0 ? {} : { problem: problems.join('; ') }),
    });
  }
  if (spec.workdir !== undefined) {
    const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
    const ok = trim(info.workdir) === trim(spec.workdir);
    out.push({
      expected: `workdir ${spec.workdir}`,
      actual: `workdir ${info.workdir || '(none)'}`,
      ...(ok ? {} : { problem: `WORKDIR is ${info.workdir || 'not set'}, expected ${spec.workdir}` }),
    });
  }
  if (spec.entrypoint !== undefined) {
    const ok = sameList(info.entrypoint, spec.entrypoint) || (spec.entrypoint.length === 0 && info.entrypoint === null);
    out.push({
      expected: `entrypoint ${showList(spec.entrypoint)}`,
      actual: `entrypoint ${showList(info.entrypoint)}`,
      ...(ok ? {} : { problem: `ENTRYPOINT is ${showList(info.entrypoint)}, expected ${showList(spec.entrypoint)}` }),
    });
  }
  if (spec.cmd !== undefined) {
    const ok = sameList(info.cmd, spec.cmd) || (spec.cmd.length === 0 && info.cmd === null);
    out.push({
      expected: `cmd ${showList(spec.cmd)}`,
      actual: `cmd ${showList(info.cmd)}`,
      ...(ok ? {} : { problem: `CMD is ${showList(info.cmd)}, expected ${showList(spec.cmd)}` }),
    });
  }
  if (spec.healthcheck !== undefined) {
    const ok = info.healthcheck === spec.healthcheck;
    out.push({
      expected: spec.healthcheck ? 'a healthcheck' : 'no healthcheck',
      actual: info.healthcheck ? 'a healthcheck' : 'no healthcheck',
      ...(ok ? {} : { problem: spec.healthcheck ? 'the image has no HEALTHCHECK' : 'the image has a HEALTHCHECK, expected none' }),
    });
  }
  if (spec.maxLayers !== undefined) {
    const ok = info.layers <= spec.maxLayers;
    out.push({
      expected: `at most ${spec.maxLayers} layers`,
      actual: `${info.layers} layers`,
      ...(ok ? {} : { problem: `the image has ${info.layers} layers, more than ${spec.maxLayers} (chain related RUN steps with &&)` }),
    });
  }
  return out;
}

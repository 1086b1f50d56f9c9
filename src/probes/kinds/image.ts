/** `image`: the built image's metadata against each key the rubric gives; the message lists every mismatch. */
import { t } from '../../basics/i18n/catalogue.js';
import { formatBytes } from '../../basics/units.js';
import type { ImageInfo } from '../../engine/engine.js';
import type { Check, ImageSpec } from '../../rubric/model.js';
import { requireImage } from '../context.js';
import { joinClauses } from '../display.js';
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
  schedule: 'concurrent',
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
          ? t('probe.image.matches', { actual: comparisons.map((c) => c.actual).join(', ') })
          : joinClauses(problems.map((p) => p.problem!)),
      expected: comparisons.map((c) => c.expected).join('\n'),
      actual: comparisons.map((c) => c.actual).join('\n'),
    };
  },
};

function showList(list: string[] | null): string {
  return list === null ? t('probe.image.none') : JSON.stringify(list);
}

function sameList(a: string[] | null, b: string[]): boolean {
  return a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** `env` or `labels` (`keyword` ENV or LABEL; `name` what the report calls them): every pair the rubric names is set so in the image. */
function compareMap(name: string, keyword: string, want: Record<string, string>, got: Record<string, string>): Comparison {
  const problems = Object.entries(want).flatMap(([key, value]) =>
    !Object.hasOwn(got, key)
      ? [t('probe.image.pair_unset', { keyword, key, value: JSON.stringify(value) })]
      : got[key] !== value
        ? [t('probe.image.pair_different', { keyword, key, actual: JSON.stringify(got[key]), value: JSON.stringify(value) })]
        : [],
  );
  return {
    expected: `${name} ${Object.entries(want)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    actual: `${name} ${Object.keys(want)
      .map((k) => (Object.hasOwn(got, k) ? `${k}=${got[k]}` : t('probe.image.pair_unset_short', { key: k })))
      .join(', ')}`,
    ...(problems.length === 0 ? {} : { problem: joinClauses(problems) }),
  };
}

/** `entrypoint` or `cmd` (`keyword` ENTRYPOINT or CMD; `name` what the report calls them): the exact list; an empty one also matches none. */
function compareList(name: string, keyword: string, want: string[], got: string[] | null): Comparison {
  const ok = sameList(got, want) || (want.length === 0 && got === null);
  return {
    expected: `${name} ${showList(want)}`,
    actual: `${name} ${showList(got)}`,
    ...(ok ? {} : { problem: t('probe.image.list_different', { keyword, actual: showList(got), want: showList(want) }) }),
  };
}

/** `nonRoot`: the verdict on the image's user, needed when `spec.user` is `non-root`. */
export function compareImage(spec: ImageSpec, info: ImageInfo, nonRoot?: NonRootVerdict): Comparison[] {
  const out: Comparison[] = [];
  if (spec.maxSizeBytes !== undefined) {
    const ok = info.sizeBytes <= spec.maxSizeBytes;
    out.push({
      expected: t('probe.image.expect_size', { max: formatBytes(spec.maxSizeBytes) }),
      actual: t('probe.image.size', { size: formatBytes(info.sizeBytes) }),
      ...(ok ? {} : { problem: t('probe.image.too_big', { size: formatBytes(info.sizeBytes), max: formatBytes(spec.maxSizeBytes) }) }),
    });
  }
  if (spec.user === 'non-root') {
    if (!nonRoot) throw new Error('the non-root verdict on the image user is missing');
    out.push({
      expected: t('probe.image.expect_not_root'),
      actual: nonRoot.actual,
      ...(nonRoot.problem === undefined ? {} : { problem: nonRoot.problem }),
    });
  } else if (spec.user !== undefined) {
    const shown = info.user === '' ? t('probe.image.root_no_user') : info.user;
    const ok = info.user === spec.user || info.user.split(':')[0] === spec.user;
    out.push({
      expected: t('probe.image.user', { user: spec.user }),
      actual: t('probe.image.user', { user: shown }),
      ...(ok ? {} : { problem: t('probe.image.wrong_user', { actual: shown, want: spec.user }) }),
    });
  }
  if (spec.exposes !== undefined) {
    const missing = spec.exposes.filter((p) => !info.exposedPorts.includes(p));
    const exposed = info.exposedPorts.join(', ');
    const notExposed = missing.join(', ');
    out.push({
      expected: t('probe.image.exposes', { ports: spec.exposes.join(', ') }),
      actual: info.exposedPorts.length > 0 ? t('probe.image.exposes', { ports: exposed }) : t('probe.image.exposes_nothing'),
      ...(missing.length === 0
        ? {}
        : {
            problem: exposed
              ? t('probe.image.not_exposed', { missing: notExposed, exposed })
              : t('probe.image.not_exposed_none', { missing: notExposed }),
          }),
    });
  }
  if (spec.env !== undefined) out.push(compareMap(t('probe.image.env'), 'ENV', spec.env, info.env));
  if (spec.labels !== undefined) out.push(compareMap(t('probe.image.labels'), 'LABEL', spec.labels, info.labels));
  if (spec.workdir !== undefined) {
    const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
    const ok = trim(info.workdir) === trim(spec.workdir);
    const want = spec.workdir;
    out.push({
      expected: t('probe.image.workdir', { dir: want }),
      actual: info.workdir ? t('probe.image.workdir', { dir: info.workdir }) : t('probe.image.workdir_none'),
      ...(ok
        ? {}
        : {
            problem: info.workdir
              ? t('probe.image.wrong_workdir', { actual: info.workdir, want })
              : t('probe.image.workdir_unset', { want }),
          }),
    });
  }
  if (spec.entrypoint !== undefined) out.push(compareList(t('probe.image.entrypoint'), 'ENTRYPOINT', spec.entrypoint, info.entrypoint));
  if (spec.cmd !== undefined) out.push(compareList(t('probe.image.cmd'), 'CMD', spec.cmd, info.cmd));
  if (spec.healthcheck !== undefined) {
    const ok = info.healthcheck === spec.healthcheck;
    const describe = (has: boolean) => (has ? t('probe.image.healthcheck') : t('probe.image.no_healthcheck'));
    out.push({
      expected: describe(spec.healthcheck),
      actual: describe(info.healthcheck),
      ...(ok ? {} : { problem: spec.healthcheck ? t('probe.image.healthcheck_missing') : t('probe.image.healthcheck_unwanted') }),
    });
  }
  if (spec.maxLayers !== undefined) {
    const ok = info.layers <= spec.maxLayers;
    out.push({
      expected: t('probe.image.expect_layers', { max: spec.maxLayers }),
      actual: t('probe.image.layers', { count: info.layers }),
      ...(ok ? {} : { problem: t('probe.image.too_many_layers', { count: info.layers, max: spec.maxLayers }) }),
    });
  }
  return out;
}

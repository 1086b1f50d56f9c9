import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cacheMountId, isolateCacheMounts, mountFields, mountSource, mountType } from '../../src/engine/build/build-cache-mounts.js';
import { buildRuleComment, buildRules, hostNetworks, networkOf, parseRules, resolversOf } from '../../src/engine/network/host-firewall.js';
import { DOCKERFILE_LIMITS, dockerfileOverLimits } from '../../src/core/dockerfile-limits.js';
import { imageReferences } from '../../src/core/image-references.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';

describe('isolateCacheMounts', () => {
  const text = [
    'FROM busybox:1.35',
    'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
    'RUN --mount=type=cache,id=shared,target=/y,sharing=locked \\',
    '  --mount=type=bind,source=a,target=/b echo',
    'run --mount=type=secret,id=token cat /run/secrets/token',
    'RUN --mount=type=cache,target=/root/.cache/pip pip list',
    '',
  ].join('\n');

  it('gives every cache mount an id private to the run, the same for the same original key', () => {
    const out = isolateCacheMounts(text, 'run1').split('\n');
    const pip = cacheMountId('run1', '/root/.cache/pip');
    expect(out[1]).toBe(`RUN --mount=type=cache,target=/root/.cache/pip,id=${pip} pip install -r requirements.txt`);
    expect(out[2]).toBe(`RUN --mount=type=cache,target=/y,sharing=locked,id=${cacheMountId('run1', 'shared')} \\`);
    expect(out[5]).toBe(`RUN --mount=type=cache,target=/root/.cache/pip,id=${pip} pip list`);
  });

  it('leaves other mounts, other instructions and the line count alone', () => {
    const out = isolateCacheMounts(text, 'run1').split('\n');
    expect(out.length).toBe(text.split('\n').length);
    expect(out[3]).toBe('  --mount=type=bind,source=a,target=/b echo');
    expect(out[4]).toBe('run --mount=type=secret,id=token cat /run/secrets/token');
  });

  it('gives two runs different ids for the same mount', () => {
    expect(cacheMountId('a', '/c')).not.toBe(cacheMountId('b', '/c'));
    expect(isolateCacheMounts(text, 'a')).not.toBe(isolateCacheMounts(text, 'b'));
  });

  it('reads mount fields as BuildKit does, quotes included', () => {
    const fields = mountFields('type=cache,"target=/a,b",from=base');
    expect(fields).toEqual(['type=cache', 'target=/a,b', 'from=base']);
    expect(mountType(fields)).toBe('cache');
    expect(mountSource(fields)).toBe('base');
    expect(mountType(['target=/x'])).toBe('bind');
  });
});

describe('dockerfileOverLimits', () => {
  const model = (text: string) => parseDockerfile(text, 'Dockerfile');

  it('accepts an ordinary Dockerfile', () => {
    expect(
      dockerfileOverLimits(
        model('# syntax=docker/dockerfile:1.7\nFROM python:3.12-slim\nENV A=1 B=2\nCOPY . .\nCMD ["python", "app.py"]\n'),
      ),
    ).toBeUndefined();
  });

  it('refuses more instructions than the limit, counting every stage', () => {
    const ok = `FROM a\n${'RUN true\n'.repeat(DOCKERFILE_LIMITS.instructions - 1)}`;
    expect(dockerfileOverLimits(model(ok))).toBeUndefined();
    expect(dockerfileOverLimits(model(`${ok}FROM b\n`))).toMatch(/201 instructions; the grader builds at most 200/);
  });

  it('refuses more ENV, ARG and LABEL pairs than the limit', () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `K${i}=v`).join(' ');
    expect(dockerfileOverLimits(model(`FROM a\nENV ${pairs(50)}\nLABEL ${pairs(50)}\n`))).toBeUndefined();
    expect(dockerfileOverLimits(model(`FROM a\nENV ${pairs(50)}\nARG X=1\nLABEL ${pairs(50)}\n`))).toMatch(/sets 101 variables/);
  });

  it("refuses a frontend other than Docker's own", () => {
    for (const ok of [
      'docker/dockerfile:1',
      'docker.io/docker/dockerfile:1.7-labs',
      'docker/dockerfile-upstream:master',
      `docker/dockerfile@sha256:${'a'.repeat(64)}`,
    ]) {
      expect(dockerfileOverLimits(model(`# syntax=${ok}\nFROM a\n`)), ok).toBeUndefined();
    }
    for (const bad of ['evil/frontend', 'ghcr.io/docker/dockerfile:1', 'docker/dockerfile-evil:1']) {
      expect(dockerfileOverLimits(model(`# syntax=${bad}\nFROM a\n`)), bad).toMatch(/Line 1: .* other than Docker's own/);
    }
  });
});

describe('imageReferences', () => {
  const refs = (text: string, args: Record<string, string> = {}) =>
    imageReferences(parseDockerfile(text, 'Dockerfile'), args).map((r) => [r.image, r.line]);

  it('lists FROM, COPY --from and RUN --mount from= images, with build arguments expanded', () => {
    const text = [
      'ARG BASE=python:3.12',
      'FROM $BASE AS build',
      'FROM busybox:1.35',
      'COPY --from=build /a /a',
      'COPY --from=other/image:1 /b /b',
      'RUN --mount=type=bind,from=tools:2,target=/t true',
      'RUN --mount=type=cache,target=/c true',
      'COPY --from=0 /c /c',
      'FROM scratch',
    ].join('\n');
    expect(refs(text)).toEqual([
      ['python:3.12', 2],
      ['busybox:1.35', 3],
      ['other/image:1', 5],
      ['tools:2', 6],
    ]);
    expect(refs(text, { BASE: 'node:22' })[0]).toEqual(['node:22', 2]);
  });

  it('leaves out stage names, whatever their case', () => {
    expect(refs('FROM a:1 AS Builder\nFROM builder\nCOPY --from=BUILDER /x /x\n')).toEqual([['a:1', 1]]);
  });
});

describe('build firewall rules', () => {
  it('drops new connections to the host and traffic to private and local networks, DNS to the resolvers excepted', () => {
    const plan = { bridge: 'docker0', localNetworks: ['192.0.2.0/24'], resolvers: ['10.255.255.53'], hostResolvers: [] };
    const comment = buildRuleComment('run1', 1_700_000_000_000);
    expect(comment).toBe('grader:run1:build@1700000000');
    const { input, forward } = buildRules(plan, comment);
    const tag = ['-m', 'comment', '--comment', comment];
    expect(input).toEqual([['-i', 'docker0', '-m', 'conntrack', '!', '--ctstate', 'ESTABLISHED,RELATED', ...tag, '-j', 'DROP']]);
    expect(forward.slice(0, 2)).toEqual([
      ['-i', 'docker0', '-d', '10.255.255.53/32', '-p', 'udp', '--dport', '53', ...tag, '-j', 'RETURN'],
      ['-i', 'docker0', '-d', '10.255.255.53/32', '-p', 'tcp', '--dport', '53', ...tag, '-j', 'RETURN'],
    ]);
    const dropped = forward.slice(2).map((rule) => rule[6]);
    expect(forward[2]?.slice(0, 5)).toEqual(['-i', 'docker0', '!', '-o', 'docker0']);
    expect(dropped).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '192.0.2.0/24']);
  });

  it('keeps DNS to a resolver on the host itself open', () => {
    const plan = { bridge: 'docker0', localNetworks: [], resolvers: ['172.17.0.1'], hostResolvers: ['172.17.0.1'] };
    const { input } = buildRules(plan, 'c');
    expect(input.map((rule) => rule.at(-1))).toEqual(['ACCEPT', 'ACCEPT', 'DROP']);
  });

  it('finds the host networks and resolvers', () => {
    expect(networkOf('192.0.2.2/24')).toBe('192.0.2.0/24');
    expect(networkOf('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(networkOf('203.0.113.7/32')).toBe('203.0.113.7/32');
    const interfaces = {
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [{ address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: '192.0.2.2/24' }],
      docker0: [{ address: '172.17.0.1', netmask: '255.255.0.0', family: 'IPv4', mac: '', internal: false, cidr: '172.17.0.1/16' }],
    } as const;
    expect(hostNetworks('docker0', interfaces as unknown as NodeJS.Dict<NetworkInterfaceInfo[]>)).toEqual({
      networks: ['192.0.2.0/24'],
      addresses: ['192.0.2.2', '172.17.0.1'],
    });
    expect(resolversOf('# generated\nnameserver 10.255.255.53\nnameserver ::1\n nameserver 8.8.8.8 \nsearch x\n')).toEqual([
      '10.255.255.53',
      '8.8.8.8',
    ]);
  });

  it('finds its build rules in DOCKER-USER again', () => {
    const listing = [
      '-N DOCKER-USER',
      '-A DOCKER-USER -d 10.0.0.0/8 -i docker0 -m comment --comment "grader:r1:build@1700000000" -j DROP',
      '-A DOCKER-USER -j RETURN',
    ].join('\n');
    expect(parseRules(listing)).toEqual([
      {
        deleteArgs: [
          '-D',
          'DOCKER-USER',
          '-d',
          '10.0.0.0/8',
          '-i',
          'docker0',
          '-m',
          'comment',
          '--comment',
          'grader:r1:build@1700000000',
          '-j',
          'DROP',
        ],
        comment: 'grader:r1:build@1700000000',
        bridge: 'docker0',
      },
    ]);
  });
});

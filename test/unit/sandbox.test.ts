/**
 * The sandbox's pure parts: firewall rules and their listing, the pids counter's files,
 * the proxy's script, and rubric limits held to their ceilings.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { inputRules, parseRules, ruleComment } from '../../src/engine/network/host-firewall.js';
import { mentionsForkFailure, pidsEventsPath, refusedForks } from '../../src/engine/container/pids-limit.js';
import { proxyScript } from '../../src/engine/network/port-proxy.js';
import { parseRubric } from '../../src/rubric/load.js';

describe('host firewall rules', () => {
  it('drops everything from the bridge that is not a reply, tagged with the run', () => {
    expect(inputRules('ipv4', 'br-0123456789ab', 'abc123')).toEqual([
      [
        '-i',
        'br-0123456789ab',
        '-m',
        'conntrack',
        '!',
        '--ctstate',
        'ESTABLISHED,RELATED',
        '-m',
        'comment',
        '--comment',
        'grader:abc123',
        '-j',
        'DROP',
      ],
    ]);
  });

  it('lets IPv6 neighbour discovery through ahead of the drop', () => {
    const rules = inputRules('ipv6', 'br-x', 'r');
    expect(rules.map((rule) => rule.at(-1))).toEqual(['ACCEPT', 'ACCEPT', 'DROP']);
    expect(rules[0]).toContain('neighbour-solicitation');
    expect(rules[1]).toContain('neighbour-advertisement');
  });

  it('keeps the comment one plain word whatever the run id', () => {
    expect(ruleComment('run id; rm -rf /')).toBe('grader:run_id__rm_-rf__');
  });

  it("finds the grader's rules in `iptables -S` and how to delete them", () => {
    const listing = [
      '-P INPUT ACCEPT',
      '-A INPUT -i br-2a63354788e9 -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment --comment "grader:run-1" -j DROP',
      '-A INPUT -i eth0 -m comment --comment "someone else" -j ACCEPT',
      '-A INPUT -i lo -j ACCEPT',
    ].join('\n');
    expect(parseRules(listing)).toEqual([
      {
        comment: 'grader:run-1',
        bridge: 'br-2a63354788e9',
        deleteArgs: [
          '-D',
          'INPUT',
          '-i',
          'br-2a63354788e9',
          '-m',
          'conntrack',
          '!',
          '--ctstate',
          'RELATED,ESTABLISHED',
          '-m',
          'comment',
          '--comment',
          'grader:run-1',
          '-j',
          'DROP',
        ],
      },
    ]);
  });
});

describe('pids limit', () => {
  it('finds pids.events from /proc/<pid>/cgroup on cgroup v1', () => {
    const v1 = '9:name=systemd:/docker/abc\n8:pids:/docker/abc\n4:memory:/docker/abc\n0::/docker/abc\n';
    expect(pidsEventsPath(v1)).toBe('/sys/fs/cgroup/pids/docker/abc/pids.events');
  });

  it('finds pids.events on cgroup v2', () => {
    expect(pidsEventsPath('0::/system.slice/docker-abc.scope\n')).toBe('/sys/fs/cgroup/system.slice/docker-abc.scope/pids.events');
  });

  it('reads the refused-fork count', () => {
    expect(refusedForks('max 7\n')).toBe(7);
    expect(refusedForks('max 0\n')).toBe(0);
    expect(refusedForks('')).toBe(0);
  });

  it('recognises fork failures in output, and only those', () => {
    expect(mentionsForkFailure("sh: can't fork: Resource temporarily unavailable")).toBe(true);
    expect(mentionsForkFailure('bash: fork: retry: Resource temporarily unavailable')).toBe(true);
    expect(mentionsForkFailure('read: Resource temporarily unavailable')).toBe(false);
  });
});

describe('port proxy', () => {
  it('forwards each port to the service, and only to an IP address', () => {
    expect(proxyScript('172.18.0.2', [80, 8080])).toBe('nc -ll -p 80 -e nc 172.18.0.2 80 &\nnc -ll -p 8080 -e nc 172.18.0.2 8080 &\nwait');
    expect(() => proxyScript('$(reboot)', [80])).toThrow(/not an IP/);
  });
});

describe('rubric limits', () => {
  const rubric = (limits: string) => parseRubric(`rubric: 1\ntitle: t\nlimits:\n${limits}\nchecks: [{name: a, build: true}]\n`, 'r.yml');

  it('keeps limits within the ceilings as they are, and takes a disk limit', () => {
    const parsed = rubric('  memory: 1g\n  cpus: 0.5\n  pids: 100\n  disk: 2g');
    expect(parsed.limits).toEqual({ memoryBytes: 1024 ** 3, cpus: 0.5, pids: 100, network: 'none', diskBytes: 2 * 1024 ** 3 });
    expect(parsed.warnings).toBeUndefined();
  });

  it('lowers limits above the ceilings and warns with the line', () => {
    const parsed = rubric('  memory: 16g\n  cpus: 64\n  pids: 100000\n  disk: 50g');
    const cpus = Math.min(2, availableParallelism());
    expect(parsed.limits).toEqual({ memoryBytes: 4 * 1024 ** 3, cpus, pids: 4096, network: 'none', diskBytes: 10 * 1024 ** 3 });
    expect(parsed.warnings).toEqual([
      'r.yml:4: limits.memory asks for 16 GiB, more than the grader allows; using 4 GiB',
      `r.yml:5: limits.cpus asks for 64 CPUs, more than the grader allows; using ${cpus} CPU${cpus === 1 ? '' : 's'}`,
      'r.yml:6: limits.pids asks for 100000 processes, more than the grader allows; using 4096 processes',
      'r.yml:7: limits.disk asks for 50 GiB, more than the grader allows; using 10 GiB',
    ]);
  });
});

/**
 * Closing the one way out an `Internal` network leaves: its bridge's gateway address is
 * the host itself, so a container could connect to anything listening on the runner
 * (INPUT, not FORWARD, which the engine already blocks). Rules in the INPUT chain drop
 * every packet from the run's bridge that is not a reply to a connection the host made:
 * the grader still reaches the service, the service reaches nothing on the host.
 * Each rule carries `--comment grader:<runId>` so clean-up finds it again.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

const run = promisify(execFile);

export const RULE_COMMENT_PREFIX = 'grader:';
const COMMAND_TIMEOUT_MS = 10_000;
/** `-w`: wait for the xtables lock the engine itself takes while it edits its rules. */
const WAIT = ['-w', '5'];

export type IpFamily = 'ipv4' | 'ipv6';
const TOOL: Record<IpFamily, string> = { ipv4: 'iptables', ipv6: 'ip6tables' };

export interface BridgeTarget {
  /** The bridge's interface name on the host, e.g. `br-0123456789ab`. */
  bridge: string;
  ipv6: boolean;
}

/**
 * The rules (arguments after `-A INPUT`), in chain order, for one bridge and run: drop
 * whatever is not a reply. IPv6 first lets neighbour discovery through, without which
 * the host could not send its replies to the container.
 */
export function inputRules(family: IpFamily, bridge: string, runId: string): string[][] {
  const tag = ['-m', 'comment', '--comment', ruleComment(runId)];
  const drop = ['-i', bridge, '-m', 'conntrack', '!', '--ctstate', 'ESTABLISHED,RELATED', ...tag, '-j', 'DROP'];
  if (family === 'ipv4') return [drop];
  const neighbour = (type: string) => ['-i', bridge, '-p', 'ipv6-icmp', '-m', 'icmp6', '--icmpv6-type', type, ...tag, '-j', 'ACCEPT'];
  return [neighbour('neighbour-solicitation'), neighbour('neighbour-advertisement'), drop];
}

export function ruleComment(runId: string): string {
  // The comment is matched back out of `iptables -S`: keep it one plain word.
  return `${RULE_COMMENT_PREFIX}${runId.replace(/[^\w.:-]/g, '_')}`;
}

export interface ListedRule {
  /** Arguments that delete the rule again (`-D INPUT ...`). */
  deleteArgs: string[];
  comment: string;
  bridge: string | undefined;
}

/** The grader's rules in the output of `iptables -S INPUT`. */
export function parseRules(listing: string): ListedRule[] {
  const rules: ListedRule[] = [];
  for (const line of listing.split('\n')) {
    if (!line.startsWith('-A INPUT ')) continue;
    // Our comments and interface names have no spaces; iptables quotes the comment.
    const args = line.trim().split(/\s+/).map((arg) => arg.replace(/^"(.*)"$/, '$1'));
    const comment = args[args.indexOf('--comment') + 1];
    if (!args.includes('--comment') || !comment?.startsWith(RULE_COMMENT_PREFIX)) continue;
    const iface = args.indexOf('-i');
    rules.push({ deleteArgs: ['-D', ...args.slice(1)], comment, bridge: iface === -1 ? undefined : args[iface + 1] });
  }
  return rules;
}

export class HostFirewall {
  private usable: Promise<string | undefined> | undefined;
  private warned = false;

  constructor(private readonly logger: Logger) {}

  /**
   * Drops new connections from the bridge to the host. Returns false, after a one-time
   * warning, when this process cannot (not root, not Linux, no iptables, another netns).
   */
  async isolate(target: BridgeTarget, runId: string): Promise<boolean> {
    const unusable = (await this.whyUnusable()) ?? (await interfaceMissing(target.bridge));
    if (unusable !== undefined) {
      this.warnOnce(unusable);
      return false;
    }
    await insertFirst('ipv4', inputRules('ipv4', target.bridge, runId));
    if (target.ipv6) {
      try {
        await insertFirst('ipv6', inputRules('ipv6', target.bridge, runId));
      } catch (err) {
        this.warnOnce(`ip6tables failed (${errorMessage(err)}), so IPv6 traffic to the host is not blocked`);
      }
    }
    return true;
  }

  /** Removes the rules of one run, in both families. */
  async removeRun(runId: string): Promise<void> {
    const comment = ruleComment(runId);
    await this.removeWhere((rule) => rule.comment === comment);
  }

  /** Removes grader rules whose bridge is gone (their network was removed): leftovers of crashed runs. */
  async removeOrphans(): Promise<number> {
    return this.removeWhere(async (rule) => rule.bridge !== undefined && (await interfaceMissing(rule.bridge)) !== undefined);
  }

  private async removeWhere(matches: (rule: ListedRule) => boolean | Promise<boolean>): Promise<number> {
    if ((await this.whyUnusable()) !== undefined) return 0;
    let removed = 0;
    for (const family of ['ipv4', 'ipv6'] as const) {
      const listing = await iptables(family, ['-S', 'INPUT']).catch(() => '');
      for (const rule of parseRules(listing)) {
        if (!(await matches(rule))) continue;
        await iptables(family, rule.deleteArgs).catch((err: unknown) => {
          // Gone already: another clean-up (the post step, a signal handler) got there first.
          if (!/does a matching rule exist|No chain\/target\/match|Bad rule/i.test(errorMessage(err))) throw err;
        });
        removed += 1;
      }
    }
    return removed;
  }

  /** Undefined when iptables can be used here; else why not. Asked once. */
  private whyUnusable(): Promise<string | undefined> {
    this.usable ??= checkUsable();
    return this.usable;
  }

  private warnOnce(reason: string): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(
      `Run-time isolation is reduced: ${reason}. The service cannot reach the internet, but it can still connect to ` +
        'services listening on this machine through its network gateway. Run the grader as root on Linux with iptables to close that.',
    );
  }
}

async function checkUsable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `the grader runs on ${process.platform}, not Linux`;
  if (process.getuid?.() !== 0) return 'the grader does not run as root, so it cannot add firewall rules';
  try {
    await iptables('ipv4', ['-S', 'INPUT']);
    return undefined;
  } catch (err) {
    return `iptables is not usable (${errorMessage(err)})`;
  }
}

/** The bridge lives in the engine's network namespace; if we cannot see it, rules here would protect nothing. */
async function interfaceMissing(bridge: string): Promise<string | undefined> {
  try {
    await access(`/sys/class/net/${bridge}`);
    return undefined;
  } catch {
    return `the network's bridge ${bridge} is not visible here (the engine runs in another network namespace or machine)`;
  }
}

/** Puts the rules at the head of INPUT, in the given order, ahead of any ACCEPT already there. */
async function insertFirst(family: IpFamily, rules: string[][]): Promise<void> {
  for (const [index, rule] of rules.entries()) await iptables(family, ['-I', 'INPUT', String(index + 1), ...rule]);
}

async function iptables(family: IpFamily, args: string[]): Promise<string> {
  const { stdout } = await run(TOOL[family], [...WAIT, ...args], {
    timeout: COMMAND_TIMEOUT_MS,
    env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
  });
  return stdout;
}

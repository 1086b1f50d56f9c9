/**
 * Closing the ways out that the engine's own networking leaves open.
 * - Run time: an `Internal` network's bridge gateway is the host itself, so a container
 *   could connect to anything listening on the runner (INPUT, not FORWARD, which the
 *   engine already blocks). Rules in the INPUT chain drop every packet from the run's
 *   bridge that is not a reply to a connection the host made.
 * - Build time: build steps run on the engine's default bridge and need the internet
 *   (package installs), but not the host or the networks around it. INPUT drops their
 *   new connections to the host; DOCKER-USER (the chain the engine leaves to the
 *   administrator, ahead of its own FORWARD rules) drops what they send to private,
 *   link-local and the host's own networks, except DNS to the resolvers containers use.
 *   These rules apply to every container on the default bridge while a build runs.
 * Each rule carries `--comment grader:<runId>[:build@<epoch s>]` so clean-up finds it again.
 */
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import { errorMessage } from '../../basics/errors.js';
import type { Logger } from '../../basics/logger.js';
import { isLoopback } from '../../basics/net.js';

const run = promisify(execFile);

export const RULE_COMMENT_PREFIX = 'grader:';
const COMMAND_TIMEOUT_MS = 10_000;
/** `-w`: wait for the xtables lock the engine itself takes while it edits its rules. */
const WAIT = ['-w', '5'];

export type IpFamily = 'ipv4' | 'ipv6';
const TOOL: Record<IpFamily, string> = { ipv4: 'iptables', ipv6: 'ip6tables' };
const SAVE_TOOL: Record<IpFamily, string> = { ipv4: 'iptables-save', ipv6: 'ip6tables-save' };
const RESTORE_TOOL: Record<IpFamily, string> = { ipv4: 'iptables-restore', ipv6: 'ip6tables-restore' };

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

/** Build rules outlive no bridge (the default bridge stays), so their comment carries their age for the sweep. */
export function buildRuleComment(runId: string, nowMs: number): string {
  return `${ruleComment(runId)}:build@${Math.floor(nowMs / 1000)}`;
}

/** Destinations a build step must not reach: private, shared (CGNAT) and link-local (cloud metadata) ranges. */
export const BUILD_BLOCKED_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

/** The chain the engine reserves for the administrator's FORWARD rules. */
export const FORWARD_CHAIN = 'DOCKER-USER';

export interface BuildNetworkPlan {
  /** The default bridge's interface, e.g. `docker0`. */
  bridge: string;
  /** IPv4 networks to block besides BUILD_BLOCKED_NETWORKS: the host's own. */
  localNetworks: string[];
  /** IPv4 resolvers containers are given (the host's resolv.conf); DNS to them stays open. */
  resolvers: string[];
  /** Which of the resolvers are addresses of this host. */
  hostResolvers: string[];
}

/** The rules, in chain order, that confine builds on the default bridge. */
export function buildRules(plan: BuildNetworkPlan, comment: string): { input: string[][]; forward: string[][] } {
  const tag = ['-m', 'comment', '--comment', comment];
  const dns = (address: string, target: string) =>
    ['udp', 'tcp'].map((protocol) => ['-i', plan.bridge, '-d', `${address}/32`, '-p', protocol, '--dport', '53', ...tag, '-j', target]);
  const input = [
    ...plan.hostResolvers.flatMap((address) => dns(address, 'ACCEPT')),
    ['-i', plan.bridge, '-m', 'conntrack', '!', '--ctstate', 'ESTABLISHED,RELATED', ...tag, '-j', 'DROP'],
  ];
  const blocked = [...new Set([...BUILD_BLOCKED_NETWORKS, ...plan.localNetworks])];
  const forward = [
    ...plan.resolvers.flatMap((address) => dns(address, 'RETURN')),
    // Traffic that stays on the bridge is not the host's or the local network's: left alone.
    ...blocked.map((network) => ['-i', plan.bridge, '!', '-o', plan.bridge, '-d', network, ...tag, '-j', 'DROP']),
  ];
  return { input, forward };
}

/** The host's IPv4 networks (CIDR), other than loopback and the bridge itself. */
export function hostNetworks(bridge: string, interfaces = os.networkInterfaces()): { networks: string[]; addresses: string[] } {
  const networks: string[] = [];
  const addresses: string[] = [];
  for (const [name, entries] of Object.entries(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family !== 'IPv4' || entry.internal) continue;
      addresses.push(entry.address);
      if (name !== bridge && entry.cidr) networks.push(networkOf(entry.cidr));
    }
  }
  return { networks, addresses };
}

/** `192.0.2.2/24` → `192.0.2.0/24`. */
export function networkOf(cidr: string): string {
  const [address = '', bits = '32'] = cidr.split('/');
  const prefix = Number(bits);
  const value = address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const base = (value & mask) >>> 0;
  return `${[24, 16, 8, 0].map((shift) => (base >>> shift) & 255).join('.')}/${prefix}`;
}

/** IPv4 nameservers of a resolv.conf text. */
export function resolversOf(resolvConf: string): string[] {
  return [...resolvConf.matchAll(/^\s*nameserver\s+(\d{1,3}(?:\.\d{1,3}){3})\s*$/gm)].map((m) => m[1]!);
}

export interface ListedRule {
  /** Arguments that delete the rule again (`-D INPUT ...`). */
  deleteArgs: string[];
  comment: string;
  bridge: string | undefined;
}

/** The grader's rules in the output of `iptables -S <chain>` (INPUT or DOCKER-USER). */
export function parseRules(listing: string): ListedRule[] {
  const rules: ListedRule[] = [];
  for (const line of listing.split('\n')) {
    if (!line.startsWith('-A INPUT ') && !line.startsWith(`-A ${FORWARD_CHAIN} `)) continue;
    // Our comments and interface names have no spaces; iptables quotes the comment.
    const args = line
      .trim()
      .split(/\s+/)
      .map((arg) => arg.replace(/^"(.*)"$/, '$1'));
    const comment = args[args.indexOf('--comment') + 1];
    if (!args.includes('--comment') || !comment?.startsWith(RULE_COMMENT_PREFIX)) continue;
    const iface = args.indexOf('-i');
    rules.push({ deleteArgs: ['-D', ...args.slice(1)], comment, bridge: iface === -1 ? undefined : args[iface + 1] });
  }
  return rules;
}

export class HostFirewall {
  private state: Promise<IptablesState> | undefined;
  /** Listings under way, by family. */
  private readonly listings = new Map<IpFamily, Promise<ListedRule[]>>();
  private warned = false;
  private warnedBuilds = false;

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
    await applyChanges('ipv4', insertsFirst('INPUT', inputRules('ipv4', target.bridge, runId)));
    if (target.ipv6) {
      try {
        await applyChanges('ipv6', insertsFirst('INPUT', inputRules('ipv6', target.bridge, runId)));
      } catch (err) {
        this.warnOnce(`ip6tables failed (${errorMessage(err)}), so IPv6 traffic to the host is not blocked`);
      }
    }
    return true;
  }

  /** Asks now, while the engine is being reached, what the first isolation will need to know. */
  warmUp(): void {
    void this.iptablesState();
  }

  /**
   * Confines the run's builds on the default bridge `bridge` (see the module comment).
   * Returns false, after a one-time warning, when this process cannot.
   */
  async isolateBuilds(bridge: string, runId: string): Promise<boolean> {
    const state = await this.iptablesState();
    const unusable = state.unusable ?? (await interfaceMissing(bridge)) ?? state.forwardChainMissing;
    if (unusable !== undefined) {
      this.warnBuildsOnce(unusable);
      return false;
    }
    const plan = await buildNetworkPlan(bridge);
    const rules = buildRules(plan, buildRuleComment(runId, Date.now()));
    await applyChanges('ipv4', [...insertsFirst('INPUT', rules.input), ...insertsFirst(FORWARD_CHAIN, rules.forward)]);
    return true;
  }

  /**
   * Removes the rules of one run, in both families: they are listed at once, and deleted
   * once `after` has settled (the run's containers are gone, so nothing needs the rules).
   */
  async removeRun(runId: string, after: Promise<unknown> = Promise.resolve()): Promise<void> {
    const comment = ruleComment(runId);
    await this.removeWhere((rule) => rule.comment === comment || rule.comment.startsWith(`${comment}:`), after);
  }

  /**
   * Removes leftovers of crashed runs: rules whose bridge is gone (their network was
   * removed), and build rules older than `olderThanMs`.
   */
  async removeOrphans(olderThanMs: number, now = Date.now()): Promise<number> {
    return this.removeWhere(async (rule) => {
      const built = /:build@(\d+)$/.exec(rule.comment);
      if (built) return Number(built[1]) * 1000 < now - olderThanMs;
      return rule.bridge !== undefined && (await interfaceMissing(rule.bridge)) !== undefined;
    });
  }

  /** Both families are listed at once; each family's matches go in one change, once `after` has settled. */
  private async removeWhere(
    matches: (rule: ListedRule) => boolean | Promise<boolean>,
    after: Promise<unknown> = Promise.resolve(),
  ): Promise<number> {
    if ((await this.whyUnusable()) !== undefined) return 0;
    const removed = await Promise.all(
      (['ipv4', 'ipv6'] as const).map(async (family) => {
        const rules = await this.listing(family);
        const picked = await Promise.all(rules.map(matches));
        const doomed = rules.filter((_, index) => picked[index]);
        await after.catch(() => {});
        await applyChanges(
          family,
          doomed.map((rule) => rule.deleteArgs),
          // Gone already: another clean-up (the post step, a signal handler) got there first.
          (err) => /does a matching rule exist|No chain\/target\/match|Bad rule/i.test(errorMessage(err)),
        );
        return doomed.length;
      }),
    );
    return removed.reduce((sum, count) => sum + count, 0);
  }

  /** The family's rules; removals that start together (a run's clean-up and a sweep) share one listing. */
  private listing(family: IpFamily): Promise<ListedRule[]> {
    let listing = this.listings.get(family);
    if (listing === undefined) {
      listing = listRules(family);
      this.listings.set(family, listing);
      const forget = () => this.listings.delete(family);
      listing.then(forget, forget);
    }
    return listing;
  }

  /** Undefined when iptables can be used here; else why not. */
  private async whyUnusable(): Promise<string | undefined> {
    return (await this.iptablesState()).unusable;
  }

  /** Asked once. */
  private iptablesState(): Promise<IptablesState> {
    this.state ??= askIptables();
    return this.state;
  }

  private warnBuildsOnce(reason: string): void {
    if (this.warnedBuilds) return;
    this.warnedBuilds = true;
    this.logger.warn(
      `Build-time isolation is reduced: ${reason}. Build steps can connect to services on this machine and its local ` +
        'network. Run the grader as root on Linux with iptables, on an engine that manages its iptables rules, to close that.',
    );
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

interface IptablesState {
  /** Why iptables cannot be used here, if it cannot. */
  unusable?: string;
  /** Why builds cannot be confined though iptables works: the engine's DOCKER-USER chain is missing. */
  forwardChainMissing?: string;
}

/** Where the engine manages iptables, one command answers both questions; a second tells a missing chain from no iptables. */
async function askIptables(): Promise<IptablesState> {
  if (process.platform !== 'linux') return { unusable: `the grader runs on ${process.platform}, not Linux` };
  if (process.getuid?.() !== 0) return { unusable: 'the grader does not run as root, so it cannot add firewall rules' };
  try {
    await iptables('ipv4', ['-S', FORWARD_CHAIN]);
    return {};
  } catch {
    // No such chain, or no usable iptables at all.
  }
  try {
    await iptables('ipv4', ['-S', 'INPUT']);
    return { forwardChainMissing: `the ${FORWARD_CHAIN} chain does not exist (the engine does not manage iptables here)` };
  } catch (err) {
    return { unusable: `iptables is not usable (${errorMessage(err)})` };
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

/** The changes that put the rules at the head of a chain, in the given order, ahead of any ACCEPT already there. */
function insertsFirst(chain: string, rules: string[][]): string[][] {
  return rules.map((rule, index) => ['-I', chain, String(index + 1), ...rule]);
}

/**
 * Makes the changes (`-I …`/`-D …` arguments) to the filter table: all at once with
 * `iptables-restore --noflush`, one process and one atomic commit. Where that fails (no
 * restore tool, or a rule to delete is gone already), one command each, in order; a
 * failure `tolerated` accepts is skipped.
 */
async function applyChanges(family: IpFamily, changes: string[][], tolerated: (err: unknown) => boolean = () => false): Promise<void> {
  if (changes.length === 0) return;
  // restore reads words split at white space: arguments holding any are only passed one command at a time.
  if (changes.length > 1 && changes.every((args) => args.every((arg) => /^[^\s"'\\#]+$/.test(arg)))) {
    const lines = ['*filter', ...changes.map((args) => args.join(' ')), 'COMMIT', ''].join('\n');
    if (
      await restore(family, lines).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  for (const args of changes) {
    await iptables(family, args).catch((err: unknown) => {
      if (!tolerated(err)) throw err;
    });
  }
}

/** Resolver files the engine copies into containers: systemd-resolved's upstream list when the host uses its stub. */
const RESOLV_CONF_FILES = ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf'];

async function buildNetworkPlan(bridge: string): Promise<BuildNetworkPlan> {
  const { networks, addresses } = hostNetworks(bridge);
  const texts = await Promise.all(RESOLV_CONF_FILES.map((file) => readFile(file, 'utf8').catch(() => '')));
  const resolvers = [...new Set(texts.flatMap(resolversOf))].filter((address) => !isLoopback(address));
  return { bridge, localNetworks: networks, resolvers, hostResolvers: resolvers.filter((address) => addresses.includes(address)) };
}

/** The tools' usual home is sbin, which a non-login PATH may lack. */
const toolOptions = () => ({ timeout: COMMAND_TIMEOUT_MS, env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } });

/** The grader's rules of the family, in INPUT and DOCKER-USER: one `iptables-save`, or `-S` of each chain where that fails. */
async function listRules(family: IpFamily): Promise<ListedRule[]> {
  const saved = await run(SAVE_TOOL[family], ['-t', 'filter'], toolOptions()).then(
    ({ stdout }) => stdout,
    () => undefined,
  );
  const listing =
    saved ?? (await Promise.all(['INPUT', FORWARD_CHAIN].map((chain) => iptables(family, ['-S', chain]).catch(() => '')))).join('\n');
  return parseRules(listing);
}

function restore(family: IpFamily, rules: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(RESTORE_TOOL[family], [...WAIT, '--noflush'], toolOptions(), (err) => (err ? reject(err) : resolve()));
    // The error, if the tool is missing or quits early, is the callback's; a broken pipe adds nothing.
    child.stdin?.on('error', () => {});
    child.stdin?.end(rules);
  });
}

async function iptables(family: IpFamily, args: string[]): Promise<string> {
  const { stdout } = await run(TOOL[family], [...WAIT, ...args], toolOptions());
  return stdout;
}

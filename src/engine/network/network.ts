/**
 * Per-service networks. An `Internal` bridge has no way out of the machine (the engine
 * drops forwarded traffic) while the host can still reach the containers on it.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';

export interface RunNetwork {
  name: string;
  id: string;
}

/** The engine's default name for a user-defined bridge's interface, unless the network names its own. */
export const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

/** The host interface of a bridge network and whether it carries IPv6. */
export async function bridgeOf(docker: Dockerode, network: RunNetwork): Promise<{ bridge: string; ipv6: boolean }> {
  const info = (await docker.getNetwork(network.id).inspect()) as { Options?: Record<string, string>; EnableIPv6?: boolean };
  return { bridge: info.Options?.[BRIDGE_NAME_OPTION] || `br-${network.id.slice(0, 12)}`, ipv6: info.EnableIPv6 === true };
}

export async function createRunNetwork(
  docker: Dockerode,
  options: { internal: boolean; labels: Record<string, string> },
): Promise<RunNetwork> {
  const name = `grader-${randomBytes(6).toString('hex')}`;
  const network = await docker.createNetwork({
    Name: name,
    Driver: 'bridge',
    Internal: options.internal,
    CheckDuplicate: true,
    Labels: options.labels,
  });
  return { name, id: network.id };
}

/** The container's IP address on the named network, or undefined when it has none (yet). */
export function addressOnNetwork(info: Dockerode.ContainerInspectInfo, network: string): string | undefined {
  const address = info.NetworkSettings.Networks[network]?.IPAddress;
  return address ? address : undefined;
}

/** The host port the engine published `containerPort/tcp` on, if any. */
export function publishedPort(info: Dockerode.ContainerInspectInfo, containerPort: number): number | undefined {
  const bindings = (info.NetworkSettings.Ports as Record<string, { HostIp: string; HostPort: string }[] | null>)[`${containerPort}/tcp`];
  const port = Number(bindings?.[0]?.HostPort);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Port bindings on 127.0.0.1 with ports the engine picks, for hosts that cannot route to containers. */
export function loopbackPortBindings(ports: number[]): Record<string, { HostIp: string; HostPort: string }[]> {
  return Object.fromEntries(ports.map((port) => [`${port}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]]));
}

export function exposedPorts(ports: number[]): Record<string, Record<string, never>> {
  return Object.fromEntries(ports.map((port) => [`${port}/tcp`, {}]));
}

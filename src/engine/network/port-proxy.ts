/**
 * Reaching a service on an internal network from a host that cannot route to container
 * addresses (Docker Desktop). Publishing the service's own ports would need a network
 * with a route out; instead a small trusted proxy container sits on the internal network
 * and on a normal bridge, publishes the ports on 127.0.0.1 and forwards each connection
 * to the service, and only to it (BusyBox: `nc -ll -p PORT -e nc SERVICE_IP PORT`).
 */
import type Dockerode from 'dockerode';
import { isDaemonStatus } from '../engine-errors.js';
import { createRunNetwork, exposedPorts, loopbackPortBindings, publishedPort } from './network.js';
import type { RunNetwork } from './network.js';
import { sandboxHostConfig } from '../container/sandbox-config.js';

/** Local images tried first, then the one pulled where a registry answers. */
const LOCAL_CANDIDATES = ['busybox:1.36', 'busybox:1.35', 'busybox:latest'];
const PULLED = 'busybox:1.36';
const PULL_TIMEOUT_MS = 60_000;
/** One process per open connection: plenty for a grader's probes. */
const PROXY_LIMITS = { memoryBytes: 64 * 1024 ** 2, cpus: 0.5, pids: 128, network: 'internet' } as const;

/** A BusyBox image with `nc -e`, local or pulled; undefined when there is none. */
export async function findProxyImage(docker: Dockerode): Promise<string | undefined> {
  for (const image of LOCAL_CANDIDATES) {
    try {
      await docker.getImage(image).inspect();
      return image;
    } catch (err) {
      if (!isDaemonStatus(err, 404)) throw err;
    }
  }
  return (await pull(docker, PULLED)) ? PULLED : undefined;
}

async function pull(docker: Dockerode, image: string): Promise<boolean> {
  const abort = AbortSignal.timeout(PULL_TIMEOUT_MS);
  try {
    const stream = (await docker.pull(image, { abortSignal: abort })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
    });
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

/** The proxy's shell script: one persistent `nc` listener per port, each forwarding to the service. */
export function proxyScript(target: string, ports: number[]): string {
  if (!/^[0-9a-fA-F.:]+$/.test(target)) throw new Error(`not an IP address: ${target}`);
  const listeners = ports.map((port) => `nc -ll -p ${port} -e nc ${target} ${port} &`);
  return [...listeners, 'wait'].join('\n');
}

export interface PortProxy {
  /** Where the grader connects for `containerPort`, on 127.0.0.1. */
  hostPort(containerPort: number): number | undefined;
}

export async function startPortProxy(
  docker: Dockerode,
  options: { image: string; internal: RunNetwork; target: string; ports: number[]; labels: Record<string, string> },
): Promise<PortProxy> {
  const published = await createRunNetwork(docker, { internal: false, labels: options.labels });
  const container = await docker.createContainer({
    Image: options.image,
    Entrypoint: ['sh', '-c'],
    Cmd: [proxyScript(options.target, options.ports)],
    Labels: options.labels,
    ExposedPorts: exposedPorts(options.ports),
    HostConfig: {
      ...sandboxHostConfig(PROXY_LIMITS),
      NetworkMode: published.name,
      PortBindings: loopbackPortBindings(options.ports),
    },
  });
  await docker.getNetwork(options.internal.id).connect({ Container: container.id });
  await container.start();
  const info = await container.inspect();
  const ports = new Map(options.ports.map((port) => [port, publishedPort(info, port)]));
  return { hostPort: (containerPort) => ports.get(containerPort) };
}

/**
 * Removing what the grader created, found by its labels: containers first (they hold
 * networks, volumes and images), then networks, volumes and images. Resources already
 * gone are fine; any other failure is reported after everything else was tried.
 */
import type Dockerode from 'dockerode';
import { errorMessage } from '../basics/errors.js';
import { isDaemonStatus, isEngineGone } from './engine-errors.js';
import { CREATED_LABEL, RUN_LABEL } from './engine.js';
import type { HostFirewall } from './network/host-firewall.js';

interface Labelled {
  kind: 'container' | 'network' | 'volume' | 'image';
  id: string;
  labels: Record<string, string>;
}

type Filter = { label: string[] };

/** Removes the run's resources, then its host firewall rules (once its networks are gone, nothing needs them). */
export async function cleanupRun(docker: Dockerode, runId: string, firewall?: HostFirewall): Promise<void> {
  try {
    await removeAll(docker, await listLabelled(docker, { label: [`${RUN_LABEL}=${runId}`] }));
  } finally {
    await firewall?.removeRun(runId);
  }
}

/** Removes grader-labelled resources created more than `olderThanMs` ago, and rules of bridges now gone; returns how many resources. */
export async function sweepStale(docker: Dockerode, olderThanMs: number, firewall?: HostFirewall, now = Date.now()): Promise<number> {
  const all = await listLabelled(docker, { label: [CREATED_LABEL] });
  const stale = all.filter((resource) => {
    const created = Date.parse(resource.labels[CREATED_LABEL] ?? '');
    return Number.isFinite(created) && created < now - olderThanMs;
  });
  try {
    await removeAll(docker, stale);
  } finally {
    await firewall?.removeOrphans(olderThanMs, now);
  }
  return stale.length;
}

async function listLabelled(docker: Dockerode, filters: Filter): Promise<Labelled[]> {
  const [containers, networks, volumes, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
    docker.listImages({ filters }),
  ]);
  return [
    ...containers.map((c) => ({ kind: 'container' as const, id: c.Id, labels: c.Labels ?? {} })),
    ...networks.map((n) => ({ kind: 'network' as const, id: n.Id, labels: n.Labels ?? {} })),
    ...(volumes.Volumes ?? []).map((v) => ({ kind: 'volume' as const, id: v.Name, labels: v.Labels ?? {} })),
    ...images.map((i) => ({ kind: 'image' as const, id: i.Id, labels: i.Labels ?? {} })),
  ];
}

const ORDER: Labelled['kind'][] = ['container', 'network', 'volume', 'image'];

async function removeAll(docker: Dockerode, resources: Labelled[]): Promise<void> {
  const failures: string[] = [];
  for (const kind of ORDER) {
    const results = await Promise.allSettled(resources.filter((r) => r.kind === kind).map((r) => remove(docker, r)));
    for (const result of results) {
      if (result.status === 'rejected') {
        if (isEngineGone(result.reason)) throw result.reason;
        failures.push(errorMessage(result.reason));
      }
    }
  }
  if (failures.length > 0) throw new Error(`could not remove ${failures.length} leftover(s): ${failures.join('; ')}`);
}

async function remove(docker: Dockerode, resource: Labelled): Promise<void> {
  try {
    switch (resource.kind) {
      case 'container':
        return await docker.getContainer(resource.id).remove({ force: true, v: true });
      case 'network':
        return await docker.getNetwork(resource.id).remove();
      case 'volume':
        return await docker.getVolume(resource.id).remove();
      case 'image':
        return await docker.getImage(resource.id).remove({ force: true });
    }
  } catch (err) {
    // 404: already gone; 409 on a container: its removal is already in progress.
    if (isDaemonStatus(err, 404)) return;
    if (isEngineGone(err)) throw err;
    if (resource.kind === 'container' && isDaemonStatus(err, 409)) return;
    throw new Error(`${resource.kind} ${resource.id.slice(0, 12)}: ${errorMessage(err)}`, { cause: err });
  }
}

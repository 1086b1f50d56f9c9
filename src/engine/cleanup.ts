/**
 * Removing what the grader created, found by its labels. Everything that can go at once
 * does: containers and networks together (the containers cut off from the networks
 * first), then volumes and images, which containers hold; the host firewall rules once
 * the containers are gone. Resources already gone are fine; any other failure is reported
 * after everything else was tried.
 */
import type Dockerode from 'dockerode';
import { errorMessage } from '../basics/errors.js';
import { isDaemonStatus, isEngineGone } from './engine-errors.js';
import { CREATED_LABEL, RUN_LABEL } from './engine.js';
import type { HostFirewall } from './network/host-firewall.js';

type Kind = 'container' | 'network' | 'volume' | 'image';

interface Labelled {
  kind: Kind;
  id: string;
  labels: Record<string, string>;
  /** A container's networks, by id. */
  networks?: string[];
}

type Filter = { label: string[] };

/** Which resources of a listing to remove. */
type Pick = (resource: Labelled) => boolean;

export interface CleanupSteps {
  /** The run's host firewall rules: listed at once, removed once the containers are gone (nothing else needs them). */
  firewall?: HostFirewall;
  /** Runs alongside the removals, needing none of them (e.g. pruning the run's build cache mounts). */
  alongside?: () => Promise<void>;
  /** Runs once the run's images are gone (e.g. pruning the build cache, whose layers they held). */
  afterImages?: () => Promise<void>;
}

/** Removes the run's resources and its host firewall rules. */
export async function cleanupRun(docker: Dockerode, runId: string, steps: CleanupSteps = {}): Promise<void> {
  const listed = listLabelled(docker, { label: [`${RUN_LABEL}=${runId}`] });
  await removeAll(docker, listed, () => true, {
    ...(steps.firewall ? { firewall: (containersGone) => steps.firewall!.removeRun(runId, containersGone) } : {}),
    ...(steps.alongside ? { alongside: steps.alongside } : {}),
    ...(steps.afterImages ? { afterImages: steps.afterImages } : {}),
  });
}

/**
 * Removes grader-labelled resources created more than `olderThanMs` ago, and firewall rules
 * of bridges now gone; returns how many resources. The rules are looked at while the
 * engine lists, and again only if a network was removed (its rules are orphans now).
 */
export async function sweepStale(docker: Dockerode, olderThanMs: number, firewall?: HostFirewall, now = Date.now()): Promise<number> {
  const stale: Pick = (resource) => {
    const created = Date.parse(resource.labels[CREATED_LABEL] ?? '');
    return Number.isFinite(created) && created < now - olderThanMs;
  };
  const listed = listLabelled(docker, { label: [CREATED_LABEL] });
  const orphanRules = firewall?.removeOrphans(olderThanMs, now);
  orphanRules?.catch(() => {});
  let removed: Labelled[] = [];
  try {
    removed = await removeAll(docker, listed, stale, {});
  } finally {
    await orphanRules;
    if (removed.some((resource) => resource.kind === 'network')) await firewall?.removeOrphans(olderThanMs, now);
  }
  return removed.length;
}

/** Each kind's listing, as its own promise: removal starts on what has been listed. */
type Listing = Record<Kind, Promise<Labelled[]>>;

function listLabelled(docker: Dockerode, filters: Filter): Listing {
  const listing: Listing = {
    container: docker.listContainers({ all: true, filters }).then((list) =>
      list.map((c) => ({
        kind: 'container',
        id: c.Id,
        labels: c.Labels ?? {},
        networks: Object.values(c.NetworkSettings?.Networks ?? {}).map((n) => n.NetworkID),
      })),
    ),
    network: docker.listNetworks({ filters }).then((list) => list.map((n) => ({ kind: 'network', id: n.Id, labels: n.Labels ?? {} }))),
    volume: docker
      .listVolumes({ filters })
      .then((list) => (list.Volumes ?? []).map((v) => ({ kind: 'volume', id: v.Name, labels: v.Labels ?? {} }))),
    image: docker.listImages({ filters }).then((list) => list.map((i) => ({ kind: 'image', id: i.Id, labels: i.Labels ?? {} }))),
  };
  // Each is awaited below, possibly after another has failed: none may go unhandled meanwhile.
  for (const list of Object.values(listing)) list.catch(() => {});
  return listing;
}

/**
 * Removes the picked resources of `listing`. The containers are cut off from the networks
 * being removed first: then containers and networks go at once (the engine would otherwise
 * remove a network only after its containers, one slow step after the other); volumes,
 * images and the `afterImages` step follow the containers. The firewall step starts at once
 * and is told when the containers are gone; the `alongside` step starts at once too. Returns
 * what was removed. Throws the engine's disappearance as it is, and every other failure
 * together at the end.
 */
async function removeAll(
  docker: Dockerode,
  listing: Listing,
  pick: Pick,
  steps: {
    firewall?: (containersGone: Promise<unknown>) => Promise<unknown>;
    alongside?: () => Promise<void>;
    afterImages?: () => Promise<void>;
  },
): Promise<Labelled[]> {
  const failures: string[] = [];
  const removed: Labelled[] = [];
  /** Keeps a failure for the end; the engine's disappearance ends everything at once. */
  const note = (err: unknown): void => {
    if (isEngineGone(err)) throw err;
    failures.push(errorMessage(err));
  };
  const settle = async (work: Promise<unknown>[]): Promise<void> => {
    for (const result of await Promise.allSettled(work)) if (result.status === 'rejected') note(result.reason);
  };
  const picked = (kind: Kind): Promise<Labelled[]> =>
    listing[kind].then(
      (resources) => resources.filter(pick),
      (err: unknown) => {
        note(err);
        return [];
      },
    );
  const removeOne = async (resource: Labelled): Promise<void> => {
    await remove(docker, resource);
    removed.push(resource);
  };
  const quietly = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => {}); // awaited below; not unhandled meanwhile
    return promise;
  };

  const containers = picked('container');
  const networks = picked('network');
  const cutOff = quietly(Promise.all([containers, networks]).then(([c, n]) => disconnect(docker, c, n)));
  const containersGone = quietly(cutOff.then(async () => settle((await containers).map(removeOne))));
  // Even when the engine is gone: the host's own rules can still go.
  const rules = steps.firewall ? quietly(steps.firewall(containersGone.catch(() => {}))) : undefined;
  const alongside = steps.alongside ? quietly(steps.alongside()) : undefined;
  const networksGone = quietly(
    cutOff.then(async () =>
      settle(
        (await networks).map((network) =>
          removeOne(network).catch(async (err: unknown) => {
            if (isEngineGone(err)) throw err;
            // Still in use by something that was not cut off: it goes once the containers have.
            await containersGone.catch(() => {});
            await removeOne(network);
          }),
        ),
      ),
    ),
  );
  try {
    await containersGone;
  } catch (err) {
    await Promise.allSettled([rules, alongside]);
    throw err;
  }
  await settle([
    networksGone,
    picked('volume').then((volumes) => settle(volumes.map(removeOne))),
    picked('image')
      .then((images) => settle(images.map(removeOne)))
      .finally(() => steps.afterImages?.()),
    ...(rules ? [rules] : []),
    ...(alongside ? [alongside] : []),
  ]);
  if (failures.length > 0) throw new Error(`could not remove ${failures.length} leftover(s): ${failures.join('; ')}`);
  return removed;
}

/** Disconnects the containers from those of the networks they are on; a failure only means the network waits for them. */
async function disconnect(docker: Dockerode, containers: Labelled[], networks: Labelled[]): Promise<void> {
  const doomed = new Set(networks.map((network) => network.id));
  await Promise.allSettled(
    containers.flatMap((container) =>
      (container.networks ?? [])
        .filter((id) => doomed.has(id))
        .map((id) => docker.getNetwork(id).disconnect({ Container: container.id, Force: true })),
    ),
  );
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

/**
 * What builds leave in BuildKit's cache. Each run's cache mounts have ids of their own
 * (build-cache-mounts.ts), so once a run is over nobody can use them again; but the
 * engine's records do not say which run made them, and a mount that another run is
 * still building with is only marked in use while a step runs. So at a run's clean-up,
 * unused cache mounts are pruned at once when no other build is under way here, and
 * otherwise once they have been idle longer than a build step may run.
 * Layers stay, since the next submissions build on the same bases, but the whole cache
 * is held to a budget, least recently used first: base layers, which every build uses,
 * are the last to go.
 */
import type Dockerode from 'dockerode';
import { postToEngine } from '../engine-request.js';

export interface BuildCachePolicy {
  /** Bound on the whole build cache. */
  budgetBytes: number;
  /** Cache mounts idle this long belong to runs that are over. */
  cacheMountIdleMs: number;
}

export const DEFAULT_BUILD_CACHE_POLICY: BuildCachePolicy = { budgetBytes: 2 * 1024 ** 3, cacheMountIdleMs: 60 * 60 * 1000 };

const PRUNE_TIMEOUT_MS = 30_000;

/**
 * Removes the cache mounts of runs that are over. Cache mounts are held by no image, so
 * this need not wait for the run's image to go. `othersBuilding`: another build is under
 * way on this engine, whose cache mounts may sit unused between its steps.
 */
export async function pruneCacheMounts(docker: Dockerode, policy: BuildCachePolicy, othersBuilding: boolean): Promise<void> {
  const filters: Record<string, string[]> = { type: ['exec.cachemount'] };
  if (othersBuilding) filters.until = [`${Math.max(1, Math.round(policy.cacheMountIdleMs))}ms`];
  await postToEngine(docker, '/build/prune', { all: true, filters: JSON.stringify(filters) }, PRUNE_TIMEOUT_MS);
}

/** Holds the whole build cache to its budget: after the run's image is gone, so that its layers count as unused. */
export async function pruneToBudget(docker: Dockerode, policy: BuildCachePolicy): Promise<void> {
  await postToEngine(docker, '/build/prune', { 'keep-storage': policy.budgetBytes }, PRUNE_TIMEOUT_MS);
}

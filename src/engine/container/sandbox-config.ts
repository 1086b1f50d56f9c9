/**
 * The container settings every student container gets: resource limits, no privileges,
 * no host mounts or namespaces, logs capped at the engine, no health check of the
 * image's (unless readiness waits for it), and its VOLUME paths as size-bounded tmpfs
 * mounts.
 */
import path from 'node:path';
import type Dockerode from 'dockerode';
import type { RuntimeLimits } from '../engine.js';

/**
 * Added back after dropping ALL, because official nginx/httpd images (common submissions)
 * start as root and hand work to an unprivileged user: CHOWN for their cache/log dirs,
 * SETUID/SETGID to switch to the worker user, NET_BIND_SERVICE for ports 80/443 (older
 * engines do not lower ip_unprivileged_port_start), KILL so the root master can signal
 * its workers (now another uid) on stop. KILL reaches only the container's own PID
 * namespace. Not DAC_OVERRIDE/FOWNER: no common server needs them, and they would let
 * root ignore file permissions.
 */
export const CAPABILITIES_KEPT = ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE', 'KILL'] as const;

/** The engine's own copy of the logs (json-file) is capped too, so a log flood cannot fill the disk. */
const ENGINE_LOG_MAX_SIZE = '10m';

export function sandboxHostConfig(limits: RuntimeLimits): Dockerode.HostConfig {
  return {
    Memory: limits.memoryBytes,
    // equal to Memory: no swap on top of the limit
    MemorySwap: limits.memoryBytes,
    NanoCpus: Math.round(limits.cpus * 1e9),
    PidsLimit: limits.pids,
    CapDrop: ['ALL'],
    CapAdd: [...CAPABILITIES_KEPT],
    SecurityOpt: ['no-new-privileges'],
    Privileged: false,
    Binds: [],
    Mounts: [],
    IpcMode: 'private',
    PidMode: '',
    LogConfig: { Type: 'json-file', Config: { 'max-size': ENGINE_LOG_MAX_SIZE, 'max-file': '1' } },
  };
}

/**
 * The image's HEALTHCHECK, switched off: the engine would run it in the container at the
 * image's interval (as often as once a millisecond), costing the host CPU. Readiness is
 * the grader's own polling.
 */
export const DISABLED_HEALTHCHECK: Dockerode.HealthConfig = { Test: ['NONE'] };

/**
 * The image's HEALTHCHECK as it runs when the rubric waits for it: its own test, timeout
 * and retries (the engine fills in what is left unset), but every second, whatever the
 * image asks: often enough to see "healthy" soon, never so often that it costs the host.
 */
export const GRADING_HEALTHCHECK: Dockerode.HealthConfig = { Interval: 1e9 };

/** A VOLUME path of the image, with the owner and mode its directory has there (undefined: no such directory). */
export interface VolumeDir {
  path: string;
  owner?: { uid: number; gid: number; mode: number };
}

/** Room past the disk limit on each bounded mount, so a writer that fills it is seen over the limit and killed as such. */
export const OVER_LIMIT_ROOM_BYTES = 1024 ** 2;

/** The VOLUME paths an image declares that can be mounted over: absolute, not `/`, each once. */
export function mountableVolumes(volumes: readonly string[]): string[] {
  const paths = volumes.filter((v) => v.startsWith('/')).map((v) => path.posix.normalize(v).replace(/(.)\/+$/, '$1'));
  return [...new Set(paths)].filter((v) => v !== '/');
}

/**
 * A tmpfs of `sizeBytes` over each VOLUME path, owned as the image's directory is (as the
 * anonymous volume the engine would otherwise create would be, minus its content), so
 * that nothing is written outside the container's measured layer and no volume is left
 * behind. Its pages count toward the container's memory limit too.
 */
export function volumeTmpfs(volumes: readonly VolumeDir[], sizeBytes: number): Record<string, string> {
  const mounts: Record<string, string> = {};
  for (const { path: target, owner } of volumes) {
    const { uid, gid, mode } = owner ?? { uid: 0, gid: 0, mode: 0o755 };
    // Numbers only: nothing of the image's reaches the option string. `exec` as on a volume.
    mounts[target] = `size=${sizeBytes},uid=${uid},gid=${gid},mode=${mode.toString(8).padStart(4, '0')},exec`;
  }
  return mounts;
}

/** Only the variables given: the grader's own environment (its token) never reaches a container. */
export function containerEnv(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

/**
 * The container settings every student container gets (docs: /work/shared/sandbox.md):
 * resource limits, no privileges, no host mounts or namespaces, logs capped at the engine.
 */
import type Dockerode from 'dockerode';
import type { RuntimeLimits } from './engine.js';

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

/** Only the variables given: the grader's own environment (its token) never reaches a container. */
export function containerEnv(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

/**
 * The container settings every student container gets (docs: /work/shared/sandbox.md):
 * resource limits, no privileges, no host mounts or namespaces, logs capped at the engine.
 */
import type Dockerode from 'dockerode';
import type { RuntimeLimits } from './engine.js';

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

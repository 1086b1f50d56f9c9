/**
 * Whether a container ran into its pids limit. A fork bomb under PidsLimit does not die:
 * its forks fail and it carries on, so the exit says nothing. The kernel counts the
 * refused forks in the cgroup's `pids.events` (`max N`), found through the container's
 * main process (`/proc/<pid>/cgroup`, cgroup v1 or v2). Where that cannot be read (the
 * engine runs in a VM, the cgroup is gone) the output is scanned for the shells' message.
 */
import { readFile } from 'node:fs/promises';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Where the container's `pids.events` lives, from the text of `/proc/<pid>/cgroup`. */
export function pidsEventsPath(procCgroup: string): string | undefined {
  const lines = procCgroup.split('\n').map((line) => line.split(':'));
  // v1: `8:pids:/docker/<id>`; v2 (unified, and only then): `0::/system.slice/docker-<id>.scope`
  const v1 = lines.find(([, controllers]) => controllers?.split(',').includes('pids'));
  if (v1) return `${CGROUP_ROOT}/pids${v1.slice(2).join(':')}/pids.events`;
  const v2 = lines.find(([id, controllers]) => id === '0' && controllers === '');
  if (v2) return `${CGROUP_ROOT}${v2.slice(2).join(':')}/pids.events`;
  return undefined;
}

/** The count of forks refused by the limit, from the text of `pids.events`. */
export function refusedForks(pidsEvents: string): number {
  const match = /^max (\d+)$/m.exec(pidsEvents);
  return match ? Number(match[1]) : 0;
}

/** What shells and runtimes print when fork fails with EAGAIN; only phrases that name the fork. */
const FORK_FAILURE = /can't fork|cannot fork|fork: (retry: )?Resource temporarily unavailable|fork failed|unable to fork/i;

export function mentionsForkFailure(text: string): boolean {
  return FORK_FAILURE.test(text);
}

/** Reads the refused-fork counter of a running container; undefined when it cannot be read here. */
export class PidsCounter {
  private constructor(private readonly path: string) {}

  static async of(pid: number): Promise<PidsCounter | undefined> {
    if (!pid) return undefined;
    const procCgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => undefined);
    const path = procCgroup === undefined ? undefined : pidsEventsPath(procCgroup);
    if (path === undefined) return undefined;
    const counter = new PidsCounter(path);
    return (await counter.read()) === undefined ? undefined : counter;
  }

  /** Undefined once the cgroup is gone (the container stopped). */
  async read(): Promise<number | undefined> {
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : refusedForks(text);
  }
}

/** How busy the Docker Engine is, read from /proc: for the measurement scripts. */
import { readFile, readdir } from 'node:fs/promises';

const CLOCK_TICKS_PER_S = 100;

/** CPU ticks so far of dockerd, containerd and every process they started (build steps, containers). */
async function engineTicks() {
  const procs = new Map();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const fields = stat.slice(close + 2).split(' ');
    procs.set(pid, { name: stat.slice(stat.indexOf('(') + 1, close), ppid: fields[1], ticks: Number(fields[11]) + Number(fields[12]) });
  }
  const ticks = new Map();
  for (const [pid, proc] of procs) {
    for (let p = pid, hops = 0; p && p !== '0' && hops < 64; p = procs.get(p)?.ppid, hops++) {
      if (['dockerd', 'containerd'].includes(procs.get(p)?.name)) {
        ticks.set(pid, proc.ticks);
        break;
      }
    }
  }
  return ticks;
}

/** Share of one core the engine used over the next `ms`; other work on the machine is not counted. */
export async function engineCpuOver(ms) {
  const before = await engineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  let ticks = 0;
  for (const [pid, value] of await engineTicks()) ticks += value - (before.get(pid) ?? 0);
  return ticks / CLOCK_TICKS_PER_S / (ms / 1000);
}

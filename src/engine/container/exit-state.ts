/**
 * A container's state once it has exited. The engine learns of a kill by the memory
 * limit from a separate event that can arrive after the exit itself, so an exit that
 * looks like a SIGKILL nobody here sent is asked about again, briefly, before
 * "out of memory" is ruled out. So, for a shorter while, is any exit nobody asked for:
 * the limit may have killed a child, and the shell above it then exited by itself.
 */
import type Dockerode from 'dockerode';

/** How long to let the output stream finish after the container exited. */
export const OUTPUT_DRAIN_MS = 2_000;
/** Exit code of a command the runtime could not start, as `docker run` reports it. */
export const NOT_STARTED_EXIT_CODE = 127;

const SIGKILL_EXIT = 137;
const OOM_SETTLE_MS = 1_000;
const CHILD_OOM_SETTLE_MS = 300;
const OOM_POLL_MS = 50;

export async function exitState(
  container: Dockerode.Container,
  options: { killedByGrader: boolean; exitedByItself?: boolean },
): Promise<Dockerode.ContainerInspectInfo['State']> {
  let state = (await container.inspect()).State;
  if (options.killedByGrader) return state;
  const settleMs = state.ExitCode === SIGKILL_EXIT ? OOM_SETTLE_MS : options.exitedByItself ? CHILD_OOM_SETTLE_MS : 0;
  const deadline = Date.now() + settleMs;
  while (!state.OOMKilled && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, OOM_POLL_MS));
    state = (await container.inspect()).State;
  }
  return state;
}

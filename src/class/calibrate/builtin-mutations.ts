/**
 * The built-in mutations: the mistakes students typically make in Dockerfile homework, each
 * made on the reference solution as a student would make it, and skipped (with the reason) where
 * the solution gives it nothing to work on.
 */
import { lstat, rm } from 'node:fs/promises';
import path from 'node:path';
import { expandVariables, finalStageChain, parseImageReference, type DockerfileModel } from '../../probes/dockerfile/model.js';
import {
  editLines,
  execForm,
  exposedPorts,
  imageInstructions,
  insertAfter,
  lineNumbers,
  removeInstruction,
  replaceInstruction,
  shellLine,
  startInstructions,
  type LineEdit,
} from './dockerfile-edit.js';
import { dockerfileMutation, notApplicable, type DockerfileEdit, type DockerfileMutator, type Mutation } from './mutation.js';

const skip = (reason: string): DockerfileEdit => ({ skip: reason });

/** FROM busybox:1.35 → FROM busybox: the image the final stage is built on, by name only. */
export const unpinBase: DockerfileMutator = (df) => {
  const root = finalStageChain(df).at(-1);
  if (!root) return skip('the Dockerfile has no FROM');
  const from = df.instructions.find((i) => i.keyword === 'FROM' && i.line === root.line)!;
  // `FROM ${BASE}` with `ARG BASE=node:20`: the reference the ARG gives is what is pinned.
  const { value: image, unresolved } = expandVariables(root.image, df.globalArgs);
  if (unresolved.length > 0) return skip(`the base image ${root.image} depends on build arguments`);
  if (image.toLowerCase() === 'scratch') return skip('the final image is built FROM scratch');
  const ref = parseImageReference(image);
  if (!ref.tag && !ref.digest) return skip(`the base image ${image} is not pinned to begin with`);
  const edit = editLines(df.text, from, (line) => line.replace(root.image, () => ref.name));
  if (!edit) return skip(`the base image ${root.image} could not be found on line ${from.line}`);
  return { edits: [edit], change: `FROM ${ref.name} (${lineNumbers([from])}, was ${image})` };
};

/** CMD ["node", "app.js"] → CMD node app.js: the container starts under /bin/sh -c. */
export const shellFormStart: DockerfileMutator = (df) => {
  const { entrypoint, cmd } = startInstructions(df);
  if (entrypoint) {
    if (!entrypoint.json) return skip(`ENTRYPOINT (${lineNumbers([entrypoint])}) is in shell form already`);
    // A shell-form ENTRYPOINT ignores CMD: the CMD's words join it, so the app gets the same arguments.
    const folded = cmd?.json && cmd.line > entrypoint.line ? cmd : undefined;
    const words = [...entrypoint.words, ...(folded?.words ?? [])];
    const edits: LineEdit[] = [replaceInstruction(entrypoint, `ENTRYPOINT ${shellLine(words)}`)];
    if (folded) edits.push(removeInstruction(folded));
    const also = folded ? `; the CMD on ${lineNumbers([folded])} joined it` : '';
    return { edits, change: `ENTRYPOINT ${shellLine(words)} (${lineNumbers([entrypoint])}${also})` };
  }
  if (!cmd) return skip('the image has no CMD or ENTRYPOINT');
  if (!cmd.json) return skip(`CMD (${lineNumbers([cmd])}) is in shell form already`);
  return { edits: [replaceInstruction(cmd, `CMD ${shellLine(cmd.words)}`)], change: `CMD ${shellLine(cmd.words)} (${lineNumbers([cmd])})` };
};

/** Every USER of the final image removed: the container runs as root. */
export const removeUser: DockerfileMutator = (df) => removeAll(df, 'USER');

/** Every ENV of the final image removed. */
export const removeEnv: DockerfileMutator = (df) => removeAll(df, 'ENV');

function removeAll(df: DockerfileModel, keyword: string): DockerfileEdit {
  const found = imageInstructions(df).filter((i) => i.keyword === keyword);
  if (found.length === 0) return skip(`the final image has no ${keyword}`);
  return { edits: found.map(removeInstruction), change: `${keyword} removed (${lineNumbers(found)})` };
}

/** Ports a mistaken student might pick, tried in turn. */
const OTHER_PORTS = [3000, 5000, 8000, 8081, 9000, 4000];

function otherPort(avoid: readonly number[]): number {
  return OTHER_PORTS.find((port) => !avoid.includes(port)) ?? Math.max(...avoid, 1023) + 1;
}

/** EXPOSE 8080 → EXPOSE 3000, while the app still listens on 8080. */
export const changeExpose: DockerfileMutator = (df) => {
  const exposes = imageInstructions(df).filter((i) => i.keyword === 'EXPOSE');
  if (exposes.length === 0) return skip('the final image EXPOSEs no port');
  const ports = exposedPorts(df);
  if (ports.length === 0) return skip('EXPOSE names its ports with variables only');
  const mapping = new Map<number, number>();
  for (const port of ports) mapping.set(port, otherPort([...ports, ...mapping.values()]));
  const edits = exposes.flatMap((expose) => {
    const words = expose.words.map((word) => word.replace(/^(\d{1,5})(?=\/|$)/, (port) => String(mapping.get(Number(port)) ?? port)));
    return words.join(' ') === expose.words.join(' ') ? [] : [replaceInstruction(expose, `EXPOSE ${words.join(' ')}`)];
  });
  const changes = [...mapping].map(([from, to]) => `${from} → ${to}`).join(', ');
  return { edits, change: `EXPOSE ${changes} (${lineNumbers(exposes)})` };
};

/** Instructions through which a Dockerfile tells the app where to listen. */
const CONFIGURING = new Set(['ENV', 'ARG', 'CMD', 'ENTRYPOINT']);

/** Replaces a whole token (not part of a longer number, word or address) in the configuring instructions. */
function replaceToken(df: DockerfileModel, token: string, by: string): { edits: LineEdit[]; lines: { line: number }[] } {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\w.-])${escaped}(?![\\w.])`, 'g');
  const edits: LineEdit[] = [];
  const lines: { line: number }[] = [];
  for (const instruction of imageInstructions(df).filter((i) => CONFIGURING.has(i.keyword))) {
    const edit = editLines(df.text, instruction, (line) => line.replace(pattern, by));
    if (edit) {
      edits.push(edit);
      lines.push(instruction);
    }
  }
  return { edits, lines };
}

/** The app told (through ENV, ARG, CMD or ENTRYPOINT) to listen on another port than the one it EXPOSEs. */
export const moveAppPort: DockerfileMutator = (df, { servicePort }) => {
  const exposed = exposedPorts(df);
  const port = servicePort ?? exposed[0];
  if (port === undefined) return skip('neither the rubric nor the Dockerfile names the port the app listens on');
  const other = otherPort([port, ...exposed]);
  const { edits, lines } = replaceToken(df, String(port), String(other));
  if (edits.length === 0) return skip(`no ENV, ARG, CMD or ENTRYPOINT passes the port ${port} to the app`);
  return { edits, change: `the app's port ${port} → ${other} (${lineNumbers(lines)}); EXPOSE unchanged` };
};

/** The app told to listen on 127.0.0.1 where the Dockerfile passes it 0.0.0.0. */
export const loopbackOnly: DockerfileMutator = (df) => {
  const { edits, lines } = replaceToken(df, '0.0.0.0', '127.0.0.1');
  if (edits.length === 0) return skip('no ENV, ARG, CMD or ENTRYPOINT passes the app a bind address (0.0.0.0)');
  return { edits, change: `0.0.0.0 → 127.0.0.1 (${lineNumbers(lines)})` };
};

/** COPY → ADD for local files (a COPY --from has no ADD equivalent and stays). */
export const addForCopy: DockerfileMutator = (df) => {
  const copies = imageInstructions(df).filter((i) => i.keyword === 'COPY' && !i.flags.some((flag) => flag.name.toLowerCase() === 'from'));
  if (copies.length === 0) return skip('the final image has no COPY of local files');
  const edits = copies.flatMap((copy) => {
    let first = true;
    const edit = editLines(df.text, copy, (line) => {
      if (!first) return line;
      first = false;
      return line.replace(/^(\s*)copy\b/i, '$1ADD');
    });
    return edit ? [edit] : [];
  });
  return { edits, change: `ADD for COPY (${lineNumbers(copies)})` };
};

/** The start command replaced by one that exits 1 at once (still in exec form). */
export const crashAtStart: DockerfileMutator = (df) => {
  const { entrypoint, cmd } = startInstructions(df);
  const start = entrypoint ?? cmd;
  if (!start) return skip('the image has no CMD or ENTRYPOINT');
  const text = execForm(start.keyword, ['/bin/sh', '-c', 'echo "crashed at start" >&2; exit 1']);
  return { edits: [replaceInstruction(start, text)], change: `${text} (${lineNumbers([start])})` };
};

/** The start command wrapped in a shell that ignores SIGTERM and does not pass it on (exec form kept). */
export const ignoreSigterm: DockerfileMutator = (df) => {
  const { entrypoint, cmd } = startInstructions(df);
  const start = entrypoint ?? cmd;
  if (!start) return skip('the image has no CMD or ENTRYPOINT');
  if (!start.json) return skip(`${start.keyword} (${lineNumbers([start])}) is in shell form, which ignores SIGTERM already`);
  // The app runs as a child of a PID 1 that ignores SIGTERM: `docker stop` has to kill it.
  const words = ['/bin/sh', '-c', `trap '' TERM; "$@" & wait "$!"`, 'sh', ...start.words];
  const text = execForm(start.keyword, words);
  return {
    edits: [replaceInstruction(start, text)],
    change: `${start.keyword} wrapped in a shell that ignores SIGTERM (${lineNumbers([start])})`,
  };
};

/** A step the build cannot get past, first thing in the final stage. */
export const brokenRun: DockerfileMutator = (df) => insertAfterFinalFrom(df, 'RUN exit 1');

/**
 * A 1 GiB file in a layer of its own, first thing in the final stage (before any USER). Made
 * sparse (a seek, no data written) so it is quick to make; the image's size still counts 1 GiB.
 */
export const bigLayer: DockerfileMutator = (df) =>
  insertAfterFinalFrom(df, 'RUN dd if=/dev/zero of=/grader-big-layer bs=1M count=0 seek=1024');

function insertAfterFinalFrom(df: DockerfileModel, text: string): DockerfileEdit {
  const stage = df.stages.at(-1);
  if (!stage) return skip('the Dockerfile has no FROM');
  const from = df.instructions.find((i) => i.keyword === 'FROM' && i.line === stage.line)!;
  return { edits: [insertAfter(from, text)], change: `${text} (after ${lineNumbers([from])})` };
}

const deleteDockerignore: Mutation = {
  name: 'dockerignore-deleted',
  description: '.dockerignore deleted',
  origin: 'built-in',
  async apply(target) {
    const file = path.join(target.dir, target.context, '.dockerignore');
    const stats = await lstat(file).catch(() => undefined);
    if (!stats) return notApplicable('the build context has no .dockerignore');
    await rm(file, { recursive: true, force: true });
    return { applied: true, change: `${path.posix.join(target.context, '.dockerignore').replace(/^\.\//, '')} deleted` };
  },
};

export function builtinMutations(): Mutation[] {
  return [
    dockerfileMutation('unpinned-base', 'the base image not pinned to a version (FROM image, no tag)', unpinBase),
    dockerfileMutation('shell-form-cmd', 'CMD/ENTRYPOINT in shell form', shellFormStart),
    dockerfileMutation('user-removed', 'USER removed: the container runs as root', removeUser),
    dockerfileMutation('expose-changed', 'EXPOSE names another port than the app listens on', changeExpose),
    dockerfileMutation('app-port-changed', 'the app listens on another port than the one EXPOSEd', moveAppPort),
    dockerfileMutation('loopback-only', 'the app listens only on 127.0.0.1', loopbackOnly),
    deleteDockerignore,
    dockerfileMutation('add-for-copy', 'ADD instead of COPY for local files', addForCopy),
    dockerfileMutation('crash-at-start', 'the app exits with an error as soon as it starts', crashAtStart),
    dockerfileMutation('broken-run', 'a RUN step that fails', brokenRun),
    dockerfileMutation('env-removed', 'ENV removed', removeEnv),
    dockerfileMutation('sigterm-ignored', 'the app ignores SIGTERM', ignoreSigterm),
    dockerfileMutation('big-layer', 'a 1 GiB layer', bigLayer),
  ];
}

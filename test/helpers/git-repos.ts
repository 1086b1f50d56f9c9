/**
 * Hostile git repositories and servers for the submission tests, made at test time with
 * the git CLI (not the code under test) and served on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs git in `cwd` as a user would (their own config), for building fixtures. */
export function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A repository with one commit holding `files`; returns its HEAD. */
export function commitFiles(dir: string, files: Record<string, string>): string {
  git(dir, ['init', '-q', '-b', 'main']);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'files']);
  return git(dir, ['rev-parse', 'HEAD']);
}

/**
 * Commits `files` on top of the repository's branch (made with `commitFiles`), with the author
 * and committer dates given (as anyone can forge them); returns the new commit.
 */
export function commitDated(dir: string, files: Record<string, string>, date: Date, message = 'more files'): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const stamp = `@${Math.floor(date.getTime() / 1000)} +0000`;
  const env = { ...process.env, GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp };
  const run = (args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8', env }).trim();
  run(['add', '.']);
  run(['commit', '-q', '--allow-empty', '-m', message]);
  return run(['rev-parse', 'HEAD']);
}

/**
 * A bare repository whose one commit checks out as `width ** depth` copies of one blob,
 * built from trees that repeat one subtree: a few KiB of objects, any number of files.
 */
export function treeBomb(dir: string, options: { blob: Buffer; width: number; depth: number }): { commit: string; files: number } {
  git(dir, ['init', '-q', '--bare', '-b', 'main']);
  const blob = git(dir, ['hash-object', '-w', '--stdin'], options.blob);
  let entries = range(options.width).map((i) => `100644 blob ${blob}\tf${i}`);
  for (let level = 1; level < options.depth; level++) {
    const tree = git(dir, ['mktree'], `${entries.join('\n')}\n`);
    entries = range(options.width).map((i) => `040000 tree ${tree}\td${i}`);
  }
  const root = git(dir, ['mktree'], `${entries.join('\n')}\n`);
  const commit = git(dir, ['commit-tree', root, '-m', 'bomb']);
  git(dir, ['update-ref', 'refs/heads/main', commit]);
  return { commit, files: options.width ** options.depth };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Every file left in `dir` (relative paths), to prove a run left nothing behind. */
export async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

/** Command lines of the running processes that mention `needle` (this check's own `ps` aside). */
export function processesMentioning(needle: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'));
}

export interface TestServer {
  port: number;
  /** Connections accepted so far. */
  connections: number;
  /** Connections still open. */
  open: number;
  /** Resolves when the server has accepted a connection. */
  connected: Promise<void>;
  close(): Promise<void>;
}

function track(server: net.Server, base: Omit<TestServer, 'port' | 'connections' | 'open' | 'connected'>): Promise<TestServer> {
  let onConnected: () => void = () => {};
  const state: TestServer = {
    port: 0,
    connections: 0,
    open: 0,
    connected: new Promise<void>((resolve) => (onConnected = resolve)),
    ...base,
  };
  server.on('connection', (socket: net.Socket) => {
    state.connections += 1;
    state.open += 1;
    socket.on('close', () => (state.open -= 1));
    onConnected();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      state.port = (server.address() as net.AddressInfo).port;
      resolve(state);
    }),
  );
}

function closer(server: net.Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    });
}

/** Accepts connections and never says a word. */
export function silentServer(): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    // Read and drop what the client sends, so that its closing is seen.
    socket.resume();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return track(server, {
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  });
}

export interface DumbHttpServer extends TestServer {
  /** Bytes of `.pack` files sent so far. */
  packBytesSent: number;
  /** The Authorization header of each request, in order (undefined when absent). */
  authorizations: (string | undefined)[];
}

/**
 * Serves a bare repository over git's "dumb" HTTP protocol (plain files) at /repo.git/.
 * Pack files are cut after `stallPackAfter` bytes, if given: the rest never comes.
 */
export async function dumbHttpServer(bareRepo: string, stallPackAfter = Infinity): Promise<DumbHttpServer> {
  git(bareRepo, ['update-server-info']);
  let packBytesSent = 0;
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    const relative = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/repo\.git\//, '');
    const file = path.join(bareRepo, path.normalize(relative));
    if (!file.startsWith(bareRepo + path.sep) || !isFile(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': statSync(file).size });
    if (!file.endsWith('.pack') || stallPackAfter >= statSync(file).size) {
      createReadStream(file).pipe(res);
      return;
    }
    createReadStream(file, { end: stallPackAfter - 1 })
      .on('data', (chunk) => {
        packBytesSent += chunk.length;
        res.write(chunk);
      })
      // No end: the client waits for the rest.
      .on('end', () => {});
  });
  const state = (await track(server, { close: closer(server) })) as DumbHttpServer;
  Object.defineProperty(state, 'packBytesSent', { get: () => packBytesSent });
  state.authorizations = authorizations;
  return state;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Total size of the `.pack` files of a bare repository. */
export function packBytes(bareRepo: string): number {
  const dir = path.join(bareRepo, 'objects', 'pack');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pack'))
    .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}

/**
 * Shared helpers for integration tests on the real Docker Engine. They use the docker
 * CLI, not the code under test, so an assertion about leftovers cannot share its bugs.
 * No engine means failing tests, never skipped ones.
 */
import { expect } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { errorMessage } from '../../src/basics/errors.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { ContainerEngine } from '../../src/engine/engine.js';
import { RUN_LABEL } from '../../src/engine/engine.js';

const run = promisify(execFile);

/** Put on every image the tests build, so `removeTestImages` finds them. */
export const TEST_LABEL = 'io.github.grader.test-run';
/** One id per test process. */
export const TEST_SESSION = `test-${randomBytes(4).toString('hex')}`;

/** A connected engine; throws with what to do when none answers. */
export async function engine(): Promise<ContainerEngine> {
  const connected = createDockerEngine();
  try {
    await connected.ping();
  } catch (err) {
    throw new Error(
      `Integration tests need a running Docker Engine: ${errorMessage(err)}\n` +
        'Run `bash scripts/ensure-docker.sh && bash scripts/base-images.sh` (CI does this in .ci/run).',
      { cause: err },
    );
  }
  return connected;
}

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/**
 * Builds a small image with the classic builder and returns its id. `files` are written
 * into the context first (paths relative to it, `/`-separated).
 */
export async function buildTestImage(name: string, dockerfileText: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'grader-test-image-'));
  try {
    await writeFile(path.join(dir, 'Dockerfile'), dockerfileText);
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    const tag = `grader-test-${name}:${TEST_SESSION}`;
    await run('docker', ['build', '-q', '--label', `${TEST_LABEL}=${TEST_SESSION}`, '-t', tag, dir], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
    return await docker('image', 'inspect', '-f', '{{.Id}}', tag);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes the images this test process built. */
export async function removeTestImages(): Promise<void> {
  let left = [
    ...new Set((await docker('image', 'ls', '-q', '--filter', `label=${TEST_LABEL}=${TEST_SESSION}`)).split('\n').filter(Boolean)),
  ];
  // An image built FROM another test image must go first: the engine refuses to remove a parent.
  for (let pass = 0; pass < 5 && left.length > 0; pass++) {
    const refused: string[] = [];
    for (const id of left) await docker('image', 'rm', '-f', id).catch(() => refused.push(id));
    left = refused;
  }
  if (left.length > 0) await docker('image', 'rm', '-f', ...left);
}

export interface Leftovers {
  containers: string[];
  networks: string[];
  volumes: string[];
  images: string[];
}

/** Everything still labelled with the run. */
export async function listLeftovers(runId: string): Promise<Leftovers> {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const ids = async (...args: string[]) => (await docker(...args, '--filter', filter)).split('\n').filter(Boolean);
  const [containers, networks, volumes, images] = await Promise.all([
    ids('ps', '-a', '-q'),
    ids('network', 'ls', '-q'),
    ids('volume', 'ls', '-q'),
    ids('image', 'ls', '-q'),
  ]);
  return { containers, networks, volumes, images };
}

/** iptables rules (INPUT and DOCKER-USER) that carry the run's comment; none where iptables is not usable here. */
export async function firewallRulesOf(runId: string): Promise<string[]> {
  if (process.getuid?.() !== 0) return [];
  const listings = await Promise.all(
    ['INPUT', 'DOCKER-USER'].map((chain) =>
      run('iptables', ['-w', '5', '-S', chain]).then(
        (r) => r.stdout,
        () => '',
      ),
    ),
  );
  return listings
    .join('\n')
    .split('\n')
    .filter((line) => line.includes(`grader:${runId}`));
}

/** Asserts that nothing of the run is left: no container, network, volume, image or firewall rule. */
export async function expectNothingLeft(runId: string): Promise<void> {
  expect(await listLeftovers(runId)).toEqual({ containers: [], networks: [], volumes: [], images: [] });
  expect(await firewallRulesOf(runId)).toEqual([]);
}

/** Retries `attempt` until it succeeds (a service still starting, a process not yet gone), for up to `timeoutMs`. */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Hostile submissions that go after what the grader holds or can reach: a repository
 * linking outside itself, a Dockerfile fishing for the token at build time, and a
 * container trying to reach the network. Traffic stays on this machine: the only targets
 * are listeners this test starts (on the host, and in a container on a network it creates).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildRequest, ContainerEngine, ImageFile, ImageInfo } from '../../src/engine/engine.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { toJson } from '../../src/report/json.js';
import { TEST_LABEL, TEST_SESSION, engine as connectEngine, docker, expectNothingLeft } from '../helpers/docker.js';
import { SMALL_LIMITS, check, copyFixture, fixture, gradeHostile } from '../helpers/hostile.js';

let engine: ContainerEngine;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  engine = await connectEngine();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** The engine, with what the grader asked it to build and what the built image holds recorded on the way. */
function recordingEngine(inner: ContainerEngine) {
  const seen: { builds: BuildRequest[]; images: ImageInfo[]; leaks: ImageFile[] } = { builds: [], images: [], leaks: [] };
  const wrapped = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'build') {
        return async (request: BuildRequest) => {
          seen.builds.push(request);
          const outcome = await target.build(request);
          if (outcome.ok) {
            seen.images.push(await target.inspectImage(outcome.imageId));
            seen.leaks.push(await target.readImageFile(outcome.imageId, '/leak.txt', 1024 * 1024));
          }
          return outcome;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { engine: wrapped, seen };
}

/** `172.17.0.0/16` → `172.17.0.1`, as Docker picks a bridge's gateway; '' for anything else. */
function firstHost(subnet: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(subnet);
  if (!match) return '';
  return `${match[1]}.${match[2]}.${match[3]}.${Number(match[4]) + 1}`;
}

describe('hostile submissions: secrets and the network', () => {
  it('refuses to read repo links that lead outside the submission, and the build keeps them as links', async () => {
    const copy = await copyFixture('symlink-outside');
    cleanups.push(copy.remove);
    const hostDir = await mkdtemp(path.join(tmpdir(), 'grader-hostile-host-'));
    cleanups.push(() => rm(hostDir, { recursive: true, force: true }));
    const secretValue = `HOST-SECRET-${randomBytes(8).toString('hex')}`;
    const secretFile = path.join(hostDir, 'host-secret.txt');
    await writeFile(secretFile, `${secretValue}\n`);
    await symlink(secretFile, path.join(copy.dir, 'secret'));
    await symlink('../../..', path.join(copy.dir, 'up'));

    const { result, runId } = await gradeHostile(
      engine,
      copy.dir,
      `
rubric: 1
title: symlinks
${SMALL_LIMITS}
checks:
  - { id: secret, name: secret exists, file: { path: secret } }
  - { id: secret-content, name: secret content, file: { path: secret, contains: HOST-SECRET } }
  - { id: up, name: through a directory link, file: { path: up/etc/passwd } }
  - { id: dotdot, name: dot-dot, file: { path: ../../etc/passwd } }
  - { id: build, name: builds, build: {} }
  - { id: in-image, name: secret in image, file: { path: /app/secret, in: image } }
  - { id: run, name: reads the links inside the container, timeout: 5s, run: { args: [], stdout: { not_contains: HOST-SECRET } } }
`,
    );
    for (const id of ['secret', 'secret-content', 'up', 'dotdot']) {
      const c = check(result, id);
      expect(c.status, id).toBe('failed');
      expect(c.message, id).toMatch(/leads outside the repository .*so it is not read/);
    }
    expect(check(result, 'build').status).toBe('passed');
    const inImage = check(result, 'in-image');
    expect(inImage.status).toBe('failed');
    expect(inImage.message).toMatch(/\/app\/secret in the image is a (sym)?link/i);
    const run = check(result, 'run');
    expect(run.status).toBe('passed');
    expect(run.output).toMatch(/secret -> \/tmp\/grader-hostile-host-/); // in the image it is still the link
    // The host file's content appears nowhere: result, JSON, markdown.
    expect(JSON.stringify(result)).not.toContain(secretValue);
    expect(toJson(result)).not.toContain(secretValue);
    expect(renderMarkdown(result)).not.toContain(secretValue);
    await expectNothingLeft(runId);
  });

  describe('a Dockerfile that fishes for the token at build time', () => {
    const tokens = {
      GITHUB_TOKEN: `ghp_${randomBytes(16).toString('hex')}`,
      INPUT_TOKEN: `ghs_${randomBytes(16).toString('hex')}`,
      ACTIONS_RUNTIME_TOKEN: `rt_${randomBytes(16).toString('hex')}`,
    };
    const saved: Record<string, string | undefined> = {};

    beforeAll(() => {
      for (const [name, value] of Object.entries(tokens)) {
        saved[name] = process.env[name];
        process.env[name] = value;
      }
    });
    afterAll(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    /** A copy with a fresh nonce, so the engine's build cache cannot skip the steps that print. */
    async function freshCopy(): Promise<string> {
      const copy = await copyFixture('token-at-build');
      cleanups.push(copy.remove);
      await writeFile(path.join(copy.dir, 'nonce'), randomBytes(8).toString('hex'));
      return copy.dir;
    }

    function expectNoToken(text: string, where: string) {
      for (const [name, value] of Object.entries(tokens)) {
        expect(text.includes(value), `${name} in ${where}`).toBe(false);
      }
    }

    it('never sees the token: not in the build, the build log, the image, or the container', async () => {
      const recording = recordingEngine(engine);
      const { result, runId, logger } = await gradeHostile(
        recording.engine,
        await freshCopy(),
        `
rubric: 1
title: token
${SMALL_LIMITS}
checks:
  - { id: build, name: builds, build: {} }
  - { id: run, name: runs, timeout: 5s, run: { args: [], stdout: "token=[] input=[]" } }
`,
      );
      expect(check(result, 'build').status).toBe('passed');
      expect(check(result, 'run').status).toBe('passed');
      // The build really printed its environment (so the absence of the token means something).
      const buildLog = logger.lines.join('\n');
      expect(buildLog).toMatch(/token=\[\] input=\[\] actions=\[\]/);
      expect(buildLog).toMatch(/PATH=/);
      expectNoToken(buildLog, 'the build log');
      // What the grader asked the engine to build with.
      expect(recording.seen.builds).toHaveLength(1);
      expectNoToken(JSON.stringify(recording.seen.builds[0]), 'the build request');
      // What the image holds: its environment and the file the Dockerfile wrote.
      expect(recording.seen.images).toHaveLength(1);
      expectNoToken(JSON.stringify(recording.seen.images[0]), 'the image config');
      const leak = recording.seen.leaks[0];
      expect(leak?.kind).toBe('file');
      if (leak?.kind === 'file') {
        expect(leak.content.toString()).toContain('GITHUB_TOKEN= INPUT_TOKEN=');
        expectNoToken(leak.content.toString(), '/leak.txt in the image');
      }
      // What the container printed, and every report.
      expect(check(result, 'run').output).toContain('token=[] input=[]');
      expectNoToken(JSON.stringify(result), 'the result');
      expectNoToken(renderMarkdown(result), 'the markdown report');
      await expectNothingLeft(runId);
    });

    it('shows the tail of a failing build that printed its environment, without the token', async () => {
      const { result, runId, logger } = await gradeHostile(
        engine,
        await freshCopy(),
        `
rubric: 1
title: token
build: { dockerfile: Dockerfile.fail }
${SMALL_LIMITS}
checks:
  - { id: build, name: builds, build: {} }
`,
      );
      expect(check(result, 'build').status).toBe('failed');
      expect(result.build?.ok).toBe(false);
      const tail = result.build?.log_tail ?? '';
      expect(tail).toMatch(/token=\[\] input=\[\]/);
      expectNoToken(tail, 'the build log tail');
      expectNoToken(logger.lines.join('\n'), 'the build log');
      expectNoToken(renderMarkdown(result), 'the markdown report');
      expectNoToken(toJson(result), 'the JSON results');
      await expectNothingLeft(runId);
    });
  });

  describe('a container that tries to reach the network', () => {
    let hostListener: Server;
    let hostPort = 0;
    const reached: string[] = [];
    let peerIp = '';
    let peerGateway = '';
    let bridgeGateway = '';
    const PEER_PORT = 9999;
    const tag = randomBytes(4).toString('hex');
    const peerNetwork = `grader-hostile-peer-${tag}`;
    const peerContainer = `grader-hostile-peer-${tag}`;

    beforeAll(async () => {
      hostListener = createServer((socket) => {
        reached.push(socket.remoteAddress ?? '?');
        socket.end('REACHED-HOST\n');
      });
      await new Promise<void>((resolve) => hostListener.listen(0, '0.0.0.0', resolve));
      cleanups.push(() => new Promise((resolve) => hostListener.close(resolve)));
      hostPort = (hostListener.address() as { port: number }).port;

      // A listener in another container, on another (ordinary) network this test creates.
      await docker('network', 'create', '--label', `${TEST_LABEL}=${TEST_SESSION}`, peerNetwork);
      await docker(
        'run',
        '-d',
        '--rm',
        '--name',
        peerContainer,
        '--network',
        peerNetwork,
        '--label',
        `${TEST_LABEL}=${TEST_SESSION}`,
        'busybox:1.35',
        'sh',
        '-c',
        `while :; do echo REACHED-PEER | nc -l -p ${PEER_PORT}; done`,
      );
      peerIp = await docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${peerNetwork}").IPAddress}}`, peerContainer);
      peerGateway = await docker('network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', peerNetwork);
      // The host's address on the default bridge (docker0): the first address of its subnet
      // (this engine's inspect leaves the gateway out, and Node lists no interface without carrier).
      const bridgeSubnet = await docker('network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', 'bridge');
      bridgeGateway = firstHost(bridgeSubnet.split(' ').find((net) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(net)) ?? '');
      expect(bridgeGateway, 'the host has a docker0 address').toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(peerGateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(peerIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

      // Both listeners work: an ordinary container on the peer network reaches the host and the peer.
      const sanity = await docker(
        'run',
        '--rm',
        '--network',
        peerNetwork,
        '--label',
        `${TEST_LABEL}=${TEST_SESSION}`,
        'busybox:1.35',
        'sh',
        '-c',
        `nc -w 2 ${peerGateway} ${hostPort} </dev/null; nc -w 2 ${peerIp} ${PEER_PORT} </dev/null; true`,
      );
      expect(sanity).toContain('REACHED-HOST');
      expect(sanity).toContain('REACHED-PEER');
      reached.length = 0;
    }, 60_000);

    afterAll(async () => {
      // The container first: a network with a container attached cannot be removed.
      await docker('rm', '-f', peerContainer).catch(() => '');
      await docker('network', 'rm', peerNetwork);
      expect(await docker('network', 'ls', '-q', '--filter', `name=^${peerNetwork}$`)).toBe('');
    });

    it('gives the service and one-shot runs no route out, while the grader still reaches the service', async () => {
      const targets = [`gateway:${hostPort}`, `${bridgeGateway}:${hostPort}`, `${peerGateway}:${hostPort}`, `${peerIp}:${PEER_PORT}`];
      const probe = JSON.stringify(['sh', '/app/probe.sh', ...targets]);
      const { result, runId } = await gradeHostile(
        engine,
        fixture('network-escape'),
        `
rubric: 1
title: network
${SMALL_LIMITS}
service: { ready: { timeout: 5s } }
checks:
  - { id: page, name: the grader reaches the service, http: { path: /, body: service up } }
  - { id: escape, name: service stays in, timeout: 15s, exec: { command: ${probe}, stdout: { contains: "--- done", not_contains: REACHED } } }
  - { id: run-escape, name: one-shot run stays in, timeout: 15s, run: { args: ${probe}, stdout: { contains: "--- done", not_contains: REACHED } } }
`,
      );
      for (const id of ['page', 'escape', 'run-escape']) {
        const c = check(result, id);
        expect(c.status, `${id}: ${c.message}\n${c.output}`).toBe('passed');
      }
      for (const id of ['escape', 'run-escape']) {
        const output = check(result, id).output ?? '';
        // Every target was really tried.
        for (const target of targets.slice(1)) expect(output).toContain(`failed to reach ${target}`);
        expect(output).not.toContain('bad address');
      }
      // An internal network keeps its gateway route (the engine drops what is forwarded out);
      // the one-shot run has no route at all, and no interface but loopback.
      const oneShot = check(result, 'run-escape').output ?? '';
      expect(oneShot).not.toMatch(/^default/m);
      expect(oneShot).not.toMatch(/inet (?!127\.)/);
      // Independent of what the container says: the listeners saw nobody.
      expect(reached).toEqual([]);
      await expectNothingLeft(runId);
    });
  });
});

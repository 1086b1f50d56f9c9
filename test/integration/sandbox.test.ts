/**
 * The sandbox on the real engine: the capabilities a root-started web server needs and
 * no others, no way from a service to the runner host, no route at all for one-shot
 * runs, the disk watchdog, the pids-limit counter, and the build step limits. Network
 * traffic stays on this machine: the only listener aimed at is one this file runs.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage } from '../../src/engine/build/docker-build.js';
import type { ContainerEngine, RuntimeLimits, Service, ServiceRequest } from '../../src/engine/engine.js';
import { RUN_LABEL, runLabels } from '../../src/engine/engine.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import {
  TEST_SESSION,
  buildTestImage,
  docker,
  engine as connectEngine,
  eventually,
  listLeftovers,
  removeTestImages,
} from '../helpers/docker.js';

const run = promisify(execFile);
const BASE = 'busybox:1.35';
const LIMITS: RuntimeLimits = { memoryBytes: 128 * 1024 ** 2, cpus: 1, pids: 64, network: 'none' };
const runId = `${TEST_SESSION}-sandbox`;
const labels = runLabels(runId);
const GRADER_RULE = `grader:${runId}`;

let engine: ContainerEngine;
const services: Service[] = [];

beforeAll(async () => {
  engine = await connectEngine();
});

afterAll(async () => {
  for (const svc of services) if (!svc.exitInfo()) await svc.stop(0).catch(() => {});
  await engine?.cleanup(runId);
  await removeTestImages();
});

async function service(request: Partial<ServiceRequest> & { command?: string[] }, using = engine): Promise<Service> {
  const started = await using.startService({ image: BASE, env: {}, ports: [], limits: LIMITS, labels, ...request });
  services.push(started);
  return started;
}

async function httpGet(host: string, port: number, urlPath: string): Promise<string> {
  const response = await fetch(`http://${host}:${port}${urlPath}`, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}

/** A TCP listener on every host address that greets and counts whoever connects. */
async function hostListener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.end('hello-from-host\n');
  });
  server.listen(0, '0.0.0.0');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function networkOf(containerId: string): Promise<{ name: string; gateway: string; bridge: string }> {
  const networks = JSON.parse(await docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', containerId)) as Record<
    string,
    { NetworkID: string }
  >;
  const [name, info] = Object.entries(networks)[0]!;
  const gateway = await docker('network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', name);
  return { name, gateway, bridge: `br-${info.NetworkID.slice(0, 12)}` };
}

async function iptables(args: string[]): Promise<string> {
  const { stdout } = await run('iptables', ['-w', '5', ...args]);
  return stdout;
}

/** The INPUT rules carrying `comment`. */
async function rulesTagged(comment: string): Promise<string[]> {
  return (await iptables(['-S', 'INPUT'])).split('\n').filter((line) => line.includes(`"${comment}"`));
}

describe('capabilities', () => {
  let webServer: string;

  beforeAll(async () => {
    // Like the official nginx/httpd images: start as root, chown the content, serve on 80 as another user.
    webServer = await buildTestImage(
      'root-then-nobody',
      `FROM ${BASE}\nRUN mkdir -p /srv/www && echo "served by nobody" > /srv/www/index.html\nCOPY start.sh /start.sh\nENTRYPOINT ["sh", "/start.sh"]\n`,
      {
        'start.sh':
          'set -e\nmkdir -p /var/cache/www\nchown -R nobody:nobody /srv/www /var/cache/www\nexec su -s /bin/sh nobody -c "exec httpd -f -p 80 -h /srv/www"\n',
      },
    );
  });

  it('lets a root entrypoint chown its files and switch to an unprivileged user serving on port 80', async () => {
    const svc = await service({ image: webServer, ports: [80] });
    const { host, port } = await svc.address(80);
    expect(await eventually(() => httpGet(host, port, '/index.html'))).toBe('served by nobody\n');
    const status = await svc.exec(['cat', '/proc/1/status'], { timeoutMs: 10_000 });
    expect(status.stdout.text).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    const owner = await svc.exec(['stat', '-c', '%U', '/srv/www/index.html', '/var/cache/www'], { timeoutMs: 10_000 });
    expect(owner.stdout.text).toBe('nobody\nnobody\n');
  });

  it('keeps every other capability dropped: no raw sockets, no network administration', async () => {
    const result = await engine.runOnce({
      image: BASE,
      env: {},
      labels,
      limits: LIMITS,
      timeoutMs: 10_000,
      args: ['sh', '-c', 'grep -E "^Cap(Eff|Bnd)" /proc/self/status; ip link add probe0 type dummy'],
    });
    // CHOWN(0) KILL(5) SETGID(6) SETUID(7) NET_BIND_SERVICE(10), and not NET_ADMIN(12) or NET_RAW(13)
    expect(result.stdout.text).toBe('CapEff:\t00000000000004e1\nCapBnd:\t00000000000004e1\n');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.text).toMatch(/Operation not permitted/);
    const noNewPrivs = await engine.runOnce({
      image: BASE,
      env: {},
      labels,
      limits: LIMITS,
      timeoutMs: 10_000,
      args: ['grep', 'NoNewPrivs', '/proc/self/status'],
    });
    expect(noNewPrivs.stdout.text).toMatch(/NoNewPrivs:\s+1/);
  });
});

describe('no way out at run time', () => {
  it('lets the grader reach the service but not the service reach a listener on the host', async () => {
    const listener = await hostListener();
    try {
      const svc = await service({
        command: ['sh', '-c', 'mkdir /www && echo inside > /www/index.html && exec httpd -f -p 8080 -h /www'],
        ports: [8080],
      });
      const { host, port } = await svc.address(8080);
      expect(await eventually(() => httpGet(host, port, '/index.html'))).toBe('inside\n');

      const { gateway, bridge, name } = await networkOf(svc.id);
      const rules = await rulesTagged(GRADER_RULE);
      expect(rules.some((rule) => rule.includes(`-i ${bridge}`) && rule.endsWith('-j DROP'))).toBe(true);
      const attempt = await svc.exec(['nc', '-w', '2', gateway, String(listener.port)], { timeoutMs: 10_000 });
      expect(attempt.stdout.text).not.toContain('hello-from-host');
      expect(attempt.exitCode).not.toBe(0);
      // ping the gateway too: nothing but replies comes back from the host
      const ping = await svc.exec(['ping', '-c', '1', '-W', '1', gateway], { timeoutMs: 10_000 });
      expect(ping.exitCode).not.toBe(0);
      expect(listener.connections()).toBe(0);

      // Control: the same kind of internal network without the grader's rules reaches the listener.
      const control = `${name}-control`;
      await docker('network', 'create', '--internal', '--label', `${RUN_LABEL}=${runId}`, control);
      const controlGateway = await docker('network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', control);
      const reached = await docker(
        'run',
        '--rm',
        '--network',
        control,
        '--label',
        `${RUN_LABEL}=${runId}`,
        BASE,
        'nc',
        '-w',
        '2',
        controlGateway,
        String(listener.port),
      );
      expect(reached).toBe('hello-from-host');
      expect(listener.connections()).toBe(1);
      await docker('network', 'rm', control);
    } finally {
      await listener.close();
    }
  });

  it('gives one-shot runs no route at all', async () => {
    const listener = await hostListener();
    try {
      const hostAddress = await docker('network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', 'bridge');
      const result = await engine.runOnce({
        image: BASE,
        env: {},
        labels,
        limits: LIMITS,
        timeoutMs: 10_000,
        args: ['sh', '-c', `ip route; ip -6 route; nc -w 2 ${hostAddress} ${listener.port}`],
      });
      expect(result.stdout.text).toBe('');
      expect(result.stderr.text).toMatch(/network is unreachable/i);
      expect(listener.connections()).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it('keeps a proxied service (the Docker Desktop path) on an internal network, away from the host', async () => {
    const listener = await hostListener();
    try {
      const proxied = createDockerEngine({ publishPorts: true });
      const svc = await service(
        { command: ['sh', '-c', 'mkdir /www && echo proxied > /www/index.html && exec httpd -f -p 8080 -h /www'], ports: [8080] },
        proxied,
      );
      const { host, port } = await svc.address(8080);
      expect(host).toBe('127.0.0.1');
      expect(await eventually(() => httpGet(host, port, '/index.html'))).toBe('proxied\n');
      // this engine still gives internal networks a default route (to the host): the network's flag and the rules do the work
      const { gateway, name } = await networkOf(svc.id);
      expect(await docker('network', 'inspect', '-f', '{{.Internal}}', name)).toBe('true');
      const attempt = await svc.exec(['nc', '-w', '2', gateway, String(listener.port)], { timeoutMs: 10_000 });
      expect(attempt.stdout.text).not.toContain('hello-from-host');
      expect(listener.connections()).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it('removes its firewall rules with the run, and sweeps rules whose network is gone', async () => {
    const ownRun = runLabels(`${TEST_SESSION}-rules`);
    await engine.startService({ image: BASE, env: {}, ports: [], command: ['sleep', '60'], limits: LIMITS, labels: ownRun });
    const comment = `grader:${ownRun[RUN_LABEL]}`;
    expect(await rulesTagged(comment)).toHaveLength(1);
    await engine.cleanup(ownRun[RUN_LABEL]!);
    expect(await rulesTagged(comment)).toEqual([]);
    expect(await listLeftovers(ownRun[RUN_LABEL]!)).toEqual({ containers: [], networks: [], volumes: [], images: [] });

    // A crashed run's rule outlives its network: the sweep removes it.
    const orphan = `grader:${TEST_SESSION}-orphan`;
    await iptables(['-I', 'INPUT', '-i', 'br-0rphan0test', '-m', 'comment', '--comment', orphan, '-j', 'DROP']);
    await engine.sweepStale(20 * 365 * 24 * 3600 * 1000);
    expect(await rulesTagged(orphan)).toEqual([]);
  });
});

describe('disk limit', () => {
  // 1 MiB every 50 ms, at most 400 MiB: well past the limit, bounded if the watchdog failed
  const FILLER = [
    'sh',
    '-c',
    'i=0; while [ $i -lt 400 ]; do dd if=/dev/zero of=/fill.$i bs=1M count=1 2>/dev/null; i=$((i+1)); usleep 50000; done; sleep 60',
  ];
  const SMALL_DISK = { ...LIMITS, diskBytes: 16 * 1024 ** 2 };

  it('kills a service that writes past its disk limit and says so', async () => {
    const started = Date.now();
    const svc = await service({ command: FILLER, limits: SMALL_DISK });
    const exit = await svc.exited();
    expect(exit).toMatchObject({ killedFor: 'disk', oomKilled: false });
    console.log(`disk filler (16 MiB limit) killed after ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('kills a one-shot run that writes past its disk limit', async () => {
    const result = await engine.runOnce({ image: BASE, env: {}, labels, limits: SMALL_DISK, timeoutMs: 30_000, args: FILLER });
    expect(result).toMatchObject({ killedFor: 'disk', exitCode: null });
    expect(result.durationMs).toBeLessThan(15_000);
  });
});

describe('process limit', () => {
  // Forks until the limit refuses one; its own complaint goes to /dev/null, so only the cgroup can tell.
  const SILENT_BOMB = 'exec 2>/dev/null; for i in $(seq 40); do sleep 5 & done';
  const FEW_PIDS = { ...LIMITS, pids: 16 };

  it('tells that an exec hit the pids limit while the service lives on', async () => {
    const svc = await service({ command: ['sleep', '60'], limits: FEW_PIDS });
    const calm = await svc.exec(['sh', '-c', 'sleep 0.1 & wait'], { timeoutMs: 10_000 });
    expect(calm.pidsLimitHit).toBeUndefined();
    expect(svc.pidsLimitHit?.()).toBe(false);
    const bomb = await svc.exec(['sh', '-c', SILENT_BOMB], { timeoutMs: 10_000 });
    expect(bomb.stderr.text).toBe('');
    expect(bomb.pidsLimitHit).toBe(true);
    expect(svc.pidsLimitHit?.()).toBe(true);
    expect(svc.exitInfo()).toBeUndefined();
  });

  it('tells that a one-shot run hit the pids limit', async () => {
    const result = await engine.runOnce({
      image: BASE,
      env: {},
      labels,
      limits: FEW_PIDS,
      timeoutMs: 10_000,
      // the outer shell outlives the bomb without forking (exec), so the counter is read while the cgroup exists
      args: ['sh', '-c', `sh -c '${SILENT_BOMB}'; exec sleep 2`],
    });
    expect(result.stderr.text).toBe('');
    expect(result).toMatchObject({ pidsLimitHit: true, exitCode: 0 });
    expect(result.killedFor).toBeUndefined();
  });
});

describe('leftovers', () => {
  it('leaves no container, network, volume or firewall rule of this file once its run is cleaned up', async () => {
    for (const svc of services) if (!svc.exitInfo()) await svc.stop(0);
    await engine.cleanup(runId);
    expect(await listLeftovers(runId)).toEqual({ containers: [], networks: [], volumes: [], images: [] });
    expect(await rulesTagged(GRADER_RULE)).toEqual([]);
  });
});

describe('build limits', () => {
  const dockerode = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let context: string;

  beforeAll(async () => {
    context = await mkdtemp(path.join(tmpdir(), 'grader-build-limits-'));
    await writeFile(
      path.join(context, 'Dockerfile'),
      // the session in the step keeps BuildKit from answering it out of an earlier run's cache
      `FROM ${BASE}\nRUN echo "${TEST_SESSION} memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)" && date > /built\n`,
    );
  });

  afterAll(async () => {
    await rm(context, { recursive: true, force: true });
  });

  async function stepLimits(buildkit: boolean): Promise<string> {
    const lines: string[] = [];
    const outcome = await buildImage(
      dockerode,
      {
        contextDir: context,
        dockerfile: 'Dockerfile',
        dockerfileText: await readFile(path.join(context, 'Dockerfile'), 'utf8'),
        runId: TEST_SESSION,
        buildArgs: {},
        labels,
        timeoutMs: 120_000,
        tag: `grader-test-limits-${buildkit ? 'bk' : 'classic'}:${TEST_SESSION}`,
        onLog: (line) => lines.push(line),
        limits: { memoryBytes: 768 * 1024 ** 2, cpus: 1.5 },
      },
      { buildkit },
    );
    expect(outcome.ok).toBe(true);
    return lines.find((line) => /memory=\d+ quota=-?\d+/.test(line)) ?? '';
  }

  it('applies memory (no swap) and CPU limits to classic build steps', async () => {
    const seen = await stepLimits(false);
    expect(seen).toContain(`memory=${768 * 1024 ** 2} quota=150000`);
  });

  it('records what BuildKit does with them', async () => {
    const seen = await stepLimits(true);
    console.log(`BuildKit build step sees: ${seen.trim()}`);
    expect(seen).toMatch(/memory=\d+/);
  });
});

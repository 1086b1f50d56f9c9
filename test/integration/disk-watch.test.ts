/**
 * The disk watch where the grader cannot read the container's layer (it does not run as
 * root, or not on the engine's host): the layer is measured with the engine's `SizeRw`.
 * On the real engine: what it measures, that a layer it cannot measure (paths past
 * PATH_MAX) is not taken for an empty one, and that the watch kills on either.
 */
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerWatch } from '../../src/engine/container/container-watch.js';
import { layerGauge } from '../../src/engine/container/disk-gauge.js';
import { RUN_LABEL } from '../../src/engine/engine.js';
import { TEST_SESSION, docker, eventually } from '../helpers/docker.js';

const dockerode = new Dockerode();
const label = `${TEST_SESSION}-disk-watch`;
const DEEP = 'n=$(printf "%0200d" 0); i=0; while [ $i -lt 30 ]; do mkdir $n && cd -P $n || exit 1; i=$((i+1)); done; echo x > f';

afterAll(async () => {
  const ids = (await docker('ps', '-aq', '--filter', `label=${RUN_LABEL}=${label}`)).split('\n').filter(Boolean);
  if (ids.length > 0) await docker('rm', '-f', ...ids);
});

async function started(script: string): Promise<{ container: Dockerode.Container; pid: number }> {
  const container = await dockerode.createContainer({
    Image: 'busybox:1.35',
    Cmd: ['sh', '-c', `${script}; echo ready; exec sleep 60`],
    Labels: { [RUN_LABEL]: label },
    HostConfig: { NetworkMode: 'none' },
  });
  await container.start();
  await eventually(async () => expect(await docker('logs', container.id)).toContain('ready'));
  return { container, pid: (await container.inspect()).State.Pid };
}

describe("the disk watch on the engine's own measure", () => {
  it('reads the bytes written, and calls a layer the engine cannot walk unmeasurable', async () => {
    const { container: filled } = await started('dd if=/dev/zero of=/fill bs=1M count=20 2>/dev/null');
    const gauge = await layerGauge(filled, undefined, 1_000);
    expect(gauge.countsEntries).toBe(false);
    const reading = await gauge.measure(Infinity, new AbortController().signal);
    expect((reading as { bytes: number }).bytes).toBeGreaterThanOrEqual(20 * 1024 ** 2);

    const { container: deep } = await started(DEEP);
    expect(await (await layerGauge(deep, undefined, 1_000)).measure(Infinity, new AbortController().signal)).toEqual({
      unmeasurable: true,
    });
  });

  it('kills a container whose layer cannot be measured, as over its disk limit', async () => {
    const { container, pid } = await started(DEEP);
    const reasons: string[] = [];
    const watch = await ContainerWatch.start(
      container,
      { State: { Pid: pid } },
      {
        diskBytes: 64 * 1024 ** 2,
        volumes: [],
        volumeBytes: 0,
        onDiskExceeded: async (reason) => {
          reasons.push(reason);
        },
      },
    );
    try {
      await eventually(async () => expect(reasons).toEqual(['files']));
    } finally {
      watch.stop();
    }
  });
});

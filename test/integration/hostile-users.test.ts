/**
 * Hostile submissions that run as root under another spelling: `USER 00:00`, a name that
 * is uid 0 in the image's /etc/passwd, a uid the engine cuts to 32 bits; next to a user
 * that does not exist and two genuine unprivileged users. Each is graded on the real
 * engine with the image's non-root check and the Dockerfile's non-root rule, and a
 * one-shot `id -u` run shows which uid the engine really gives the container.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../src/engine/engine.js';
import { engine as connectEngine, expectNothingLeft } from '../helpers/docker.js';
import { SMALL_LIMITS, check, fixture, gradeHostile } from '../helpers/hostile.js';

let engine: ContainerEngine;

beforeAll(async () => {
  engine = await connectEngine();
});

async function gradeUser(dockerfile: string) {
  const run = await gradeHostile(
    engine,
    fixture('root-in-disguise'),
    `
rubric: 1
title: root in disguise
build: { dockerfile: ${dockerfile} }
${SMALL_LIMITS}
checks:
  - { id: rule, name: non-root rule, dockerfile: { rule: non-root-user } }
  - { id: build, name: builds, required: true, build: {} }
  - { id: image, name: non-root image, image: { user: non-root } }
  - { id: uid, name: the uid the engine gives, timeout: 5s, run: { args: [id, -u] } }
`,
  );
  expect(check(run.result, 'build').status).toBe('passed');
  return { ...run, rule: check(run.result, 'rule'), image: check(run.result, 'image'), uid: check(run.result, 'uid') };
}

/** The uid the container really ran as, printed by `id -u`. */
function engineUid(uid: ReturnType<typeof check>): string {
  expect(uid.status, uid.message).toBe('passed');
  return (uid.output ?? '').trim();
}

describe('hostile submissions: root under another name', () => {
  it('fails USER 00:00 in the rule and in the image check; the container is root', async () => {
    const { rule, image, uid, runId } = await gradeUser('Dockerfile.zeros');
    expect(rule.status).toBe('failed');
    expect(rule.message).toMatch(/^USER "00:00" on line 3 is uid 0, root: as the final stage's last USER/);
    expect(rule.location).toMatchObject({ path: 'Dockerfile.zeros', line: 3 });
    expect(image.status).toBe('failed');
    expect(image.message).toBe('the image runs as user "00:00", which is uid 0 (root); set a non-root USER');
    expect(engineUid(uid)).toBe('0');
    await expectNothingLeft(runId);
  });

  it("fails a name that is uid 0 in the image's /etc/passwd; the rule leaves names to the image check", async () => {
    const { rule, image, uid, runId } = await gradeUser('Dockerfile.passwd');
    expect(image.status).toBe('failed');
    expect(image.message).toBe(
      'the image runs as user "app", which is uid 0 (root) in the image\'s /etc/passwd (line 3); set a non-root USER',
    );
    expect(engineUid(uid)).toBe('0');
    // The Dockerfile alone cannot tell which uid a name has.
    expect(rule.status).toBe('passed');
    expect(rule.message).toBe('USER "app" on line 4 names user "app", not root (the image check looks up its uid)');
    await expectNothingLeft(runId);
  });

  it('fails a passwd uid the engine cuts to 32 bits, so 4294967296 is root', async () => {
    const { image, uid, runId } = await gradeUser('Dockerfile.wrap');
    expect(image.status).toBe('failed');
    expect(image.message).toContain(
      'the image runs as user "svc", which is uid 0 (root) in the image\'s /etc/passwd (line 3, whose uid field "4294967296" the engine reads as 0)',
    );
    expect(engineUid(uid)).toBe('0');
    await expectNothingLeft(runId);
  });

  it('fails a user that does not exist in the image, which the engine cannot start', async () => {
    const { image, uid, runId } = await gradeUser('Dockerfile.ghost');
    expect(image.status).toBe('failed');
    expect(image.message).toContain(
      'the image runs as user "ghost", but user "ghost" does not exist in the image\'s /etc/passwd, so the container cannot start',
    );
    expect(uid.status).not.toBe('passed');
    expect(`${uid.message}\n${uid.output ?? ''}`).toMatch(/unable to find user ghost/);
    await expectNothingLeft(runId);
  });

  it.each([
    ['Dockerfile.uid1000', '1000', 'user "1000" (uid 1000)'],
    ['Dockerfile.nobody', '65534', 'user "nobody" (uid 65534 in /etc/passwd)'],
  ])('passes the genuine unprivileged user of %s', async (dockerfile, expectedUid, actual) => {
    const { rule, image, uid, runId } = await gradeUser(dockerfile);
    expect(rule.status, rule.message).toBe('passed');
    expect(image.status, image.message).toBe('passed');
    expect(image.actual).toBe(actual);
    expect(engineUid(uid)).toBe(expectedUid);
    await expectNothingLeft(runId);
  });
});

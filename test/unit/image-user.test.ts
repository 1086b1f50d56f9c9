import { describe, expect, it } from 'vitest';
import type { ImageFile } from '../../src/engine/engine.js';
import { checkNonRoot, PASSWD_PATH, PASSWD_READ_BYTES } from '../../src/probes/image-user.js';
import { FakeEngine } from '../helpers/fake-engine.js';

const IMAGE = 'sha256:image';
const BUSYBOX_PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n';

function engineWith(passwd: ImageFile | string | undefined): FakeEngine {
  const engine = new FakeEngine();
  if (passwd !== undefined) {
    engine.files.set(
      `${IMAGE}:${PASSWD_PATH}`,
      typeof passwd === 'string' ? { kind: 'file', content: Buffer.from(passwd), truncated: false } : passwd,
    );
  }
  return engine;
}

describe('checkNonRoot', () => {
  it('fails an image without USER', async () => {
    const engine = engineWith(BUSYBOX_PASSWD);
    expect(await checkNonRoot(engine, IMAGE, '')).toEqual({
      ok: false,
      actual: 'user root (no USER set)',
      problem: 'the image runs as root (no USER set); set a non-root USER',
    });
    expect(engine.readCalls).toEqual([]);
  });

  it.each(['0', '00:00', '+0', '-0:1000', '0000000000'])('fails the numeric root %s without reading /etc/passwd', async (user) => {
    const engine = engineWith(BUSYBOX_PASSWD);
    const verdict = await checkNonRoot(engine, IMAGE, user);
    expect(verdict.ok).toBe(false);
    expect(verdict.problem).toBe(`the image runs as user ${JSON.stringify(user)}, which is uid 0 (root); set a non-root USER`);
    expect(verdict.actual).toBe(`user ${JSON.stringify(user)} (uid 0)`);
    expect(engine.readCalls).toEqual([]);
  });

  it('fails root by name and an empty user part', async () => {
    const engine = engineWith('root:x:1000:0::/:/bin/sh\n');
    expect((await checkNonRoot(engine, IMAGE, 'root:1000')).problem).toBe(
      'the image runs as user "root:1000", which is root (uid 0); set a non-root USER',
    );
    expect((await checkNonRoot(engine, IMAGE, ':1000')).problem).toBe(
      'the image runs as user ":1000", which names no user, so the container stays root (uid 0); set a non-root USER',
    );
  });

  it('passes a numeric non-root user, whatever its group, without reading /etc/passwd', async () => {
    const engine = engineWith(undefined);
    for (const user of ['1000', '1000:0', '65534:root', '01000']) {
      const verdict = await checkNonRoot(engine, IMAGE, user);
      expect(verdict.ok, user).toBe(true);
      expect(verdict.problem).toBeUndefined();
    }
    expect((await checkNonRoot(engine, IMAGE, '01000')).actual).toBe('user "01000" (uid 1000)');
    expect(engine.readCalls).toEqual([]);
  });

  it('fails a number the engine refuses', async () => {
    const verdict = await checkNonRoot(engineWith(BUSYBOX_PASSWD), IMAGE, '4294967296');
    expect(verdict.ok).toBe(false);
    expect(verdict.problem).toBe(
      'the image runs as user "4294967296", but "4294967296" is not a uid the engine accepts (0 to 2147483647), so the container cannot start; set a non-root USER',
    );
  });

  it("resolves a name through the image's /etc/passwd, read capped", async () => {
    const engine = engineWith(BUSYBOX_PASSWD);
    expect(await checkNonRoot(engine, IMAGE, 'nobody')).toEqual({ ok: true, actual: 'user "nobody" (uid 65534 in /etc/passwd)' });
    expect(await checkNonRoot(engine, IMAGE, 'nobody:0')).toMatchObject({ ok: true });
    expect(engine.readCalls).toEqual([
      { image: IMAGE, path: '/etc/passwd', maxBytes: PASSWD_READ_BYTES },
      { image: IMAGE, path: '/etc/passwd', maxBytes: PASSWD_READ_BYTES },
    ]);
  });

  it('fails a name that is uid 0 in the image, naming the line', async () => {
    const verdict = await checkNonRoot(engineWith(`${BUSYBOX_PASSWD}app:x:0:0::/:/bin/sh\n`), IMAGE, 'app');
    expect(verdict).toEqual({
      ok: false,
      actual: 'user "app" (uid 0 in /etc/passwd)',
      problem: 'the image runs as user "app", which is uid 0 (root) in the image\'s /etc/passwd (line 3); set a non-root USER',
    });
  });

  it('explains a garbled line that the engine reads as uid 0', async () => {
    expect((await checkNonRoot(engineWith('app\n'), IMAGE, 'app')).problem).toBe(
      'the image runs as user "app", which is uid 0 (root) in the image\'s /etc/passwd (line 1, which has no uid field); set a non-root USER',
    );
    expect((await checkNonRoot(engineWith('app:x:4294967296:0::/:/bin/sh\n'), IMAGE, 'app')).problem).toBe(
      'the image runs as user "app", which is uid 0 (root) in the image\'s /etc/passwd (line 1, whose uid field "4294967296" the engine reads as 0); set a non-root USER',
    );
  });

  it('fails a name that does not exist in the image: the container could not start', async () => {
    const verdict = await checkNonRoot(engineWith(BUSYBOX_PASSWD), IMAGE, 'ghost');
    expect(verdict).toEqual({
      ok: false,
      actual: 'user "ghost" (no such user)',
      problem:
        'the image runs as user "ghost", but user "ghost" does not exist in the image\'s /etc/passwd, so the container cannot start; create the user in the Dockerfile (e.g. adduser) or USER a numeric uid',
    });
  });

  it('fails a name when the image has no /etc/passwd', async () => {
    const verdict = await checkNonRoot(engineWith(undefined), IMAGE, 'app');
    expect(verdict.ok).toBe(false);
    expect(verdict.problem).toBe(
      'the image runs as user "app", but the image has no /etc/passwd, so user "app" does not exist in the image and the container cannot start; create the user in the Dockerfile or USER a numeric uid',
    );
  });

  it('fails a name when /etc/passwd is not a regular file, since the grader cannot tell its uid', async () => {
    for (const type of ['symlink', 'directory']) {
      const verdict = await checkNonRoot(engineWith({ kind: 'other', type }), IMAGE, 'app');
      expect(verdict.ok).toBe(false);
      expect(verdict.problem).toBe(
        `the image runs as user "app", but /etc/passwd in the image is a ${type}, not a regular file, so the grader cannot tell which uid "app" is; keep /etc/passwd a regular file or USER a numeric uid`,
      );
    }
  });

  it('uses what a huge /etc/passwd holds in its first part, and fails when the name is not there', async () => {
    const filler = 'x'.repeat(100);
    const head = `app:x:1000:0::/:/bin/sh\n${filler}\n${filler.slice(0, 10)}`;
    expect(await checkNonRoot(engineWith({ kind: 'file', content: Buffer.from(head), truncated: true }), IMAGE, 'app')).toMatchObject({
      ok: true,
    });
    const rootHead = `app:x:0:0::/:/bin/sh\n${filler}`;
    expect(await checkNonRoot(engineWith({ kind: 'file', content: Buffer.from(rootHead), truncated: true }), IMAGE, 'app')).toMatchObject({
      ok: false,
    });
    const verdict = await checkNonRoot(
      engineWith({ kind: 'file', content: Buffer.from(`${filler}\napp:x:10`), truncated: true }),
      IMAGE,
      'app',
    );
    expect(verdict).toEqual({
      ok: false,
      actual: 'user "app" (uid unknown)',
      problem:
        'the image runs as user "app", but "app" is not in the first 1.0 MB of the image\'s /etc/passwd, which is longer than the grader reads, so it cannot tell which uid that is',
    });
  });

  it('quotes hostile user text', async () => {
    const verdict = await checkNonRoot(engineWith(BUSYBOX_PASSWD), IMAGE, 'a\n## b`"');
    expect(verdict.problem).toContain('user "a\\n## b`\\""');
    expect(verdict.problem).not.toContain('\n');
  });
});

/**
 * The port the grader had to find reaches the student: once, at the top of the result,
 * in every report; the service checks pass on it, and only the EXPOSE check costs points.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grade } from '../../src/core/grade.js';
import { toJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { Rubric } from '../../src/rubric/model.js';
import { FakeEngine, check, imageInfo, testRubric } from '../helpers/fake-engine.js';

const NOTE = 'the image EXPOSEs no port; the app listens on 8080, which was used: add `EXPOSE 8080`';

let repo: string;
let server: net.Server;
let serverPort: number;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'grader-note-'));
  writeFileSync(path.join(repo, 'Dockerfile'), 'FROM busybox:1.35\nCMD ["httpd", "-f", "-p", "8080"]\n');
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as net.AddressInfo).port;
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  sockets.forEach((s) => s.destroy());
  server.close();
});

function engineListeningOn8080(): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set('sha256:fake', imageInfo({ exposedPorts: [] }));
  engine.service.ports.set(8080, { host: '127.0.0.1', port: serverPort });
  engine.service.listening = [{ port: 8080, loopback: false }];
  return engine;
}

const rubric = (partial: Partial<Rubric> = {}): Rubric =>
  testRubric({
    service: { env: {}, ready: { timeoutMs: 5_000 } },
    checks: [
      check({ kind: 'dockerfile', rule: 'expose' }, { id: 'expose', name: 'EXPOSE documents the port' }),
      check({ kind: 'tcp' }, { id: 'answers', name: 'answers' }),
    ],
    ...partial,
  });

describe('a port found by listening', () => {
  it('passes the service checks, leaves the penalty to EXPOSE, and says so once in every report', async () => {
    const result = await grade({ rubric: rubric(), submission: { dir: repo, source: repo }, engine: engineListeningOn8080() });
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['expose', 'failed'],
      ['answers', 'passed'],
    ]);
    expect(result.checks[1]!.message).toBe('port 8080 accepts connections');
    expect(result.notes).toEqual([NOTE]);

    expect(renderMarkdown(result)).toContain('> ℹ️ the image EXPOSEs no port; the app listens on 8080, which was used: add `EXPOSE 8080`');
    const terminal = renderTerminal(result, { color: false }).split('\n');
    expect(terminal[2]).toBe(`ℹ ${NOTE}`);
    expect(JSON.parse(toJson(result))).toMatchObject({ notes: [NOTE] });
  });

  it('is said in Korean in a Korean report', async () => {
    const result = await grade({
      rubric: rubric({ locale: 'ko' }),
      submission: { dir: repo, source: repo },
      engine: engineListeningOn8080(),
    });
    expect(result.notes).toEqual([
      '이미지가 EXPOSE한 포트가 없습니다. 앱이 8080번 포트에서 요청을 기다리고 있어 이 포트로 채점했습니다. Dockerfile에 `EXPOSE 8080` 줄을 추가하세요',
    ]);
  });

  it('leaves no note when the image names the port', async () => {
    const engine = engineListeningOn8080();
    engine.images.set('sha256:fake', imageInfo({ exposedPorts: [8080] }));
    const result = await grade({ rubric: rubric(), submission: { dir: repo, source: repo }, engine });
    expect(result.checks[1]!.status).toBe('passed');
    expect(result).not.toHaveProperty('notes');
    expect(renderMarkdown(result)).not.toContain('ℹ️');
    expect(JSON.parse(toJson(result))).not.toHaveProperty('notes');
  });
});

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InfrastructureError, UserError } from '../../src/basics/errors.js';
import {
  MAX_ACTIVITY_PAGES,
  getRepository,
  githubAccessFrom,
  listBranchMoves,
  type GitHubAccess,
} from '../../src/workspace/github-activity.js';
import { FakeGitHub, NO_COMMIT, type FakeRepository } from '../helpers/fake-github.js';

const TOKEN = 'ghp_unit_secret_0123456789abcdef';
const DEADLINE = new Date('2025-03-01T12:00:00Z');
const MINUTE = 60_000;
const sha = (n: number) => n.toString(16).padStart(40, 'a');
const minutesFromDeadline = (m: number) => new Date(DEADLINE.getTime() + m * MINUTE).toISOString();

describe('githubAccessFrom', () => {
  it('knows the server of GitHub.com, GitHub Enterprise Server and GHE.com data residency', () => {
    expect(githubAccessFrom({ apiUrl: 'https://api.github.com' })).toEqual({
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
    });
    expect(githubAccessFrom({ apiUrl: 'https://git.example.edu/api/v3/' }).serverUrl).toBe('https://git.example.edu');
    expect(githubAccessFrom({ apiUrl: 'https://api.octocorp.ghe.com' }).serverUrl).toBe('https://octocorp.ghe.com');
    expect(githubAccessFrom({ apiUrl: 'http://127.0.0.1:8080/api/v3' }).serverUrl).toBe('http://127.0.0.1:8080');
    // Any other API is taken to serve git itself, as the fake GitHub does at its root.
    expect(githubAccessFrom({ apiUrl: 'http://127.0.0.1:8080/' })).toEqual({
      apiUrl: 'http://127.0.0.1:8080',
      serverUrl: 'http://127.0.0.1:8080',
    });
  });

  it('defaults to GITHUB_API_URL, then to GitHub.com', () => {
    const saved = process.env.GITHUB_API_URL;
    try {
      process.env.GITHUB_API_URL = 'https://ghes.example.edu/api/v3';
      expect(githubAccessFrom({}).serverUrl).toBe('https://ghes.example.edu');
      delete process.env.GITHUB_API_URL;
      expect(githubAccessFrom({}).apiUrl).toBe('https://api.github.com');
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL;
      else process.env.GITHUB_API_URL = saved;
    }
  });

  it('refuses to send a token over plain HTTP to another machine, and what is no URL', () => {
    expect(() => githubAccessFrom({ apiUrl: 'http://ghes.example.edu/api/v3', token: TOKEN })).toThrow(UserError);
    expect(() => githubAccessFrom({ apiUrl: 'not a url' })).toThrow(UserError);
  });

  it('keeps the token out of what printing the access shows', () => {
    const access = githubAccessFrom({ apiUrl: 'https://api.github.com', token: TOKEN });
    expect(access.token).toBe(TOKEN);
    expect(JSON.stringify(access)).not.toContain(TOKEN);
    expect(Object.keys(access)).toEqual(['apiUrl', 'serverUrl']);
  });
});

describe('the GitHub API client, against the fake GitHub', () => {
  let github: FakeGitHub;
  let access: GitHubAccess;
  let repo: FakeRepository;

  beforeEach(async () => {
    github = await FakeGitHub.start({ token: TOKEN });
    access = githubAccessFrom({ apiUrl: github.apiUrl, token: TOKEN });
    repo = github.addRepository({ owner: 'course', name: 'hw1-ana', bareDir: '/nonexistent', defaultBranch: 'trunk', private: true });
  });

  afterEach(async () => {
    expect(github.problems).toEqual([]);
    await github.close();
  });

  it('looks a repository up, private ones with the token only', async () => {
    expect(await getRepository(access, 'course', 'hw1-ana')).toEqual({ defaultBranch: 'trunk', private: true });
    const anonymous = githubAccessFrom({ apiUrl: github.apiUrl });
    expect(await getRepository(anonymous, 'course', 'hw1-ana')).toBeUndefined();
    repo.private = false;
    expect(await getRepository(anonymous, 'course', 'hw1-ana')).toEqual({ defaultBranch: 'trunk', private: false });
    expect(github.requests.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, undefined, undefined]);
    expect(github.requests.map((r) => r.path)).toEqual(Array(3).fill('/api/v3/repos/course/hw1-ana'));
  });

  it('says undefined for a repository that does not exist', async () => {
    expect(await getRepository(access, 'course', 'hw1-nobody')).toBeUndefined();
  });

  it('reads the moves of one branch, page by page, until one reaches back to the deadline', async () => {
    // 230 pushes, one a minute; the deadline falls after the 5th: three pages of 100 are read.
    for (let i = 0; i < 230; i++) github.addActivity(repo, { after: sha(i + 1), timestamp: minutesFromDeadline(i - 5) });
    github.addActivity(repo, { after: sha(999), timestamp: minutesFromDeadline(-30), branch: 'other' });
    const moves = await listBranchMoves(access, { owner: 'course', name: 'hw1-ana', branch: 'trunk' }, DEADLINE);
    expect(moves).toHaveLength(230);
    expect(moves[0]).toEqual({ after: sha(230), at: Date.parse(minutesFromDeadline(224)) });
    expect(moves.at(-1)).toEqual({ after: sha(1), at: Date.parse(minutesFromDeadline(-5)) });
    const pages = github.requests.filter((r) => r.operationId === 'repos/list-activities');
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.query.ref)).toEqual(Array(3).fill('refs/heads/trunk'));
    expect(pages[0]!.query.after).toBeUndefined();
    expect(pages[1]!.query.after).toBeDefined();
  });

  it('stops paging once a page reaches the deadline', async () => {
    for (let i = 0; i < 230; i++) github.addActivity(repo, { after: sha(i + 1), timestamp: minutesFromDeadline(i - 200) });
    const moves = await listBranchMoves(access, { owner: 'course', name: 'hw1-ana', branch: 'trunk' }, DEADLINE);
    expect(moves).toHaveLength(100);
    expect(github.requests).toHaveLength(1);
  });

  it('reads every page when nothing came before the deadline, and gives up past its page limit', async () => {
    github.addActivity(repo, { after: sha(1), timestamp: minutesFromDeadline(10) });
    github.addActivity(repo, { after: NO_COMMIT, timestamp: minutesFromDeadline(11), activity_type: 'branch_deletion' });
    const moves = await listBranchMoves(access, { owner: 'course', name: 'hw1-ana', branch: 'trunk' }, DEADLINE);
    expect(moves.map((m) => m.after)).toEqual([NO_COMMIT, sha(1)]);

    repo.activities.length = 0;
    for (let i = 0; i <= MAX_ACTIVITY_PAGES * 100; i++)
      github.addActivity(repo, { after: sha(i + 1), timestamp: minutesFromDeadline(i + 1) });
    github.requests.length = 0;
    await expect(listBranchMoves(access, { owner: 'course', name: 'hw1-ana', branch: 'trunk' }, DEADLINE)).rejects.toThrow(
      /more than 5000 pushes to trunk came after the deadline/,
    );
    expect(github.requests).toHaveLength(MAX_ACTIVITY_PAGES);
  });

  it('reports a refused token as an infrastructure failure that does not quote it', async () => {
    const wrong = githubAccessFrom({ apiUrl: github.apiUrl, token: `${TOKEN}-revoked` });
    const failure = await getRepository(wrong, 'course', 'hw1-ana').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(InfrastructureError);
    expect((failure as Error).message).toBe(`course/hw1-ana: GitHub's API at ${github.apiUrl} refused the token (401 "Bad credentials").`);
    expect((failure as Error).message).not.toContain(TOKEN);
  });

  it('says when the rate limit is used up, and when it resets', async () => {
    github.apiFailure = {
      status: 403,
      body: { message: 'API rate limit exceeded for 127.0.0.1.' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1740830400' },
    };
    const anonymous = githubAccessFrom({ apiUrl: github.apiUrl });
    await expect(getRepository(anonymous, 'course', 'hw1-ana')).rejects.toThrow(
      /^course\/hw1-ana: GitHub's API rate limit is used up \(403 "API rate limit exceeded for 127\.0\.0\.1\."\); it resets at 2025-03-01T12:00:00\.000Z\. No token was given\.$/,
    );
  });

  it('reports a server error, and a GitHub without the activity API', async () => {
    github.apiFailure = { status: 502, body: { message: 'Server Error' } };
    await expect(getRepository(access, 'course', 'hw1-ana')).rejects.toThrow(/answered 502 "Server Error"$/);
    github.apiFailure = { status: 404, body: { message: 'Not Found' } };
    await expect(listBranchMoves(access, { owner: 'course', name: 'hw1-ana', branch: 'trunk' }, DEADLINE)).rejects.toThrow(
      /has no repository activity API/,
    );
  });

  it('reports an API that cannot be reached', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = githubAccessFrom({ apiUrl: `http://127.0.0.1:${port}/api/v3`, token: TOKEN });
    const failure = await getRepository(gone, 'course', 'hw1-ana').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(InfrastructureError);
    expect((failure as Error).message).toBe(
      `course/hw1-ana: could not reach GitHub's API at http://127.0.0.1:${port}/api/v3: ECONNREFUSED`,
    );
  });
});

describe('the token stays on the API origin', () => {
  let server: http.Server;
  let base: string;
  const seen: { url: string; authorization?: string }[] = [];
  let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  beforeEach(async () => {
    seen.length = 0;
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      answer(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('does not follow a next page on another origin', async () => {
    const later = { id: 1, after: sha(2), timestamp: minutesFromDeadline(5), ref: 'refs/heads/main', activity_type: 'push' };
    answer = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', link: `<http://127.0.0.1:1/api/v3/next?after=x>; rel="next"` })
        .end(JSON.stringify([later]));
    const access = githubAccessFrom({ apiUrl: `${base}/api/v3`, token: TOKEN });
    await expect(listBranchMoves(access, { owner: 'o', name: 'r', branch: 'main' }, DEADLINE)).rejects.toThrow(
      /pointed the next page at another server; not followed/,
    );
    expect(seen).toHaveLength(1);
  });

  it('follows a redirect within the origin (a renamed repository) but not to another', async () => {
    answer = (req, res) => {
      if (req.url === '/api/v3/repos/o/old') return res.writeHead(301, { location: '/api/v3/repositories/7' }).end();
      if (req.url === '/api/v3/repositories/7') {
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ default_branch: 'main', private: false }));
      }
      return res.writeHead(301, { location: 'http://127.0.0.1:1/elsewhere' }).end();
    };
    const access = githubAccessFrom({ apiUrl: `${base}/api/v3`, token: TOKEN });
    expect(await getRepository(access, 'o', 'old')).toEqual({ defaultBranch: 'main', private: false });
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/api/v3/repos/o/old', `Bearer ${TOKEN}`],
      ['/api/v3/repositories/7', `Bearer ${TOKEN}`],
    ]);
    await expect(getRepository(access, 'o', 'away')).rejects.toThrow(/redirected to http:\/\/127\.0\.0\.1:1; not followed/);
  });

  it('refuses an answer it does not understand', async () => {
    answer = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ after: '--upload-pack=x', timestamp: 'now' }]));
    const access = githubAccessFrom({ apiUrl: `${base}/api/v3` });
    await expect(listBranchMoves(access, { owner: 'o', name: 'r', branch: 'main' }, DEADLINE)).rejects.toThrow(/does not understand/);
  });
});

// A class of students for the class-mode tests and benchmark: local git repositories (good,
// flawed, broken, hostile, late, nothing before the deadline, no repository, a plain folder…),
// a roster naming them and a small web rubric. Made with the git CLI, not the code under test.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEADLINE = '2026-11-01T00:00:00Z';
const BEFORE = '2026-10-20T12:00:00Z';
const AFTER = '2026-11-03T09:30:00Z';

export const RUBRIC = `rubric: 1
title: 숙제 1 — 웹 서비스
service:
  port: 8080
  ready: { timeout: 5s }
limits: { memory: 64m, pids: 64 }
pass: 60
checks:
  - id: dockerfile
    name: Dockerfile exists
    points: 10
    file: { path: Dockerfile }
  - id: pinned
    name: Base image pinned
    points: 10
    dockerfile: { rule: pinned-base }
  - id: builds
    name: Builds
    points: 20
    build: true
  - id: non-root
    name: Runs as non-root
    points: 10
    image: { user: non-root }
  - id: ping
    name: GET /ping answers 200
    points: 50
    http: { path: /ping, status: 200 }
`;

const SERVER = `#!/bin/sh
port="\${1:-8080}"
trap 'kill "$server" 2>/dev/null; exit 0' TERM INT
echo "listening on \${port}"
nc -ll -p "$port" -e /app/handle.sh &
server=$!
wait "$server"
`;

function handler(body) {
  return `#!/bin/sh
read -r method target _v
while read -r h && [ "$(printf '%s' "$h" | tr -d '\\r')" != "" ]; do :; done
case "$target" in
  /ping) b='${body}'; printf 'HTTP/1.1 200 OK\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "\${#b}" "$b" ;;
  *) printf 'HTTP/1.1 404 Not Found\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n' ;;
esac
`;
}

const NO_PING = `#!/bin/sh
read -r method target _v
while read -r h && [ "$(printf '%s' "$h" | tr -d '\\r')" != "" ]; do :; done
printf 'HTTP/1.1 404 Not Found\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n'
`;

function dockerfile({ user = '65534:65534', port = 8080, extra = '' } = {}) {
  return `FROM busybox:1.35
WORKDIR /app
COPY server.sh handle.sh /app/
${extra}EXPOSE 8080
USER ${user}
CMD ["/app/server.sh", "${port}"]
`;
}

const web = (options = {}, body = '{"status":"ok"}') => ({
  Dockerfile: dockerfile(options),
  'server.sh': SERVER,
  'handle.sh': handler(body),
});

/**
 * Each kind: its roster names, its files (one commit per entry of `commits`, dated), and what
 * grading it must give. `repository: null` is a row without a repository; `git: false` a plain folder.
 */
export const KINDS = [
  { kind: 'good', first: '민준', last: '김', commits: [{ at: BEFORE, files: web() }], expect: { status: 'graded', percent: 100 } },
  {
    kind: 'flawed',
    first: 'Seo-yeon',
    last: 'Lee',
    commits: [{ at: BEFORE, files: web({ port: 9090 }) }],
    expect: { status: 'graded', percent: 50 },
  },
  {
    kind: 'broken',
    first: '지호',
    last: '박',
    commits: [{ at: BEFORE, files: web({ extra: 'RUN exit 3\n' }) }],
    expect: { status: 'graded', percent: 20 },
  },
  {
    kind: 'hostile',
    first: '=HYPERLINK("http://evil.example","click")',
    last: '<img src=x onerror="window.__pwned=1">',
    commits: [{ at: BEFORE, files: web({}, '</script><script>window.__pwned=1</script>\\033[2J @everyone') }],
    expect: { status: 'graded', percent: 100 },
  },
  {
    kind: 'late',
    first: '서연',
    last: '정',
    commits: [
      { at: BEFORE, files: { ...web(), 'handle.sh': NO_PING } },
      { at: AFTER, files: web() },
    ],
    expect: { status: 'graded', percent: 50, late: true },
  },
  { kind: 'after-deadline', first: '하준', last: '강', commits: [{ at: AFTER, files: web() }], expect: { status: 'missing' } },
  { kind: 'no-repository', first: '지우', last: '윤', repository: null, expect: { status: 'missing' } },
  {
    kind: 'no-dockerfile',
    first: '도윤',
    last: '장',
    commits: [{ at: BEFORE, files: { 'README.md': 'forgot the Dockerfile\n' } }],
    expect: { status: 'graded', percent: 0 },
  },
  { kind: 'folder', first: '은서', last: '한', git: false, files: web(), expect: { status: 'graded', percent: 100 } },
  {
    kind: 'root',
    first: '시우',
    last: '오',
    commits: [{ at: BEFORE, files: web({ user: 'root' }) }],
    expect: { status: 'graded', percent: 90 },
  },
  {
    kind: 'unpinned',
    first: 'Min',
    last: 'Choi',
    commits: [{ at: BEFORE, files: { ...web(), Dockerfile: dockerfile().replace('busybox:1.35', 'busybox') } }],
    expect: { status: 'graded', percent: null },
  },
  {
    kind: 'two-commits',
    first: '예은',
    last: '서',
    commits: [
      { at: BEFORE, files: { ...web(), 'handle.sh': NO_PING } },
      { at: BEFORE.replace('20T', '21T'), files: web() },
    ],
    expect: { status: 'graded', percent: 100 },
  },
];

function git(cwd, args, date) {
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  return execFileSync('git', ['-c', 'user.email=s@example.com', '-c', 'user.name=s', ...args], { cwd, env, encoding: 'utf8' }).trim();
}

function writeFiles(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (name.endsWith('.sh')) chmodSync(file, 0o755);
  }
}

/**
 * Writes the class under `dir`: repos/<username>/, roster.csv, rubric.yml. `size` students, the
 * kinds taken in turn (`gradableOnly` leaves out those with nothing to grade). Returns where things are
 * and what each student must get.
 */
export function makeClass(dir, { size = KINDS.length, gradableOnly = false } = {}) {
  const kinds = gradableOnly ? KINDS.filter((k) => k.expect.status === 'graded') : KINDS;
  const students = [];
  for (let i = 0; i < size; i++) {
    const kind = kinds[i % kinds.length];
    const round = Math.floor(i / kinds.length);
    const username = `s${String(i + 1).padStart(2, '0')}-${kind.kind}`;
    const repoDir = path.join(dir, 'repos', username);
    let repository = `repos/${username}`;
    if (kind.repository === null) repository = '';
    else if (kind.git === false) writeFiles(repoDir, kind.files);
    else {
      mkdirSync(repoDir, { recursive: true });
      git(repoDir, ['init', '-q', '-b', 'main'], BEFORE);
      for (const [n, commit] of kind.commits.entries()) {
        writeFiles(repoDir, { ...commit.files, 'round.txt': `${round}\n` });
        git(repoDir, ['add', '-A'], commit.at);
        git(repoDir, ['commit', '-q', '-m', `work ${n + 1}`], commit.at);
      }
    }
    students.push({ username, kind: kind.kind, first: kind.first, last: kind.last, repository, expect: kind.expect });
  }
  const cell = (text) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const roster = path.join(dir, 'roster.csv');
  writeFileSync(
    roster,
    `username,first_name,last_name,section,repository\n${students
      .map((s, i) => [s.username, s.first, s.last, `분반 ${(i % 2) + 1}`, s.repository].map(cell).join(','))
      .join('\n')}\n`,
  );
  const rubric = path.join(dir, 'rubric.yml');
  writeFileSync(rubric, RUBRIC);
  return { roster, rubric, deadline: DEADLINE, students };
}

import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);
import {
  DEFAULT_CONTEXT_LIMITS,
  DEFAULT_LOCALE,
  EngineUnavailableError,
  InfrastructureError,
  MATCH_CAP_CHARS,
  MAX_LAYER_ENTRIES,
  NoCommandError,
  OUTPUT_CAP_BYTES,
  RUN_LABEL,
  RubricError,
  STALE_AFTER_MS,
  UserError,
  cleanText,
  clip,
  compilePattern,
  createDockerEngine,
  createGitHubApi,
  errorMessage,
  escapeInline,
  escapeInlineWithCode,
  fence,
  firstLine,
  formatBinaryBytes,
  formatBytes,
  formatDuration,
  formatRubricProblem,
  hasStartCommand,
  head,
  httpStatus,
  inShard,
  inlineCode,
  inputEnvironment,
  isLocale,
  isLoopback,
  isSafeUsername,
  loadRubric,
  mountFields,
  mountSource,
  neutraliseMarker,
  nothingToStart,
  parseClassSettings,
  parseSettings,
  readInputs,
  readRegularFile,
  readRoster,
  readRunContext,
  require_main,
  runLabels,
  silentLogger,
  t,
  tail,
  translator,
  truncateMiddle,
  tryConnect,
  withLocale,
  within,
  wrapForWorkflowLog,
  writeCsv
} from "./chunk-53C5I5XB.js";
import {
  STATE,
  debug,
  group,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-3EYALNUC.js";
import {
  __toESM
} from "./chunk-LGV4N2VW.js";

// src/action/run.ts
import path13 from "node:path";

// src/core/connect-engine.ts
async function connectEngine(engine, logger) {
  const info = await engine.ping();
  logger.debug(`engine ${info.version} (API ${info.apiVersion}), BuildKit ${info.buildkit ? "on" : "off"}`);
}
function startConnecting(engine, logger) {
  const connecting = connectEngine(engine, logger);
  connecting.catch(() => {
  });
  return connecting;
}
async function sweepLeftovers(engine, logger) {
  const swept = await engine.sweepStale(STALE_AFTER_MS).catch(() => 0);
  if (swept > 0) logger.info(`removed ${swept} leftovers of earlier runs`);
}

// src/workspace/submission.ts
import { mkdtemp as mkdtemp2, realpath, rm as rm2, stat } from "node:fs/promises";
import os2 from "node:os";
import path3 from "node:path";

// src/workspace/clone.ts
import { lstat, readdir } from "node:fs/promises";
import path2 from "node:path";

// src/workspace/git.ts
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
var ALLOWED_PROTOCOLS = ["https", "http", "ssh", "git", "file"];
var HARDENING = [
  "core.fsmonitor=false",
  "core.hooksPath=/dev/null",
  "protocol.allow=never",
  ...ALLOWED_PROTOCOLS.map((p) => `protocol.${p}.allow=always`),
  "advice.detachedHead=false",
  // A repository's own config could otherwise have `git log` or `git show` run its `gpg.program`.
  "log.showSignature=false"
];
var MAX_STDOUT_BYTES = 1024 * 1024;
var MAX_STDERR_BYTES = 16 * 1024;
var GitFailed = class extends Error {
  constructor(stderr, exit) {
    super(tellingLine(stderr) ?? `git ${exit}`);
    this.stderr = stderr;
  }
  stderr;
  name = "GitFailed";
};
var GitRunner = class _GitRunner {
  constructor(home) {
    this.home = home;
  }
  home;
  static async create() {
    return new _GitRunner(await mkdtemp(path.join(os.tmpdir(), "grader-git-home-")));
  }
  async close() {
    await rm(this.home, { recursive: true, force: true });
  }
  /** Runs `git args…` and resolves with its standard output (unless `onStdout` takes it). */
  run(args, call) {
    const { signal } = call;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const config = [...HARDENING, ...call.config ?? []].flatMap((setting) => ["-c", setting]);
    const child = spawn("git", [...config, ...args], {
      cwd: call.cwd,
      env: this.environment(call.privateConfig ?? [], call.ceiling),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"]
    });
    const group2 = child.pid;
    track(group2);
    return new Promise((resolve, reject) => {
      const stdout = [];
      let stdoutBytes = 0;
      let stderr = "";
      let stopped;
      const stop = (reason) => {
        if (stopped) return;
        stopped = { reason };
        killGroup(group2);
      };
      const onAbort = () => stop(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      child.stdout.on("data", (chunk) => {
        if (stopped) return;
        if (call.onStdout) {
          try {
            call.onStdout(chunk);
          } catch (err) {
            stop(err);
          }
        } else if (stdoutBytes < MAX_STDOUT_BYTES) {
          stdout.push(chunk);
          stdoutBytes += chunk.length;
        }
      });
      child.stderr.on("data", (chunk) => {
        stderr = (stderr + chunk.toString("utf8")).slice(-MAX_STDERR_BYTES);
      });
      let settled = false;
      const finish = (outcome) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        killGroup(group2);
        untrack(group2);
        outcome();
      };
      child.on("error", (err) => finish(() => reject(stopped ? stopped.reason : err)));
      child.on(
        "close",
        (code, killedBy) => finish(() => {
          if (stopped) reject(stopped.reason);
          else if (code === 0) resolve(Buffer.concat(stdout).toString("utf8"));
          else reject(new GitFailed(stderr, killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`));
        })
      );
    });
  }
  environment(privateConfig, ceiling) {
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.home,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      // Messages in one language: some are matched to explain them.
      LC_ALL: "C",
      ...ceiling !== void 0 ? { GIT_CEILING_DIRECTORIES: ceiling } : {}
    };
    if (privateConfig.length > 0) {
      env.GIT_CONFIG_COUNT = String(privateConfig.length);
      privateConfig.forEach(([key, value], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = key;
        env[`GIT_CONFIG_VALUE_${i}`] = value;
      });
    }
    return env;
  }
};
var liveGroups = /* @__PURE__ */ new Set();
var exitHookInstalled = false;
function track(group2) {
  if (group2 === void 0) return;
  if (!exitHookInstalled) {
    process.once("exit", () => liveGroups.forEach(killGroup));
    exitHookInstalled = true;
  }
  liveGroups.add(group2);
}
function untrack(group2) {
  if (group2 !== void 0) liveGroups.delete(group2);
}
function killGroup(group2) {
  if (group2 === void 0) return;
  try {
    process.kill(-group2, "SIGKILL");
  } catch {
  }
}
function tellingLine(stderr) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const fatal = lines.find((l) => /^(?:fatal|error):/.test(l));
  return (fatal ?? lines[0])?.replace(/^(?:fatal|error):\s*/, "");
}

// src/workspace/clone.ts
var CONTEXT_HEADROOM = 4;
var CLONE_LIMITS = {
  timeoutMs: 12e4,
  lowSpeedBytesPerSecond: 1024,
  lowSpeedSeconds: 30,
  maxFiles: CONTEXT_HEADROOM * DEFAULT_CONTEXT_LIMITS.maxFiles,
  maxBytes: CONTEXT_HEADROOM * DEFAULT_CONTEXT_LIMITS.maxBytes
};
var DOWNLOAD_POLL_MS = 250;
var CloneStopped = class extends Error {
  name = "CloneStopped";
};
function cloneCommit(request) {
  return withinLimits(request.limits, request.signal, (stop) => cloneSteps(request, stop));
}
function cloneHistory(request) {
  const { git, dir, limits } = request;
  return withinLimits(limits, request.signal, async (stop) => {
    const args = ["clone", "--bare", "--quiet", "--template=", "--filter=blob:none", "--single-branch", "--no-tags"];
    if (request.branch) args.push("--branch", request.branch);
    await withDownloadCap(
      path2.join(dir, "objects"),
      limits.maxBytes,
      stop,
      () => git.run([...args, "--", request.url, dir], { cwd: dir, signal: stop.signal, config: lowSpeed(limits) })
    );
  });
}
async function withinLimits(limits, signal, steps) {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new CloneStopped(`it took longer than ${seconds(limits.timeoutMs)}`)), limits.timeoutMs);
  const onInterrupt = () => stop.abort(new CloneStopped(errorMessage(signal?.reason ?? "interrupted")));
  if (signal?.aborted) onInterrupt();
  else signal?.addEventListener("abort", onInterrupt, { once: true });
  try {
    return await steps(stop);
  } catch (err) {
    throw stop.signal.aborted ? stop.signal.reason : explain(err, limits);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onInterrupt);
  }
}
function lowSpeed(limits) {
  return [`http.lowSpeedLimit=${limits.lowSpeedBytesPerSecond}`, `http.lowSpeedTime=${limits.lowSpeedSeconds}`];
}
async function cloneSteps(request, stop) {
  const { git, dir, limits } = request;
  const call = { cwd: dir, signal: stop.signal };
  await git.run(["init", "--quiet", "--template="], call);
  const fetchCall = {
    ...call,
    config: lowSpeed(limits),
    // Scoped to the repository's URL: a redirect elsewhere does not get the header.
    privateConfig: request.authHeader ? [[`http.${request.url}.extraHeader`, request.authHeader]] : []
  };
  const commit = await withDownloadCap(
    path2.join(dir, ".git", "objects"),
    limits.maxBytes,
    stop,
    () => fetchCommit(git, { local: call, remote: fetchCall }, request.url, request.ref)
  );
  await checkTree(git, call, commit, limits);
  await git.run(["checkout", "--quiet", "--detach", commit], { ...call, config: ["core.symlinks=true"] });
  return commit;
}
async function fetchCommit(git, calls, url, ref) {
  const { local, remote } = calls;
  const wanted = ref ?? "HEAD";
  try {
    await git.run(["fetch", "--quiet", "--depth", "1", "--no-tags", "--end-of-options", url, wanted], remote);
    return await commitOf(git, local, "FETCH_HEAD");
  } catch (shallowError) {
    if (local.signal?.aborted || isStall(shallowError)) throw shallowError;
    const refspecs = ["+refs/heads/*:refs/remotes/origin/*", ...ref ? [] : ["+HEAD:refs/remotes/origin/HEAD"]];
    try {
      await git.run(["fetch", "--quiet", "--tags", "--end-of-options", url, ...refspecs], remote);
    } catch (fullError) {
      throw local.signal?.aborted ? fullError : shallowError;
    }
    for (const candidate of [wanted, `origin/${wanted}`, `refs/tags/${wanted}`]) {
      const commit = await commitOf(git, local, candidate).catch(() => void 0);
      if (commit) return commit;
    }
    throw new Error(`no branch, tag or commit named "${wanted}"`);
  }
}
async function commitOf(git, call, name) {
  const sha = (await git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", `${name}^{commit}`], call)).trim();
  if (!sha) throw new Error(`no commit named "${name}"`);
  return sha;
}
async function withDownloadCap(objectsDir, maxBytes, stop, fetch2) {
  const check = async () => {
    if (await folderBytes(objectsDir) > maxBytes) {
      stop.abort(new CloneStopped(`the download passed ${formatBinaryBytes(maxBytes)}, the most the grader takes`));
    }
  };
  let measuring = false;
  const poll = setInterval(() => {
    if (measuring) return;
    measuring = true;
    void check().finally(() => measuring = false);
  }, DOWNLOAD_POLL_MS);
  try {
    const result = await fetch2();
    await check();
    if (stop.signal.aborted) throw stop.signal.reason;
    return result;
  } finally {
    clearInterval(poll);
  }
}
async function folderBytes(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    total += (await lstat(path2.join(entry.parentPath, entry.name)).catch(() => void 0))?.size ?? 0;
  }
  return total;
}
async function checkTree(git, call, commit, limits) {
  let files = 0;
  let bytes = 0;
  let partial = "";
  const onStdout = (chunk) => {
    const entries = (partial + chunk.toString("latin1")).split("\0");
    partial = entries.pop() ?? "";
    for (const entry of entries) {
      files += 1;
      bytes += Number(entry.slice(0, entry.indexOf("	")).split(/ +/)[3]) || 0;
      if (files > limits.maxFiles) {
        throw new CloneStopped(`the commit has more than ${count(limits.maxFiles)} files, the most the grader takes`);
      }
      if (bytes > limits.maxBytes) {
        throw new CloneStopped(`the commit's files take more than ${formatBinaryBytes(limits.maxBytes)}, the most the grader takes`);
      }
    }
  };
  await git.run(["ls-tree", "-r", "-l", "-z", "--full-tree", "--end-of-options", commit], { ...call, onStdout });
}
function explain(err, limits) {
  if (isStall(err)) {
    return new CloneStopped(
      `the server sent less than ${formatBinaryBytes(limits.lowSpeedBytesPerSecond)} a second for ${seconds(limits.lowSpeedSeconds * 1e3)}`
    );
  }
  return err;
}
function isStall(err) {
  return err instanceof GitFailed && /Operation too slow/i.test(err.message);
}
function seconds(ms) {
  return `${Math.round(ms / 100) / 10} s`;
}
function count(n) {
  return n.toLocaleString("en-US");
}

// src/workspace/submission.ts
var FOLDER_GIT_TIMEOUT_MS = 1e4;
var MAX_MESSAGE_CHARS = 500;
var GIT_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@[^:]+:)/i;
function looksLikeGitUrl(target) {
  return GIT_URL.test(target);
}
async function openSubmission(target, options = {}) {
  if (options.ref) checkRef(options.ref);
  if (looksLikeGitUrl(target) || options.ref) return cloneSubmission(target, options);
  return openFolder(target, options.signal);
}
function checkRef(ref) {
  if (ref.startsWith("-") || /[\s\x00-\x1f\x7f]/.test(ref)) {
    throw new UserError(
      `not a branch, tag or commit: ${cleanText(JSON.stringify(ref))} (a ref cannot start with "-" or contain spaces or control characters)`
    );
  }
}
async function openFolder(target, signal) {
  const dir = path3.resolve(target);
  const info = await stat(dir).catch(() => void 0);
  if (!info) throw new UserError(`submission folder not found: ${dir}`);
  if (!info.isDirectory()) throw new UserError(`submission is not a folder: ${dir}`);
  return { dir, source: target, revision: folderCommit(dir, signal), dispose: async () => {
  } };
}
async function folderCommit(dir, signal) {
  let git;
  try {
    const top = await realpath(dir);
    git = await GitRunner.create();
    const head2 = await git.run(["show", "-s", "--format=%H%n%cI", "HEAD^{commit}", "--"], {
      ...gitCall(top, signal),
      ceiling: path3.dirname(top),
      config: ["safe.bareRepository=explicit"]
    });
    const [commit = "", date = ""] = head2.trim().split("\n");
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return {};
    const committedAt = isoDate(date);
    return { commit, ...committedAt ? { committedAt } : {} };
  } catch {
    return {};
  } finally {
    await git?.close();
  }
}
async function committerDate(git, dir, commit, signal) {
  try {
    return isoDate(await git.run(["show", "-s", "--format=%cI", commit, "--"], gitCall(dir, signal)));
  } catch {
    return void 0;
  }
}
function isoDate(text) {
  const date = text.trim();
  return Number.isNaN(Date.parse(date)) ? void 0 : new Date(date).toISOString();
}
function gitCall(cwd, signal) {
  const timeout = AbortSignal.timeout(FOLDER_GIT_TIMEOUT_MS);
  return { cwd, signal: signal ? AbortSignal.any([signal, timeout]) : timeout };
}
async function cloneSubmission(target, options) {
  const url = looksLikeGitUrl(target) ? target : path3.resolve(target);
  const dir = await mkdtemp2(path3.join(os2.tmpdir(), "grader-submission-"));
  const dispose = () => rm2(dir, { recursive: true, force: true });
  const git = await GitRunner.create().catch(async (err) => {
    await dispose();
    throw err;
  });
  try {
    const commit = await cloneCommit({
      git,
      dir,
      url,
      ref: options.ref,
      authHeader: options.authHeader,
      signal: options.signal,
      limits: { ...CLONE_LIMITS, ...options.limits }
    });
    const committedAt = await committerDate(git, dir, commit, options.signal);
    return {
      dir,
      source: target,
      revision: Promise.resolve({ commit, ...committedAt ? { committedAt } : {} }),
      ref: options.ref,
      dispose
    };
  } catch (err) {
    await dispose();
    const at2 = options.ref ? ` at ${options.ref}` : "";
    throw new UserError(cleanText(`could not clone ${target}${at2}: ${errorMessage(err)}`.slice(0, MAX_MESSAGE_CHARS)));
  } finally {
    await git.close();
  }
}

// src/core/grade.ts
import { randomBytes } from "node:crypto";

// src/core/score.ts
function roundPoints(points) {
  return Math.round(Number((points * 100).toPrecision(12))) / 100;
}
function partialPoints(points, passed, of) {
  if (of <= 0 || passed >= of) return points;
  if (passed <= 0 || points <= 0) return 0;
  return Math.min(Math.max(roundPoints(points * passed / of), 0.01), roundPoints(points - 0.01));
}
function totalScore(checks) {
  const score = roundPoints(checks.reduce((sum, c) => sum + c.points, 0));
  const max_score = checks.reduce((sum, c) => sum + c.max_points, 0);
  const percent = max_score === 0 ? 100 : Math.round(score / max_score * 1e3) / 10;
  return { score, max_score, percent };
}
function meetsThreshold(percent, threshold) {
  return threshold === void 0 || percent >= threshold;
}

// src/core/check-results.ts
function fromOutcome(check, outcome, durationMs, now, due) {
  const passed = outcome.status === "passed";
  const result = {
    ...identity(check),
    status: outcome.status,
    points: passed ? check.points : earnedShare(check, outcome),
    message: outcome.message,
    duration_ms: Math.round(durationMs)
  };
  if (!passed && check.feedback) result.feedback = check.feedback;
  if (outcome.expected !== void 0) result.expected = outcome.expected;
  if (outcome.actual !== void 0) result.actual = outcome.actual;
  if (outcome.output !== void 0) result.output = outcome.output;
  if (outcome.locations?.length) {
    result.location = outcome.locations[0];
    if (outcome.locations.length > 1) result.locations = outcome.locations;
  }
  return isConcealed(check, now, due) ? conceal(result) : result;
}
function earnedShare(check, outcome) {
  if (outcome.status !== "failed" || !outcome.share) return 0;
  return partialPoints(check.points, outcome.share.passed, outcome.share.of);
}
function skipped(check, reason) {
  return { ...identity(check), status: "skipped", points: 0, message: reason, duration_ms: 0 };
}
function errored(check, message2, durationMs) {
  return { ...identity(check), status: "error", points: 0, message: message2, duration_ms: Math.round(durationMs) };
}
function identity(check) {
  return { id: check.id, name: check.name, kind: check.spec.kind, max_points: check.points };
}
function isConcealed(check, now, due) {
  if (check.visibility === "hidden") return true;
  if (check.visibility === "after_due") return !due || now < due;
  return false;
}
function conceal(result) {
  const { expected: _e, actual: _a, output: _o, location: _l, locations: _ls, ...rest } = result;
  return {
    ...rest,
    hidden: true,
    message: result.status === "passed" ? t("core.check.hidden_passed") : result.status === "error" ? result.message : t("core.check.hidden_failed")
  };
}

// src/probes/dockerfile/step-line.ts
function collapse(text) {
  return text.replace(/\s+/g, " ").trim();
}
function keywordUpper(text) {
  const space = text.indexOf(" ");
  return space < 0 ? text.toUpperCase() : text.slice(0, space).toUpperCase() + text.slice(space);
}
function lineOfStep(model, step, stepNumber) {
  const instructions = model.instructions.map((i) => ({ line: i.line, text: collapse(`${i.keyword} ${i.args}`) }));
  const wanted = keywordUpper(collapse(step.replace(/^\[[^\]]*\]\s*/, "")));
  const exact = instructions.filter((i) => i.text === wanted);
  if (exact.length > 0) {
    const numbered = stepNumber !== void 0 ? instructions[stepNumber - 1] : void 0;
    return (numbered && exact.includes(numbered) ? numbered : exact[0])?.line;
  }
  const keyword = wanted.split(" ")[0] ?? "";
  const loose = instructions.filter((i) => {
    if (i.text.split(" ")[0] !== keyword) return false;
    const args = i.text.slice(keyword.length).trim();
    return args !== "" && wanted.includes(args.split(" ")[0] ?? args);
  });
  return loose.length === 1 ? loose[0]?.line : void 0;
}

// src/probes/kinds/build.ts
var MAX_IMAGE_BYTES = 2 * 1024 ** 3;
var buildProbe = {
  kind: "build",
  stage: () => "image",
  schedule: "concurrent",
  reportsUnreachableStage: true,
  defaultTimeoutMs: 1e4,
  async run(check, ctx) {
    const build = ctx.build;
    if (!build) throw new Error("the build probe ran before any build");
    if (!build.ok) return failed(build, ctx);
    const tooLarge = ctx.image && imageTooLarge(ctx.image.info);
    if (tooLarge) return { status: "failed", message: tooLarge };
    const took = formatDuration(build.durationMs);
    const max = check.spec.maxTimeMs;
    if (max !== void 0 && build.durationMs > max) {
      return {
        status: "failed",
        message: t("probe.build.too_slow", { took, max: formatDuration(max) }),
        expected: t("probe.build.at_most", { max: formatDuration(max) }),
        actual: took
      };
    }
    return { status: "passed", message: t("probe.build.built", { took }) };
  }
};
function imageTooLarge(info) {
  if (info.sizeBytes <= MAX_IMAGE_BYTES) return void 0;
  return t("probe.build.image_too_large", { size: (info.sizeBytes / 1024 ** 3).toFixed(2), max: MAX_IMAGE_BYTES / 1024 ** 3 });
}
function failed(build, ctx) {
  const line = failureLine(build, ctx.dockerfile);
  const syntax = ctx.dockerfile?.directives.syntax;
  const locations = [];
  if (build.reason === "frontend-unavailable" && syntax) locations.push({ path: ctx.dockerfilePath, line: syntax.line });
  if (line !== void 0) locations.push({ path: ctx.dockerfilePath, line });
  return {
    status: "failed",
    message: describeBuildFailure(build, ctx.dockerfile),
    ...locations.length > 0 ? { locations } : {}
  };
}
function failureLine(build, dockerfile) {
  if (build.reason === "refused") return build.line;
  if (build.reason !== "failed") return void 0;
  if (build.line !== void 0 || !build.failingStep || !dockerfile) return build.line;
  return lineOfStep(dockerfile, build.failingStep, build.stepNumber);
}
function describeBuildFailure(build, dockerfile) {
  switch (build.reason) {
    case "failed": {
      const line = failureLine(build, dockerfile);
      const { failingStep: step, error } = build;
      if (step)
        return line !== void 0 ? t("probe.build.step_failed_at", { step, line, error }) : t("probe.build.step_failed", { step, error });
      return line !== void 0 ? t("probe.build.line_failed", { line, error }) : t("probe.build.builder_error", { error });
    }
    case "frontend-unavailable":
      return t("probe.build.frontend_unavailable", { frontend: build.frontend, error: build.error });
    case "timeout":
      return t("probe.build.timeout", { limit: formatDuration(build.limitMs), took: formatDuration(build.durationMs) });
    case "cancelled":
      return t("probe.build.cancelled", { took: formatDuration(build.durationMs) });
    case "context-too-large":
      return oversizedContext(build.context);
    case "refused":
    case "no-dockerfile":
      return build.message;
  }
}
function oversizedContext(context) {
  const largest = context.largest.map(
    (entry) => t("probe.build.context_entry", { name: entry.name, files: entry.files, bytes: formatBinaryBytes(entry.bytes) })
  );
  const params = {
    files: context.files,
    bytes: formatBinaryBytes(context.bytes),
    maxFiles: context.maxFiles,
    maxBytes: formatBinaryBytes(context.maxBytes),
    largest: largest.join(", ")
  };
  return context.complete ? t("probe.build.context_too_large", params) : t("probe.build.context_too_large_at_least", params);
}

// src/probes/disk-limit.ts
function diskLimitKill(reason) {
  if (reason === "disk") return t("probe.disk.wrote_too_much");
  if (reason === "files") return t("probe.disk.too_many_files", { most: MAX_LAYER_ENTRIES.toLocaleString("en-US") });
  return void 0;
}

// src/core/readiness.ts
import { setTimeout as delay } from "node:timers/promises";

// src/probes/http-client.ts
import http from "node:http";
function sendRequest(request) {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const headers = { ...request.headers };
    if (request.body !== void 0 && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
      headers["Content-Length"] = String(Buffer.byteLength(request.body));
    }
    const req = http.request({
      host: request.host,
      port: request.port,
      method: request.method,
      path: request.path,
      headers,
      agent: false
    });
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, kind: "timeout", message: t("probe.http.no_complete_response", { ms: request.timeoutMs }) }),
      request.timeoutMs
    );
    const onAbort = () => finish({ ok: false, kind: "aborted", message: t("probe.http.request_cancelled") });
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) => finish(describeError(error)));
    req.on("response", (res) => {
      const chunks = [];
      let size = 0;
      const respond = (truncated) => finish({
        ok: true,
        status: res.statusCode ?? 0,
        headers: flattenHeaders(res.headers),
        body: Buffer.concat(chunks),
        truncated,
        durationMs: performance.now() - started
      });
      res.on("data", (chunk) => {
        const room = request.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          respond(true);
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on("end", () => respond(false));
      res.on("error", (error) => finish(describeError(error)));
    });
    req.end(request.body);
  });
}
function flattenHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== void 0) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
function describeError(error) {
  const code = error.code ?? "";
  if (code === "ECONNREFUSED") return { ok: false, kind: "refused", message: error.message, code };
  if (code === "ECONNRESET" || code === "EPIPE") {
    return { ok: false, kind: "reset", message: t("probe.http.reset"), code };
  }
  if (code.startsWith("HPE_")) return { ok: false, kind: "protocol", message: t("probe.http.not_http", { code }), code };
  return { ok: false, kind: "other", message: t("probe.http.request_failed", { error: error.message }), ...code ? { code } : {} };
}

// src/core/readiness.ts
async function waitUntilReady(service, options) {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const exited = service.exited().then((exit) => ({ kind: "exited", exit }));
    const timedOut = delay(options.timeoutMs, void 0, { signal: stop.signal }).then(() => ({ kind: "timeout" })).catch(() => ({ kind: "aborted" }));
    const conditions = new Conditions(service, options, stop.signal);
    const racers = [exited, timedOut, conditions.allMet(), conditions.failed];
    if (options.unreachableAfterMs !== void 0 && conditions.needsReachablePort) {
      racers.push(watchForUnreachable(service, options.port, options.unreachableAfterMs, stop.signal));
    }
    const first = await Promise.race(racers);
    switch (first.kind) {
      case "ready":
        return {
          ready: true,
          elapsedMs: elapsed(),
          ...first.port !== void 0 ? { port: first.port } : {},
          ...first.found ? { found: first.found } : {}
        };
      case "unreachable": {
        const port = options.port;
        return {
          ready: false,
          reason: "unreachable",
          ...port !== void 0 ? { port } : {},
          listening: first.listening,
          elapsedMs: elapsed()
        };
      }
      case "exited":
        return { ready: false, reason: "exited", exit: first.exit, elapsedMs: elapsed() };
      case "no-healthcheck":
      case "no-port":
        return { ready: false, reason: first.kind, elapsedMs: elapsed() };
      default:
        return { ready: false, reason: "timeout", unmet: conditions.unmet(), elapsedMs: elapsed() };
    }
  } finally {
    stop.abort();
    options.signal?.removeEventListener("abort", onAbort);
  }
}
var Conditions = class {
  constructor(service, options, signal) {
    this.service = service;
    this.options = options;
    this.signal = signal;
    this.failed = new Promise((resolve) => this.fail = resolve);
  }
  service;
  options;
  signal;
  /** Settles with a verdict that ends the wait unready (no HEALTHCHECK, no port): never otherwise. */
  failed;
  fail;
  all = [];
  /** Whether the wait needs the app reachable on a port: by default, for `http`, and when the port is to be found. */
  get needsReachablePort() {
    const { options } = this;
    const byDefault = !options.log && !options.http && !options.healthcheck;
    return options.port !== void 0 && (byDefault || options.http !== void 0) || options.findPort === true;
  }
  async allMet() {
    const { options, service, signal } = this;
    const independent = [];
    if (options.log) {
      const { pattern, times = 1 } = options.log;
      const state = this.add({ kind: "log", pattern: pattern.source, times, seen: 0 });
      independent.push(waitForLogLines(service, pattern, state, signal));
    }
    if (options.healthcheck) {
      const state = this.add({ kind: "healthcheck" });
      independent.push(waitUntilHealthy(service, state, signal, () => this.fail({ kind: "no-healthcheck" })));
    }
    let port = options.port;
    let found;
    if (port === void 0 && options.findPort) {
      const search = this.add({ kind: "find-port" });
      found = await findListeningPort(service, signal);
      search.met = true;
      port = found?.port;
    }
    const onPort = [];
    if (options.http) {
      if (port === void 0) return this.failWith({ kind: "no-port" });
      const state = this.add({ kind: "http", port, path: options.http.path, status: options.http.status });
      onPort.push(waitForHttp(service, state, signal));
    } else if (!options.log && !options.healthcheck && port !== void 0) {
      const state = this.add({ kind: "port", port });
      onPort.push(waitForPort(service, port, signal).then(() => void (state.met = true)));
    }
    await Promise.all([...independent, ...onPort]);
    return { kind: "ready", ...port !== void 0 ? { port } : {}, ...found ? { found } : {} };
  }
  unmet() {
    return this.all.filter((c) => !c.met).map((c) => c.state);
  }
  add(state) {
    const condition = { state, met: false };
    this.all.push(condition);
    return condition;
  }
  failWith(result) {
    this.fail(result);
    return never();
  }
};
function never() {
  return new Promise(() => {
  });
}
var LISTENER_POLL_MS = 1e3;
function reachableOn(listening, port) {
  return listening.some((l) => l.port === port && !l.loopback);
}
async function watchForUnreachable(service, port, afterMs, signal) {
  let since;
  while (!signal.aborted) {
    await delay(LISTENER_POLL_MS, void 0, { signal }).catch(() => {
    });
    if (signal.aborted) break;
    const listening = await service.listeners();
    if (listening === void 0) break;
    const reachable = port === void 0 ? listening.some((l) => !l.loopback) : reachableOn(listening, port);
    const unreachable = listening.length > 0 && !reachable;
    since = unreachable ? since ?? Date.now() : void 0;
    if (since !== void 0 && Date.now() - since >= afterMs) return { kind: "unreachable", listening };
  }
  return never();
}
var UNTOLD_POLLS = 3;
async function findListeningPort(service, signal) {
  let interval = 50;
  let untold = 0;
  while (!signal.aborted) {
    const listening = await service.listeners();
    if (listening === void 0) {
      if (service.exitInfo() === void 0 && ++untold >= UNTOLD_POLLS) return void 0;
    } else {
      untold = 0;
      const reachable = listening.filter((l) => !l.loopback).map((l) => l.port);
      if (reachable.length > 0) return { port: Math.min(...reachable), listening };
    }
    await delay(interval, void 0, { signal }).catch(() => {
    });
    interval = Math.min(interval * 1.5, 500);
  }
  return never();
}
function waitForLogLines(service, pattern, condition, signal) {
  const state = condition.state;
  return new Promise((resolve) => {
    if (signal.aborted) return;
    let unsubscribe = () => {
    };
    const finish = () => {
      unsubscribe();
      condition.met = true;
      resolve();
    };
    const count2 = (matched) => {
      if (!matched || condition.met) return;
      state.seen += 1;
      if (state.seen >= state.times) finish();
    };
    unsubscribe = service.onLogLine((line) => count2(pattern.test(line)));
    const text = service.logs().text;
    if (state.times === 1) count2(pattern.test(text));
    else for (const line of completeLines(text)) count2(pattern.test(line));
    signal.addEventListener("abort", () => unsubscribe(), { once: true });
  });
}
function completeLines(text) {
  const end = text.lastIndexOf("\n");
  if (end === -1) return [];
  return text.slice(0, end).split("\n").map((line) => line.endsWith("\r") ? line.slice(0, -1) : line);
}
async function waitForPort(service, port, signal) {
  let interval = 25;
  while (!signal.aborted) {
    const address = await service.address(port);
    const confirmOpenMs = isLoopback(address.host) ? PROXY_CONFIRM_MS : 0;
    if (await tryConnect(address.host, address.port, { timeoutMs: 1e3, confirmOpenMs, signal }) === "connected") return;
    await delay(interval, void 0, { signal }).catch(() => {
    });
    interval = Math.min(interval * 1.5, 250);
  }
  return never();
}
var PROXY_CONFIRM_MS = 150;
var HTTP_ATTEMPT_MS = 2e3;
async function waitForHttp(service, condition, signal) {
  const state = condition.state;
  let interval = 50;
  while (!signal.aborted) {
    const address = await service.address(state.port);
    const response = await sendRequest({
      host: address.host,
      port: address.port,
      method: "GET",
      path: state.path,
      headers: {},
      timeoutMs: HTTP_ATTEMPT_MS,
      maxBodyBytes: 0,
      signal
    });
    if (response.ok) {
      state.lastStatus = response.status;
      if (response.status === state.status) {
        condition.met = true;
        return;
      }
    }
    await delay(interval, void 0, { signal }).catch(() => {
    });
    interval = Math.min(interval * 1.5, 500);
  }
  return never();
}
var HEALTH_POLL_MS = 250;
async function waitUntilHealthy(service, condition, signal, noHealthcheck) {
  const state = condition.state;
  while (!signal.aborted) {
    const health = await service.health();
    if (health?.status === "none") {
      noHealthcheck();
      return never();
    }
    if (health) state.last = health;
    if (health?.status === "healthy") {
      condition.met = true;
      return;
    }
    await delay(HEALTH_POLL_MS, void 0, { signal }).catch(() => {
    });
  }
  return never();
}

// src/core/service-start.ts
var LOG_TAIL_LINES = 30;
var UNREACHABLE_AFTER_MS = 5e3;
function defaultServicePort(rubric, image) {
  return rubric.service.port ?? image.exposedPorts[0];
}
function portsToReach(rubric, image) {
  const ports = /* @__PURE__ */ new Set();
  const main = defaultServicePort(rubric, image);
  if (main !== void 0) ports.add(main);
  for (const check of rubric.checks) {
    for (const port of portsNamedBy(check)) if (port !== void 0) ports.add(port);
  }
  return [...ports];
}
function portsNamedBy(check) {
  const { spec } = check;
  if (spec.kind === "tcp") return [spec.port];
  if (spec.kind === "http") return spec.cases ? spec.cases.map((c) => c.port) : [spec.port];
  return [];
}
function needsDefaultPort(rubric) {
  return rubric.service.ready.http !== void 0 || rubric.checks.some((check) => portsNamedBy(check).includes(void 0));
}
async function startServiceAndWait(engine, image, rubric, labels, signal) {
  const named = defaultServicePort(rubric, image);
  const { ready } = rubric.service;
  if (!hasStartCommand(image, rubric.service.command)) return { ready: false, message: nothingToStart() };
  if (ready.healthcheck && !image.healthcheck) return { ready: false, message: t("readiness.healthcheck.missing") };
  let service;
  try {
    service = await engine.startService({
      image: image.id,
      env: rubric.service.env,
      ...rubric.service.command ? { command: rubric.service.command } : {},
      ports: portsToReach(rubric, image),
      ...ready.healthcheck ? { healthcheck: true } : {},
      limits: rubric.limits,
      labels
    });
  } catch (err) {
    if (err instanceof NoCommandError) return { ready: false, message: err.message };
    throw err;
  }
  const { timeoutMs, log } = ready;
  const readiness = await waitUntilReady(service, {
    ...named !== void 0 ? { port: named } : { findPort: needsDefaultPort(rubric) },
    ...log ? { log: { pattern: compilePattern(log), times: ready.logTimes ?? 1 } } : {},
    ...ready.http ? { http: ready.http } : {},
    ...ready.healthcheck ? { healthcheck: true } : {},
    unreachableAfterMs: UNREACHABLE_AFTER_MS,
    timeoutMs,
    signal
  });
  if (readiness.ready) {
    const { port, found } = readiness;
    return { ready: true, service, ...port !== void 0 ? { port } : {}, ...found ? { note: foundPortNote(found) } : {} };
  }
  const logTail = tailLines(service.logs().text, LOG_TAIL_LINES);
  if (readiness.reason === "exited") {
    const { exitCode, oomKilled } = readiness.exit;
    const diskKill = diskLimitKill(readiness.exit.killedFor);
    const elapsed = formatDuration(readiness.elapsedMs);
    const message2 = oomKilled ? t("core.service.crashed_oom", { limit: Math.round(rubric.limits.memoryBytes / 1024 ** 2), elapsed }) : diskKill ? t("core.service.crashed_disk", { kill: diskKill, elapsed }) : t("core.service.crashed_exit", { code: exitCode, elapsed });
    const limit = service.pidsLimitHit?.() ? t("core.service.crashed_pids_limit", { pids: rubric.limits.pids }) : "";
    return { ready: false, service, message: `${message2}${limit}`, logTail };
  }
  if (readiness.reason === "unreachable") {
    const wanted = readiness.port ?? readiness.listening[0].port;
    return {
      ready: false,
      service,
      message: t("core.service.not_reachable", { detail: describeListeners(readiness.listening, wanted, rubric, image) }),
      logTail
    };
  }
  if (readiness.reason === "no-healthcheck") return { ready: false, service, message: t("readiness.healthcheck.missing"), logTail };
  if (readiness.reason === "no-port") {
    return { ready: false, service, message: t("readiness.http.no_port", { path: ready.http?.path ?? "/" }), logTail };
  }
  const neverReady = (why2) => t("core.service.never_ready", { timeout: formatDuration(timeoutMs), why: why2 });
  if (service.pidsLimitHit?.()) {
    return { ready: false, service, message: neverReady(t("core.service.pids_limit", { pids: rubric.limits.pids })), logTail };
  }
  const waitedFor = describeUnmet(readiness.unmet);
  const listening = await service.listeners();
  const why = listening?.length && named !== void 0 && !reachableOn(listening, named) ? t("core.service.never_ready_listeners", { why: waitedFor, listeners: describeListeners(listening, named, rubric, image) }) : waitedFor;
  return { ready: false, service, message: neverReady(why), logTail };
}
function describeUnmet(unmet) {
  const reasons = unmet.map((condition) => {
    switch (condition.kind) {
      case "log":
        return condition.times === 1 ? t("core.service.no_log_line", { pattern: condition.pattern }) : t("readiness.log.too_few", { pattern: condition.pattern, seen: condition.seen, times: condition.times });
      case "port":
        return t("core.service.no_connection", { port: condition.port });
      case "find-port":
        return t("readiness.port.none_found");
      case "http":
        return condition.lastStatus === void 0 ? t("readiness.http.no_answer", { path: condition.path, status: condition.status, port: condition.port }) : t("readiness.http.wrong_status", { path: condition.path, status: condition.status, actual: condition.lastStatus });
      case "healthcheck":
        return describeHealth(condition.last);
    }
  });
  return reasons.length > 0 ? reasons.join("; ") : t("core.service.not_ready");
}
var HEALTH_OUTPUT_CHARS = 200;
function describeHealth(last) {
  const run2 = last?.last;
  if (!run2) return t("readiness.healthcheck.never_ran");
  const output = [...oneLine(run2.output)].slice(-HEALTH_OUTPUT_CHARS).join("");
  return output ? t("readiness.healthcheck.failing_output", { code: run2.exitCode, output }) : t("readiness.healthcheck.failing", { code: run2.exitCode });
}
function oneLine(text) {
  return text.replace(/\s+/g, " ").trim();
}
function foundPortNote(found) {
  const others2 = found.listening.filter((l) => !l.loopback && l.port !== found.port).map((l) => l.port);
  return others2.length === 0 ? t("readiness.port.found", { port: found.port }) : t("readiness.port.found_lowest", { port: found.port, ports: [found.port, ...others2].sort((a, b) => a - b).join(", ") });
}
function describeListeners(listening, port, rubric, image) {
  const onPort = listening.find((l) => l.port === port);
  if (onPort?.loopback) return t("core.service.listens_loopback", { port });
  const ports = listening.map((l) => l.port);
  return t("core.service.listens_elsewhere", { count: ports.length, ports: ports.join(", "), port, fix: portSource(rubric, image) });
}
function portSource(rubric, image) {
  if (rubric.service.port !== void 0) return t("core.service.fix_rubric_port", { port: rubric.service.port });
  return t("core.service.fix_expose", { ports: image.exposedPorts.join(", ") });
}
function tailLines(text, count2) {
  const lines = text.replace(/\n$/, "").split("\n");
  const tail2 = lines.slice(-count2).join("\n");
  return tail2.trim() ? tail2 : void 0;
}

// src/core/gates.ts
var IMAGE_NEEDING = ["image", "service"];
var SERVICE_NEEDING = ["service"];
async function imageGate(base, build) {
  if (!build.ok) {
    const reason = t("core.gate.image_not_built", { reason: describeBuildFailure(build, base.dockerfile) });
    return { ctx: { ...base, build }, unavailable: { reason, kinds: IMAGE_NEEDING } };
  }
  const info = await base.engine.inspectImage(build.imageId);
  const ctx = { ...base, build, image: { ref: build.imageId, info } };
  const tooLarge = imageTooLarge(info);
  if (tooLarge) return { ctx, unavailable: { reason: t("core.gate.image_not_built", { reason: tooLarge }), kinds: IMAGE_NEEDING } };
  return { ctx };
}
async function serviceGate(image, logger) {
  const gate = await image;
  const { ctx } = gate;
  if (gate.unavailable || !ctx.image) return gate;
  if (ctx.signal.aborted) return { ctx, unavailable: { reason: t("core.gate.interrupted"), kinds: SERVICE_NEEDING } };
  const { info } = ctx.image;
  const start = await logger.group("Starting the service", () => startServiceAndWait(ctx.engine, info, ctx.rubric, ctx.labels, ctx.signal));
  if (!start.ready) return { ctx, unavailable: { reason: start.message, output: start.logTail, kinds: SERVICE_NEEDING, asFailure: true } };
  return { ctx: { ...ctx, service: { handle: start.service, defaultPort: start.port } }, ...start.note ? { note: start.note } : {} };
}

// src/core/grade-result.ts
function gradedResult(subject, checks, build, notes) {
  const { score, max_score, percent } = totalScore(checks);
  const threshold = subject.passThreshold ?? subject.rubric.pass;
  return {
    ...header(subject),
    status: "graded",
    score,
    max_score,
    percent,
    ...threshold !== void 0 ? { pass_threshold: threshold } : {},
    passed: meetsThreshold(percent, threshold),
    duration_ms: Date.now() - subject.started,
    ...build ? { build } : {},
    ...notes?.length ? { notes } : {},
    checks
  };
}
function ungradableResult(subject, reason) {
  const checks = subject.rubric.checks.map((check) => errored(check, t("core.ungradable.check", { reason }), 0));
  const threshold = subject.passThreshold ?? subject.rubric.pass;
  return {
    ...header(subject),
    status: "ungradable",
    reason,
    score: null,
    max_score: totalScore(checks).max_score,
    percent: null,
    ...threshold !== void 0 ? { pass_threshold: threshold } : {},
    passed: false,
    duration_ms: Date.now() - subject.started,
    checks
  };
}
function summariseBuild(build, imageGate2) {
  const durationMs = Math.round(build.durationMs);
  if (build.ok && !imageGate2.unavailable) {
    return { ok: true, duration_ms: durationMs, image_size: imageGate2.ctx.image?.info.sizeBytes };
  }
  return {
    ok: false,
    duration_ms: durationMs,
    failing_step: !build.ok && build.reason === "failed" ? build.failingStep : void 0,
    log_tail: build.logTail || void 0
  };
}
function header(subject) {
  const { submission, rubric } = subject;
  return {
    rubric: { title: rubric.title, source: rubric.source },
    locale: rubric.locale,
    submission: {
      source: submission.source,
      ...submission.commit ? { commit: submission.commit } : {},
      ...submission.committedAt ? { committed_at: submission.committedAt } : {},
      ...submission.ref ? { ref: submission.ref } : {}
    }
  };
}

// src/core/prepare-build.ts
import { readdir as readdir2 } from "node:fs/promises";
import path5 from "node:path";

// src/probes/dockerfile/model.ts
var import_dockerfile_ast = __toESM(require_main(), 1);
function parseDockerfile(source, path14) {
  const text = source.replace(/^\uFEFF/, "");
  const parsed = import_dockerfile_ast.DockerfileParser.parse(text);
  const escape = parsed.getEscapeCharacter();
  const lines = text.split(/\r\n|\r|\n/);
  const directives = {};
  for (const directive of parsed.getDirectives()) {
    directives[directive.getName().toLowerCase()] = {
      value: directive.getValue(),
      line: directive.getRange().start.line + 1
    };
  }
  const globalArgs = {};
  for (const arg of parsed.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) globalArgs[property.getName()] = property.getValue();
  }
  const stages = [];
  const instructions = [];
  for (const node of parsed.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    if (keyword === "FROM") {
      const from = node;
      const buildStage = from.getBuildStage();
      stages.push({
        index: stages.length,
        image: from.getImage() ?? "",
        ...buildStage ? { name: buildStage } : {},
        line: node.getRange().start.line + 1,
        instructions: []
      });
    }
    const instruction = toInstruction(node, keyword, lines, escape, stages.length - 1);
    instructions.push(instruction);
    stages.at(-1)?.instructions.push(instruction);
  }
  return { path: path14, text, directives, escape, globalArgs, stages, instructions };
}
function toInstruction(node, keyword, lines, escape, stage) {
  const range = node.getRange();
  const flags = node instanceof import_dockerfile_ast.ModifiableInstruction ? node.getFlags().map((flag) => ({ name: flag.getName(), value: flag.getValue() })) : [];
  const args = joinContinuations(slice(lines, node.getInstructionRange().end, range.end), escape);
  const argumentNodes = node.getArguments();
  const firstArgument = argumentNodes[0];
  const argsAfterFlags = flags.length > 0 ? firstArgument ? joinContinuations(slice(lines, firstArgument.getRange().start, range.end), escape) : "" : args;
  const jsonWords = parseJsonForm(argsAfterFlags);
  let words2;
  if (jsonWords) words2 = jsonWords;
  else if (node instanceof import_dockerfile_ast.PropertyInstruction) {
    words2 = node.getProperties().map((p) => {
      const value = p.getValue();
      return value === null ? p.getName() : `${p.getName()}=${value}`;
    });
  } else words2 = argumentNodes.map((a) => a.getValue());
  return {
    keyword,
    args,
    argsAfterFlags,
    words: words2,
    flags,
    json: jsonWords !== void 0,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    stage
  };
}
function slice(lines, start, end) {
  if (start.line === end.line) return [(lines[start.line] ?? "").slice(start.character, end.character)];
  const out = [(lines[start.line] ?? "").slice(start.character)];
  for (let i = start.line + 1; i < end.line; i++) out.push(lines[i] ?? "");
  out.push((lines[end.line] ?? "").slice(0, end.character));
  return out;
}
function joinContinuations(physical, escape) {
  let out = "";
  let continuing = false;
  for (const [i, raw] of physical.entries()) {
    const trimmedStart = raw.trimStart();
    if (continuing && (trimmedStart === "" || trimmedStart.startsWith("#"))) continue;
    let piece = continuing ? trimmedStart : raw;
    const trimmedEnd = piece.trimEnd();
    const continues = trimmedEnd.endsWith(escape) && i < physical.length - 1;
    if (continues) piece = trimmedEnd.slice(0, -escape.length).trimEnd();
    if (i > 0) out += continuing ? " " : "\n";
    out += piece;
    continuing = continues;
  }
  return out.trim();
}
function parseJsonForm(text) {
  if (!text.startsWith("[")) return void 0;
  try {
    const value = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  } catch {
  }
  return void 0;
}
function findStage(model, reference, before) {
  const wanted = reference.toLowerCase();
  return model.stages.slice(0, before).find((s) => s.name?.toLowerCase() === wanted || /^\d+$/.test(wanted) && s.index === Number(wanted));
}
function finalStageChain(model) {
  const chain = [];
  let stage = model.stages.at(-1);
  while (stage && !chain.includes(stage)) {
    chain.push(stage);
    stage = findStage(model, stage.image, stage.index);
  }
  return chain;
}
function expandVariables(text, vars) {
  const unresolved = [];
  const value = text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, braced, op, word, bare) => {
      const name = braced ?? bare;
      const current = vars[name];
      const set = current !== void 0 && current !== null && current !== "";
      if (op === "-") return set ? current : word ?? "";
      if (op === "+") return set ? word ?? "" : "";
      if (!set) unresolved.push(name);
      return current ?? "";
    }
  );
  return { value, unresolved };
}
function parseImageReference(reference) {
  const at2 = reference.indexOf("@");
  const digest = at2 >= 0 ? reference.slice(at2 + 1) : void 0;
  const nameAndTag = at2 >= 0 ? reference.slice(0, at2) : reference;
  const colon = nameAndTag.lastIndexOf(":");
  const tag = colon > nameAndTag.lastIndexOf("/") ? nameAndTag.slice(colon + 1) : void 0;
  const name = tag === void 0 ? nameAndTag : nameAndTag.slice(0, colon);
  return { name, ...tag !== void 0 ? { tag } : {}, ...digest !== void 0 ? { digest } : {} };
}

// src/workspace/repo-path.ts
import { lstat as lstat2, readlink, realpath as realpath2 } from "node:fs/promises";
import path4 from "node:path";
var MAX_LINK_HOPS = 40;
async function resolveInRepo(repoDir, relative) {
  const root = await realpath2(repoDir);
  if (path4.posix.isAbsolute(relative) || path4.win32.isAbsolute(relative)) {
    return { ok: false, reason: "outside", message: t("workspace.path.absolute", { path: relative }) };
  }
  const pending = splitPath(relative);
  let current = root;
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift();
    if (part === ".") continue;
    if (part === "..") {
      if (current === root) return outside(relative);
      current = path4.dirname(current);
      continue;
    }
    const next = path4.join(current, part);
    let stats;
    try {
      stats = await lstat2(next);
    } catch (error) {
      if (isNotFound(error)) return { ok: false, reason: "missing", message: t("workspace.path.missing", { path: relative }) };
      throw error;
    }
    if (!stats.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++hops > MAX_LINK_HOPS) return { ok: false, reason: "loop", message: t("workspace.path.loop", { path: relative }) };
    const target = await readlink(next);
    if (path4.isAbsolute(target)) {
      const fromRoot = path4.relative(root, target);
      if (fromRoot.startsWith("..") || path4.isAbsolute(fromRoot)) return outside(relative);
      current = root;
      pending.unshift(...splitPath(fromRoot));
    } else {
      pending.unshift(...splitPath(target));
    }
  }
  return { ok: true, absolute: current, stats: await lstat2(current) };
}
function outside(relative) {
  return {
    ok: false,
    reason: "outside",
    message: t("workspace.path.outside", { path: relative })
  };
}
function splitPath(p) {
  return p.split(/[\\/]+/).filter((part) => part !== "");
}
function isNotFound(error) {
  const code = error.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

// src/core/dockerfile-limits.ts
var DOCKERFILE_LIMITS = {
  /** Bytes of the Dockerfile: what is read is exactly what is built. */
  bytes: 64 * 1024,
  /** Instructions in all stages together. */
  instructions: 200,
  /** `name=value` pairs set by ENV, ARG and LABEL together. */
  variables: 100
};
var SETS_VARIABLES = /* @__PURE__ */ new Set(["ENV", "ARG", "LABEL"]);
var ACCEPTED_FRONTEND = /^(?:(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/i;
function oversizeDockerfileMessage(path14) {
  return t("core.dockerfile.too_large", { path: path14, kib: DOCKERFILE_LIMITS.bytes / 1024 });
}
function dockerfileOverLimits(model) {
  const count2 = model.instructions.length;
  if (count2 > DOCKERFILE_LIMITS.instructions) {
    return t("core.dockerfile.too_many_instructions", { count: count2, max: DOCKERFILE_LIMITS.instructions });
  }
  const variables = model.instructions.filter((instruction) => SETS_VARIABLES.has(instruction.keyword)).reduce((sum, instruction) => sum + instruction.words.length, 0);
  if (variables > DOCKERFILE_LIMITS.variables) {
    return t("core.dockerfile.too_many_variables", { count: variables, max: DOCKERFILE_LIMITS.variables });
  }
  const syntax = model.directives.syntax;
  if (syntax && !ACCEPTED_FRONTEND.test(syntax.value.trim())) {
    return t("core.dockerfile.foreign_frontend", { line: syntax.line, value: syntax.value });
  }
  return void 0;
}

// src/core/prepare-build.ts
async function locateBuildInputs(repoDir, dockerfile, context, dockerfilePath) {
  const failure = (reason, message2) => ({
    ok: false,
    reason,
    message: message2,
    logTail: "",
    durationMs: 0
  });
  const missing3 = (message2) => failure("no-dockerfile", message2);
  const contextPath = await resolveInRepo(repoDir, context);
  if (!contextPath.ok) return missing3(t("core.build.context_unusable", { context, reason: contextPath.message }));
  if (!contextPath.stats.isDirectory()) return missing3(t("core.build.context_not_folder", { context }));
  const file = await resolveInRepo(repoDir, dockerfile);
  if (!file.ok && file.reason === "missing") {
    const near = await similarNames(repoDir, dockerfile);
    const where2 = { path: dockerfile, dir: path5.join(repoDir, path5.dirname(dockerfile)) };
    if (near.length === 0) return missing3(t("core.build.no_dockerfile", where2));
    const names = near.map((n) => `"${n}"`).join(", ");
    return missing3(t("core.build.no_dockerfile_similar", { ...where2, names, name: path5.posix.basename(dockerfile) }));
  }
  if (!file.ok) return missing3(t("core.build.dockerfile_unusable", { reason: file.message }));
  const read = await readRegularFile(file.absolute, DOCKERFILE_LIMITS.bytes);
  if (read.kind !== "file") return missing3(t("core.build.dockerfile_not_file", { path: dockerfile }));
  if (read.truncated) return failure("refused", oversizeDockerfileMessage(dockerfile));
  const dockerfileInContext = path5.relative(contextPath.absolute, file.absolute).split(path5.sep).join("/");
  return {
    ok: true,
    contextDir: contextPath.absolute,
    dockerfileInContext,
    dockerfile: parseDockerfile(read.content.toString("utf8"), dockerfilePath)
  };
}
async function similarNames(repoDir, dockerfile) {
  const dir = path5.posix.dirname(dockerfile);
  const wanted = path5.posix.basename(dockerfile).toLowerCase();
  const entries = await readdir2(path5.join(repoDir, dir)).catch(() => []);
  return entries.filter((name) => name.toLowerCase() === wanted || name.toLowerCase().startsWith(`${wanted}.`)).map((name) => path5.posix.join(dir, name).replace(/^\.\//, ""));
}

// src/core/image-references.ts
function imageReferences(model, buildArgs) {
  const vars = { ...model.globalArgs, ...buildArgs };
  const references = [];
  const add = (written, line, stage) => {
    if (written === "" || written.toLowerCase() === "scratch" || findStage(model, written, stage)) return;
    const { value } = expandVariables(written, vars);
    if (value.toLowerCase() === "scratch" || findStage(model, value, stage)) return;
    references.push({ image: value, written, line });
  };
  for (const stage of model.stages) add(stage.image, stage.line, stage.index);
  for (const instruction of model.instructions) {
    const stage = instruction.stage < 0 ? 0 : instruction.stage;
    for (const flag of instruction.flags) {
      if (flag.value === null) continue;
      const name = flag.name.toLowerCase();
      if (name === "from" && (instruction.keyword === "COPY" || instruction.keyword === "ADD")) add(flag.value, instruction.line, stage);
      if (name === "mount" && instruction.keyword === "RUN") {
        const source = mountSource(mountFields(flag.value));
        if (source !== void 0) add(source, instruction.line, stage);
      }
    }
  }
  return references;
}
async function refusedImageReference(engine, model, buildArgs) {
  for (const reference of imageReferences(model, buildArgs)) {
    const local = await engine.findImage(reference.image);
    if (local?.labels[RUN_LABEL] !== void 0) {
      return { line: reference.line, message: t("core.image.foreign_run", { line: reference.line, image: reference.written }) };
    }
  }
  return void 0;
}

// src/core/run-build.ts
async function runBuild(inputs, stage, runId, logger) {
  const { rubric, engine } = stage;
  const overLimits = dockerfileOverLimits(inputs.dockerfile);
  if (overLimits !== void 0) return refused(overLimits);
  const foreign = await refusedImageReference(engine, inputs.dockerfile, rubric.build.args);
  if (foreign) return refused(foreign.message, foreign.line);
  return logger.group(
    "Building the image",
    () => engine.build({
      contextDir: inputs.contextDir,
      dockerfile: inputs.dockerfileInContext,
      dockerfileText: inputs.dockerfile.text,
      frontend: inputs.dockerfile.directives.syntax?.value || void 0,
      runId,
      buildArgs: rubric.build.args,
      tag: `grader/${runId}:latest`,
      labels: stage.labels,
      timeoutMs: rubric.build.timeoutMs,
      onLog: (line) => logger.debug(line),
      signal: stage.signal
    })
  );
}
function refused(message2, line) {
  return { ok: false, reason: "refused", message: message2, ...line !== void 0 ? { line } : {}, logTail: "", durationMs: 0 };
}

// src/probes/display.ts
var DISPLAY_BYTES = 4096;
function headForDisplay(text, maxBytes = DISPLAY_BYTES) {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && isContinuationByte(bytes[end])) end--;
  return `${bytes.subarray(0, end).toString("utf8")}
${t("probe.display.cut_head", { bytes: bytes.length })}`;
}
function tailForDisplay(text, maxBytes = DISPLAY_BYTES) {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  while (start < bytes.length && isContinuationByte(bytes[start])) start++;
  return `${t("probe.display.cut_tail", { bytes: bytes.length })}
${bytes.subarray(start).toString("utf8")}`;
}
function isContinuationByte(byte) {
  return byte !== void 0 && (byte & 192) === 128;
}
function formatCommand(words2) {
  return words2.map((w) => /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`).join(" ");
}
function quote(text, maxChars = 80) {
  const shown2 = text.length > maxChars ? `${text.slice(0, maxChars)}\u2026` : text;
  return JSON.stringify(shown2);
}
function joinClauses(clauses) {
  return clauses.join(t("probe.join.clauses"));
}
function followingClause(clause) {
  return `${t("probe.join.clauses")}${clause}`;
}

// src/probes/dockerfile/rules.ts
import path6 from "node:path";

// src/probes/dockerfile/words.ts
function processWord(text, escape, vars) {
  const lexer = new Lexer(text, escape, vars);
  try {
    const value = lexer.until(void 0);
    return lexer.unknown.length > 0 ? { known: false, why: t("probe.words.unknown_variables", { variables: lexer.unknown.map((v) => `$${v}`).join(", ") }) } : { known: true, value };
  } catch (err) {
    return { known: false, why: err.message };
  }
}
var Lexer = class {
  constructor(text, escape, vars) {
    this.text = text;
    this.escape = escape;
    this.vars = vars;
  }
  text;
  escape;
  vars;
  at = 0;
  unknown = [];
  /** Reads up to `stop` (consumed) or the end. */
  until(stop) {
    let out = "";
    while (this.at < this.text.length) {
      const ch = this.text[this.at];
      if (ch === stop) {
        this.at++;
        return out;
      }
      if (ch === "$") out += this.dollar();
      else if (ch === "'") out += this.quoted("'");
      else if (ch === '"') out += this.doubleQuoted();
      else {
        this.at++;
        if (ch === this.escape) {
          if (this.at >= this.text.length) break;
          out += this.text[this.at++];
        } else out += ch;
      }
    }
    if (stop !== void 0) throw new Error(t("probe.words.unclosed", { char: stop }));
    return out;
  }
  quoted(quote2) {
    const end = this.text.indexOf(quote2, this.at + 1);
    if (end < 0) throw new Error(t("probe.words.unclosed", { char: quote2 }));
    const out = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    return out;
  }
  doubleQuoted() {
    let out = "";
    this.at++;
    while (this.at < this.text.length) {
      const ch = this.text[this.at];
      if (ch === '"') {
        this.at++;
        return out;
      }
      if (ch === "$") {
        out += this.dollar();
        continue;
      }
      this.at++;
      const next = this.text[this.at];
      if (ch === this.escape && (next === '"' || next === "$" || next === this.escape)) {
        out += next;
        this.at++;
      } else out += ch;
    }
    throw new Error(t("probe.words.unclosed", { char: '"' }));
  }
  dollar() {
    this.at++;
    if (this.text[this.at] !== "{") {
      const name2 = this.name();
      return name2 === "" ? "$" : this.value(name2);
    }
    this.at++;
    const name = this.name();
    if (name === "") throw new Error(t("probe.words.rejected_substitution", { expression: "${\u2026}" }));
    const ch = this.text[this.at++];
    if (ch === "}") return this.value(name);
    const modifier = this.text[this.at++];
    if (ch !== ":" || modifier !== "-" && modifier !== "+")
      throw new Error(t("probe.words.unevaluated_substitution", { expression: `\${${name}${ch ?? ""}\u2026}` }));
    const word = this.until("}");
    const value = this.value(name);
    if (modifier === "-") return value === "" ? word : value;
    return value === "" ? "" : word;
  }
  name() {
    const match = /^(?:[0-9]+|[@*#?\-$!]|[\p{L}\p{N}_]+)/u.exec(this.text.slice(this.at));
    const name = match?.[0] ?? "";
    this.at += name.length;
    return name;
  }
  value(name) {
    if (/^[@*#?\-$!]$/.test(name)) return "";
    const value = this.vars.get(name);
    if (value === void 0 || value === null) {
      if (!this.unknown.includes(name)) this.unknown.push(name);
      return "";
    }
    return value;
  }
};
function variablesAt(model, instruction, buildArgs) {
  const env = /* @__PURE__ */ new Map();
  const args = /* @__PURE__ */ new Map();
  const literal = (value) => value.includes("$") ? null : value;
  for (const stage of finalStageChain(model).reverse()) {
    if (stage.index > instruction.stage) break;
    for (const item of stage.instructions) {
      if (item.line >= instruction.line) break;
      for (const word of item.words) {
        const eq = word.indexOf("=");
        const name = eq < 0 ? word : word.slice(0, eq);
        if (item.keyword === "ENV" && eq > 0) env.set(name, literal(word.slice(eq + 1)));
        if (item.keyword === "ARG" && stage.index === instruction.stage) {
          const global = Object.hasOwn(model.globalArgs, name) ? model.globalArgs[name] : void 0;
          const fallback = eq > 0 ? word.slice(eq + 1) : global ?? "";
          args.set(name, Object.hasOwn(buildArgs, name) ? buildArgs[name] : literal(fallback));
        }
      }
    }
  }
  return new Map([...args, ...env]);
}

// src/probes/users.ts
var MAX_UID = 2 ** 31 - 1;
function userPart(value) {
  return value.split(":", 1)[0];
}
function parseUser(value) {
  const user = userPart(value);
  if (user === "") return { kind: "uid", uid: 0, how: "empty" };
  const number = goAtoi(user);
  if (number !== void 0) {
    return number >= 0n && number <= BigInt(MAX_UID) ? { kind: "uid", uid: Number(number), how: "number" } : { kind: "out-of-range", value: user };
  }
  if (user === "root") return { kind: "uid", uid: 0, how: "root" };
  return { kind: "name", name: user };
}
var INT64_MAX = 2n ** 63n - 1n;
var INT64_MIN = -(2n ** 63n);
function goAtoi(text) {
  if (!/^[+-]?[0-9]+$/.test(text)) return void 0;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX ? value : void 0;
}
function passwdUid(field) {
  let value = 0n;
  if (field !== void 0 && /^[+-]?[0-9]+$/.test(field)) {
    const parsed = BigInt(field);
    value = parsed > INT64_MAX ? INT64_MAX : parsed < INT64_MIN ? INT64_MIN : parsed;
  }
  return Number(BigInt.asUintN(32, value));
}
var GO_SPACE = String.raw`(?:[\t\n\v\f\r ]|\xC2[\x85\xA0]|\xE1\x9A\x80|\xE2\x80[\x80-\x8A\xA8\xA9\xAF]|\xE2\x81\x9F|\xE3\x80\x80)`;
var LEADING_SPACE = new RegExp(`^${GO_SPACE}+`);
var TRAILING_SPACE = new RegExp(`${GO_SPACE}+$`);
function lookUpPasswd(content, name, truncated) {
  const wanted = Buffer.from(name, "utf8").toString("latin1");
  const lines = content.toString("latin1").split("\n");
  if (truncated) lines.pop();
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(LEADING_SPACE, "").replace(TRAILING_SPACE, "");
    if (line === "") continue;
    const fields = line.split(":");
    if (fields[0] === wanted) {
      const uidField = fields[2] === void 0 ? void 0 : Buffer.from(fields[2], "latin1").toString("utf8");
      return { found: true, uid: passwdUid(fields[2]), uidField, line: index + 1 };
    }
  }
  return { found: false, complete: !truncated };
}

// src/probes/dockerfile/shell.ts
var MAX_DEPTH = 8;
function parseShell(script) {
  return commandsOf(script, 0, false);
}
function commandsOf(script, depth, innerShell) {
  const tokens = new Lexer2(script).tokens();
  const out = [];
  let words2 = [];
  let piped = false;
  const finish = (pipeFollows) => {
    if (words2.length > 0) out.push(...commandsOfWords(words2, piped || pipeFollows, depth, innerShell));
    words2 = [];
    piped = pipeFollows;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === "word") words2.push(token);
    else if (token.op === "|" || token.op === "|&") finish(true);
    else if (token.op === "redirect") {
      const target = tokens[i + 1];
      if (target?.kind === "word") {
        out.push(...substitutions([target], depth, innerShell));
        i++;
      }
    } else finish(false);
  }
  finish(false);
  return out;
}
var RESERVED = /* @__PURE__ */ new Set(["!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "esac"]);
var HEADERS = /* @__PURE__ */ new Set(["for", "select", "case"]);
var ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
function commandsOfWords(all, piped, depth, innerShell) {
  const out = substitutions(all, depth, innerShell);
  let start = 0;
  while (start < all.length && RESERVED.has(all[start].raw)) start++;
  if (start < all.length && HEADERS.has(all[start].raw)) return out;
  const assignments2 = /* @__PURE__ */ new Map();
  while (start < all.length && ASSIGNMENT.test(all[start].raw)) {
    const text = all[start].text;
    const eq = text.indexOf("=");
    assignments2.set(text.slice(0, eq), text.slice(eq + 1));
    start++;
  }
  const words2 = all.slice(start).map((w) => w.text);
  if (words2.length === 0) return out;
  out.push(...expand(words2, assignments2, piped, depth, innerShell));
  return out;
}
function substitutions(words2, depth, innerShell) {
  if (depth >= MAX_DEPTH) return [];
  return words2.flatMap((w) => w.substitutions.flatMap((s) => commandsOf(s, depth + 1, innerShell)));
}
function expand(words2, assignments2, piped, depth, innerShell) {
  const command = { name: basename(words2[0]), args: words2.slice(1), assignments: assignments2, piped, innerShell };
  if (depth >= MAX_DEPTH) return [command];
  const wrapped = unwrap(command);
  if (wrapped) {
    const merged = new Map([...assignments2, ...wrapped.assignments]);
    return wrapped.words.length > 0 ? [command, ...expand(wrapped.words, merged, piped, depth + 1, innerShell)] : [command];
  }
  const script = shellScript(command);
  return script === void 0 ? [command] : [command, ...commandsOf(script, depth + 1, true)];
}
function basename(word) {
  return word.slice(word.lastIndexOf("/") + 1);
}
var WRAPPERS = {
  sudo: {
    valued: /* @__PURE__ */ new Set([
      "u",
      "g",
      "h",
      "p",
      "C",
      "D",
      "r",
      "t",
      "T",
      "U",
      "user",
      "group",
      "host",
      "prompt",
      "close-from",
      "chdir",
      "role",
      "type",
      "command-timeout",
      "other-user"
    ]),
    assigns: true,
    noRun: /* @__PURE__ */ new Set(["l", "v", "k", "K", "V", "e", "list", "validate", "reset-timestamp", "remove-timestamp", "version", "edit"])
  },
  env: { valued: /* @__PURE__ */ new Set(["u", "C", "unset", "chdir"]), assigns: true },
  command: { valued: /* @__PURE__ */ new Set(), assigns: false, noRun: /* @__PURE__ */ new Set(["v", "V"]) },
  builtin: { valued: /* @__PURE__ */ new Set(), assigns: false },
  exec: { valued: /* @__PURE__ */ new Set(["a"]), assigns: false },
  nice: { valued: /* @__PURE__ */ new Set(["n", "adjustment"]), assigns: false },
  nohup: { valued: /* @__PURE__ */ new Set(), assigns: false },
  time: { valued: /* @__PURE__ */ new Set(["f", "o", "format", "output"]), assigns: false }
};
function unwrap(command) {
  const wrapper = Object.hasOwn(WRAPPERS, command.name) ? WRAPPERS[command.name] : void 0;
  if (!wrapper) return void 0;
  const { args } = command;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    const option = readOption(arg, wrapper.valued);
    if (option.names.some((n) => wrapper.noRun?.has(n))) return { words: [], assignments: /* @__PURE__ */ new Map() };
    if (option.takesNext) i++;
  }
  const assignments2 = /* @__PURE__ */ new Map();
  if (wrapper.assigns) {
    for (; i < args.length && ASSIGNMENT.test(args[i]); i++) {
      const eq = args[i].indexOf("=");
      assignments2.set(args[i].slice(0, eq), args[i].slice(eq + 1));
    }
  }
  return { words: args.slice(i), assignments: assignments2 };
}
function optionNames(arg) {
  if (arg.startsWith("--")) return [arg.slice(2).split("=")[0]];
  return [...arg.slice(1)];
}
function readOption(arg, valued) {
  if (arg.startsWith("--")) {
    const [name, ...value] = arg.slice(2).split("=");
    return { names: [name], takesNext: value.length === 0 && valued.has(name) };
  }
  const names = [];
  for (let i = 1; i < arg.length; i++) {
    names.push(arg[i]);
    if (valued.has(arg[i])) return { names, takesNext: i === arg.length - 1 };
  }
  return { names, takesNext: false };
}
var SHELLS = /* @__PURE__ */ new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]);
function shellScript(command) {
  if (!SHELLS.has(command.name)) return void 0;
  let sawC = false;
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i];
    if (/^[-+][A-Za-z]+$/.test(arg)) {
      if (arg.includes("c")) sawC = true;
      if (arg.endsWith("o")) i++;
      continue;
    }
    if (arg.startsWith("--")) continue;
    return sawC ? arg : void 0;
  }
  return void 0;
}
function flagsOf(command) {
  return command.args.flatMap((arg) => arg === "-" || arg === "--" || !arg.startsWith("-") ? [] : optionNames(arg));
}
function hasFlag(command, ...names) {
  return flagsOf(command).some((f) => names.includes(f));
}
function operands(command, valued) {
  const out = [];
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i];
    if (arg === "-" || !arg.startsWith("-")) {
      out.push(arg);
      continue;
    }
    if (arg !== "--" && readOption(arg, valued).takesNext) i++;
  }
  return out;
}
var OPERATORS = ["&&", "||", ";;", "|&", "&>>", "&>", ";", "|", "&", "(", ")"];
var REDIRECTS = ["<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"];
var BLANK = /* @__PURE__ */ new Set([" ", "	", "\r"]);
var BREAKS = /* @__PURE__ */ new Set([" ", "	", "\r", "\n", "|", "&", ";", "(", ")", "<", ">"]);
var Lexer2 = class {
  constructor(s) {
    this.s = s;
  }
  s;
  at = 0;
  out = [];
  heredocs = [];
  tokens() {
    const { s } = this;
    while (this.at < s.length) {
      const ch = s[this.at];
      if (BLANK.has(ch)) this.at++;
      else if (ch === "\\" && s[this.at + 1] === "\n") this.at += 2;
      else if (ch === "\n") {
        this.at++;
        this.out.push({ kind: "op", op: "newline" });
        this.skipHeredocBodies();
      } else if (ch === "#") this.skipComment();
      else if (this.redirect()) continue;
      else if (this.operator()) continue;
      else this.word();
    }
    return this.out;
  }
  skipComment() {
    const end = this.s.indexOf("\n", this.at);
    this.at = end < 0 ? this.s.length : end;
  }
  operator() {
    const op = OPERATORS.find((o) => this.s.startsWith(o, this.at));
    if (!op) return false;
    this.at += op.length;
    if (op === "&>" || op === "&>>") this.out.push({ kind: "op", op: "redirect" });
    else this.out.push({ kind: "op", op });
    return true;
  }
  redirect() {
    const op = REDIRECTS.find((o) => this.s.startsWith(o, this.at));
    if (!op) return false;
    this.at += op.length;
    this.out.push({ kind: "op", op: "redirect" });
    if (op === "<<" || op === "<<-") {
      while (BLANK.has(this.s[this.at] ?? "")) this.at++;
      const delimiter = this.readWord();
      this.out.push(delimiter);
      this.heredocs.push({ delimiter: delimiter.text, stripTabs: op === "<<-" });
    }
    return true;
  }
  skipHeredocBodies() {
    for (const { delimiter, stripTabs } of this.heredocs.splice(0)) {
      while (this.at < this.s.length) {
        const end = this.s.indexOf("\n", this.at);
        const line = this.s.slice(this.at, end < 0 ? this.s.length : end);
        this.at = end < 0 ? this.s.length : end + 1;
        if ((stripTabs ? line.replace(/^\t+/, "") : line) === delimiter) break;
      }
    }
  }
  word() {
    const word = this.readWord();
    if (/^\d+$/.test(word.raw) && (this.s[this.at] === "<" || this.s[this.at] === ">")) return;
    this.out.push(word);
  }
  readWord() {
    const { s } = this;
    const start = this.at;
    const word = { kind: "word", text: "", raw: "", substitutions: [] };
    while (this.at < s.length && !BREAKS.has(s[this.at])) {
      const ch = s[this.at];
      if (ch === "\\") {
        const next = s[this.at + 1];
        this.at += 2;
        if (next !== void 0 && next !== "\n") word.text += next;
      } else if (ch === "'") {
        const end = s.indexOf("'", this.at + 1);
        const stop = end < 0 ? s.length : end;
        word.text += s.slice(this.at + 1, stop);
        this.at = stop + 1;
      } else if (ch === '"') this.doubleQuoted(word);
      else if (ch === "$" || ch === "`") this.dollarOrBackquote(word);
      else {
        word.text += ch;
        this.at++;
      }
    }
    word.raw = s.slice(start, Math.min(this.at, s.length));
    return word;
  }
  doubleQuoted(word) {
    const { s } = this;
    this.at++;
    while (this.at < s.length && s[this.at] !== '"') {
      const ch = s[this.at];
      if (ch === "\\") {
        const next = s[this.at + 1];
        this.at += 2;
        if (next === void 0 || next === "\n") continue;
        word.text += '$`"\\'.includes(next) ? next : `\\${next}`;
      } else if (ch === "$" || ch === "`") this.dollarOrBackquote(word);
      else {
        word.text += ch;
        this.at++;
      }
    }
    this.at++;
  }
  /** `$(…)`, `$((…))`, `${…}`, `` `…` `` or a plain `$`; the text keeps them as written. */
  dollarOrBackquote(word) {
    const { s } = this;
    const start = this.at;
    if (s[this.at] === "`") {
      let end = this.at + 1;
      while (end < s.length && s[end] !== "`") end += s[end] === "\\" ? 2 : 1;
      word.substitutions.push(s.slice(this.at + 1, Math.min(end, s.length)));
      this.at = end + 1;
    } else if (s.startsWith("$((", this.at)) {
      this.at = this.balanced(this.at + 3, "(", ")", 2);
    } else if (s.startsWith("$(", this.at)) {
      const end = this.balanced(this.at + 2, "(", ")", 1);
      word.substitutions.push(s.slice(this.at + 2, end - 1));
      this.at = end;
    } else if (s.startsWith("${", this.at)) {
      this.at = this.balanced(this.at + 2, "{", "}", 1);
    } else this.at++;
    word.text += s.slice(start, Math.min(this.at, s.length));
  }
  /** The position after the `close` that brings `depth` to 0, skipping quoted text. */
  balanced(from, open, close, depth) {
    const { s } = this;
    let at2 = from;
    while (at2 < s.length && depth > 0) {
      const ch = s[at2];
      if (ch === "\\") at2 += 2;
      else if (ch === "'") {
        const end = s.indexOf("'", at2 + 1);
        at2 = end < 0 ? s.length : end + 1;
      } else {
        if (ch === open) depth++;
        else if (ch === close) depth--;
        at2++;
      }
    }
    return Math.min(at2, s.length);
  }
};

// src/probes/dockerfile/run-steps.ts
var DEFAULT_SHELL = ["/bin/sh", "-c"];
function runSteps(model, stages) {
  const shells = shellsAtEnd(model);
  const wanted = new Set(stages.map((s) => s.index));
  const steps = [];
  for (const stage of model.stages) {
    if (!wanted.has(stage.index)) continue;
    let shell = startShell(model, stage, shells);
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "SHELL" && instruction.json && instruction.words.length > 0) shell = instruction.words;
      const run2 = asRun(instruction);
      if (run2) steps.push(toStep(instruction, run2, shell));
    }
  }
  return steps;
}
function shellsAtEnd(model) {
  const shells = [];
  for (const stage of model.stages) {
    let shell = startShell(model, stage, shells);
    for (const i of stage.instructions) if (i.keyword === "SHELL" && i.json && i.words.length > 0) shell = i.words;
    shells.push(shell);
  }
  return shells;
}
function startShell(model, stage, shells) {
  const parent = findStage(model, stage.image, stage.index);
  return (parent && shells[parent.index]) ?? DEFAULT_SHELL;
}
function asRun(instruction) {
  if (instruction.keyword === "RUN") {
    return { flags: instruction.flags, text: instruction.argsAfterFlags, json: instruction.json ? instruction.words : void 0 };
  }
  const trigger = onbuildTrigger(instruction);
  if (trigger?.keyword !== "RUN") return void 0;
  const flags = [];
  let text = trigger.args;
  for (let flag = /^--([A-Za-z][\w-]*)(?:=(\S*))?\s+/.exec(text); flag; flag = /^--([A-Za-z][\w-]*)(?:=(\S*))?\s+/.exec(text)) {
    flags.push({ name: flag[1], value: flag[2] ?? null });
    text = text.slice(flag[0].length);
  }
  return { flags, text, json: parseJsonForm(text) };
}
function onbuildTrigger(instruction) {
  if (instruction.keyword !== "ONBUILD") return void 0;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(instruction.argsAfterFlags);
  return match ? { keyword: match[1].toUpperCase(), args: match[2] } : void 0;
}
function toStep(instruction, run2, shell) {
  if (run2.json) {
    const commands = parseShell(run2.json.map(shellQuote).join(" "));
    return { instruction, flags: run2.flags, text: run2.json.join(" "), commands, shell: void 0 };
  }
  const script = heredocScript(run2.text) ?? run2.text;
  return { instruction, flags: run2.flags, text: script, commands: parseShell(script), shell: [...shell] };
}
function shellQuote(word) {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
function heredocScript(text) {
  const match = /^<<(-?)(["']?)([A-Za-z_][\w]*)\2[ \t]*\n/.exec(text);
  if (!match) return void 0;
  const lines = text.slice(match[0].length).split("\n");
  const end = lines.findIndex((l) => (match[1] ? l.replace(/^\t+/, "") : l) === match[3]);
  return (end < 0 ? lines : lines.slice(0, end)).join("\n");
}
function cacheMountTargets(step) {
  return step.flags.filter((f) => f.name === "mount" && f.value !== null).flatMap((f) => {
    const options = new Map(
      f.value.split(",").map((kv) => {
        const eq = kv.indexOf("=");
        return eq < 0 ? [kv.trim(), ""] : [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
      })
    );
    const target = options.get("target") ?? options.get("dst") ?? options.get("destination");
    return options.get("type") === "cache" && target ? [target] : [];
  });
}

// src/probes/dockerfile/rules/outcome.ts
function onDockerfile(check) {
  return {
    needsDockerfile: true,
    check: (input) => {
      if (!input.dockerfile) throw new Error(`rule needs the Dockerfile, which is missing (${input.dockerfilePath})`);
      return check(input.dockerfile, input);
    }
  };
}
var pass = (message2) => ({ passed: true, message: message2, locations: [] });
var fail = (message2, locations) => ({ passed: false, message: message2, locations });
function at(df, item) {
  return item.endLine !== void 0 && item.endLine !== item.line ? { path: df.path, line: item.line, endLine: item.endLine } : { path: df.path, line: item.line };
}
function lineList(items) {
  const lines = [...new Set(items.map((i) => i.line))].sort((a, b) => a - b);
  return lines.length === 1 ? t("probe.rule.line", { line: lines[0] }) : t("probe.rule.lines", { lines: lines.join(", ") });
}
function alsoOn(others2) {
  return others2.length > 0 ? t("probe.rule.also", { lines: lineList(others2) }) : "";
}
function noStages(df) {
  return fail(t("probe.rule.no_from"), [{ path: df.path, line: 1 }]);
}
function locationsOf(df, items) {
  const seen = /* @__PURE__ */ new Set();
  return items.filter((i) => !seen.has(i.line) && seen.add(i.line)).sort((a, b) => a.line - b.line).map((i) => at(df, i));
}
function nameList(names, max = 5) {
  const unique = [...new Set(names)];
  const shown2 = unique.slice(0, max).map((n) => quote(n));
  return unique.length > max ? `${shown2.join(", ")}, \u2026` : shown2.join(", ");
}

// src/probes/dockerfile/rules/apt.ts
var APT = /* @__PURE__ */ new Set(["apt-get", "apt", "aptitude"]);
function isAptInstall(command) {
  return APT.has(command.name) && command.args.includes("install");
}
function mountsUnder(step, dir) {
  return cacheMountTargets(step).some((target) => {
    const path14 = target.replace(/\/+$/, "");
    return path14 === dir || path14.startsWith(`${dir}/`);
  });
}
function removes(step, dir) {
  return step.commands.some((c) => c.name === "rm" && c.args.some((a) => a === dir || a.startsWith(`${dir}/`)));
}
function aptCleanup(df) {
  const installs = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isAptInstall));
  if (installs.length === 0) return pass(t("probe.rule.apt_cleanup.no_install"));
  const cached = (s) => mountsUnder(s, "/var/lib/apt/lists") || mountsUnder(s, "/var/lib/apt") && mountsUnder(s, "/var/cache/apt");
  const offending = installs.filter((s) => !removes(s, "/var/lib/apt/lists") && !cached(s)).map((s) => s.instruction);
  if (offending.length === 0) return pass(t("probe.rule.apt_cleanup.passed"));
  return fail(t("probe.rule.apt_cleanup.lists_left", { lines: lineList(offending) }), locationsOf(df, offending));
}
function skipsRecommends(command) {
  if (command.name === "aptitude") return hasFlag(command, "R", "without-recommends");
  return hasFlag(command, "no-install-recommends") || command.args.some((a) => /^APT::Install-Recommends=(false|0|no|off)$/i.test(a));
}
function noInstallRecommends(df) {
  const installs = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isAptInstall));
  if (installs.length === 0) return pass(t("probe.rule.apt_cleanup.no_install"));
  const offending = installs.filter((s) => s.commands.some((c) => isAptInstall(c) && !skipsRecommends(c))).map((s) => s.instruction);
  if (offending.length === 0) return pass(t("probe.rule.no_install_recommends.passed"));
  return fail(t("probe.rule.no_install_recommends.found", { lines: lineList(offending) }), locationsOf(df, offending));
}

// src/probes/dockerfile/rules/caches.ts
function isApkAdd(command) {
  return command.name === "apk" && command.args.includes("add");
}
function apkNoCache(df) {
  const adds = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isApkAdd));
  if (adds.length === 0) return pass(t("probe.rule.apk_no_cache.no_add"));
  const cleaned = (s) => removes(s, "/var/cache/apk") || mountsUnder(s, "/var/cache/apk");
  const offending = adds.filter((s) => !cleaned(s) && s.commands.some((c) => isApkAdd(c) && !hasFlag(c, "no-cache"))).map((s) => s.instruction);
  if (offending.length === 0) return pass(t("probe.rule.apk_no_cache.passed"));
  return fail(t("probe.rule.apk_no_cache.found", { lines: lineList(offending) }), locationsOf(df, offending));
}
function pipArgs(command) {
  if (/^pip(\d+(\.\d+)*)?$/.test(command.name)) return command.args;
  if (!/^python(\d+(\.\d+)*)?$/.test(command.name)) return void 0;
  const m = command.args.findIndex((a, i) => a === "-m" && command.args[i + 1] === "pip");
  return m < 0 ? void 0 : command.args.slice(m + 2);
}
function isPipInstall(command) {
  return pipArgs(command)?.includes("install") ?? false;
}
var TRUTHY = /^(1|true|on|yes)$/i;
function pipNoCache(df, input) {
  const installs = runSteps(df, finalStageChain(df)).filter((s) => s.commands.some(isPipInstall));
  if (installs.length === 0) return pass(t("probe.rule.pip_no_cache.no_install"));
  const offending = installs.filter(
    (s) => !cacheOff(df, s, input) && s.commands.some((c) => isPipInstall(c) && !pipArgs(c).some((a) => a.startsWith("--no-cache-dir")))
  ).map((s) => s.instruction);
  if (offending.length === 0) return pass(t("probe.rule.pip_no_cache.passed"));
  return fail(t("probe.rule.pip_no_cache.found", { lines: lineList(offending) }), locationsOf(df, offending));
}
function cacheOff(df, step, input) {
  const value = variablesAt(df, step.instruction, input.buildArgs).get("PIP_NO_CACHE_DIR");
  if (value && TRUTHY.test(value)) return true;
  if (/PIP_NO_CACHE_DIR=["']?(1|true|on|yes)\b/i.test(step.text)) return true;
  return cacheMountTargets(step).some((target) => /(^|\/)\.cache(\/pip)?\/*$/.test(target));
}

// src/probes/dockerfile/rules/instructions.ts
function singleCmd(df) {
  const repeated = df.stages.flatMap(
    (stage) => ["CMD", "ENTRYPOINT"].map((keyword) => stage.instructions.filter((i) => i.keyword === keyword)).filter((found) => found.length > 1)
  );
  if (repeated.length === 0) return pass(t("probe.rule.single_cmd.passed"));
  repeated.sort((a, b) => a[0].line - b[0].line);
  const clauses = repeated.map((found) => t("probe.rule.single_cmd.found", { keyword: found[0].keyword, lines: lineList(found) }));
  return fail(joinClauses(clauses), locationsOf(df, repeated.flat()));
}
var COPIES = /* @__PURE__ */ new Set(["COPY", "ADD"]);
function destination(args) {
  const json = parseJsonForm(args);
  if (json && json.length >= 2) return json.at(-1);
  const words2 = args.split("\n")[0].match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words2.length < 2 ? void 0 : words2.at(-1).replace(/^(["'])(.*)\1$/, "$2");
}
function isRelative(dest) {
  return !(dest.startsWith("/") || dest.startsWith("$") || /^[A-Za-z]:[\\/]/.test(dest));
}
var withoutFlags = (args) => args.replace(/^(?:--\S+\s+)*/, "");
function relativeCopyWorkdir(df) {
  const workdirAtEnd = [];
  const offending = [];
  for (const stage of df.stages) {
    const parent = findStage(df, stage.image, stage.index);
    let workdir = parent ? workdirAtEnd[parent.index] ?? false : false;
    let onbuildWorkdir = false;
    for (const instruction of stage.instructions) {
      const trigger = onbuildTrigger(instruction);
      if (instruction.keyword === "WORKDIR") workdir = true;
      else if (trigger?.keyword === "WORKDIR") onbuildWorkdir = true;
      else if (COPIES.has(instruction.keyword)) {
        const dest = destination(instruction.argsAfterFlags);
        if (!workdir && dest !== void 0 && isRelative(dest)) offending.push(instruction);
      } else if (trigger && COPIES.has(trigger.keyword)) {
        const dest = destination(withoutFlags(trigger.args));
        if (!workdir && !onbuildWorkdir && dest !== void 0 && isRelative(dest)) offending.push(instruction);
      }
    }
    workdirAtEnd.push(workdir);
  }
  if (offending.length === 0) return pass(t("probe.rule.relative_copy_workdir.passed"));
  const keyword = onbuildTrigger(offending[0])?.keyword ?? offending[0].keyword;
  return fail(t("probe.rule.relative_copy_workdir.found", { keyword, lines: lineList(offending) }), locationsOf(df, offending));
}

// src/probes/dockerfile/rules/pinning.ts
var INSTALLERS = {
  apt: {
    packages: (c) => isAptInstall(c) ? operands(c, /* @__PURE__ */ new Set(["t", "target-release", "o", "option", "c", "config-file"])).filter((a) => a !== "install") : void 0,
    // `pkg=1.2`, a release (`pkg/bookworm-backports`) or a local .deb file.
    pinned: (pkg) => pkg.includes("=") || pkg.includes("/") || pkg.endsWith(".deb"),
    example: (pkg) => `${pkg}=<version>`
  },
  apk: {
    packages: (c) => isApkAdd(c) ? operands(
      c,
      /* @__PURE__ */ new Set(["t", "virtual", "X", "repository", "p", "root", "keys-dir", "repositories-file", "cache-dir", "arch"])
    ).filter((a) => a !== "add") : void 0,
    pinned: (pkg) => /[=~<>]/.test(pkg) || pkg.endsWith(".apk"),
    example: (pkg) => `${pkg}=<version>`
  },
  pip: { packages: pipPackages, pinned: pipPinned, example: (pkg) => `${pkg}==<version>` },
  npm: { packages: npmPackages, pinned: npmPinned, example: (pkg) => `${pkg}@<version>` }
};
var PIP_VALUED = /* @__PURE__ */ new Set([
  ...["abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url", "implementation"],
  ...["no-binary", "only-binary", "platform", "prefix", "progress-bar", "proxy", "python-version", "root", "src", "t", "target"],
  ...["trusted-host", "upgrade-strategy", "cache-dir", "log", "timeout", "retries", "exists-action", "cert", "client-cert", "report"],
  ...["C", "config-settings", "global-option"]
]);
var VCS = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/;
function pipPackages(command) {
  const args = pipArgs(command);
  if (!args?.includes("install")) return void 0;
  const fromFile = (a) => /^(-r|--requirement|-c|--constraint)/.test(a) || a === ".";
  if (args.some(fromFile)) return void 0;
  const words2 = operands({ ...command, args }, PIP_VALUED);
  return words2.slice(words2.indexOf("install") + 1).filter((w) => w !== "install");
}
function pipPinned(pkg) {
  if (["==", ">=", "<=", ">", "<", "!=", "~=", "==="].some((s) => pkg.includes(s))) return true;
  if (VCS.test(pkg)) return pkg.includes("@");
  return pkg.endsWith(".whl") || pkg.endsWith(".tar.gz") || pkg.includes("/");
}
var NPM_VALUED = /* @__PURE__ */ new Set([
  ...["loglevel", "registry", "prefix", "cache", "userconfig", "globalconfig", "tag", "workspace", "w", "omit", "include"],
  ...["install-strategy", "before", "otp", "C"]
]);
var NPM_INSTALL = /* @__PURE__ */ new Set(["install", "i", "add"]);
function npmPackages(command) {
  if (command.name !== "npm") return void 0;
  const [verb, ...packages] = operands(command, NPM_VALUED);
  return verb !== void 0 && NPM_INSTALL.has(verb) ? packages : void 0;
}
function npmPinned(pkg) {
  if (/^git(\+(ssh|https?))?:\/\//.test(pkg)) return pkg.includes("#");
  if (/\.(tar|tar\.gz|tgz)$/.test(pkg) || /^(\/|\.\/|\.\.\/|~\/)/.test(pkg)) return true;
  const name = pkg.startsWith("@") ? pkg.slice(pkg.indexOf("/") + 1) : pkg;
  return name.includes("@");
}
function pinnedPackages(df) {
  const unpinned = /* @__PURE__ */ new Map();
  let installs = 0;
  for (const step of runSteps(df, df.stages)) {
    for (const command of step.commands) {
      for (const [tool, installer] of Object.entries(INSTALLERS)) {
        const packages = installer.packages(command);
        if (packages === void 0) continue;
        installs++;
        const loose = packages.filter((p) => !installer.pinned(p));
        if (loose.length === 0) continue;
        const found = unpinned.get(tool) ?? { instructions: [], packages: [] };
        found.instructions.push(step.instruction);
        found.packages.push(...loose);
        unpinned.set(tool, found);
      }
    }
  }
  if (installs === 0) return pass(t("probe.rule.pinned_packages.no_install"));
  if (unpinned.size === 0) return pass(t("probe.rule.pinned_packages.passed"));
  const groups = [...unpinned.entries()].sort(([, a], [, b]) => a.instructions[0].line - b.instructions[0].line);
  const problems = groups.map(([tool, { instructions, packages }]) => {
    const params = { lines: lineList(instructions), packages: nameList(packages) };
    if (tool === "apt") return t("probe.rule.pinned_packages.apt", params);
    if (tool === "apk") return t("probe.rule.pinned_packages.apk", params);
    if (tool === "pip") return t("probe.rule.pinned_packages.pip", params);
    return t("probe.rule.pinned_packages.npm", params);
  });
  const [firstTool, first] = groups[0];
  const example = quote(INSTALLERS[firstTool].example(first.packages[0]));
  return fail(
    t("probe.rule.pinned_packages.found", { problems: joinClauses(problems), example }),
    locationsOf(
      df,
      groups.flatMap(([, g]) => g.instructions)
    )
  );
}

// src/probes/dockerfile/rules/secrets.ts
var POINTERS = /* @__PURE__ */ new Set(["file", "path", "dir", "url", "uri", "endpoint"]);
function looksSecret(name) {
  const parts = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/).filter((p) => p !== "");
  if (parts.length === 0 || POINTERS.has(parts.at(-1))) return false;
  const joined = parts.join("");
  return parts.some((p) => /passw(or)?d|passphrase|secret/.test(p) || p === "token" || p === "tokens") || /apikey|privatekey|accesskey|clientkey/.test(joined);
}
function assignments(instruction, path14) {
  if (instruction.keyword === "ENV" || instruction.keyword === "ARG") return instruction.words;
  const trigger = onbuildTrigger(instruction);
  if (trigger?.keyword !== "ENV" && trigger?.keyword !== "ARG") return [];
  return parseDockerfile(`${trigger.keyword} ${trigger.args}`, path14).instructions[0]?.words ?? [];
}
function noSecrets(df) {
  const offending = [];
  const names = [];
  for (const instruction of df.instructions) {
    const secret = assignments(instruction, df.path).filter((word) => {
      const eq = word.indexOf("=");
      return eq > 0 && eq < word.length - 1 && looksSecret(word.slice(0, eq));
    });
    if (secret.length === 0) continue;
    offending.push(instruction);
    names.push(...secret.map((w) => w.slice(0, w.indexOf("="))));
  }
  if (offending.length === 0) return pass(t("probe.rule.no_secrets.passed"));
  return fail(t("probe.rule.no_secrets.found", { names: nameList(names), lines: lineList(offending) }), locationsOf(df, offending));
}

// src/probes/dockerfile/rules/shell-use.ts
function stepsRunning(df, name) {
  return runSteps(df, df.stages).filter((s) => s.commands.some((c) => c.name === name));
}
function noCd(df) {
  const offending = stepsRunning(df, "cd").map((s) => s.instruction);
  if (offending.length === 0) return pass(t("probe.rule.no_cd.passed"));
  return fail(t("probe.rule.no_cd.found", { lines: lineList(offending) }), locationsOf(df, offending));
}
function noSudo(df) {
  const offending = stepsRunning(df, "sudo").map((s) => s.instruction);
  if (offending.length === 0) return pass(t("probe.rule.no_sudo.passed"));
  return fail(t("probe.rule.no_sudo.found", { lines: lineList(offending) }), locationsOf(df, offending));
}
var shellName = (word) => word.slice(Math.max(word.lastIndexOf("/"), word.lastIndexOf("\\")) + 1).toLowerCase();
function isPosix(shell) {
  return !/^(pwsh|powershell|cmd)(\.exe)?$/.test(shellName(shell[0] ?? ""));
}
function setsPipefail(words2) {
  return words2.some((w, i) => w === "pipefail" && i > 0 && /^-[A-Za-z]*o$/.test(words2[i - 1]));
}
function shellHasPipefail(shell) {
  return ["bash", "zsh", "ash"].includes(shellName(shell[0] ?? "")) && setsPipefail(shell);
}
function scriptSetsPipefail(commands) {
  const firstPipe = commands.findIndex((c) => c.piped && !c.innerShell);
  return commands.slice(0, firstPipe).some((c) => c.name === "set" && !c.innerShell && setsPipefail(c.args));
}
function pipefail(df) {
  const piped = runSteps(df, df.stages).filter(
    (s) => s.shell !== void 0 && isPosix(s.shell) && s.commands.some((c) => c.piped && !c.innerShell)
  );
  if (piped.length === 0) return pass(t("probe.rule.pipefail.no_pipe"));
  const offending = piped.filter((s) => !shellHasPipefail(s.shell) && !scriptSetsPipefail(s.commands)).map((s) => s.instruction);
  if (offending.length === 0) return pass(t("probe.rule.pipefail.passed"));
  return fail(t("probe.rule.pipefail.found", { lines: lineList(offending) }), locationsOf(df, offending));
}

// src/probes/dockerfile/rules.ts
var rules = {
  "pinned-base": onDockerfile(pinnedBase),
  "non-root-user": onDockerfile(nonRootUser),
  "multi-stage": onDockerfile(multiStage),
  healthcheck: onDockerfile(healthcheck),
  "exec-form": onDockerfile(execForm),
  "no-add": onDockerfile(noAdd),
  "apt-cleanup": onDockerfile(aptCleanup),
  "combined-apt": onDockerfile(combinedApt),
  "workdir-absolute": onDockerfile(workdirAbsolute),
  expose: onDockerfile(expose),
  dockerignore: { needsDockerfile: false, check: dockerignore },
  "no-secrets": onDockerfile(noSecrets),
  "no-cd": onDockerfile(noCd),
  "no-sudo": onDockerfile(noSudo),
  "no-install-recommends": onDockerfile(noInstallRecommends),
  "apk-no-cache": onDockerfile(apkNoCache),
  "pip-no-cache": onDockerfile(pipNoCache),
  pipefail: onDockerfile(pipefail),
  "single-cmd": onDockerfile(singleCmd),
  "relative-copy-workdir": onDockerfile(relativeCopyWorkdir),
  "pinned-packages": onDockerfile(pinnedPackages)
};
async function checkRule(rule, input) {
  return rules[rule].check(input);
}
function chainInstructions(df, keyword) {
  return finalStageChain(df).reverse().flatMap((stage) => stage.instructions.filter((i) => i.keyword === keyword));
}
var SUGGESTED_TAGS = {
  node: "node:20-alpine",
  python: "python:3.12-slim",
  nginx: "nginx:1.27-alpine",
  httpd: "httpd:2.4",
  ubuntu: "ubuntu:24.04",
  debian: "debian:bookworm-slim",
  alpine: "alpine:3.20",
  golang: "golang:1.22-alpine",
  openjdk: "eclipse-temurin:21-jre",
  "eclipse-temurin": "eclipse-temurin:21-jre",
  redis: "redis:7-alpine"
};
function suggestTag(name) {
  return SUGGESTED_TAGS[name.replace(/^(docker\.io\/)?(library\/)?/, "")] ?? `${name}:<version>`;
}
function pinnedBase(df, input) {
  if (df.stages.length === 0) return noStages(df);
  const vars = { ...df.globalArgs, ...input.buildArgs };
  const problems = [];
  for (const stage of df.stages) {
    if (stage.image.toLowerCase() === "scratch" || findStage(df, stage.image, stage.index)) continue;
    const { value, unresolved } = expandVariables(stage.image, vars);
    if (value === "scratch" || findStage(df, value, stage.index)) continue;
    const ref = parseImageReference(value);
    if (ref.digest) continue;
    if (stage.image === "") {
      problems.push({ stage, why: t("probe.rule.pinned_base.no_image") });
    } else if (unresolved.length > 0 && !ref.tag) {
      const suggestion = suggestTag(ref.name || "image");
      problems.push({
        stage,
        why: t("probe.rule.pinned_base.arg_no_default", { image: stage.image, args: unresolved.join(", "), suggestion })
      });
    } else if (!ref.tag) {
      problems.push({ stage, why: t("probe.rule.pinned_base.no_tag", { image: value, suggestion: suggestTag(ref.name) }) });
    } else if (ref.tag === "latest") {
      problems.push({ stage, why: t("probe.rule.pinned_base.latest", { image: value, suggestion: suggestTag(ref.name) }) });
    }
  }
  if (problems.length === 0) return pass(t("probe.rule.pinned_base.passed"));
  const more = problems.length > 1 ? t("probe.rule.pinned_base.more", { count: problems.length - 1, lines: lineList(problems.slice(1).map((p) => p.stage)) }) : "";
  return fail(
    `${problems[0].why}${more}`,
    problems.map((p) => at(df, p.stage))
  );
}
function nonRootUser(df, input) {
  if (df.stages.length === 0) return noStages(df);
  const users = chainInstructions(df, "USER");
  const last = users.at(-1);
  const finalStage = df.stages.at(-1);
  if (!last) {
    return fail(t("probe.rule.non_root.no_user"), [at(df, finalStage)]);
  }
  const written = { user: quote(last.argsAfterFlags), line: last.line };
  const word = processWord(last.argsAfterFlags, df.escape, variablesAt(df, last, input.buildArgs));
  if (!word.known) return pass(t("probe.rule.non_root.unknown", { ...written, why: word.why }));
  const means = word.value === last.argsAfterFlags ? "" : t("probe.rule.non_root.means", { value: quote(word.value) });
  const user = parseUser(word.value);
  if (user.kind === "out-of-range") {
    return fail(t("probe.rule.non_root.out_of_range", { ...written, means, max: MAX_UID }), [at(df, last)]);
  }
  if (user.kind === "name") return pass(t("probe.rule.non_root.name", { ...written, means, name: quote(user.name) }));
  if (user.uid !== 0) return pass(t("probe.rule.non_root.uid", { ...written, means, uid: user.uid }));
  const root = user.how === "empty" ? t("probe.rule.non_root.root_empty") : user.how === "root" ? t("probe.rule.non_root.root_name") : t("probe.rule.non_root.root_uid");
  return fail(t("probe.rule.non_root.root", { ...written, means, root }), [at(df, last)]);
}
function multiStage(df) {
  if (df.stages.length >= 2) return pass(t("probe.rule.multi_stage.passed", { count: df.stages.length }));
  if (df.stages.length === 0) return noStages(df);
  return fail(t("probe.rule.multi_stage.single"), [at(df, df.stages[0])]);
}
function healthcheck(df) {
  if (df.stages.length === 0) return noStages(df);
  const last = chainInstructions(df, "HEALTHCHECK").at(-1);
  if (!last) {
    return fail(t("probe.rule.healthcheck.missing"), [at(df, df.stages.at(-1))]);
  }
  if (/^none$/i.test(last.argsAfterFlags.trim())) return fail(t("probe.rule.healthcheck.none"), [at(df, last)]);
  return pass(t("probe.rule.healthcheck.passed", { line: last.line }));
}
var SHELL_SYNTAX = /[&|;<>()`$*]/;
function execForm(df) {
  const offending = df.instructions.filter((i) => (i.keyword === "CMD" || i.keyword === "ENTRYPOINT") && !i.json);
  const all = df.instructions.filter((i) => i.keyword === "CMD" || i.keyword === "ENTRYPOINT");
  if (all.length === 0) return pass(t("probe.rule.exec_form.no_start"));
  if (offending.length === 0) return pass(t("probe.rule.exec_form.passed"));
  const first = offending[0];
  const quotes = first.argsAfterFlags.startsWith("[") ? t("probe.rule.exec_form.single_quotes") : "";
  const example = first.argsAfterFlags.startsWith("[") ? "" : SHELL_SYNTAX.test(first.argsAfterFlags) ? t("probe.rule.exec_form.move_shell_steps") : t("probe.rule.exec_form.example", { keyword: first.keyword, json: JSON.stringify(first.words) });
  const message2 = t("probe.rule.exec_form.shell", {
    keyword: first.keyword,
    line: first.line,
    quotes,
    entrypoint: first.keyword === "ENTRYPOINT" ? t("probe.rule.exec_form.entrypoint") : "",
    example,
    also: alsoOn(offending.slice(1))
  });
  return fail(
    message2,
    offending.map((i) => at(df, i))
  );
}
var URL_SOURCE = /^(https?|git):\/\/|^git@/i;
var TAR_ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz|tzst)$/i;
function noAdd(df) {
  const offending = df.instructions.filter((i) => {
    if (i.keyword !== "ADD") return false;
    const sources = i.words.slice(0, -1).map((w) => w.replace(/^["']|["']$/g, ""));
    return sources.length === 0 || sources.some((s) => !URL_SOURCE.test(s) && !TAR_ARCHIVE.test(s));
  });
  if (offending.length === 0) return pass(t("probe.rule.no_add.passed"));
  return fail(
    t("probe.rule.no_add.local", { lines: lineList(offending) }),
    offending.map((i) => at(df, i))
  );
}
var APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/;
var APT_UPDATE = /\bapt(?:-get)?\s+(?:-\S+\s+)*update\b/;
function runs(df) {
  return df.instructions.filter((i) => i.keyword === "RUN");
}
function combinedApt(df) {
  const updates = runs(df).filter((r2) => APT_UPDATE.test(r2.argsAfterFlags));
  const offending = updates.filter((r2) => !APT_INSTALL.test(r2.argsAfterFlags));
  if (updates.length === 0) return pass(t("probe.rule.combined_apt.no_update"));
  if (offending.length === 0) return pass(t("probe.rule.combined_apt.passed"));
  return fail(
    t("probe.rule.combined_apt.separate", { lines: lineList(offending) }),
    offending.map((i) => at(df, i))
  );
}
function workdirAbsolute(df) {
  const workdirs = df.instructions.filter((i) => i.keyword === "WORKDIR");
  const offending = workdirs.filter((w) => {
    const dir = w.argsAfterFlags.trim().replace(/^["']|["']$/g, "");
    return !(dir.startsWith("/") || dir.startsWith("$") || /^[A-Za-z]:[\\/]/.test(dir));
  });
  if (workdirs.length === 0) return pass(t("probe.rule.workdir.none"));
  if (offending.length === 0) return pass(t("probe.rule.workdir.passed"));
  const first = offending[0];
  return fail(
    t("probe.rule.workdir.relative", { dir: first.argsAfterFlags, line: first.line, also: alsoOn(offending.slice(1)) }),
    offending.map((i) => at(df, i))
  );
}
function expose(df) {
  if (df.stages.length === 0) return noStages(df);
  const exposes = chainInstructions(df, "EXPOSE");
  if (exposes.length > 0) {
    return pass(t("probe.rule.expose.passed", { ports: exposes.flatMap((e) => e.words).join(", ") }));
  }
  return fail(t("probe.rule.expose.missing"), [at(df, df.stages.at(-1))]);
}
async function dockerignore(input) {
  const contextPath = path6.posix.normalize(input.contextPath.replaceAll("\\", "/"));
  const candidates = [
    path6.posix.join(contextPath, ".dockerignore"),
    // BuildKit also reads <Dockerfile>.dockerignore next to the Dockerfile.
    `${input.dockerfilePath}.dockerignore`
  ];
  for (const candidate of candidates) {
    const found = await resolveInRepo(input.repoDir, candidate);
    if (found.ok && found.stats.isFile()) return pass(t("probe.rule.dockerignore.passed", { path: candidate }));
  }
  return fail(t("probe.rule.dockerignore.missing", { path: candidates[0] }), []);
}

// src/probes/matcher.ts
function matchText(matcher, text) {
  const failures = [];
  if (matcher.equals !== void 0) {
    const want = normaliseForEquals(matcher.equals);
    const got = normaliseForEquals(text);
    if (want !== got) failures.push(t("probe.match.not_equal", { difference: firstDifference(want, got) }));
  }
  if (matcher.contains !== void 0 && !text.includes(matcher.contains)) {
    failures.push(t("probe.match.missing_text", { text: quote(matcher.contains) }));
  }
  if (matcher.matches !== void 0) {
    const search = compilePattern(matcher.matches).search(text);
    if (!search.found) {
      const pattern = matcher.matches;
      failures.push(
        search.complete ? t("probe.match.no_match", { pattern }) : t("probe.match.no_match_capped", { pattern, count: MATCH_CAP_CHARS.toLocaleString("en-US") })
      );
    }
  }
  if (matcher.not_contains !== void 0 && text.includes(matcher.not_contains)) {
    failures.push(t("probe.match.forbidden_text", { text: quote(matcher.not_contains) }));
  }
  return { ok: failures.length === 0, expected: describeMatcher(matcher), failures };
}
function describeMatcher(matcher) {
  const parts = [];
  if (matcher.equals !== void 0) parts.push(t("probe.match.describe.equals", { text: quote(matcher.equals, 200) }));
  if (matcher.contains !== void 0) parts.push(t("probe.match.describe.contains", { text: quote(matcher.contains) }));
  if (matcher.matches !== void 0) parts.push(t("probe.match.describe.matches", { pattern: matcher.matches }));
  if (matcher.not_contains !== void 0) parts.push(t("probe.match.describe.not_contains", { text: quote(matcher.not_contains) }));
  return parts.length > 0 ? parts.join(t("probe.match.describe.and")) : t("probe.match.describe.anything");
}
function normaliseForEquals(text) {
  return text.replace(/\r\n?/g, "\n").split("\n").map((line) => line.trimEnd()).join("\n").trimEnd();
}
function firstDifference(want, got) {
  const wantLines = want.split("\n");
  const gotLines = got.split("\n");
  for (let i = 0; i < Math.max(wantLines.length, gotLines.length); i++) {
    const w = wantLines[i];
    const g = gotLines[i];
    if (w === g) continue;
    if (g === void 0) return t("probe.match.diff.missing_line", { line: i + 1, want: quote(w ?? "") });
    if (w === void 0) return t("probe.match.diff.extra_line", { line: i + 1, got: quote(g) });
    return t("probe.match.diff.line", { line: i + 1, want: quote(w), got: quote(g) });
  }
  return t("probe.match.diff.unknown");
}
function jsonSubset(expected, actual, at2 = "$") {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [t("probe.json.not_array", { at: at2, actual: describeJson(actual) })];
    if (actual.length < expected.length) return [t("probe.json.too_short", { at: at2, count: expected.length, actual: actual.length })];
    return expected.flatMap((item, i) => jsonSubset(item, actual[i], `${at2}[${i}]`));
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [t("probe.json.not_object", { at: at2, actual: describeJson(actual) })];
    return Object.entries(expected).flatMap(([key, value]) => {
      const child = `${at2}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
      if (!Object.hasOwn(actual, key)) return [t("probe.json.missing_key", { at: child, value: describeJson(value) })];
      return jsonSubset(value, actual[key], child);
    });
  }
  if (expected === actual) return [];
  return [t("probe.json.different", { at: at2, want: describeJson(expected), got: describeJson(actual) })];
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function describeJson(value) {
  if (value === void 0) return t("probe.json.nothing");
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}\u2026` : text;
}

// src/probes/kinds/dockerfile.ts
var dockerfileProbe = {
  kind: "dockerfile",
  stage: () => "repo",
  schedule: "concurrent",
  defaultTimeoutMs: 1e4,
  async run(check, ctx) {
    const { spec } = check;
    if (spec.rule) {
      const result = await runRule(spec.rule, ctx);
      return {
        status: result.passed ? "passed" : "failed",
        message: result.message,
        ...result.locations.length > 0 ? { locations: result.locations } : {}
      };
    }
    if (spec.rules) return checkRules(spec.rules, ctx);
    if (spec.instruction) {
      if (!ctx.dockerfile) return missing(ctx);
      const keyword = spec.instruction.toUpperCase();
      switch (spec.match ?? "any") {
        case "any":
          return checkInstruction(ctx.dockerfile, keyword, spec);
        case "all":
          return everyInstruction(ctx.dockerfile, keyword, spec);
        case "none":
          return noInstruction(ctx.dockerfile, keyword, spec);
      }
    }
    throw new Error(`dockerfile check ${check.id} names neither a rule nor an instruction`);
  }
};
function missing(ctx) {
  return { status: "failed", message: missingMessage(ctx) };
}
function missingMessage(ctx) {
  return ctx.dockerfileRefused ?? t("probe.dockerfile.not_found", { path: ctx.dockerfilePath });
}
async function runRule(rule, ctx) {
  if (rules[rule].needsDockerfile && !ctx.dockerfile) return { passed: false, message: missingMessage(ctx), locations: [] };
  return checkRule(rule, {
    dockerfile: ctx.dockerfile,
    repoDir: ctx.repoDir,
    dockerfilePath: ctx.dockerfilePath,
    contextPath: ctx.rubric.build.context,
    buildArgs: ctx.rubric.build.args
  });
}
async function checkRules(list, ctx) {
  const results = await Promise.all(list.map(async (rule) => ({ rule, result: await runRule(rule, ctx) })));
  const failing = results.filter(({ result }) => !result.passed);
  const expected = t("check.dockerfile.rules_expected", { rules: list.join(", ") });
  if (failing.length === 0) {
    return { status: "passed", message: t("check.dockerfile.rules_passed", { count: list.length }), expected };
  }
  const named = failing.map(
    ({ rule, result }) => result.locations.length > 0 ? t("check.dockerfile.rule_at", { rule, lines: lineList2(result.locations) }) : rule
  );
  const locations = uniqueLocations(failing.flatMap(({ result }) => result.locations));
  return {
    status: "failed",
    message: t("check.dockerfile.rules_failed", { failed: failing.length, count: list.length, rules: named.join(", ") }),
    expected,
    actual: failing.map(({ rule, result }) => `${rule}: ${result.message}`).join("\n"),
    ...locations.length > 0 ? { locations } : {},
    share: { passed: list.length - failing.length, of: list.length }
  };
}
function lineList2(items) {
  const lines = [...new Set(items.map((i) => i.line))].sort((a, b) => a - b);
  return lines.length === 1 ? t("probe.rule.line", { line: lines[0] }) : t("probe.rule.lines", { lines: lines.join(", ") });
}
function uniqueLocations(locations) {
  const seen = /* @__PURE__ */ new Set();
  return locations.filter((l) => {
    const key = `${l.path}:${l.line}:${l.endLine ?? l.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
function where(df, i) {
  return i.endLine !== i.line ? { path: df.path, line: i.line, endLine: i.endLine } : { path: df.path, line: i.line };
}
function foundLines(found) {
  return found.map((i) => t("probe.dockerfile.found_line", { line: i.line, keyword: i.keyword, args: i.args })).join("\n");
}
function absent(keyword, expected) {
  return {
    status: "failed",
    message: t("probe.dockerfile.no_instruction", { keyword }),
    expected,
    actual: t("probe.dockerfile.none", { keyword })
  };
}
function everyInstruction(df, keyword, spec) {
  if (!spec.args) return checkInstruction(df, keyword, spec);
  const matcher = spec.args;
  const expected = t("check.dockerfile.expect_all", { keyword, matcher: describeMatcher(matcher) });
  const found = df.instructions.filter((i) => i.keyword === keyword);
  if (found.length === 0) return absent(keyword, expected);
  const failing = found.flatMap((i) => {
    const result = matchText(matcher, i.args);
    return result.ok ? [] : [{ instruction: i, failures: joinClauses(result.failures) }];
  });
  if (failing.length === 0) {
    return {
      status: "passed",
      message: t("check.dockerfile.all_matched", { keyword, count: found.length, matcher: describeMatcher(matcher) }),
      expected,
      actual: foundLines(found),
      locations: found.map((i) => where(df, i))
    };
  }
  const details2 = failing.map(({ instruction, failures }) => t("check.dockerfile.line_failures", { line: instruction.line, failures }));
  return {
    status: "failed",
    message: t("check.dockerfile.all_failed", { failed: failing.length, count: found.length, keyword, details: details2.join("; ") }),
    expected,
    actual: foundLines(found),
    locations: failing.map(({ instruction }) => where(df, instruction))
  };
}
function noInstruction(df, keyword, spec) {
  const matcher = spec.args;
  const expected = matcher ? t("check.dockerfile.expect_none", { keyword, matcher: describeMatcher(matcher) }) : t("check.dockerfile.expect_none_at_all", { keyword });
  const found = df.instructions.filter((i) => i.keyword === keyword);
  const matching = matcher ? found.filter((i) => matchText(matcher, i.args).ok) : found;
  const actual = found.length > 0 ? foundLines(found) : t("probe.dockerfile.none", { keyword });
  if (matching.length === 0) {
    const message2 = found.length === 0 ? t("probe.dockerfile.no_instruction", { keyword }) : t("check.dockerfile.none_matched", { keyword, count: found.length, matcher: describeMatcher(matcher) });
    return { status: "passed", message: message2, expected, actual };
  }
  const lines = lineList2(matching);
  return {
    status: "failed",
    message: matcher ? t("check.dockerfile.none_failed", { keyword, count: matching.length, lines, matcher: describeMatcher(matcher) }) : t("check.dockerfile.none_present", { keyword, count: matching.length, lines }),
    expected,
    actual,
    locations: matching.map((i) => where(df, i))
  };
}
function checkInstruction(df, keyword, spec) {
  const found = df.instructions.filter((i) => i.keyword === keyword);
  const expected = spec.args ? t("probe.dockerfile.expect_args", { keyword, matcher: describeMatcher(spec.args) }) : t("probe.dockerfile.expect_instruction", { keyword });
  if (found.length === 0) return absent(keyword, expected);
  const actual = foundLines(found);
  if (!spec.args) {
    return {
      status: "passed",
      message: t("probe.dockerfile.found", { keyword, line: found[0].line }),
      expected,
      actual,
      locations: found.map((i) => where(df, i))
    };
  }
  const hit = found.find((i) => matchText(spec.args, i.args).ok);
  if (hit) {
    return {
      status: "passed",
      message: t("probe.dockerfile.found_matching", { keyword, args: quote(hit.args), line: hit.line }),
      expected,
      actual,
      locations: [where(df, hit)]
    };
  }
  const first = found[0];
  const failures = joinClauses(matchText(spec.args, first.args).failures);
  return {
    status: "failed",
    message: found.length === 1 ? t("probe.dockerfile.no_match_one", { keyword, line: first.line, failures }) : t("probe.dockerfile.no_match_many", { keyword, count: found.length, line: first.line, failures }),
    expected,
    actual,
    locations: found.map((i) => where(df, i))
  };
}

// src/probes/context.ts
function requireImage(ctx) {
  if (!ctx.image) throw new Error("no built image in the probe context");
  return ctx.image;
}
function requireService(ctx) {
  if (!ctx.service) throw new Error("no running service in the probe context");
  return ctx.service;
}
function targetPort(ctx, port) {
  return port ?? requireService(ctx).defaultPort;
}
function nothingListening(port) {
  return t("probe.service.nothing_listening", { port });
}
function exitNote(ctx) {
  const exit = ctx.service?.handle.exitInfo();
  if (!exit) return ctx.service?.handle.pidsLimitHit?.() ? followingClause(t("probe.service.exit.pids_limit")) : "";
  if (exit.oomKilled) return followingClause(t("probe.service.exit.oom"));
  const diskKill = diskLimitKill(exit.killedFor);
  if (diskKill) return followingClause(t("probe.service.exit.disk", { kill: diskKill }));
  return followingClause(t("probe.service.exit.exited", { code: exit.exitCode }));
}

// src/probes/process-outcome.ts
function judgeProcess(label, outcome, expect, timeoutMs) {
  const expected = describeExpectations(expect);
  const output = showOutput(outcome.stdout, outcome.stderr);
  const notes = limitNotes(outcome);
  if (outcome.killedFor === "time") {
    return {
      status: "failed",
      message: t("probe.process.time_limit", { label, limit: formatDuration(timeoutMs), notes }),
      expected,
      actual: t("probe.process.killed_time"),
      output
    };
  }
  if (outcome.oomKilled) {
    return {
      status: "failed",
      message: t("probe.process.oom", { label, notes }),
      expected,
      actual: t("probe.process.killed_oom"),
      output
    };
  }
  const diskKill = diskLimitKill(outcome.killedFor);
  if (diskKill) {
    return {
      status: "failed",
      message: t("probe.process.disk", { label, kill: diskKill, notes }),
      expected,
      actual: t("probe.process.killed_disk"),
      output
    };
  }
  const problems = [];
  if (outcome.exitCode !== expect.exitCode) {
    problems.push(
      outcome.exitCode === null ? t("probe.process.no_exit_code") : t("probe.process.wrong_exit_code", { actual: outcome.exitCode, expected: expect.exitCode })
    );
  }
  for (const [name, matcher, captured] of [
    ["stdout", expect.stdout, outcome.stdout],
    ["stderr", expect.stderr, outcome.stderr]
  ]) {
    if (!matcher) continue;
    const result = matchText(matcher, captured.text);
    if (result.ok) continue;
    const failures = joinClauses(result.failures);
    problems.push(
      captured.truncated ? t("probe.process.stream_failures_cut", { stream: name, failures, count: captured.text.length }) : t("probe.process.stream_failures", { stream: name, failures })
    );
  }
  return {
    status: problems.length === 0 ? "passed" : "failed",
    message: problems.length === 0 ? `${passedMessage(label, outcome.exitCode, expect)}${notes}` : `${label}: ${joinClauses(problems)}${notes}`,
    expected,
    actual: t("probe.process.exit_code", { code: outcome.exitCode ?? t("probe.process.unknown") }),
    output
  };
}
function limitNotes(outcome) {
  const notes = [];
  if (outcome.pidsLimitHit) notes.push(t("probe.process.note_pids"));
  if (outcome.stdout.truncated || outcome.stderr.truncated) {
    const printed = formatBytes(outcome.stdout.bytes + outcome.stderr.bytes);
    notes.push(t("probe.process.note_output", { printed, cap: formatBytes(OUTPUT_CAP_BYTES) }));
  }
  return notes.map(followingClause).join("");
}
function passedMessage(label, code, expect) {
  const outputs = streamExpectations(expect);
  return outputs.length > 0 ? t("probe.process.exited_output", { label, code: String(code), outputs: outputs.join(", ") }) : t("probe.process.exited", { label, code: String(code) });
}
function streamExpectations(expect) {
  const parts = [];
  if (expect.stdout) parts.push(t("probe.process.stream_matcher", { stream: "stdout", matcher: describeMatcher(expect.stdout) }));
  if (expect.stderr) parts.push(t("probe.process.stream_matcher", { stream: "stderr", matcher: describeMatcher(expect.stderr) }));
  return parts;
}
function describeExpectations(expect) {
  return [t("probe.process.exit_code", { code: expect.exitCode }), ...streamExpectations(expect)].join("\n");
}
function showOutput(stdout, stderr) {
  if (stderr.text === "") return headForDisplay(stdout.text);
  if (stdout.text === "") return headForDisplay(`[stderr]
${stderr.text}`);
  return headForDisplay(`[stdout]
${stdout.text}
[stderr]
${stderr.text}`);
}

// src/probes/kinds/exec.ts
var execProbe = {
  kind: "exec",
  stage: () => "service",
  // Commands share the one container and its limits: one at a time, none can sway another's result.
  schedule: "one-at-a-time",
  defaultTimeoutMs: 1e4,
  async run(check, ctx) {
    const { spec } = check;
    const { timeoutMs } = ctx;
    const outcome = await requireService(ctx).handle.exec(spec.command, { timeoutMs, outputCap: OUTPUT_CAP_BYTES });
    return judgeProcess(formatCommand(spec.command), outcome, spec, timeoutMs);
  }
};

// src/probes/kinds/file.ts
import path7 from "node:path";

// src/probes/file-type.ts
function describeImageEntryType(type) {
  switch (type) {
    case "directory":
      return t("probe.file_type.directory");
    case "symlink":
      return t("probe.file_type.symlink");
    case "link":
      return t("probe.file_type.link");
    case "character-device":
      return t("probe.file_type.character_device");
    case "block-device":
      return t("probe.file_type.block_device");
    case "fifo":
      return t("probe.file_type.fifo");
    default:
      return type;
  }
}

// src/probes/kinds/file.ts
var fileProbe = {
  kind: "file",
  stage: (spec) => spec.in === "image" ? "image" : "repo",
  schedule: "concurrent",
  defaultTimeoutMs: 1e4,
  async run(check, ctx) {
    const { spec } = check;
    const read = spec.in === "image" ? await readFromImage(spec.path, ctx) : await readFromRepo(spec.path, ctx);
    if (!read.ok) return read.outcome;
    const location = spec.in === "repo" ? [{ path: path7.posix.normalize(spec.path.replaceAll("\\", "/")), line: 1 }] : void 0;
    if (!spec.content) {
      return { status: "passed", message: t("probe.file.exists", { where: read.where }), ...location ? { locations: location } : {} };
    }
    const text = new TextDecoder("utf-8").decode(read.content);
    const result = matchText(spec.content, text);
    const { where: where2 } = read;
    const failures = joinClauses(result.failures);
    return {
      status: result.ok ? "passed" : "failed",
      message: result.ok ? t("probe.file.matches", { where: where2, expected: result.expected }) : read.truncated ? t("probe.file.mismatch_cut", { where: where2, failures, bytes: OUTPUT_CAP_BYTES }) : t("probe.file.mismatch", { where: where2, failures }),
      expected: result.expected,
      output: headForDisplay(text),
      ...location ? { locations: location } : {}
    };
  }
};
async function readFromRepo(relative, ctx) {
  const resolved = await resolveInRepo(ctx.repoDir, relative);
  if (!resolved.ok) return { ok: false, outcome: { status: "failed", message: resolved.message } };
  if (!resolved.stats.isFile()) {
    const message2 = resolved.stats.isDirectory() ? t("probe.file.is_directory", { path: relative }) : t("probe.file.not_regular", { path: relative });
    return { ok: false, outcome: { status: "failed", message: message2 } };
  }
  const read = await readRegularFile(resolved.absolute, OUTPUT_CAP_BYTES);
  if (read.kind === "missing")
    return { ok: false, outcome: { status: "failed", message: t("workspace.path.missing", { path: relative }) } };
  if (read.kind === "other") {
    return { ok: false, outcome: { status: "failed", message: t("probe.file.other_type", { path: relative, type: read.type }) } };
  }
  return { ok: true, content: read.content, truncated: read.truncated, where: relative };
}
async function readFromImage(filePath, ctx) {
  const image = requireImage(ctx);
  const absolute = path7.posix.resolve(image.info.workdir || "/", filePath);
  const file = await ctx.engine.readImageFile(image.ref, absolute, OUTPUT_CAP_BYTES);
  const where2 = t("probe.file.in_image", { path: absolute });
  if (file.kind === "missing") return { ok: false, outcome: { status: "failed", message: t("probe.file.image_missing", { where: where2 }) } };
  if (file.kind === "other") {
    const type = describeImageEntryType(file.type);
    return { ok: false, outcome: { status: "failed", message: t("probe.file.image_not_regular", { where: where2, type }) } };
  }
  return { ok: true, content: file.content, truncated: file.truncated, where: where2 };
}

// src/probes/json-depth.ts
var MAX_JSON_DEPTH = 1e3;
var QUOTE = 34;
var BACKSLASH = 92;
var OPENERS = /* @__PURE__ */ new Set([91, 123]);
var CLOSERS = /* @__PURE__ */ new Set([93, 125]);
function nestsDeeperThan(text, limit) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(c)) depth--;
  }
  return false;
}

// src/probes/kinds/http.ts
var httpProbe = {
  kind: "http",
  stage: () => "service",
  // Student servers often take one connection at a time (Python's http.server, a BusyBox
  // nc loop) with a tiny backlog: parallel requests would wait out a SYN retransmit.
  schedule: "one-at-a-time",
  defaultTimeoutMs: 5e3,
  // The check's `timeout` is each request's: a check with cases gets one per case.
  timeLimits: (spec) => spec.cases?.length ?? 1,
  async run(check, ctx) {
    const { spec } = check;
    if (!spec.cases) return runCase(spec, ctx, ctx.timeoutMs);
    return runCases(spec.cases, ctx);
  }
};
async function runCases(cases, ctx) {
  const timeoutMs = ctx.timeoutMs / cases.length;
  const outcomes = [];
  for (const item of cases) {
    const outcome = await runCase(item, ctx, timeoutMs);
    if (outcome.status === "error") return outcome;
    outcomes.push(outcome);
  }
  const failing = outcomes.filter((o) => o.status !== "passed");
  const count2 = cases.length;
  const expected = cases.map((item) => `${requestLine(item)}: ${expectations(item).join(", ")}`).join("\n");
  const actual = outcomes.map((o, i) => o.actual === void 0 ? o.message : `${requestLine(cases[i])}: ${o.actual.split("\n").join(", ")}`).join("\n");
  if (failing.length === 0) {
    const results2 = outcomes.map((o) => o.message).join("; ");
    return { status: "passed", message: t("check.http.cases_passed", { count: count2, results: results2 }), expected, actual };
  }
  const results = failing.map((o) => o.message).join("; ");
  return {
    status: "failed",
    message: t("check.http.cases_failed", { failed: failing.length, count: count2, results }),
    expected,
    actual,
    share: { passed: count2 - failing.length, of: count2 }
  };
}
function requestLine(spec) {
  const path14 = spec.path.startsWith("/") ? spec.path : `/${spec.path}`;
  return `${spec.method.toUpperCase()} ${path14}`;
}
async function runCase(spec, ctx, timeoutMs) {
  const service = requireService(ctx);
  const port = targetPort(ctx, spec.port);
  if (port === void 0) {
    return { status: "failed", message: t("probe.http.no_port") };
  }
  const method = spec.method.toUpperCase();
  const path14 = spec.path.startsWith("/") ? spec.path : `/${spec.path}`;
  const request = requestLine(spec);
  const expected = expectations(spec).join("\n");
  const address = await service.handle.address(port);
  const response = await sendRequest({
    host: address.host,
    port: address.port,
    method,
    path: path14,
    headers: spec.headers,
    ...spec.data !== void 0 ? { body: spec.data } : {},
    timeoutMs,
    maxBodyBytes: OUTPUT_CAP_BYTES,
    signal: ctx.signal
  });
  if (!response.ok) {
    switch (response.kind) {
      case "refused":
        return { status: "failed", message: `${request}: ${nothingListening(port)}${exitNote(ctx)}`, expected };
      case "timeout":
        return {
          status: "failed",
          message: `${t("probe.http.no_response", { request, limit: formatDuration(timeoutMs) })}${exitNote(ctx)}`,
          expected
        };
      case "aborted":
        return { status: "error", message: `${request}: ${t("probe.cancelled")}` };
      default:
        return { status: "failed", message: `${request}: ${response.message}${exitNote(ctx)}`, expected };
    }
  }
  const body = new TextDecoder("utf-8").decode(response.body);
  const statusOk = spec.status === "any" || response.status === spec.status;
  const problems = [];
  if (!statusOk) problems.push(t("probe.http.wrong_status", { actual: response.status, expected: spec.status }));
  if (spec.body) {
    const result = matchText(spec.body, body);
    if (!result.ok) problems.push(t("probe.http.body_failures", { failures: joinClauses(result.failures) }));
  }
  if (spec.json !== void 0) problems.push(...checkJson(spec.json, body, response.truncated));
  for (const [name, matcher] of Object.entries(spec.responseHeaders)) {
    const value = response.headers[name.toLowerCase()];
    if (value === void 0) problems.push(t("probe.http.missing_header", { name }));
    else {
      const result = matchText(matcher, value);
      if (!result.ok) problems.push(t("probe.http.header_failures", { name, failures: joinClauses(result.failures) }));
    }
  }
  const { status } = response;
  const cut = response.truncated;
  let message2;
  if (problems.length === 0) {
    message2 = cut ? t("probe.http.ok_cut", { request, status, bytes: OUTPUT_CAP_BYTES }) : t("probe.http.ok", { request, status });
  } else if (!statusOk) {
    message2 = `${t("probe.http.status_mismatch", { request, status, expected: spec.status })}${others(problems.slice(1))}`;
  } else {
    const listed = joinClauses(problems);
    message2 = cut ? t("probe.http.but_cut", { request, status, problems: listed, bytes: OUTPUT_CAP_BYTES }) : t("probe.http.but", { request, status, problems: listed });
  }
  if (status >= 300 && status < 400 && !statusOk && response.headers.location) {
    message2 += followingClause(t("probe.http.redirect", { location: response.headers.location }));
  }
  return {
    status: problems.length === 0 ? "passed" : "failed",
    message: message2,
    expected,
    actual: describeActual(response.status, response.headers, spec, body),
    output: headForDisplay(body)
  };
}
function others(problems) {
  return problems.length > 0 ? followingClause(t("probe.http.also", { problems: joinClauses(problems) })) : "";
}
function checkJson(expected, body, truncated) {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    return [t("probe.http.json_too_deep", { max: MAX_JSON_DEPTH.toLocaleString("en-US") })];
  }
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [truncated ? t("probe.http.json_invalid_cut") : t("probe.http.json_invalid", { start: quote(body.slice(0, 40)) })];
  }
  const differences = jsonSubset(expected, parsed);
  return differences.length > 0 ? [t("probe.http.json_differs", { differences: joinClauses(differences) })] : [];
}
function expectations(spec) {
  const parts = [spec.status === "any" ? t("probe.http.any_status") : t("probe.http.status", { status: spec.status })];
  if (spec.body) parts.push(t("probe.http.expect_body", { matcher: describeMatcher(spec.body) }));
  if (spec.json !== void 0) parts.push(t("probe.http.expect_json", { json: JSON.stringify(spec.json) }));
  for (const [name, matcher] of Object.entries(spec.responseHeaders)) {
    parts.push(t("probe.http.expect_header", { name, matcher: describeMatcher(matcher) }));
  }
  return parts;
}
function describeActual(status, headers, spec, body) {
  const parts = [t("probe.http.status", { status })];
  for (const name of Object.keys(spec.responseHeaders)) {
    parts.push(t("probe.http.actual_header", { name, value: headers[name.toLowerCase()] ?? t("probe.http.absent") }));
  }
  if (spec.body || spec.json !== void 0) parts.push(t("probe.http.actual_body", { body: quote(body, 200) }));
  return parts.join("\n");
}

// src/probes/image-user.ts
var PASSWD_PATH = "/etc/passwd";
var PASSWD_READ_BYTES = 1e6;
async function checkNonRoot(engine, image, user) {
  if (user === "") return { ok: false, actual: t("probe.user.actual_no_user"), problem: t("probe.user.no_user") };
  const shown2 = quote(user);
  const parsed = parseUser(user);
  if (parsed.kind === "out-of-range") {
    return {
      ok: false,
      actual: t("probe.user.actual_invalid", { user: shown2 }),
      problem: t("probe.user.out_of_range", { user: shown2, value: quote(parsed.value), max: MAX_UID })
    };
  }
  if (parsed.kind === "uid") {
    const actual2 = t("probe.user.actual_uid", { user: shown2, uid: parsed.uid });
    if (parsed.uid !== 0) return { ok: true, actual: actual2 };
    const problem2 = parsed.how === "empty" ? t("probe.user.root_empty", { user: shown2 }) : parsed.how === "root" ? t("probe.user.root_name", { user: shown2 }) : t("probe.user.root_uid", { user: shown2 });
    return { ok: false, actual: actual2, problem: problem2 };
  }
  const name = quote(parsed.name);
  const path14 = PASSWD_PATH;
  const file = await engine.readImageFile(image, PASSWD_PATH, PASSWD_READ_BYTES);
  if (file.kind === "missing") {
    return {
      ok: false,
      actual: t("probe.user.actual_no_passwd", { user: shown2, path: path14 }),
      problem: t("probe.user.no_passwd", { user: shown2, path: path14, name })
    };
  }
  if (file.kind === "other") {
    return {
      ok: false,
      actual: t("probe.user.actual_unknown", { user: shown2 }),
      problem: t("probe.user.passwd_not_file", { user: shown2, path: path14, type: describeImageEntryType(file.type), name })
    };
  }
  const found = lookUpPasswd(file.content, parsed.name, file.truncated);
  if (!found.found && found.complete) {
    return {
      ok: false,
      actual: t("probe.user.actual_no_such_user", { user: shown2 }),
      problem: t("probe.user.no_such_user", { user: shown2, name, path: path14 })
    };
  }
  if (!found.found) {
    return {
      ok: false,
      actual: t("probe.user.actual_unknown", { user: shown2 }),
      problem: t("probe.user.passwd_too_long", { user: shown2, name, size: formatBytes(PASSWD_READ_BYTES), path: path14 })
    };
  }
  const actual = t("probe.user.actual_passwd_uid", { user: shown2, uid: found.uid, path: path14 });
  if (found.uid !== 0) return { ok: true, actual };
  const { line, uidField } = found;
  const problem = uidField === void 0 ? t("probe.user.passwd_root_no_field", { user: shown2, path: path14, line }) : uidField === "0" ? t("probe.user.passwd_root", { user: shown2, path: path14, line }) : t("probe.user.passwd_root_garbled", { user: shown2, path: path14, line, field: quote(uidField) });
  return { ok: false, actual, problem };
}

// src/probes/kinds/image.ts
var imageProbe = {
  kind: "image",
  stage: () => "image",
  schedule: "concurrent",
  defaultTimeoutMs: 1e4,
  async run(check, ctx) {
    const image = requireImage(ctx);
    const nonRoot = check.spec.user === "non-root" ? await checkNonRoot(ctx.engine, image.ref, image.info.user) : void 0;
    const comparisons = compareImage(check.spec, image.info, nonRoot);
    const problems = comparisons.filter((c) => c.problem !== void 0);
    return {
      status: problems.length === 0 ? "passed" : "failed",
      message: problems.length === 0 ? t("probe.image.matches", { actual: comparisons.map((c) => c.actual).join(", ") }) : joinClauses(problems.map((p) => p.problem)),
      expected: comparisons.map((c) => c.expected).join("\n"),
      actual: comparisons.map((c) => c.actual).join("\n")
    };
  }
};
function showList(list) {
  return list === null ? t("probe.image.none") : JSON.stringify(list);
}
function sameList(a, b) {
  return a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}
function compareMap(name, keyword, want, got) {
  const problems = Object.entries(want).flatMap(
    ([key, value]) => !Object.hasOwn(got, key) ? [t("probe.image.pair_unset", { keyword, key, value: JSON.stringify(value) })] : got[key] !== value ? [t("probe.image.pair_different", { keyword, key, actual: JSON.stringify(got[key]), value: JSON.stringify(value) })] : []
  );
  return {
    expected: `${name} ${Object.entries(want).map(([k, v]) => `${k}=${v}`).join(", ")}`,
    actual: `${name} ${Object.keys(want).map((k) => Object.hasOwn(got, k) ? `${k}=${got[k]}` : t("probe.image.pair_unset_short", { key: k })).join(", ")}`,
    ...problems.length === 0 ? {} : { problem: joinClauses(problems) }
  };
}
function compareList(name, keyword, want, got) {
  const ok = sameList(got, want) || want.length === 0 && got === null;
  return {
    expected: `${name} ${showList(want)}`,
    actual: `${name} ${showList(got)}`,
    ...ok ? {} : { problem: t("probe.image.list_different", { keyword, actual: showList(got), want: showList(want) }) }
  };
}
function compareImage(spec, info, nonRoot) {
  const out = [];
  if (spec.maxSizeBytes !== void 0) {
    const ok = info.sizeBytes <= spec.maxSizeBytes;
    out.push({
      expected: t("probe.image.expect_size", { max: formatBytes(spec.maxSizeBytes) }),
      actual: t("probe.image.size", { size: formatBytes(info.sizeBytes) }),
      ...ok ? {} : { problem: t("probe.image.too_big", { size: formatBytes(info.sizeBytes), max: formatBytes(spec.maxSizeBytes) }) }
    });
  }
  if (spec.user === "non-root") {
    if (!nonRoot) throw new Error("the non-root verdict on the image user is missing");
    out.push({
      expected: t("probe.image.expect_not_root"),
      actual: nonRoot.actual,
      ...nonRoot.problem === void 0 ? {} : { problem: nonRoot.problem }
    });
  } else if (spec.user !== void 0) {
    const shown2 = info.user === "" ? t("probe.image.root_no_user") : info.user;
    const ok = info.user === spec.user || info.user.split(":")[0] === spec.user;
    out.push({
      expected: t("probe.image.user", { user: spec.user }),
      actual: t("probe.image.user", { user: shown2 }),
      ...ok ? {} : { problem: t("probe.image.wrong_user", { actual: shown2, want: spec.user }) }
    });
  }
  if (spec.exposes !== void 0) {
    const missing3 = spec.exposes.filter((p) => !info.exposedPorts.includes(p));
    const exposed = info.exposedPorts.join(", ");
    const notExposed = missing3.join(", ");
    out.push({
      expected: t("probe.image.exposes", { ports: spec.exposes.join(", ") }),
      actual: info.exposedPorts.length > 0 ? t("probe.image.exposes", { ports: exposed }) : t("probe.image.exposes_nothing"),
      ...missing3.length === 0 ? {} : {
        problem: exposed ? t("probe.image.not_exposed", { missing: notExposed, exposed }) : t("probe.image.not_exposed_none", { missing: notExposed })
      }
    });
  }
  if (spec.env !== void 0) out.push(compareMap(t("probe.image.env"), "ENV", spec.env, info.env));
  if (spec.labels !== void 0) out.push(compareMap(t("probe.image.labels"), "LABEL", spec.labels, info.labels));
  if (spec.workdir !== void 0) {
    const trim = (p) => p.length > 1 ? p.replace(/\/+$/, "") : p;
    const ok = trim(info.workdir) === trim(spec.workdir);
    const want = spec.workdir;
    out.push({
      expected: t("probe.image.workdir", { dir: want }),
      actual: info.workdir ? t("probe.image.workdir", { dir: info.workdir }) : t("probe.image.workdir_none"),
      ...ok ? {} : {
        problem: info.workdir ? t("probe.image.wrong_workdir", { actual: info.workdir, want }) : t("probe.image.workdir_unset", { want })
      }
    });
  }
  if (spec.entrypoint !== void 0) out.push(compareList(t("probe.image.entrypoint"), "ENTRYPOINT", spec.entrypoint, info.entrypoint));
  if (spec.cmd !== void 0) out.push(compareList(t("probe.image.cmd"), "CMD", spec.cmd, info.cmd));
  if (spec.healthcheck !== void 0) {
    const ok = info.healthcheck === spec.healthcheck;
    const describe2 = (has) => has ? t("probe.image.healthcheck") : t("probe.image.no_healthcheck");
    out.push({
      expected: describe2(spec.healthcheck),
      actual: describe2(info.healthcheck),
      ...ok ? {} : { problem: spec.healthcheck ? t("probe.image.healthcheck_missing") : t("probe.image.healthcheck_unwanted") }
    });
  }
  if (spec.maxLayers !== void 0) {
    const ok = info.layers <= spec.maxLayers;
    out.push({
      expected: t("probe.image.expect_layers", { max: spec.maxLayers }),
      actual: t("probe.image.layers", { count: info.layers }),
      ...ok ? {} : { problem: t("probe.image.too_many_layers", { count: info.layers, max: spec.maxLayers }) }
    });
  }
  return out;
}

// src/probes/kinds/logs.ts
var logsProbe = {
  kind: "logs",
  stage: () => "service",
  // The log is read once the requests it should show have been made.
  schedule: "after-requests",
  defaultTimeoutMs: 5e3,
  async run(check, ctx) {
    const logs = requireService(ctx).handle.logs();
    const result = matchText(check.spec.matcher, logs.text);
    const failures = joinClauses(result.failures);
    return {
      status: result.ok ? "passed" : "failed",
      message: result.ok ? t("probe.logs.matches", { expected: result.expected }) : logs.truncated ? t("probe.logs.mismatch_cut", { failures, count: logs.text.length, bytes: logs.bytes }) : t("probe.logs.mismatch", { failures }),
      expected: result.expected,
      output: logs.text === "" ? t("probe.logs.empty") : tailForDisplay(logs.text)
    };
  }
};

// src/probes/kinds/run.ts
var runProbe = {
  kind: "run",
  stage: () => "image",
  schedule: "concurrent",
  defaultTimeoutMs: 1e4,
  async run(check, ctx) {
    const { spec } = check;
    const { timeoutMs } = ctx;
    const image = requireImage(ctx);
    const label = spec.args.length > 0 ? `docker run IMAGE ${formatCommand(spec.args)}` : "docker run IMAGE";
    const noCommand = { status: "failed", message: `${label}: ${nothingToStart()}` };
    if (!hasStartCommand(image.info, spec.args)) return noCommand;
    let outcome;
    try {
      outcome = await ctx.engine.runOnce({
        image: image.ref,
        args: spec.args,
        ...spec.stdin !== void 0 ? { stdin: spec.stdin } : {},
        env: spec.env,
        limits: ctx.limits,
        labels: ctx.labels,
        timeoutMs,
        outputCap: OUTPUT_CAP_BYTES
      });
    } catch (err) {
      if (err instanceof NoCommandError) return noCommand;
      throw err;
    }
    return judgeProcess(label, outcome, spec, timeoutMs);
  }
};

// src/probes/kinds/stop.ts
var stopProbe = {
  kind: "stop",
  stage: () => "service",
  // Stopping ends the service the other checks talk to.
  schedule: "last",
  // The probe itself waits `within` and then for the kill; this bounds the whole thing.
  defaultTimeoutMs: 3e4,
  async run(check, ctx) {
    const { handle } = requireService(ctx);
    const within2 = formatDuration(check.spec.withinMs);
    const earlier = handle.exitInfo();
    if (earlier) {
      const code = earlier.exitCode;
      return {
        status: "failed",
        message: earlier.oomKilled ? t("probe.stop.already_exited_oom", { code }) : t("probe.stop.already_exited", { code })
      };
    }
    const result = await handle.stop(check.spec.withinMs);
    const expected = t("probe.stop.expected", { within: within2 });
    if (result.exitedInTime) {
      const elapsed = formatDuration(result.elapsedMs);
      return {
        status: "passed",
        message: t("probe.stop.stopped", { elapsed, code: result.exit.exitCode }),
        expected,
        actual: t("probe.stop.exited_after", { elapsed })
      };
    }
    const shellForm = shellFormStart(ctx.dockerfile);
    const why = shellForm ? t("probe.stop.shell_form", { keyword: shellForm.keyword, line: shellForm.line }) : t("probe.stop.no_signal_handling");
    return {
      status: "failed",
      message: t("probe.stop.killed", { within: within2, why }),
      expected,
      actual: t("probe.stop.did_not_exit"),
      ...shellForm && ctx.dockerfile ? { locations: [{ path: ctx.dockerfile.path, line: shellForm.line }] } : {}
    };
  }
};
function shellFormStart(df) {
  if (!df) return void 0;
  const starts = finalStageChain(df).reverse().flatMap((stage) => stage.instructions.filter((i) => i.keyword === "CMD" || i.keyword === "ENTRYPOINT"));
  const entrypoint = starts.filter((i) => i.keyword === "ENTRYPOINT").at(-1);
  const cmd = starts.filter((i) => i.keyword === "CMD").at(-1);
  const start = entrypoint ?? cmd;
  return start && !start.json ? start : void 0;
}

// src/probes/kinds/tcp.ts
var tcpProbe = {
  kind: "tcp",
  stage: () => "service",
  schedule: "concurrent",
  defaultTimeoutMs: 5e3,
  async run(check, ctx) {
    const service = requireService(ctx);
    const port = targetPort(ctx, check.spec.port);
    if (port === void 0) {
      return { status: "failed", message: t("probe.tcp.no_port") };
    }
    const { timeoutMs } = ctx;
    const address = await service.handle.address(port);
    const result = await tryConnect(address.host, address.port, { timeoutMs, signal: ctx.signal });
    switch (result) {
      case "connected":
        return { status: "passed", message: t("probe.tcp.connected", { port }) };
      case "refused":
        return { status: "failed", message: `${nothingListening(port)}${exitNote(ctx)}` };
      case "timeout":
        return {
          status: "failed",
          message: `${t("probe.tcp.timeout", { port, limit: formatDuration(timeoutMs) })}${exitNote(ctx)}`
        };
      case "closed":
        return { status: "failed", message: `${t("probe.tcp.closed", { port })}${exitNote(ctx)}` };
      case "aborted":
        return { status: "error", message: t("probe.cancelled") };
      default:
        return { status: "failed", message: `${t("probe.tcp.failed", { port, error: result.error })}${exitNote(ctx)}` };
    }
  }
};

// src/probes/registry.ts
var probes = {
  file: fileProbe,
  dockerfile: dockerfileProbe,
  build: buildProbe,
  image: imageProbe,
  http: httpProbe,
  tcp: tcpProbe,
  exec: execProbe,
  run: runProbe,
  logs: logsProbe,
  stop: stopProbe
};
function probeFor(check) {
  return probes[check.spec.kind];
}
function timeLimitMs(check) {
  const probe = probeFor(check);
  return (check.timeoutMs ?? probe.defaultTimeoutMs) * (probe.timeLimits?.(check.spec) ?? 1);
}

// src/core/run-check.ts
var PROBE_GRACE_MS = 15e3;
function checkDeadlineMs(check) {
  return timeLimitMs(check) + PROBE_GRACE_MS;
}
async function runCheck(check, stage, settings) {
  const started = Date.now();
  const deadlineMs = checkDeadlineMs(check);
  try {
    const outcome = await within(probeFor(check).run(check, { ...stage, timeoutMs: timeLimitMs(check) }), deadlineMs, () => {
      throw new Error(t("core.check.no_answer", { seconds: Math.round(deadlineMs / 1e3) }));
    });
    return fromOutcome(check, outcome, Date.now() - started, settings.now, settings.due);
  } catch (err) {
    if (err instanceof EngineUnavailableError) throw err;
    settings.logger.warn(`check "${check.name}" could not run: ${errorMessage(err)}`);
    return errored(check, t("core.check.could_not_run", { error: errorMessage(err) }), Date.now() - started);
  }
}

// src/core/scheduler.ts
function placementOf(check) {
  const probe = probeFor(check);
  return { stage: probe.stage(check.spec), schedule: probe.schedule, reportsUnreachableStage: probe.reportsUnreachableStage === true };
}
var STAGE_RANK = { repo: 0, image: 1, service: 2 };
var SCHEDULE_GROUP = { concurrent: 0, "one-at-a-time": 0, "after-requests": 1, last: 2 };
var Scheduler = class {
  constructor(checks, placements, fail2) {
    this.checks = checks;
    this.placements = placements;
    this.fail = fail2;
    this.pending = checks.map(() => void 0);
    this.settled = checks.map(() => void 0);
  }
  checks;
  placements;
  fail;
  pending;
  settled;
  failedOutputShown = /* @__PURE__ */ new Set();
  /** Starts every check of `stage`; each waits for its gate, its blockers and the checks it must follow. */
  runStage(stage, gate, run2) {
    const started = [];
    this.checks.forEach((check, index) => {
      if (this.placements[index].stage !== stage) return;
      const promise = this.execute(index, gate, run2).then((result) => {
        this.settled[index] = result;
        return result;
      });
      this.pending[index] = promise;
      started.push(promise);
    });
    return started;
  }
  /** Whether some check of these stages may still run, given what has been decided so far. */
  anyPending(stages) {
    return this.checks.some((_, index) => stages.includes(this.placements[index].stage) && !this.settledBlocker(index));
  }
  /** Every result in rubric order; checks of stages that never started are skipped. */
  async results() {
    return Promise.all(
      this.checks.map((check, index) => {
        const promise = this.pending[index];
        if (promise) return promise;
        const blocker = this.settledBlocker(index);
        return Promise.resolve(skipped(check, blocker ? skipReason(blocker) : t("core.skip.not_run")));
      })
    );
  }
  async execute(index, gate, run2) {
    const check = this.checks[index];
    const blocker = await this.failedBlocker(index);
    if (blocker) return skipped(check, skipReason(blocker));
    await Promise.all(this.predecessors(index));
    const { ctx, unavailable } = await gate();
    const placement = this.placements[index];
    if (unavailable && !placement.reportsUnreachableStage && unavailable.kinds.includes(placement.stage)) {
      if (!unavailable.asFailure) return skipped(check, unavailable.reason);
      const showOutput2 = !this.failedOutputShown.has(unavailable.reason);
      this.failedOutputShown.add(unavailable.reason);
      return this.fail(check, unavailable.reason, showOutput2 ? unavailable.output : void 0);
    }
    return run2(check, ctx);
  }
  blockers(index) {
    const rank = STAGE_RANK[this.placements[index].stage];
    const found = [];
    for (let i = 0; i < index; i++) {
      if (this.checks[i].required && STAGE_RANK[this.placements[i].stage] <= rank) found.push(i);
    }
    return found;
  }
  async failedBlocker(index) {
    for (const i of this.blockers(index)) {
      const result = await this.pending[i];
      if (result && result.status !== "passed") return this.checks[i];
    }
    return void 0;
  }
  settledBlocker(index) {
    return this.blockers(index).filter((i) => this.settled[i] && this.settled[i].status !== "passed").map((i) => this.checks[i])[0];
  }
  /** Checks of the same stage this one must wait for (finished, whatever their result), as the schedules say. */
  predecessors(index) {
    const check = this.checks[index];
    const { stage, schedule } = this.placements[index];
    const group2 = SCHEDULE_GROUP[schedule];
    const waits = [];
    this.checks.forEach((other, i) => {
      const placement = this.placements[i];
      if (i === index || placement.stage !== stage) return;
      const sameKindEarlier = schedule !== "concurrent" && other.spec.kind === check.spec.kind && i < index;
      const earlierGroup = SCHEDULE_GROUP[placement.schedule] < group2 && (i < index || !check.required);
      if (sameKindEarlier || earlierGroup) waits.push(this.pending[i] ?? Promise.resolve());
    });
    return waits;
  }
};
function skipReason(blocker) {
  return t("core.skip.required_failed", { name: blocker.name });
}

// src/core/watchdog.ts
var WATCHDOG_SLACK_MS = 6e4;
function watchdogBudgetMs(rubric) {
  const checks = rubric.checks.reduce((sum, check) => sum + checkDeadlineMs(check), 0);
  return rubric.build.timeoutMs + rubric.service.ready.timeoutMs + checks + WATCHDOG_SLACK_MS;
}
function underWatchdog(work, budgetMs, onExpiry) {
  return within(work, budgetMs, () => {
    onExpiry();
    throw new InfrastructureError(t("core.watchdog.hung", { budget: formatDuration(budgetMs) }));
  });
}

// src/core/grade.ts
function needsEngine(rubric) {
  return rubric.checks.some((check) => placementOf(check).stage !== "repo");
}
function newRunId() {
  return randomBytes(6).toString("hex");
}
function gradeThenCleanUp(request) {
  return withLocale(request.rubric.locale, () => gradeInLocale(request));
}
async function gradeInLocale(request) {
  const { rubric, submission, passThreshold } = request;
  const started = Date.now();
  const run2 = new GradingRun(request, request.runId ?? newRunId());
  const subject = async () => {
    const revision = await submission.revision ?? {};
    return { rubric, submission: { source: submission.source, ref: submission.ref, ...revision }, passThreshold, started };
  };
  let result;
  try {
    const budgetMs = request.watchdogMs ?? watchdogBudgetMs(rubric);
    const { checks, build, notes } = await underWatchdog(run2.run(), budgetMs, () => run2.stop());
    result = gradedResult(await subject(), checks, build, notes);
  } catch (err) {
    if (!(err instanceof InfrastructureError)) {
      await run2.cleanUp();
      throw err;
    }
    result = ungradableResult(await subject(), err.message);
  }
  return { result, cleanedUp: run2.cleanUp() };
}
var GradingRun = class {
  constructor(request, runId) {
    this.request = request;
    this.runId = runId;
    this.logger = request.logger ?? silentLogger;
    this.labels = runLabels(runId);
    this.settings = { logger: this.logger, now: request.now ?? /* @__PURE__ */ new Date(), due: request.rubric.due };
    request.signal?.addEventListener("abort", () => this.abort.abort(request.signal?.reason), { once: true });
  }
  request;
  runId;
  logger;
  labels;
  settings;
  abort = new AbortController();
  engineUsed = false;
  async run() {
    const { rubric, submission, engine } = this.request;
    for (const warning2 of rubric.warnings ?? []) this.logger.warn(warning2);
    const dockerfilePath = normalisePath(rubric.build.dockerfile);
    const inputs = await locateBuildInputs(submission.dir, rubric.build.dockerfile, rubric.build.context, dockerfilePath);
    const base = {
      rubric,
      repoDir: submission.dir,
      dockerfile: inputs.ok ? inputs.dockerfile : void 0,
      ...!inputs.ok && inputs.reason === "refused" ? { dockerfileRefused: inputs.message } : {},
      dockerfilePath,
      engine,
      limits: rubric.limits,
      labels: this.labels,
      signal: this.abort.signal
    };
    const scheduler = new Scheduler(rubric.checks, rubric.checks.map(placementOf), this.failCheck);
    const run2 = (check, ctx) => runCheck(check, ctx, this.settings);
    const connecting = scheduler.anyPending(["image", "service"]) ? (this.request.connected ?? connectEngine(engine, this.logger)).then(() => {
      this.engineUsed = true;
      if (inputs.ok) engine.prepareBuild?.(this.runId);
    }) : void 0;
    connecting?.catch(() => {
    });
    await Promise.all(scheduler.runStage("repo", () => Promise.resolve({ ctx: base }), run2));
    if (!scheduler.anyPending(["image", "service"])) {
      await connecting?.catch(() => {
      });
      return { checks: await scheduler.results() };
    }
    await connecting;
    if (inputs.ok && scheduler.anyPending(["service"])) engine.prepareService?.({ labels: this.labels, limits: rubric.limits });
    const build = inputs.ok ? await runBuild(inputs, base, this.runId, this.logger) : inputs;
    const image = imageGate(base, build);
    scheduler.runStage("image", () => image, run2);
    const service = scheduler.anyPending(["service"]) ? serviceGate(image, this.logger) : void 0;
    if (service) scheduler.runStage("service", () => service, run2);
    const checks = await scheduler.results();
    const note = await service?.then(
      (gate) => gate.note,
      () => void 0
    );
    return { checks, build: summariseBuild(build, await image), ...note ? { notes: [note] } : {} };
  }
  /** Stops whatever still runs (the watchdog fired). */
  stop() {
    this.abort.abort();
  }
  async cleanUp() {
    this.abort.abort();
    if (!this.engineUsed) return;
    const { engine } = this.request;
    await Promise.all([
      engine.cleanup(this.runId).catch((err) => {
        this.logger.warn(`clean-up of run ${this.runId} failed: ${errorMessage(err)}`);
      }),
      sweepLeftovers(engine, this.logger)
    ]);
  }
  failCheck = (check, message2, output) => fromOutcome(check, { status: "failed", message: message2, ...output ? { output } : {} }, 0, this.settings.now, this.settings.due);
};
function normalisePath(p) {
  return p.replace(/\\/g, "/").replace(/^\.\//, "");
}

// src/core/grade-submission.ts
function gradeSubmission(request) {
  return withLocale(request.rubric.locale, () => openAndGrade(request));
}
async function openAndGrade(request) {
  const { logger } = request;
  const connected = needsEngine(request.rubric) ? request.connected ?? startConnecting(request.engine, logger) : void 0;
  const submission = await openSubmission(request.target, { ...request.open, signal: request.signal });
  const giveBack = () => submission.dispose().catch((err) => logger.warn(`could not remove the checkout ${submission.dir}: ${errorMessage(err)}`));
  let graded;
  try {
    logger.info(`grading ${submission.source}${submission.ref ? ` at ${submission.ref}` : ""} with "${request.rubric.title}"`);
    graded = await gradeThenCleanUp({
      rubric: request.rubric,
      submission: request.displaySource ? { ...submission, source: request.displaySource } : submission,
      engine: request.engine,
      logger: request.logger,
      ...request.passThreshold !== void 0 ? { passThreshold: request.passThreshold } : {},
      ...request.runId ? { runId: request.runId } : {},
      ...request.signal ? { signal: request.signal } : {},
      ...connected ? { connected } : {}
    });
  } catch (err) {
    await giveBack();
    throw err;
  }
  return { result: graded.result, cleanedUp: Promise.all([graded.cleanedUp, giveBack()]).then(() => void 0) };
}

// src/core/interrupts.ts
var SIGNALS = ["SIGINT", "SIGTERM"];
function catchInterrupts(handling) {
  const controller = new AbortController();
  const onSignal = (signal) => {
    if (controller.signal.aborted) return;
    handling.announce(signal);
    controller.abort(new Error(`${handling.reason} by ${signal}`));
    setTimeout(handling.giveUp, handling.graceMs).unref();
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    release: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    }
  };
}

// src/basics/results.ts
function isPartial(check) {
  return check.status === "failed" && check.points > 0;
}

// src/report/format.ts
function reportTranslator(locale) {
  return translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
}
function omittedNoteIn(tr) {
  return (count2) => tr("report.omitted", { count: count2.toLocaleString("en-US") });
}
function formatNumber(n) {
  return String(Math.round(n * 100) / 100);
}
function formatScore(result, separator = " / ", tr = reportTranslator(result.locale)) {
  if (result.status === "ungradable" || result.score === null) return void 0;
  const score = formatNumber(result.score);
  const max = formatNumber(result.max_score);
  if (result.percent === null) return tr("report.score.total", { score, separator, max });
  return tr("report.score.total_percent", { score, separator, max, percent: formatNumber(result.percent) });
}
function formatVerdict(result, tr = reportTranslator(result.locale)) {
  const threshold = result.pass_threshold === void 0 ? void 0 : formatNumber(result.pass_threshold);
  if (result.passed) return threshold === void 0 ? tr("report.verdict.passed") : tr("report.verdict.passed_mark", { threshold });
  return threshold === void 0 ? tr("report.verdict.failed") : tr("report.verdict.below_mark", { threshold });
}
function formatPoints(check, tr) {
  return tr("report.points", { points: formatNumber(check.points), max: formatNumber(check.max_points) });
}
function formatEarnedPoints(check, tr) {
  const points = formatPoints(check, tr);
  return isPartial(check) ? tr("report.check.partial_points", { points }) : points;
}
function shortCommit(commit) {
  return commit.slice(0, 7);
}
function formatLocation(location) {
  const end = location.endLine !== void 0 && location.endLine !== location.line ? `-${location.endLine}` : "";
  return `${location.path}:${location.line}${end}`;
}
function checkLocations(check) {
  if (check.hidden) return [];
  if (check.locations?.length) return check.locations;
  return check.location ? [check.location] : [];
}
function visibleDetails(check) {
  if (check.hidden) return {};
  return { expected: check.expected, actual: check.actual, output: check.output };
}

// src/report/terminal.ts
var OUTPUT_LINES = 20;
var OUTPUT_CHARS = 2e3;
var TEXT_CHARS = 1e3;
var GUTTER = "\u2502 ";
var SYMBOL = { passed: "\u2714", failed: "\u2718", skipped: "\u25CB", error: "!" };
var STATUS_COLOR = {
  passed: "green",
  failed: "red",
  skipped: "dim",
  error: "yellow"
};
var PARTIAL_SYMBOL = "\u25D0";
var SGR = { bold: "1", dim: "2", red: "31", green: "32", yellow: "33" };
function renderTerminal(result, options) {
  const paint = options.color ? (style, text) => `\x1B[${SGR[style]}m${text}\x1B[0m` : (_style, text) => text;
  const tr = reportTranslator(result.locale);
  const w = { paint, tr, note: omittedNoteIn(tr), labels: detailLabels(tr) };
  const lines = [paint("bold", plain(result.rubric.title, w)), submissionLine(result, w)];
  for (const note of result.notes ?? []) lines.push(paint("yellow", `\u2139 ${oneLine2(note, w)}`));
  lines.push("");
  const pointsWidth = Math.max(0, ...result.checks.map((c) => formatPoints(c, tr).length));
  const pointsColumns = Math.max(0, ...result.checks.map((c) => displayWidth(formatPoints(c, tr).padStart(pointsWidth))));
  const indent = " ".repeat(1 + 2 + pointsColumns + 2);
  for (const check of result.checks) {
    const partial = isPartial(check);
    const symbol = partial ? paint("yellow", PARTIAL_SYMBOL) : paint(STATUS_COLOR[check.status], SYMBOL[check.status]);
    const partialMark = partial ? paint("yellow", ` ${tr("report.check.partial")}`) : "";
    const hidden = check.hidden ? paint("dim", ` ${tr("report.terminal.hidden")}`) : "";
    lines.push(`${symbol}  ${formatPoints(check, tr).padStart(pointsWidth)}  ${oneLine2(check.name, w)}${partialMark}${hidden}`);
    lines.push(...checkDetails(check, w).map((line) => line === "" ? "" : indent + line));
  }
  lines.push(...buildFailure(result, w));
  if (result.checks.length > 0) lines.push("");
  lines.push(totalLine(result, w));
  return `${lines.join("\n")}
`;
}
function plain(text, w, maxChars = TEXT_CHARS) {
  return truncateMiddle(cleanText(truncateMiddle(text, maxChars * 4, w.note)), maxChars, w.note);
}
function oneLine2(text, w) {
  return plain(text, w).replace(/\n/g, " ");
}
function submissionLine(result, w) {
  const { source, commit, ref } = result.submission;
  const onRef = ref ? ` (${oneLine2(ref, w)})` : "";
  const at2 = commit ? ` @ ${oneLine2(shortCommit(commit), w)}` : "";
  return `${oneLine2(source, w)}${onRef}${at2}`;
}
function detailLabels(tr) {
  const expected = tr("report.terminal.expected");
  const actual = tr("report.terminal.actual");
  const width = Math.max(displayWidth(expected), displayWidth(actual)) + 1;
  const pad = (label) => label + " ".repeat(width - displayWidth(label));
  return { expected: pad(expected), actual: pad(actual) };
}
function displayWidth(text) {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}
var WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
function skippedReason(text, tr) {
  const prefix = tr("report.check.skipped_prefix");
  if (text.toLowerCase().startsWith(prefix.toLowerCase())) return text;
  const english = /^skipped:\s*/i;
  return `${prefix} ${english.test(text) ? text.replace(english, "") : text}`;
}
function checkDetails(check, w) {
  const { paint, tr, labels } = w;
  if (check.status === "passed") return [];
  if (check.hidden) return check.status === "error" ? message(check.message, w) : [];
  if (check.status === "skipped") {
    const [first = "", ...rest] = message(skippedReason(check.message, tr), w);
    return [paint("dim", first), ...rest];
  }
  const out = [];
  if (check.message) out.push(...message(check.message, w));
  if (check.feedback) out.push(...lined(`${tr("report.terminal.hint")} ${check.feedback}`, w).map((l) => paint("yellow", l)));
  const { expected, actual, output } = visibleDetails(check);
  if (expected !== void 0) out.push(...labelled(labels.expected, expected, w));
  if (actual !== void 0) out.push(...labelled(labels.actual, actual, w));
  const where2 = checkLocations(check).map((l) => oneLine2(formatLocation(l), w));
  if (where2.length > 0) out.push(tr("report.terminal.at", { where: where2.join(", ") }));
  if (output) out.push(...excerpt(head(plain(output, w, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS, w.note).split("\n"), w));
  return out;
}
function lined(text, w) {
  return plain(text, w).split("\n");
}
function message(text, w) {
  const [first = "", ...rest] = lined(text, w);
  return [first, ...excerpt(rest, w)];
}
function labelled(label, value, w) {
  const lines = lined(value, w);
  const shown2 = lines.length > 1 ? excerpt(lines, w) : lines;
  const [first = "", ...rest] = shown2;
  return [label + first, ...rest.map((line) => " ".repeat(displayWidth(label)) + line)];
}
function excerpt(lines, w) {
  return lines.map((line) => w.paint("dim", `${GUTTER}${line}`));
}
function buildFailure(result, w) {
  const build = result.build;
  if (!build || build.ok) return [];
  const step = build.failing_step ? `: ${oneLine2(build.failing_step, w)}` : "";
  const lines = ["", `${w.paint("red", "\u2718")} ${w.tr("report.build.failed")}${step}`];
  if (build.log_tail) {
    const log = tail(plain(build.log_tail, w, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS, w.note);
    lines.push(...excerpt(log.split("\n"), w).map((line) => `  ${line}`));
  }
  return lines;
}
function totalLine(result, w) {
  const { paint, tr } = w;
  const took = tr("report.terminal.took", { duration: formatDuration(result.duration_ms, tr.locale) });
  const size = result.build?.ok && result.build.image_size !== void 0 ? `, ${tr("report.image_size", { size: formatBytes(result.build.image_size) })}` : "";
  const score = formatScore(result, "/", tr);
  if (score === void 0) {
    const reason = result.reason ? `: ${oneLine2(result.reason, w)}` : "";
    return `${paint("yellow", `! ${tr("report.verdict.ungradable")}${reason}`)} \u2014 ${tr("report.terminal.no_score")} (${took})`;
  }
  const verdict = paint(result.passed ? "green" : "red", formatVerdict(result, tr));
  return `${paint("bold", tr("report.terminal.score", { score }))} \u2014 ${verdict} (${took}${size})`;
}

// src/action/action-logger.ts
var COMMAND_LIKE = /(?:^|[\r\n])\s*(?:::|##\[)/;
function actionLogger(write = (text) => process.stdout.write(text)) {
  return {
    info: (message2) => write(toLog(message2)),
    // core escapes newlines and `%` in command data, so student text here cannot start a command.
    warn: (message2) => warning(message2),
    debug: (message2) => debug(message2),
    group: (title, fn) => group(title, fn)
  };
}
function toLog(text) {
  if (COMMAND_LIKE.test(text)) return wrapForWorkflowLog(text);
  return text.endsWith("\n") ? text : `${text}
`;
}

// src/class/run-class.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import path11 from "node:path";

// src/basics/class-results.ts
var CLASS_SCHEMA = "grader/class/v1";
var OPTIONAL_ROSTER_FIELDS = ["first_name", "last_name", "email", "section", "github_id", "roster_identifier"];

// src/basics/version.ts
var VERSION = "0.1.0";

// src/class/class-output.ts
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path8 from "node:path";

// src/report/class-format.ts
var MINUTE = 6e4;
function lateMinutes(row) {
  if (row.late_ms === void 0 || row.late_ms <= 0) return void 0;
  return Math.ceil(row.late_ms / MINUTE);
}
function formatLate(row, locale = "en") {
  const minutes = lateMinutes(row);
  if (minutes === void 0) return void 0;
  const tr = translator(locale);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor(minutes % 1440 / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? tr("class.late.days_hours", { days, hours }) : tr("class.late.days", { days });
  if (hours > 0) return rest > 0 ? tr("class.late.hours_minutes", { hours, minutes: rest }) : tr("class.late.hours", { hours });
  return tr("class.late.minutes", { minutes: rest });
}
function studentName(row) {
  const first = row.first_name?.trim() ?? "";
  const last = row.last_name?.trim() ?? "";
  if (first && last) return `${last}, ${first}`;
  return first || last || void 0;
}
function rowScore(row) {
  return row.status === "graded" && row.result?.status === "graded" ? row.result.score : null;
}
function rowPercent(row) {
  const score = rowScore(row);
  if (score === null || !row.result) return null;
  if (row.result.percent !== null) return row.result.percent;
  return row.result.max_score > 0 ? score / row.result.max_score * 100 : null;
}
function rowMaxScore(row, result) {
  if (rowScore(row) !== null && row.result) return row.result.max_score;
  return rubricMaxScore(result);
}
function rubricMaxScore(result) {
  return result.rubric.checks.reduce((sum, check) => sum + check.max_points, 0);
}
function roundTo(n, decimals) {
  const factor = 10 ** decimals;
  return Math.round(n * factor) / factor;
}

// src/report/class-summary.ts
var DEFAULT_SUMMARY_MAX_LENGTH = 65e3;
var CELL_CAP = 300;
var BAR_WIDTH = 30;
var BAR = "\u2588";
function renderClassSummary(result, options = {}) {
  const maxLength = options.maxLength ?? DEFAULT_SUMMARY_MAX_LENGTH;
  const tr = reportTranslator(result.locale);
  const rows = [...result.students].sort((a, b) => a.index - b.index);
  const lists = studentLists(rows, tr);
  const render = (cap) => renderSummary(result, rows, lists, cap, tr);
  const longest = Math.max(0, ...lists.map((list) => list.rows.length));
  if (render(longest).length <= maxLength) return render(longest);
  if (render(0).length > maxLength) return cutAtLine(render(0), maxLength, tr);
  let fits = 0;
  let tooMany = longest;
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (render(mid).length <= maxLength) fits = mid;
    else tooMany = mid;
  }
  return render(fits);
}
function studentLists(rows, tr) {
  return [
    {
      title: tr("class.label.ungradable"),
      header: [tr("class.column.student"), tr("class.column.reason")],
      rows: rows.filter((row) => row.status === "ungradable"),
      cells: (row) => [studentCell(row), reasonCell(row, tr("class.reason.none"))]
    },
    {
      title: tr("class.label.missing"),
      header: [tr("class.column.student"), tr("class.column.reason")],
      rows: rows.filter((row) => row.status === "missing"),
      cells: (row) => [studentCell(row), reasonCell(row, tr("class.reason.nothing_to_grade"))]
    },
    {
      title: tr("class.label.late"),
      header: [tr("class.column.student"), tr("class.column.status"), tr("class.column.late_by")],
      rows: rows.filter((row) => formatLate(row) !== void 0),
      cells: (row) => [studentCell(row), tr(STATUS_KEY[row.status]), formatLate(row, tr.locale) ?? ""]
    }
  ];
}
var STATUS_KEY = {
  graded: "class.status.graded",
  ungradable: "class.status.ungradable",
  missing: "class.status.missing"
};
function renderSummary(result, rows, lists, cap, tr) {
  const parts = [
    `## ${tr("class.summary.title", { title: escapeInline(clip(result.rubric.title, CELL_CAP)) })}`,
    ...deadlineLine(result.deadline, tr),
    countsLine(rows, tr),
    `### ${tr("class.distribution")}`,
    ...distribution(rows, tr),
    `### ${tr("class.summary.checks")}`,
    checkTable(result.rubric.checks, rows, tr)
  ];
  for (const list of lists) {
    if (list.rows.length === 0) continue;
    parts.push(`### ${list.title} (${list.rows.length})`);
    if (cap > 0) parts.push(table(list.header, list.rows.slice(0, cap).map(list.cells)));
    const more = list.rows.length - Math.min(cap, list.rows.length);
    if (more > 0) parts.push(`_${tr("class.summary.more", { count: more })}_`);
  }
  return `${parts.join("\n\n")}
`;
}
function deadlineLine(deadline, tr) {
  if (deadline === void 0) return [];
  const date = new Date(deadline);
  const shown2 = Number.isNaN(date.getTime()) ? escapeInline(deadline) : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return [`**${tr("class.summary.deadline")}** ${shown2}`];
}
function countsLine(rows, tr) {
  const count2 = (status) => rows.filter((row) => row.status === status).length;
  const late = rows.filter((row) => formatLate(row) !== void 0).length;
  const counts = tr("class.summary.counts", {
    graded: count2("graded"),
    ungradable: count2("ungradable"),
    missing: count2("missing"),
    late
  });
  return `**${tr("class.summary.students", { count: rows.length })}** ${counts}`;
}
var BIN_LABELS = Array.from({ length: 10 }, (_, i) => i === 9 ? "90\u2013100%" : `${i * 10}\u2013${i * 10 + 9}%`);
function scoreBins(rows) {
  const bins = new Array(10).fill(0);
  for (const percent of gradedPercents(rows)) {
    const bin = Math.min(9, Math.max(0, Math.floor(percent / 10)));
    bins[bin] += 1;
  }
  return bins;
}
function gradedPercents(rows) {
  return rows.map(rowPercent).filter((p) => p !== null);
}
function distribution(rows, tr) {
  const percents = gradedPercents(rows);
  if (percents.length === 0) return [`_${tr("class.summary.none_graded")}_`];
  const bins = scoreBins(rows);
  const most = Math.max(...bins);
  const bar = (n) => n === 0 ? "" : BAR.repeat(Math.max(1, Math.round(n * Math.min(BAR_WIDTH, most) / most)));
  const histogram2 = table(
    [tr("class.column.score"), tr("class.column.students"), ""],
    bins.map((n, i) => [BIN_LABELS[i], String(n), bar(n)]),
    [":--", "--:", ":--"]
  );
  const mean2 = percents.reduce((sum, p) => sum + p, 0) / percents.length;
  return [
    histogram2,
    tr("class.summary.mean_median", {
      mean: formatNumber(roundTo(mean2, 1)),
      median: formatNumber(roundTo(median(percents), 1)),
      count: percents.length
    })
  ];
}
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
function tallyChecks(checks, rows) {
  const graded = rows.filter((row) => rowPercent(row) !== null);
  const tallies = checks.map((check, order) => {
    let passed = 0;
    let failed2 = 0;
    for (const row of graded) {
      const status = row.result?.checks.find((c) => c.id === check.id)?.status;
      if (status === "passed") passed += 1;
      else if (status === "failed") failed2 += 1;
    }
    const ran = passed + failed2;
    return { check, passed, failed: failed2, notRun: graded.length - ran, rate: ran === 0 ? null : passed / ran, order };
  });
  tallies.sort((a, b) => {
    if (a.rate === null || b.rate === null) return a.rate === b.rate ? a.order - b.order : a.rate === null ? 1 : -1;
    return a.rate - b.rate || b.failed - a.failed || a.order - b.order;
  });
  return tallies.map(({ order: _order, ...tally }) => tally);
}
function checkTable(checks, rows, tr) {
  if (checks.length === 0) return `_${tr("class.summary.no_checks")}_`;
  const body = tallyChecks(checks, rows).map((t2) => [
    escapeInline(clip(t2.check.name, CELL_CAP)),
    t2.rate === null ? "\u2014" : `${formatNumber(roundTo(t2.rate * 100, 1))}%`,
    String(t2.passed),
    String(t2.failed),
    String(t2.notRun)
  ]);
  const header2 = [
    tr("class.column.check"),
    tr("class.column.pass_rate"),
    tr("class.column.passed"),
    tr("class.column.failed"),
    tr("class.column.not_run")
  ];
  return table(header2, body, [":--", "--:", "--:", "--:", "--:"]);
}
function studentCell(row) {
  const name = studentName(row);
  const username = escapeInline(clip(row.username, CELL_CAP));
  return name === void 0 ? username : `${username} \xB7 ${escapeInline(clip(name, CELL_CAP))}`;
}
function reasonCell(row, fallback) {
  const reason = row.reason ?? row.result?.reason;
  return reason ? escapeInline(clip(reason, CELL_CAP)) : fallback;
}
function table(header2, body, align = header2.map(() => ":--")) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header2), line(align), ...body.map(line)].join("\n");
}
function cutAtLine(text, budget, tr) {
  const note = `

_${tr("class.summary.cut")}_
`;
  if (budget <= note.length) return text.slice(0, Math.max(0, budget));
  const end = text.lastIndexOf("\n", budget - note.length);
  return `${text.slice(0, Math.max(0, end))}${note}`;
}

// src/report/dashboard.ts
import { createHash } from "node:crypto";

// src/report/dashboard-script.ts
var DASHBOARD_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var checks = data.checks;
  var texts = data.texts;
  var students = data.students;
  var L = data.labels;
  var STATUS = { p: 'passed', f: 'failed', s: 'skipped', e: 'error' };
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  var state = { key: '', dir: 1, query: '', status: '', section: '' };
  var shown = [];
  var current = -1;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function text(ref) { return ref >= 0 ? texts[ref] : ''; }
  function fillIn(template, values) {
    return template.replace(/\\{(\\w+)\\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }
  function statusLabel(status) { return Object.prototype.hasOwnProperty.call(L.rowStatus, status) ? L.rowStatus[status] : status; }
  function checkLabel(code) { return L.checkStatus[STATUS[code]]; }
  function num(n) { return String(Math.round(n * 100) / 100); }
  function label(s) { return s.label !== undefined ? s.label : s.username; }
  function reportHref(s, ext) { return 'students/' + encodeURIComponent(s.username) + '.' + ext; }
  function when(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  function scoreText(s) { return s.score === null ? '' : num(s.score) + ' / ' + num(s.max); }
  function ratio(cell) {
    if (cell[2] > 0) return cell[1] / cell[2];
    return cell[0] === 'p' ? 1 : 0;
  }
  function cellClass(cell) {
    if (!cell) return 'c-none';
    if (cell[0] === 's') return 'c-skip';
    var r = ratio(cell);
    return r >= 1 ? 'c-pass' : r > 0 ? 'c-part' : 'c-fail';
  }

  var COLUMNS = {
    username: { text: true, get: function (s) { return s.username; } },
    name: { text: true, get: function (s) { return s.name; } },
    section: { text: true, get: function (s) { return s.section; } },
    status: { text: true, get: function (s) { return s.status; } },
    score: { get: function (s) { return s.score; } },
    percent: { get: function (s) { return s.percent; } },
    late: { get: function (s) { return s.late_ms; } },
    commit: { text: true, get: function (s) { return s.commit; } },
  };
  function absent(v) { return v === null || v === undefined || v === ''; }
  function compare(a, b) {
    var column = COLUMNS[state.key];
    if (column) {
      var x = column.get(a), y = column.get(b);
      if (absent(x) !== absent(y)) return absent(x) ? 1 : -1;
      if (!absent(x)) {
        var c = column.text ? collator.compare(x, y) : x - y;
        if (c !== 0) return c * state.dir;
      }
    }
    return a.index - b.index;
  }
  function visible(s) {
    if (state.status === 'late') { if (!(s.late_ms > 0)) return false; }
    else if (state.status && s.status !== state.status) return false;
    if (state.section && s.section !== state.section) return false;
    if (!state.query) return true;
    return (s.username + '\\n' + s.name + '\\n' + s.section).toLocaleLowerCase().indexOf(state.query) >= 0;
  }

  function studentRow(s, i) {
    var tr = el('tr');
    tr.dataset.i = String(i);
    tr.dataset.username = s.username;
    var user = el('td');
    var button = el('button', 'link', label(s));
    button.type = 'button';
    user.appendChild(button);
    tr.appendChild(user);
    tr.appendChild(el('td', 'name', s.name));
    tr.appendChild(el('td', 'section', s.section));
    var status = el('td');
    var badge = el('span', 'badge st-' + s.status, statusLabel(s.status));
    if (s.reason) badge.title = s.reason;
    status.appendChild(badge);
    if (s.late) {
      status.appendChild(document.createTextNode(' '));
      status.appendChild(el('span', 'badge st-late', L.late));
    }
    tr.appendChild(status);
    tr.appendChild(el('td', 'num score', scoreText(s)));
    var pct = el('td', 'num');
    if (s.percent !== null) {
      var wrap = el('span', 'pct');
      var track = el('span', 'track');
      var fill = el('span', 'fill' + (s.passed ? '' : s.percent < 50 ? ' low' : ' mid'));
      fill.style.width = Math.max(0, Math.min(100, s.percent)) + '%';
      track.appendChild(fill);
      wrap.appendChild(track);
      wrap.appendChild(el('span', '', Math.round(s.percent * 10) / 10 + '%'));
      pct.appendChild(wrap);
    }
    tr.appendChild(pct);
    tr.appendChild(el('td', 'num', s.late));
    var commit = el('td', 'mono', s.commit ? s.commit.slice(0, 7) : '');
    if (s.commit) commit.title = s.commit;
    tr.appendChild(commit);
    var reports = el('td', 'reports');
    ['md', 'json'].forEach(function (ext) {
      var a = el('a', '', ext === 'md' ? L.report : 'json');
      a.href = reportHref(s, ext);
      reports.appendChild(a);
    });
    tr.appendChild(reports);
    return tr;
  }

  function heatRow(s, i) {
    var tr = el('tr');
    tr.dataset.i = String(i);
    tr.dataset.username = s.username;
    var head = el('th');
    var button = el('button', 'link', label(s));
    button.type = 'button';
    head.appendChild(button);
    tr.appendChild(head);
    checks.forEach(function (check, j) {
      var cell = s.checks[j];
      var td = el('td', 'cell ' + cellClass(cell));
      td.title = label(s) + ' \\u00b7 ' + check.name + ': ' +
        (cell ? checkLabel(cell[0]) + ', ' + num(cell[1]) + '/' + num(cell[2]) : L.notRun);
      tr.appendChild(td);
    });
    return tr;
  }

  var rowCache = students.map(studentRow);
  var heatCache = students.map(heatRow);

  // As in summary.md: passed / (passed + failed) over the graded students; skipped and errors do not count.
  function passRates(list) {
    var row = el('tr');
    row.appendChild(el('th', 'muted', L.passRate));
    checks.forEach(function (check, j) {
      var passed = 0, failed = 0;
      list.forEach(function (i) {
        var cell = students[i].checks[j];
        if (students[i].percent === null || !cell) return;
        if (cell[0] === 'p') passed += 1;
        else if (cell[0] === 'f') failed += 1;
      });
      var ran = passed + failed;
      var td = el('td', '', ran ? Math.round((100 * passed) / ran) + '%' : '');
      td.title = check.name + ': ' + fillIn(L.passRateTitle, { passed: passed, ran: ran });
      row.appendChild(td);
    });
    $('heat-rates').replaceChildren(row);
  }

  function render() {
    shown = students.map(function (s, i) { return i; })
      .filter(function (i) { return visible(students[i]); })
      .sort(function (a, b) { return compare(students[a], students[b]); });
    var rows = document.createDocumentFragment();
    var heat = document.createDocumentFragment();
    shown.forEach(function (i) { rows.appendChild(rowCache[i]); heat.appendChild(heatCache[i]); });
    $('rows').replaceChildren(rows);
    $('heat-rows').replaceChildren(heat);
    passRates(shown);
    $('no-rows').hidden = shown.length > 0;
    $('shown').textContent = shown.length === students.length
      ? fillIn(L.shownAll, { count: students.length })
      : fillIn(L.shownSome, { shown: shown.length, total: students.length });
    document.querySelectorAll('th.sortable').forEach(function (th) {
      th.setAttribute('aria-sort', th.dataset.key !== state.key ? 'none' : state.dir > 0 ? 'ascending' : 'descending');
    });
  }

  function fact(list, name, value) {
    if (absent(value)) return;
    list.appendChild(el('dt', '', name));
    list.appendChild(el('dd', '', value));
  }

  function openDetail(i) {
    var s = students[i];
    current = i;
    $('d-title').textContent = label(s);
    $('d-name').textContent = s.name;
    var facts = $('d-facts');
    facts.replaceChildren();
    var F = L.fact;
    fact(facts, F.status, statusLabel(s.status) + (s.percent !== null ? ' \\u00b7 ' + (s.passed ? L.passed : L.notPassed) : ''));
    fact(facts, F.score, s.score === null ? '' : scoreText(s) + (s.percent !== null ? ' (' + num(s.percent) + '%)' : ''));
    fact(facts, F.why, s.reason);
    fact(facts, F.section, s.section);
    fact(facts, F.email, s.email);
    fact(facts, F.repository, s.repository);
    fact(facts, F.commit, s.commit);
    fact(facts, F.committed, s.committed_at ? when(s.committed_at) : '');
    fact(facts, F.pushed, s.pushed_at ? when(s.pushed_at) : '');
    fact(facts, F.deadlineBy, s.deadline_basis);
    fact(facts, F.late, s.late ? fillIn(L.lateAfter, { late: s.late }) : '');
    var links = $('d-links');
    links.replaceChildren();
    [['md', L.fullReport], ['json', 'JSON']].forEach(function (pair) {
      var a = el('a', '', pair[1]);
      a.href = reportHref(s, pair[0]);
      links.appendChild(a);
      links.appendChild(document.createTextNode(' '));
    });
    var body = $('d-checks');
    body.replaceChildren();
    checks.forEach(function (check, j) {
      var cell = s.checks[j];
      if (!cell) return;
      var tr = el('tr');
      var name = el('td', '', check.name);
      name.appendChild(el('span', 'id mono', check.id));
      tr.appendChild(name);
      var status = el('td');
      status.appendChild(el('span', 'badge st-' + STATUS[cell[0]], checkLabel(cell[0])));
      tr.appendChild(status);
      tr.appendChild(el('td', 'num', num(cell[1]) + ' / ' + num(cell[2])));
      var message = el('td', 'msg', text(cell[3]));
      if (cell[4] >= 0 && ratio(cell) < 1) message.appendChild(el('p', 'feedback', text(cell[4])));
      tr.appendChild(message);
      body.appendChild(tr);
    });
    $('d-no-checks').hidden = body.children.length > 0;
    var at = shown.indexOf(i);
    $('d-prev').disabled = at <= 0;
    $('d-next').disabled = at < 0 || at >= shown.length - 1;
    var dialog = $('detail');
    if (!dialog.open) dialog.showModal();
  }

  function step(by) {
    var at = shown.indexOf(current);
    var next = shown[at + by];
    if (at >= 0 && next !== undefined) openDetail(next);
  }

  function onRowClick(event) {
    if (event.target.closest('a')) return;
    var tr = event.target.closest('tr[data-i]');
    if (tr) openDetail(Number(tr.dataset.i));
  }

  $('rows').addEventListener('click', onRowClick);
  $('heat-rows').addEventListener('click', onRowClick);
  $('d-close').addEventListener('click', function () { $('detail').close(); });
  $('d-prev').addEventListener('click', function () { step(-1); });
  $('d-next').addEventListener('click', function () { step(1); });
  $('detail').addEventListener('click', function (event) { if (event.target === $('detail')) $('detail').close(); });
  document.querySelectorAll('th.sortable').forEach(function (th) {
    th.addEventListener('click', function () {
      if (state.key === th.dataset.key) state.dir = -state.dir;
      else { state.key = th.dataset.key; state.dir = 1; }
      render();
    });
  });
  $('filter').addEventListener('input', function (event) {
    state.query = event.target.value.trim().toLocaleLowerCase();
    render();
  });
  $('status').addEventListener('change', function (event) { state.status = event.target.value; render(); });

  var sections = Array.from(new Set(students.map(function (s) { return s.section; }).filter(Boolean))).sort(collator.compare);
  var sectionSelect = $('section');
  sections.forEach(function (name) {
    var option = el('option', '', name);
    option.value = name;
    sectionSelect.appendChild(option);
  });
  sectionSelect.hidden = sections.length === 0;
  sectionSelect.addEventListener('change', function (event) { state.section = event.target.value; render(); });

  var heatHead = $('heat-head');
  checks.forEach(function (check) {
    var th = el('th', 'col');
    th.title = check.name + ' (' + fillIn(L.checkPoints, { points: num(check.max) }) + ')';
    th.appendChild(el('span', '', check.id));
    heatHead.appendChild(th);
  });

  document.querySelectorAll('time[datetime]').forEach(function (t) {
    t.title = t.getAttribute('datetime');
    t.textContent = when(t.getAttribute('datetime'));
  });

  render();
})();
`;

// src/report/dashboard-style.ts
var DASHBOARD_STYLE = `
:root {
  color-scheme: light;
  --ink: #1f2430; --muted: #5d6576; --line: #e3e6ec; --bg: #f5f6f8; --card: #fff; --accent: #2f5bd3;
  --pass: #2e9e5b; --part: #e3a32b; --fail: #d9483b; --skip: #c9ced6; --none: #eef0f3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR", "Noto Sans CJK KR",
    "Apple SD Gothic Neo", "Malgun Gothic", NanumGothic, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 16px; margin: 0; }
.meta { color: var(--muted); margin: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.meta b { color: var(--ink); font-weight: 600; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-top: 16px; }
.card-head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 16px; margin-bottom: 12px; }
.card-head .note { color: var(--muted); margin-left: auto; }
.overview { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr); gap: 16px; }
.overview > .card { margin-top: 16px; }
.tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.tile .v { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.tile .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile.warn .v { color: var(--fail); }
.tile.late .v { color: #b7791f; }
svg.hist { width: 100%; height: auto; display: block; }
.hist .bar { fill: var(--accent); }
.hist .bar-empty { fill: var(--line); }
.hist .count { font-size: 11px; fill: var(--ink); text-anchor: middle; font-variant-numeric: tabular-nums; }
.hist .tick { font-size: 10px; fill: var(--muted); text-anchor: middle; }
.hist .axis { stroke: #aab1bd; stroke-width: 1; }
.hist .threshold { stroke: var(--fail); stroke-width: 1.5; stroke-dasharray: 4 3; }
.hist .threshold-label { font-size: 10px; fill: var(--fail); }
h3.sub { font-size: 13px; margin: 16px 0 8px; font-weight: 600; }
h3.sub .muted { font-weight: 400; margin-left: 6px; }
ol.hardest { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
ol.hardest li { display: grid; grid-template-columns: minmax(0, 1fr) 90px 48px 40px; gap: 10px; align-items: center; }
ol.hardest .check-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
ol.hardest .rate { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
ol.hardest .muted { font-variant-numeric: tabular-nums; font-size: 12px; }
svg.rate-bar { width: 90px; height: 8px; display: block; }
.rate-bar .track { fill: var(--none); }
.rate-bar .fill { fill: var(--fail); }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
input, select, button { font: inherit; color: inherit; }
input[type=search], select { border: 1px solid #cfd4dc; border-radius: 6px; padding: 5px 8px; background: #fff; }
input[type=search] { width: 240px; }
table { border-collapse: collapse; width: 100%; }
.scroll { overflow-x: auto; }
table.students th, table.students td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; white-space: nowrap; }
table.students td.name, table.students td.section { white-space: normal; overflow-wrap: anywhere; max-width: 260px; }
table.students thead th { position: sticky; top: 0; background: #fafbfc; z-index: 1; font-weight: 600; }
table.students tbody tr { cursor: pointer; }
table.students tbody tr:hover { background: #f3f6fd; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
th.sortable button { all: unset; cursor: pointer; }
th.sortable button::after { content: "\\2195"; color: #b4bac5; margin-left: 4px; font-size: 11px; }
th[aria-sort=ascending] button::after { content: "\\25B2"; color: var(--accent); }
th[aria-sort=descending] button::after { content: "\\25BC"; color: var(--accent); }
th.sortable button:focus-visible, button.link:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
button.link { all: unset; cursor: pointer; color: var(--accent); font-weight: 600; overflow-wrap: anywhere; }
button.link:hover { text-decoration: underline; }
a { color: var(--accent); }
.reports a { margin-right: 8px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.st-graded, .st-passed { background: #e3f4ea; color: #1d6b3d; }
.st-ungradable, .st-error { background: #fde7e4; color: #9b2c20; }
.st-missing, .st-skipped { background: #eceef2; color: #4a5160; }
.st-failed { background: #fdeee0; color: #9c4a0f; }
.st-late { background: #fdf3dc; color: #8a5a00; }
.pct { display: inline-flex; align-items: center; gap: 8px; justify-content: flex-end; }
.pct .track { width: 64px; height: 6px; border-radius: 3px; background: var(--none); overflow: hidden; }
.pct .fill { display: block; height: 100%; background: var(--pass); }
.pct .fill.low { background: var(--fail); }
.pct .fill.mid { background: var(--part); }
.muted { color: var(--muted); }
.empty { color: var(--muted); padding: 16px 4px; }
table.heat { width: auto; border-collapse: separate; border-spacing: 2px; }
table.heat thead th { vertical-align: bottom; padding: 0 0 4px; font-weight: 500; color: var(--muted); }
table.heat thead th.col span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; display: inline-block;
  max-height: 150px; overflow: hidden; text-overflow: ellipsis; font-size: 12px; }
table.heat tbody th, table.heat tfoot th { text-align: right; padding: 0 8px 0 0; font-weight: 500; white-space: nowrap;
  max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
table.heat td.cell { width: 20px; min-width: 20px; height: 20px; border-radius: 3px; cursor: pointer; }
table.heat tfoot td { font-size: 10px; color: var(--muted); text-align: center; padding-top: 4px; font-variant-numeric: tabular-nums; }
.c-pass { background: var(--pass); }
.c-part { background: var(--part); }
.c-fail { background: var(--fail); }
.c-skip { background: var(--skip); }
.c-none { background: var(--none); }
.legend { display: flex; flex-wrap: wrap; gap: 12px; color: var(--muted); font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.legend .l-pass::before { background: var(--pass); }
.legend .l-part::before { background: var(--part); }
.legend .l-fail::before { background: var(--fail); }
.legend .l-skip::before { background: var(--skip); }
.legend .l-none::before { background: var(--none); border: 1px solid var(--line); }
dialog { border: none; border-radius: 12px; padding: 0; width: min(920px, 94vw); max-height: 90vh; box-shadow: 0 20px 60px rgba(15, 23, 42, .3); color: var(--ink); }
dialog::backdrop { background: rgba(15, 23, 42, .35); }
.detail-head { display: flex; align-items: flex-start; gap: 12px; padding: 16px 20px; border-bottom: 1px solid var(--line);
  position: sticky; top: 0; background: #fff; }
.detail-head h2 { font-size: 18px; overflow-wrap: anywhere; }
.detail-head .who { flex: 1; min-width: 0; }
.detail-head .nav { display: flex; gap: 6px; }
.detail-head button { border: 1px solid #cfd4dc; background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
.detail-body { padding: 14px 20px 20px; }
#d-links a { margin-right: 16px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0 0 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table.checks th, table.checks td { padding: 7px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.checks td.msg { overflow-wrap: anywhere; white-space: pre-wrap; }
table.checks .id { display: block; color: var(--muted); font-size: 12px; }
table.checks .feedback { margin: 4px 0 0; color: #6b4a00; background: #fff8e6; border-radius: 6px; padding: 4px 8px; }
@media (max-width: 900px) { .overview { grid-template-columns: 1fr; } .tiles { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media print {
  :root { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  .overview { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .tiles { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  .tile { padding: 6px 8px; }
  svg.hist { max-height: 220px; }
  .controls, dialog, .reports, th.sortable button::after { display: none !important; }
  .card { border: none; padding: 0; break-inside: auto; }
  tr, .tile { break-inside: avoid; }
  table.students thead th { position: static; }
  .c-pass, .c-part, .c-fail, .c-skip, .c-none, .pct .fill, .badge, .hist .bar, .rate-bar, .legend span::before { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;

// src/report/dashboard.ts
var NAME_CAP = 200;
var HARDEST_SHOWN = 5;
var MESSAGE_CAP = 500;
var FEEDBACK_CAP = 1e3;
var STATUS_CODE = { passed: "p", failed: "f", skipped: "s", error: "e" };
function renderDashboard(result) {
  const tr = reportTranslator(result.locale);
  const data = dashboardData(result, tr);
  const json = scriptSafeJson(data);
  return page(result, json, tr);
}
function dashboardLabels(tr) {
  return {
    rowStatus: {
      graded: tr("class.status.graded"),
      ungradable: tr("class.status.ungradable"),
      missing: tr("class.status.missing")
    },
    checkStatus: {
      passed: tr("class.check.passed"),
      failed: tr("class.check.failed"),
      skipped: tr("class.check.skipped"),
      error: tr("class.check.error")
    },
    late: tr("class.dashboard.late_badge"),
    report: tr("class.dashboard.report_link"),
    notRun: tr("class.dashboard.not_run"),
    passRate: tr("class.dashboard.pass_rate"),
    passRateTitle: tr("class.dashboard.pass_rate_title", { passed: "{passed}", ran: "{ran}" }),
    shownAll: tr("class.dashboard.shown_all", { count: "{count}" }),
    shownSome: tr("class.dashboard.shown_some", { shown: "{shown}", total: "{total}" }),
    passed: tr("class.check.passed"),
    notPassed: tr("class.dashboard.not_passed"),
    lateAfter: tr("class.dashboard.late_after", { late: "{late}" }),
    fullReport: tr("class.dashboard.full_report"),
    checkPoints: tr("class.dashboard.check_points", { points: "{points}" }),
    fact: {
      status: tr("class.column.status"),
      score: tr("class.column.score"),
      why: tr("class.dashboard.why"),
      section: tr("class.column.section"),
      email: tr("class.dashboard.email"),
      repository: tr("class.dashboard.repository"),
      commit: tr("class.column.commit"),
      committed: tr("class.dashboard.committed"),
      pushed: tr("class.dashboard.pushed"),
      deadlineBy: tr("class.dashboard.deadline_by"),
      late: tr("class.label.late")
    }
  };
}
function page(result, json, tr) {
  const t2 = htmlWords(tr);
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(DASHBOARD_STYLE)}'`,
    `script-src '${sha256(DASHBOARD_SCRIPT)}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'"
  ].join("; ");
  const title = html(result.rubric.title);
  return `<!doctype html>
<html lang="${tr.locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="grader ${html(result.grader_version)}">
<title>${title} \xB7 ${t2("class.dashboard.class_results")}</title>
<style>${DASHBOARD_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${title}</h1>
${metaLine(result, tr)}
</header>
<div class="overview">
<section class="card" aria-label="${t2("class.dashboard.counts")}">
${tiles(result, tr)}
${hardestChecks(result, tr)}
</section>
<section class="card" aria-labelledby="hist-title">
<div class="card-head"><h2 id="hist-title">${t2("class.distribution")}</h2><span class="note">${t2("class.dashboard.by_percent")}</span></div>
${histogram(result, tr)}
</section>
</div>
<section class="card" aria-labelledby="students-title">
<div class="card-head">
<h2 id="students-title">${t2("class.dashboard.students")}</h2>
<div class="controls">
<input type="search" id="filter" placeholder="${t2("class.dashboard.filter")}" aria-label="${t2("class.dashboard.filter_label")}" autocomplete="off">
<select id="status" aria-label="${t2("class.column.status")}">
<option value="">${t2("class.dashboard.all_statuses")}</option>
<option value="graded">${t2("class.label.graded")}</option>
<option value="ungradable">${t2("class.label.ungradable")}</option>
<option value="missing">${t2("class.label.missing")}</option>
<option value="late">${t2("class.label.late")}</option>
</select>
<select id="section" aria-label="${t2("class.column.section")}"><option value="">${t2("class.dashboard.all_sections")}</option></select>
</div>
<span class="note" id="shown" aria-live="polite"></span>
</div>
<noscript><p>${t2("class.dashboard.noscript")}</p></noscript>
<div class="scroll">
<table class="students">
<thead><tr>
${STUDENT_COLUMNS.map(([key, heading2, numeric]) => `<th class="sortable${numeric ? " num" : ""}" data-key="${key}" aria-sort="none"><button type="button">${t2(heading2)}</button></th>`).join("")}
<th class="reports">${t2("class.dashboard.reports")}</th>
</tr></thead>
<tbody id="rows"></tbody>
</table>
</div>
<p class="empty" id="no-rows" hidden>${t2("class.dashboard.no_match")}</p>
</section>
<section class="card" aria-labelledby="heat-title">
<div class="card-head">
<h2 id="heat-title">${t2("class.dashboard.heatmap")}</h2>
<div class="legend"><span class="l-pass">${t2("class.dashboard.legend_full")}</span><span class="l-part">${t2("class.dashboard.legend_partial")}</span><span class="l-fail">${t2("class.dashboard.legend_none")}</span><span class="l-skip">${t2("class.check.skipped")}</span><span class="l-none">${t2("class.dashboard.not_run")}</span></div>
<span class="note">${t2("class.dashboard.heat_note")}</span>
</div>
<div class="scroll">
<table class="heat">
<thead><tr id="heat-head"><th></th></tr></thead>
<tbody id="heat-rows"></tbody>
<tfoot id="heat-rates"></tfoot>
</table>
</div>
</section>
</main>
<dialog id="detail" aria-labelledby="d-title">
<div class="detail-head">
<div class="who"><h2 id="d-title"></h2><div class="muted" id="d-name"></div></div>
<div class="nav">
<button type="button" id="d-prev" aria-label="${t2("class.dashboard.previous_student")}">&#8249; ${t2("class.dashboard.prev")}</button>
<button type="button" id="d-next" aria-label="${t2("class.dashboard.next_student")}">${t2("class.dashboard.next")} &#8250;</button>
<button type="button" id="d-close" aria-label="${t2("class.dashboard.close")}" autofocus>${t2("class.dashboard.close")}</button>
</div>
</div>
<div class="detail-body">
<dl class="facts" id="d-facts"></dl>
<p id="d-links"></p>
<table class="checks">
<thead><tr><th>${t2("class.column.check")}</th><th>${t2("class.column.status")}</th><th class="num">${t2("class.dashboard.points")}</th><th>${t2("class.dashboard.message")}</th></tr></thead>
<tbody id="d-checks"></tbody>
</table>
<p class="empty" id="d-no-checks" hidden>${t2("class.dashboard.no_checks")}</p>
</div>
</dialog>
<script type="application/json" id="data">${json}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
var STUDENT_COLUMNS = [
  ["username", "class.column.username", false],
  ["name", "class.column.name", false],
  ["section", "class.column.section", false],
  ["status", "class.column.status", false],
  ["score", "class.column.score", true],
  ["percent", "class.column.percent", true],
  ["late", "class.column.late_by", true],
  ["commit", "class.column.commit", false]
];
function metaLine(result, tr) {
  const t2 = htmlWords(tr);
  const parts = [
    result.deadline === void 0 ? `<span>${t2("class.dashboard.no_deadline")}</span>` : `<span>${t2("class.dashboard.deadline")} <b>${time(result.deadline)}</b></span>`,
    `<span>${t2("class.dashboard.generated")} ${time(result.generated_at)}</span>`,
    `<span>${t2("class.dashboard.roster")} <b>${html(result.roster.file)}</b> (${t2("class.dashboard.roster_rows", { rows: result.roster.rows })})</span>`,
    result.rubric.pass_threshold === void 0 ? "" : `<span>${t2("class.dashboard.pass_mark")} <b>${formatNumber(result.rubric.pass_threshold)}%</b></span>`,
    result.shard === void 0 ? "" : `<span>${t2("class.dashboard.shard")} <b>${result.shard.index}/${result.shard.count}</b></span>`,
    `<span>grader ${html(result.grader_version)}</span>`
  ];
  return `<p class="meta">${parts.filter(Boolean).join("")}</p>`;
}
function time(iso2) {
  return `<time datetime="${html(iso2)}">${html(iso2)}</time>`;
}
function tiles(result, tr) {
  const t2 = htmlWords(tr);
  const rows = result.students;
  const count2 = (status) => rows.filter((row) => row.status === status).length;
  const percents = rows.map(rowPercent).filter((p) => p !== null);
  const ungradable = count2("ungradable");
  const late = rows.filter((row) => formatLate(row) !== void 0).length;
  const passed = rows.filter((row) => rowScore(row) !== null && row.result?.passed === true).length;
  const percent = (n) => `${formatNumber(roundTo(n, 1))}%`;
  const tile = (label, value, className = "") => `<div class="tile${className ? ` ${className}` : ""}"><div class="v">${value}</div><div class="k">${label}</div></div>`;
  return `<div class="tiles">
${tile(t2("class.label.students"), rows.length)}
${tile(t2("class.label.graded"), count2("graded"))}
${tile(t2("class.label.ungradable"), ungradable, ungradable > 0 ? "warn" : "")}
${tile(t2("class.label.missing"), count2("missing"))}
${tile(t2("class.label.late"), late, late > 0 ? "late" : "")}
${tile(t2("class.label.passed"), passed)}
${tile(t2("class.label.mean"), percents.length > 0 ? percent(mean(percents)) : "\u2013")}
${tile(t2("class.label.median"), percents.length > 0 ? percent(median2(percents)) : "\u2013")}
</div>`;
}
function hardestChecks(result, tr) {
  const t2 = htmlWords(tr);
  const tallies = tallyChecks(result.rubric.checks, result.students).filter((t3) => t3.rate !== null && t3.rate < 1);
  if (tallies.length === 0) return "";
  const items = tallies.slice(0, HARDEST_SHOWN).map((t3) => {
    const rate = t3.rate * 100;
    return `<li title="${html(t3.check.id)}"><span class="check-name">${html(clip(t3.check.name, NAME_CAP))}</span><svg class="rate-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="8" rx="4"/><rect class="fill" width="${r(rate)}" height="8" rx="4"/></svg><span class="rate">${formatNumber(roundTo(rate, 1))}%</span><span class="muted">${t3.passed}/${t3.passed + t3.failed}</span></li>`;
  });
  return `<h3 class="sub">${t2("class.dashboard.hardest")} <span class="muted">${t2("class.dashboard.hardest_note")}</span></h3>
<ol class="hardest">${items.join("")}</ol>`;
}
function mean(values) {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
function median2(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
var BINS = 10;
function histogram(result, tr) {
  const t2 = htmlWords(tr);
  const counts = scoreBins(result.students);
  const width = 480;
  const height = 210;
  const left = 10;
  const bottom = 24;
  const top = 18;
  const slot = (width - 2 * left) / BINS;
  const highest = Math.max(1, ...counts);
  const x = (percent) => left + percent / 100 * (width - 2 * left);
  const bars = counts.map((n, bin) => {
    const barHeight = n === 0 ? 2 : (height - top - bottom) * n / highest;
    const from = bin * (100 / BINS);
    const to = bin === BINS - 1 ? 100 : from + 100 / BINS;
    const range = `${from}\u2013${to}${bin === BINS - 1 ? "" : ` (${t2("class.dashboard.exclusive")})`}%`;
    const y = height - bottom - barHeight;
    return `<rect class="${n === 0 ? "bar-empty" : "bar"}" data-bin="${bin}" data-count="${n}" x="${r(left + bin * slot + 3)}" y="${r(y)}" width="${r(slot - 6)}" height="${r(barHeight)}" rx="2"><title>${range}: ${t2("class.dashboard.bin_students", { count: n })}</title></rect>` + (n > 0 ? `<text class="count" x="${r(left + (bin + 0.5) * slot)}" y="${r(y - 4)}">${n}</text>` : "");
  });
  const ticks = Array.from({ length: BINS + 1 }, (_, i) => i * (100 / BINS)).map(
    (percent) => `<text class="tick" x="${r(x(percent))}" y="${height - 8}">${percent}</text>`
  );
  const threshold = result.rubric.pass_threshold;
  const mark = threshold === void 0 ? "" : `<line class="threshold" x1="${r(x(threshold))}" x2="${r(x(threshold))}" y1="${top - 6}" y2="${height - bottom}"/><text class="threshold-label" x="${r(x(threshold) + 4)}" y="${top}">${t2("class.dashboard.pass_line", { threshold: formatNumber(threshold) })}</text>`;
  return `<svg class="hist" viewBox="0 0 ${width} ${height}" role="img" aria-label="${t2("class.dashboard.histogram_label", { bins: BINS })}">
<line class="axis" x1="${left}" x2="${width - left}" y1="${height - bottom}" y2="${height - bottom}"/>
${bars.join("\n")}
${ticks.join("")}
${mark}
</svg>`;
}
function r(n) {
  return String(Math.round(n * 10) / 10);
}
function dashboardData(result, tr) {
  const checks = [...result.rubric.checks];
  const column = new Map(checks.map((check, i) => [check.id, i]));
  for (const row of result.students) {
    for (const check of row.result?.checks ?? []) {
      if (!column.has(check.id)) {
        column.set(check.id, checks.length);
        checks.push({ id: check.id, name: check.name, max_points: check.max_points });
      }
    }
  }
  const texts = [];
  const textIndex = /* @__PURE__ */ new Map();
  const intern = (s, cap) => {
    if (s === void 0 || s === "") return -1;
    const shown2 = clip(cleanText(s), cap);
    let i = textIndex.get(shown2);
    if (i === void 0) {
      i = texts.push(shown2) - 1;
      textIndex.set(shown2, i);
    }
    return i;
  };
  const cell = (check) => [
    STATUS_CODE[check.status] ?? "e",
    check.points,
    check.max_points,
    intern(check.message, MESSAGE_CAP),
    intern(check.feedback, FEEDBACK_CAP)
  ];
  const students = result.students.map((row) => {
    const cells = new Array(checks.length).fill(null);
    for (const check of row.result?.checks ?? []) cells[column.get(check.id)] = cell(check);
    const score = rowScore(row);
    const late = formatLate(row, tr.locale);
    const label = cleanText(row.username);
    return {
      index: row.index,
      username: row.username,
      ...label === row.username ? {} : { label },
      name: shown(studentName(row), NAME_CAP),
      section: shown(row.section, NAME_CAP),
      ...optional("email", row.email),
      status: row.status,
      ...optional("reason", row.reason ?? row.result?.reason, MESSAGE_CAP),
      score,
      max: score === null ? null : rowMaxScore(row, result),
      percent: rowPercent(row),
      passed: score !== null && row.result?.passed === true,
      late_ms: late === void 0 ? null : row.late_ms,
      ...optional("late", late),
      ...optional("commit", row.commit),
      ...optional("committed_at", row.committed_at),
      ...optional("pushed_at", row.pushed_at),
      ...optional("deadline_basis", row.deadline_basis),
      ...optional("repository", row.repository),
      checks: cells
    };
  });
  return {
    checks: checks.map((c) => ({ id: c.id, name: shown(c.name, NAME_CAP), max: c.max_points })),
    texts,
    students,
    labels: dashboardLabels(tr)
  };
}
function shown(s, cap) {
  return s === void 0 ? "" : clip(cleanText(s).replace(/\s+/g, " ").trim(), cap);
}
function optional(key, value, cap = NAME_CAP) {
  return value === void 0 || value === "" ? {} : { [key]: shown(value, cap) };
}
function scriptSafeJson(value) {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
function words(s) {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
function htmlWords(tr) {
  return (key, ...args) => words(tr(key, ...args));
}
function html(s) {
  return cleanText(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function sha256(source) {
  return `sha256-${createHash("sha256").update(source, "utf8").digest("base64")}`;
}

// src/report/gradebook-export.ts
function renderGradebook(result, format, options = {}) {
  const column = gradeColumn(options.column ?? result.rubric.title);
  const rows = [...result.students].sort((a, b) => a.index - b.index);
  return format === "canvas" ? canvas(result, rows, column) : moodle(rows, column);
}
function gradeColumn(text) {
  return oneLine3(text) || "grader";
}
function oneLine3(text) {
  return cleanText(text ?? "").replace(/\s+/g, " ").trim();
}
function canvas(result, rows, column) {
  const header2 = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column];
  const pointsPossible = ["Points Possible", "", "", "", "", roundTo(rubricMaxScore(result), 2)];
  const students = rows.map((row) => [
    oneLine3(studentName(row)) || row.username,
    // Canvas's internal user id: the roster does not know it; the SIS ids identify the student.
    "",
    row.roster_identifier ?? "",
    row.email || row.username,
    oneLine3(row.section),
    grade(row)
  ]);
  return writeCsv(header2, [pointsPossible, ...students]);
}
function moodle(rows, column) {
  const header2 = ["Email address", "Username", "First name", "Last name", column];
  const students = rows.map((row) => [
    row.email ?? "",
    row.username,
    oneLine3(row.first_name),
    oneLine3(row.last_name),
    grade(row)
  ]);
  return writeCsv(header2, students);
}
function grade(row) {
  const score = rowScore(row);
  return score === null ? "" : roundTo(score, 2);
}

// src/report/grades-csv.ts
var GRADES_COLUMNS = [
  "username",
  "first_name",
  "last_name",
  "email",
  "section",
  "repository",
  "commit",
  "committed_at",
  "pushed_at",
  "deadline_basis",
  "late",
  "late_minutes",
  "status",
  "score",
  "max_score",
  "percent",
  "passed"
];
function renderGradesCsv(result) {
  const checkIds = result.rubric.checks.map((check) => check.id);
  const header2 = [...GRADES_COLUMNS, ...checkIds.map(checkColumn)];
  const rows = [...result.students].sort((a, b) => a.index - b.index).map((row) => [...rowCells(row, result), ...checkCells(row, checkIds)]);
  return writeCsv(header2, rows);
}
function checkColumn(id) {
  return GRADES_COLUMNS.includes(id) ? `check:${id}` : id;
}
function rowCells(row, result) {
  const score = rowScore(row);
  const percent = rowPercent(row);
  return [
    row.username,
    row.first_name,
    row.last_name,
    row.email,
    row.section,
    row.repository,
    row.commit,
    row.committed_at,
    row.pushed_at,
    row.deadline_basis,
    formatLate(row),
    lateMinutes(row),
    row.status,
    score === null ? void 0 : roundTo(score, 2),
    roundTo(rowMaxScore(row, result), 2),
    percent === null ? void 0 : roundTo(percent, 1),
    score !== null && row.result?.passed === true
  ];
}
function checkCells(row, checkIds) {
  const graded = rowScore(row) !== null;
  return checkIds.map((id) => {
    const check = graded ? row.result?.checks.find((c) => c.id === id) : void 0;
    return check ? roundTo(check.points, 2) : void 0;
  });
}

// src/report/json.ts
function toJson(result) {
  return `${JSON.stringify(publicResult(result), null, 2)}
`;
}
function publicResult(result) {
  return {
    rubric: { title: cleanText(result.rubric.title), source: cleanText(result.rubric.source) },
    locale: result.locale,
    submission: {
      source: cleanText(result.submission.source),
      commit: nullableText(result.submission.commit),
      committed_at: optionalText(result.submission.committed_at),
      ref: nullableText(result.submission.ref)
    },
    status: result.status,
    reason: optionalText(result.reason),
    score: result.score,
    max_score: result.max_score,
    percent: result.percent,
    pass_threshold: result.pass_threshold,
    passed: result.passed,
    duration_ms: result.duration_ms,
    build: result.build && publicBuild(result.build),
    notes: result.notes?.map(cleanText),
    checks: result.checks.map(publicCheck)
  };
}
function publicBuild(build) {
  return {
    ok: build.ok,
    duration_ms: build.duration_ms,
    image_size: build.image_size,
    failing_step: optionalText(build.failing_step),
    log_tail: optionalText(build.log_tail)
  };
}
function publicCheck(check) {
  const places = checkLocations(check).map(publicLocation);
  const details2 = check.hidden ? {} : {
    expected: optionalText(check.expected),
    actual: optionalText(check.actual),
    output: optionalText(check.output),
    // `location` is the first place, kept for readers that want one; `locations` is every place.
    location: places[0],
    locations: places.length > 0 ? places : void 0
  };
  return {
    id: check.id,
    name: cleanText(check.name),
    kind: check.kind,
    status: check.status,
    points: check.points,
    max_points: check.max_points,
    message: cleanText(check.message),
    feedback: optionalText(check.feedback),
    ...details2,
    hidden: check.hidden ? true : void 0
  };
}
function publicLocation(location) {
  return { path: cleanText(location.path), line: location.line };
}
function optionalText(text) {
  return text === void 0 ? void 0 : cleanText(text);
}
function nullableText(text) {
  return text === void 0 ? null : cleanText(text);
}

// src/report/markdown.ts
var DEFAULT_MAX_LENGTH = 65e3;
var SHORTENED_NOTE = reportTranslator("en")("report.markdown.shortened");
var BLOCK_FLOOR = 500;
var INLINE_CAP = 1e3;
var INLINE_CODE_MAX = 200;
var BUILD_LOG_LINES = 60;
var STATUS_ICON = {
  passed: "\u2705",
  failed: "\u274C",
  skipped: "\u23ED\uFE0F",
  error: "\u26A0\uFE0F"
};
var PARTIAL_ICON = "\u{1F7E1}";
function iconOf(check) {
  return isPartial(check) ? PARTIAL_ICON : STATUS_ICON[check.status];
}
function renderMarkdown(result, options = {}) {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const marker = options.marker;
  const head2 = marker ? `${marker}
` : "";
  const tr = reportTranslator(result.locale);
  const blocks = collectBlocks(result, maxLength, omittedNoteIn(tr));
  const render = (fit) => {
    const body = renderBody(result, blocks, fit, tr, options.now);
    return marker ? neutraliseMarker(body, marker) : body;
  };
  return head2 + fitWithin(render, [...blocks.values()], maxLength - head2.length, tr);
}
function renderSummaryLine(result) {
  const tr = reportTranslator(result.locale);
  const score = formatScore(result, "/", tr);
  if (score === void 0) {
    const reason = result.reason ? ` \u2014 ${oneLine4(result.reason, 200, omittedNoteIn(tr))}` : "";
    return `grader: ${tr("report.verdict.ungradable")}${reason}`;
  }
  return `grader: ${score} \u2014 ${formatVerdict(result, tr)}`;
}
function oneLine4(text, maxChars, note) {
  return truncateMiddle(
    cleanText(text).replace(/\s*\n\s*/g, " ").trim(),
    maxChars,
    note
  ).replace(/\n/g, " ");
}
function fitWithin(render, blocks, budget, tr) {
  const full = render({ cap: Infinity, dropped: /* @__PURE__ */ new Set(), shortened: false, compact: false });
  if (full.length <= budget) return full;
  const at2 = (cap, dropped2 = /* @__PURE__ */ new Set()) => render({ cap, dropped: dropped2, shortened: true, compact: false });
  const longest = Math.max(0, ...blocks.map((b) => b.text.length));
  if (longest > BLOCK_FLOOR && at2(BLOCK_FLOOR).length <= budget) {
    let fits = BLOCK_FLOOR;
    let tooBig = longest;
    while (tooBig - fits > 1) {
      const mid = Math.floor((fits + tooBig) / 2);
      if (at2(mid).length <= budget) fits = mid;
      else tooBig = mid;
    }
    return at2(fits);
  }
  const dropped = /* @__PURE__ */ new Set();
  for (const block of [...blocks].sort((a, b) => b.text.length - a.text.length)) {
    dropped.add(block.id);
    const text = at2(BLOCK_FLOOR, dropped);
    if (text.length <= budget) return text;
  }
  const compact = render({ cap: BLOCK_FLOOR, dropped, shortened: true, compact: true });
  return compact.length <= budget ? compact : cutAtLine2(compact, budget, tr);
}
function cutAtLine2(text, budget, tr) {
  const note = `

_${tr("report.markdown.cut")}_
`;
  if (budget <= note.length) return text.slice(0, Math.max(0, budget));
  const end = text.lastIndexOf("\n", budget - note.length);
  return `${text.slice(0, Math.max(0, end))}${note}`;
}
function collectBlocks(result, maxLength, note) {
  const blocks = /* @__PURE__ */ new Map();
  const add = (id, raw, keep) => {
    const cleaned = cleanText(shorten(raw, keep, maxLength, note));
    blocks.set(id, { id, text: shorten(cleaned, keep, maxLength, note), keep });
  };
  result.checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    const { expected, actual, output } = visibleDetails(check);
    if (expected !== void 0 && !fitsInline(expected)) add(`expected:${i}`, expected, "middle");
    if (actual !== void 0 && !fitsInline(actual)) add(`actual:${i}`, actual, "middle");
    if (output !== void 0 && output !== "") add(`output:${i}`, output, "middle");
  });
  const log = result.build && !result.build.ok ? result.build.log_tail : void 0;
  if (log) add("build-log", tail(log, BUILD_LOG_LINES, maxLength, note), "tail");
  return blocks;
}
function shorten(text, keep, maxChars, note) {
  if (text.length <= maxChars) return text;
  return keep === "tail" ? tail(text, Number.MAX_SAFE_INTEGER, maxChars, note) : truncateMiddle(text, maxChars, note);
}
function fitsInline(value) {
  return value.length <= INLINE_CODE_MAX && !/[\r\n]/.test(value);
}
function needsFixing(check) {
  return (check.status === "failed" || check.status === "error") && !check.hidden;
}
function renderBody(result, blocks, fit, tr, now) {
  const blockText = (id) => {
    const block = blocks.get(id);
    if (!block || fit.dropped.has(id)) return void 0;
    return shorten(block.text, block.keep, fit.cap, omittedNoteIn(tr));
  };
  const parts = [...heading(result, tr)];
  if (fit.shortened) parts.push(`> \u26A0\uFE0F ${tr("report.markdown.shortened")}`);
  parts.push(submissionLine2(result, tr));
  for (const note of result.notes ?? []) parts.push(`> \u2139\uFE0F ${escapeInlineWithCode(truncateMiddle(note, INLINE_CAP, omittedNoteIn(tr)))}`);
  if (result.checks.length > 0) parts.push(checkTable2(result.checks, tr));
  if (result.checks.some((c) => c.hidden)) parts.push(`\u{1F512} ${tr("report.markdown.hidden_note")}`);
  if (fit.compact) {
    parts.push(`_${tr("report.markdown.compact")}_`);
  } else {
    parts.push(...buildFailure2(result, blockText, tr));
    parts.push(...whatToFix(result.checks, blocks, blockText, tr));
    parts.push(...skippedList(result.checks, tr));
  }
  parts.push("---", footer(result, tr, now));
  return `${parts.join("\n\n")}
`;
}
function heading(result, tr) {
  const title = escapeInline(result.rubric.title);
  const score = formatScore(result, " / ", tr);
  if (score === void 0) {
    const reason = result.reason ? escapeInline(truncateMiddle(result.reason, INLINE_CAP, omittedNoteIn(tr))) : tr("report.ungradable.no_reason");
    return [
      `## ${title} \u2014 \u26A0\uFE0F ${tr("report.verdict.ungradable")}`,
      `**${tr("report.markdown.ungradable_lead")}** ${reason}

${tr("report.markdown.ungradable_advice")}`
    ];
  }
  const verdict = formatVerdict(result, tr);
  return [`## ${title} \u2014 ${score}`, `${result.passed ? "\u2705" : "\u274C"} ${verdict[0].toUpperCase()}${verdict.slice(1)}`];
}
function submissionLine2(result, tr) {
  const { source, commit, ref } = result.submission;
  const at2 = commit ? ` ${tr("report.markdown.at_commit", { commit: inlineCode(shortCommit(commit)) })}` : "";
  const onRef = ref ? ` (${escapeInline(ref)})` : "";
  return `**${tr("report.markdown.submission")}** ${escapeInline(source)}${onRef}${at2}`;
}
function checkTable2(checks, tr) {
  const rows = checks.map((check) => {
    const lock = check.hidden ? " \u{1F512}" : "";
    return `| ${iconOf(check)} | ${escapeInline(check.name)}${lock} | ${formatEarnedPoints(check, tr)} |`;
  });
  const header2 = `| | ${tr("report.markdown.table_check")} | ${tr("report.markdown.table_points")} |`;
  return [header2, "| :-: | :-- | --: |", ...rows].join("\n");
}
function buildFailure2(result, blockText, tr) {
  const build = result.build;
  if (!build || build.ok) return [];
  const parts = [`### \u274C ${tr("report.build.failed")}`];
  if (build.failing_step) {
    parts.push(`**${tr("report.build.failing_step")}** ${inlineCode(truncateMiddle(build.failing_step, INLINE_CAP, omittedNoteIn(tr)))}`);
  }
  if (build.log_tail) parts.push(codeOrOmitted(blockText("build-log"), tr("report.build.log_end"), tr));
  return parts;
}
function whatToFix(checks, blocks, blockText, tr) {
  const expectedLabel = `**${tr("report.field.expected")}**`;
  const actualLabel = `**${tr("report.field.actual")}**`;
  const parts = [];
  checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    parts.push(`#### ${iconOf(check)} ${escapeInline(check.name)} \xB7 ${formatEarnedPoints(check, tr)}`);
    if (check.message) parts.push(escapeInlineWithCode(truncateMiddle(check.message, INLINE_CAP, omittedNoteIn(tr))));
    if (check.status === "error") parts.push(`_${tr("report.check.error")}_`);
    if (check.feedback) parts.push(`\u{1F4A1} ${escapeInlineWithCode(check.feedback)}`);
    const { expected, actual, output } = visibleDetails(check);
    const facts = [];
    if (expected !== void 0 && !blocks.has(`expected:${i}`)) facts.push(`- ${expectedLabel} ${inlineCode(expected)}`);
    if (actual !== void 0 && !blocks.has(`actual:${i}`)) facts.push(`- ${actualLabel} ${inlineCode(actual)}`);
    const where2 = checkLocations(check).map((l) => escapeInline(formatLocation(l)));
    if (where2.length > 0) facts.push(`- **${tr("report.field.where")}** ${where2.join(", ")}`);
    if (facts.length > 0) parts.push(facts.join("\n"));
    if (blocks.has(`expected:${i}`)) parts.push(codeOrOmitted(blockText(`expected:${i}`), expectedLabel, tr));
    if (blocks.has(`actual:${i}`)) parts.push(codeOrOmitted(blockText(`actual:${i}`), actualLabel, tr));
    if (output !== void 0 && blocks.has(`output:${i}`)) {
      parts.push(details(tr("report.markdown.output"), blockText(`output:${i}`), tr));
    }
  });
  return parts.length > 0 ? [`### ${tr("report.markdown.what_to_fix")}`, ...parts] : [];
}
function skippedList(checks, tr) {
  const skipped2 = checks.filter((c) => c.status === "skipped" && !c.hidden);
  if (skipped2.length === 0) return [];
  const items = skipped2.map((check) => {
    const message2 = withoutSkippedPrefix(check.message, tr);
    const reason = message2 ? ` \u2014 ${escapeInline(truncateMiddle(message2, INLINE_CAP, omittedNoteIn(tr)))}` : "";
    return `- ${STATUS_ICON.skipped} ${escapeInline(check.name)}${reason}`;
  });
  return [`### ${tr("report.markdown.skipped")}`, items.join("\n")];
}
function withoutSkippedPrefix(message2, tr) {
  const own = tr("report.check.skipped_prefix");
  if (message2.toLowerCase().startsWith(own.toLowerCase())) return message2.slice(own.length).trimStart();
  return message2.replace(/^skipped:\s*/i, "");
}
function omitted(tr) {
  return `_${tr("report.markdown.left_out")}_`;
}
function codeOrOmitted(text, label, tr) {
  return text === void 0 ? `${label} ${omitted(tr)}` : `${label}

${fence(text, "text").trimEnd()}`;
}
function details(summary2, text, tr) {
  if (text === void 0) return `${summary2}: ${omitted(tr)}`;
  return `<details><summary>${summary2}</summary>

${fence(text, "text").trimEnd()}

</details>`;
}
function footer(result, tr, now) {
  const bits = [tr("report.footer.graded_in", { duration: formatDuration(result.duration_ms, tr.locale) })];
  if (result.build?.ok) {
    bits.push(tr("report.footer.built_in", { duration: formatDuration(result.build.duration_ms, tr.locale) }));
    if (result.build.image_size !== void 0) bits.push(tr("report.image_size", { size: formatBytes(result.build.image_size) }));
  }
  bits.push(tr("report.footer.rubric", { source: escapeInline(result.rubric.source) }));
  if (now) bits.push(`${now.toISOString().slice(0, 16).replace("T", " ")} UTC`);
  return `<sub>${bits.join(" \xB7 ")}</sub>`;
}

// src/class/class-output.ts
var CLASS_FILE = "class.json";
var STUDENTS_DIR = "students";
var OUTPUT_FILES = {
  grades: "grades.csv",
  summary: "summary.md",
  dashboard: "index.html",
  gradebook: (format) => `${format}.csv`
};
async function writeFileAtomically(file, text) {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (err) {
    throw new UserError(`could not write ${file}: ${errorMessage(err)}`);
  }
}
async function prepareOutputFolder(outDir) {
  try {
    await mkdir(path8.join(outDir, STUDENTS_DIR), { recursive: true });
  } catch (err) {
    throw new UserError(`could not create the output folder ${outDir}: ${errorMessage(err)}`);
  }
}
async function writeStudentFiles(outDir, row) {
  const base = path8.join(outDir, STUDENTS_DIR, row.username);
  await Promise.all([writeFileAtomically(`${base}.json`, studentJson(row)), writeFileAtomically(`${base}.md`, studentMarkdown(row))]);
}
function studentJson(row) {
  if (row.result) return toJson(row.result);
  const about = { username: row.username, repository: row.repository ?? null, status: row.status, reason: row.reason ?? null };
  return `${JSON.stringify(about, (_key, value) => typeof value === "string" ? cleanText(value) : value, 2)}
`;
}
function studentMarkdown(row) {
  if (row.result) return renderMarkdown(row.result);
  const what = row.status === "missing" ? "No submission" : "Not graded";
  return `## ${what}: ${escapeInline(row.username)}

${escapeInline(row.reason ?? "")}
`;
}
async function writeClassFile(outDir, result) {
  await writeFileAtomically(path8.join(outDir, CLASS_FILE), `${JSON.stringify(result, null, 2)}
`);
}
async function writeClassViews(outDir, result, exports) {
  const files = [
    [OUTPUT_FILES.grades, renderGradesCsv(result)],
    [OUTPUT_FILES.summary, renderClassSummary(result)],
    [OUTPUT_FILES.dashboard, renderDashboard(result)],
    ...exports.map((format) => [OUTPUT_FILES.gradebook(format), renderGradebook(result, format)])
  ];
  await Promise.all([writeClassFile(outDir, result), ...files.map(([name, text]) => writeFileAtomically(path8.join(outDir, name), text))]);
  return [CLASS_FILE, ...files.map(([name]) => name)];
}
async function readClassFile(outDir, { required }) {
  const file = path8.join(outDir, CLASS_FILE);
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (!required && err.code === "ENOENT") return void 0;
    throw new UserError(`cannot read ${file}: ${errorMessage(err)}`);
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file} is not valid JSON (${errorMessage(err)}); remove it to grade everything again`);
  }
  if (!isClassResult(data))
    throw new UserError(`${file} is not a grader class result (${CLASS_SCHEMA}); remove it to grade everything again`);
  const unsafe = data.students.find((row) => !isSafeUsername(row.username));
  if (unsafe) throw new UserError(`${file}: the username ${JSON.stringify(cleanText(String(unsafe.username)))} cannot name a file`);
  return data;
}
function isClassResult(data) {
  if (!data || typeof data !== "object") return false;
  const value = data;
  return value.schema === CLASS_SCHEMA && Array.isArray(value.students) && typeof value.rubric?.digest === "string" && typeof value.roster?.rows === "number" && value.students.every((row) => row && typeof row.username === "string" && typeof row.index === "number");
}

// src/workspace/folder-digest.ts
import { createHash as createHash2 } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat as lstat3, readdir as readdir3, readlink as readlink2 } from "node:fs/promises";
import path9 from "node:path";
var FOLDER_DIGEST_LIMITS = { entries: 2e4, bytes: 256 * 1024 * 1024 };
async function folderDigest(dir, limits = FOLDER_DIGEST_LIMITS) {
  const hash = createHash2("sha256");
  let entries = 0;
  let bytes = 0;
  const walk = async (relative) => {
    const names = (await readdir3(path9.join(dir, relative))).sort();
    for (const name of names) {
      if (++entries > limits.entries) return false;
      const entry = path9.posix.join(relative, name);
      const full = path9.join(dir, entry);
      const info = await lstat3(full);
      if (info.isDirectory()) {
        hash.update(`d ${entry}\0`);
        if (!await walk(entry)) return false;
      } else if (info.isSymbolicLink()) {
        hash.update(`l ${entry}\0${await readlink2(full)}\0`);
      } else if (info.isFile()) {
        bytes += info.size;
        if (bytes > limits.bytes) return false;
        hash.update(`f ${entry} ${info.mode & 73 ? "x" : "-"} ${info.size}\0`);
        for await (const chunk of createReadStream(full)) hash.update(chunk);
      } else {
        hash.update(`o ${entry}\0`);
      }
    }
    return true;
  };
  try {
    return await walk("") ? `tree:sha256:${hash.digest("hex")}` : void 0;
  } catch {
    return void 0;
  }
}

// src/workspace/resolve-commit.ts
import { existsSync } from "node:fs";
import { mkdir as mkdir2, mkdtemp as mkdtemp3, realpath as realpath3, rm as rm3, stat as stat2 } from "node:fs/promises";
import os3 from "node:os";
import path10 from "node:path";

// src/workspace/deadline-choice.ts
function isNoCommit(sha) {
  return /^0+$/.test(sha);
}
function chooseByPushTime(moves, deadline) {
  const limit = deadline.getTime();
  const newestFirst = [...moves].sort((a, b) => b.at - a.at);
  const last = newestFirst.find((m) => m.at <= limit);
  const later = newestFirst.filter((m) => m.at > limit && !isNoCommit(m.after) && m.after !== last?.after);
  const late = lateness(later, limit);
  if (!last) return { found: false, why: "nothing-before-deadline", ...late };
  if (isNoCommit(last.after)) return { found: false, why: "deleted-before-deadline", ...late };
  return { found: true, commit: last.after, at: last.at, ...late };
}
function chooseByCommitterDate(chain, deadline) {
  const limit = deadline.getTime();
  const index = chain.findIndex((c) => c.at <= limit);
  const late = lateness(index < 0 ? chain : chain.slice(0, index), limit);
  const chosen2 = index < 0 ? void 0 : chain[index];
  if (!chosen2) return { found: false, why: "nothing-before-deadline", ...late };
  return { found: true, commit: chosen2.commit, at: chosen2.at, ...late };
}
function lateness(after, limit) {
  const newest = Math.max(...after.filter((m) => m.at > limit).map((m) => m.at));
  return Number.isFinite(newest) ? { lateMs: newest - limit } : {};
}
function reachesDeadline(moves, deadline) {
  return moves.some((m) => m.at <= deadline.getTime());
}

// src/workspace/github-activity.ts
var PUBLIC_API = "https://api.github.com";
var REQUEST_TIMEOUT_MS = 3e4;
var MAX_REDIRECTS = 3;
var PER_PAGE = 100;
var MAX_ACTIVITY_PAGES = 50;
var MAX_MESSAGE_CHARS2 = 200;
var SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function githubAccessFrom(options) {
  const apiUrl = (options.apiUrl || process.env.GITHUB_API_URL || PUBLIC_API).replace(/\/+$/, "");
  let url;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UserError(`not a GitHub API URL: "${cleanText(apiUrl)}"`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw new UserError(`the GitHub API URL must use https: "${cleanText(apiUrl)}"`);
  }
  const access = { apiUrl, serverUrl: serverUrlOf(url) };
  if (options.token) Object.defineProperty(access, "token", { value: options.token, enumerable: false });
  return access;
}
function serverUrlOf(api) {
  if (api.hostname === "api.github.com" && api.pathname === "/") return "https://github.com";
  if (/^api\.[^.]+\.ghe\.com$/.test(api.hostname) && api.pathname === "/") return `https://${api.hostname.slice("api.".length)}`;
  const server = /^(.*)\/api\/v3$/.exec(api.pathname);
  if (server) return `${api.origin}${server[1]}`;
  return `${api.origin}${api.pathname.replace(/\/+$/, "")}`;
}
async function getRepository(access, owner, name, signal) {
  const what = `${owner}/${name}`;
  const response = await apiGet(access, `${access.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, what, signal);
  if (response.status === 404) return void 0;
  const body = await okBody(response, access, what);
  if (!isRecord(body) || typeof body.default_branch !== "string" || typeof body.private !== "boolean") {
    throw unexpected(access, what);
  }
  return { defaultBranch: body.default_branch, private: body.private };
}
async function listBranchMoves(access, repository, deadline, signal) {
  const { owner, name, branch } = repository;
  const what = `${owner}/${name}`;
  const first = new URL(`${access.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/activity`);
  first.searchParams.set("ref", `refs/heads/${branch}`);
  first.searchParams.set("per_page", String(PER_PAGE));
  const moves = [];
  let next = first.href;
  for (let page2 = 0; next; page2++) {
    if (page2 === MAX_ACTIVITY_PAGES) {
      throw new InfrastructureError(
        `${what}: more than ${MAX_ACTIVITY_PAGES * PER_PAGE} pushes to ${cleanText(branch)} came after the deadline; the grader reads no further back`
      );
    }
    const response = await apiGet(access, next, what, signal);
    if (response.status === 404) {
      throw new InfrastructureError(
        `${what}: ${access.apiUrl} has no repository activity API (a GitHub Enterprise Server too old for deadlines by push time?)`
      );
    }
    const body = await okBody(response, access, what);
    if (!Array.isArray(body)) throw unexpected(access, what);
    const pageMoves = body.map((item) => toMove(item, access, what));
    moves.push(...pageMoves);
    if (reachesDeadline(pageMoves, deadline)) break;
    next = nextPage(response.headers.get("link"), access, what);
  }
  return moves;
}
function toMove(item, access, what) {
  if (!isRecord(item) || typeof item.after !== "string" || typeof item.timestamp !== "string") throw unexpected(access, what);
  const at2 = Date.parse(item.timestamp);
  if (Number.isNaN(at2) || !(SHA.test(item.after) || isNoCommit(item.after))) throw unexpected(access, what);
  return { after: item.after, at: at2 };
}
function nextPage(link, access, what) {
  const target = link?.split(",").map((part) => /^\s*<([^>]*)>\s*;(.*)$/.exec(part)).find((m) => m && /\brel="?next"?/.test(m[2] ?? ""))?.[1];
  if (target === void 0) return void 0;
  let url;
  try {
    url = new URL(target, access.apiUrl);
  } catch {
    throw unexpected(access, what);
  }
  if (url.origin !== new URL(access.apiUrl).origin) {
    throw new InfrastructureError(`${what}: GitHub's API pointed the next page at another server; not followed`);
  }
  return url.href;
}
async function apiGet(access, url, what, signal) {
  const origin = new URL(access.apiUrl).origin;
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const headers = {
    accept: "application/vnd.github+json",
    "x-github-api-version": "2022-11-28",
    "user-agent": `grader/${VERSION}`,
    ...access.token ? { authorization: `Bearer ${access.token}` } : {}
  };
  let target = url;
  for (let hop = 0; ; hop++) {
    let response;
    try {
      response = await fetch(target, {
        headers,
        redirect: "manual",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const why = timeout.aborted ? `no answer within ${REQUEST_TIMEOUT_MS / 1e3} s` : networkCause(err);
      throw new InfrastructureError(`${what}: could not reach GitHub's API at ${access.apiUrl}: ${why}`);
    }
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    const moved = new URL(location, target);
    if (moved.origin !== origin || hop === MAX_REDIRECTS) {
      throw new InfrastructureError(`${what}: GitHub's API redirected to ${cleanText(moved.origin)}; not followed`);
    }
    target = moved.href;
  }
}
async function okBody(response, access, what) {
  const text = await response.text().catch(() => "");
  if (response.ok) {
    try {
      return JSON.parse(text);
    } catch {
      throw unexpected(access, what);
    }
  }
  const said = apiMessage(text);
  const status = `${response.status}${said ? ` "${said}"` : ""}`;
  const noToken = access.token ? "" : " No token was given.";
  if (response.status === 401) {
    throw new InfrastructureError(
      `${what}: GitHub's API at ${access.apiUrl} refused ${access.token ? "the token" : "the request"} (${status}).${noToken}`
    );
  }
  if (response.status === 403 || response.status === 429) {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    if (response.headers.get("x-ratelimit-remaining") === "0" || /rate limit/i.test(said)) {
      const when = Number.isFinite(reset) && reset > 0 ? `; it resets at ${new Date(reset * 1e3).toISOString()}` : "";
      throw new InfrastructureError(`${what}: GitHub's API rate limit is used up (${status})${when}.${noToken}`);
    }
    throw new InfrastructureError(`${what}: GitHub's API at ${access.apiUrl} denied access (${status}).${noToken}`);
  }
  throw new InfrastructureError(`${what}: GitHub's API at ${access.apiUrl} answered ${status}`);
}
function apiMessage(text) {
  try {
    const body = JSON.parse(text);
    if (isRecord(body) && typeof body.message === "string") return clip(cleanText(body.message).replace(/\s+/g, " "), MAX_MESSAGE_CHARS2);
  } catch {
  }
  return "";
}
function unexpected(access, what) {
  return new InfrastructureError(`${what}: GitHub's API at ${access.apiUrl} gave an answer the grader does not understand`);
}
function networkCause(err) {
  const cause = err instanceof Error ? err.cause : void 0;
  if (typeof cause?.code === "string") return cause.code;
  return errorMessage(cause ?? err);
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/workspace/resolve-commit.ts
var OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
var NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
var REMOTE_TIMEOUT_MS = 6e4;
var LOCAL_TIMEOUT_MS = 3e4;
var MAX_CHAIN_COMMITS = 2e5;
var SHA2 = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function locate(repository, baseDir, serverUrl) {
  const dir = path10.resolve(baseDir, repository);
  if (existsSync(dir)) return { kind: "local", dir };
  const slug = ownerAndName(repository);
  if (slug) return { kind: "github", ...slug };
  if (looksLikeGitUrl(repository)) {
    const onServer = serverUrl ? githubRepositoryAt(repository, serverUrl) : void 0;
    return onServer ? { kind: "github", ...onServer } : { kind: "git-url", url: repository };
  }
  return { kind: "local", dir };
}
function ownerAndName(text) {
  const [owner = "", rawName = "", ...rest] = text.split("/");
  const name = rawName.replace(/\.git$/, "");
  return rest.length === 0 && OWNER.test(owner) && NAME.test(name) ? { owner, name } : void 0;
}
function githubRepositoryAt(url, serverUrl) {
  const server = new URL(serverUrl);
  const scp = /^git@([^:/]+):(.*)$/.exec(url);
  if (scp) return scp[1]?.toLowerCase() === server.hostname ? ownerAndName((scp[2] ?? "").replace(/\/$/, "")) : void 0;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return void 0;
  }
  const sameServer = parsed.protocol === "ssh:" ? parsed.hostname === server.hostname : parsed.origin === server.origin && parsed.protocol === server.protocol;
  const prefix = parsed.protocol === "ssh:" ? "" : server.pathname.replace(/\/$/, "");
  if (!sameServer || parsed.search || parsed.hash || !parsed.pathname.startsWith(`${prefix}/`)) return void 0;
  return ownerAndName(parsed.pathname.slice(prefix.length + 1).replace(/\/$/, ""));
}
async function resolveCommit(request) {
  if (request.branch !== void 0) checkBranch(request.branch);
  const located = locate(request.repository, request.baseDir, request.github.serverUrl);
  const git = await GitRunner.create();
  let scratch;
  const tools = {
    git,
    scratch: async () => scratch ??= await mkdtemp3(path10.join(os3.tmpdir(), "grader-resolve-"))
  };
  try {
    if (located.kind === "github") return await resolveGitHub(located.owner, located.name, request, tools);
    if (located.kind === "git-url") return await resolveGitUrl(located.url, request, tools);
    return await resolveLocal(located.dir, request, tools);
  } catch (err) {
    if (request.signal?.aborted) throw request.signal.reason;
    throw err;
  } finally {
    await git.close();
    if (scratch) await rm3(scratch, { recursive: true, force: true });
  }
}
function checkBranch(branch) {
  if (!branch || branch.startsWith("-") || /[\s\x00-\x1f\x7f~^:?*[\\]|\.\.|@\{|^\/|\/$|\.lock$/.test(branch)) {
    throw new UserError(`not a branch name: ${cleanText(JSON.stringify(branch))}`);
  }
}
async function resolveGitHub(owner, name, request, tools) {
  const { github, deadline, signal } = request;
  const slug = `${owner}/${name}`;
  const info = await getRepository(github, owner, name, signal);
  if (!info) {
    const host = new URL(github.serverUrl).host;
    return missing2(`no repository ${slug} on ${host}${github.token ? "" : " (or it is private, and no token was given)"}`);
  }
  const branch = request.branch ?? info.defaultBranch;
  const authHeader = github.token ? `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${github.token}`).toString("base64")}` : void 0;
  const found = {
    status: "found",
    kind: "github",
    target: `${github.serverUrl}/${owner}/${name}.git`,
    ...authHeader ? { authHeader } : {}
  };
  if (!deadline) {
    const privateConfig = authHeader ? [[`http.${github.serverUrl}/.extraHeader`, authHeader]] : [];
    const head2 = await remoteHead(tools, found.target, branch, privateConfig, signal).catch((err) => {
      throw new InfrastructureError(`${slug}: could not read the branch ${cleanText(branch)} from ${github.serverUrl}: ${gitReason(err)}`);
    });
    if (!head2) return missing2(`${slug} has no branch ${branch}`);
    return { ...found, ref: head2, commit: head2 };
  }
  const moves = await listBranchMoves(github, { owner, name, branch }, deadline, signal);
  const choice = chooseByPushTime(moves, deadline);
  if (!choice.found) return missing2(notFoundReason(choice, branch, "push-time"));
  return { ...found, ...chosen(choice, "push-time") };
}
async function resolveGitUrl(url, request, tools) {
  const { deadline, branch, signal } = request;
  const shown2 = displayUrl(url);
  const found = { status: "found", kind: "git-url", target: url };
  const onBranch = branch ? `branch ${branch}` : "default branch";
  try {
    if (!deadline) {
      const head3 = await remoteHead(tools, url, branch, [], signal);
      if (!head3) return missing2(`${shown2} has no commit on its ${onBranch}`);
      return { ...found, ref: head3, commit: head3 };
    }
    const history = path10.join(await tools.scratch(), "history.git");
    await mkdir2(history);
    await cloneHistory({
      git: tools.git,
      dir: history,
      url,
      ...branch ? { branch } : {},
      limits: CLONE_LIMITS,
      ...signal ? { signal } : {}
    });
    const head2 = await commitNamed(tools.git, history, "HEAD", signal);
    if (!head2) return missing2(`${shown2} has no commit on its ${onBranch}`);
    const choice = chooseByCommitterDate(await firstParentChain(tools.git, history, head2, deadline.getTime(), signal), deadline);
    if (!choice.found) return missing2(notFoundReason(choice, branch ?? "its default branch", "committer-date"));
    return { ...found, ...chosen(choice, "committer-date") };
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof GitFailed && /Remote branch .* not found/i.test(err.message)) return missing2(`${shown2} has no ${onBranch}`);
    if (err instanceof GitFailed && /not found|does not appear to be a git repository|does not exist/i.test(err.message)) {
      return missing2(`no repository at ${shown2}`);
    }
    if (err instanceof InfrastructureError) throw err;
    throw new InfrastructureError(`could not read ${shown2}: ${gitReason(err)}`);
  }
}
async function resolveLocal(dir, request, tools) {
  const { deadline, branch } = request;
  const info = await stat2(dir).catch(() => void 0);
  if (!info) return missing2(`no repository at ${dir}`);
  if (!info.isDirectory()) return missing2(`not a folder or a git repository: ${dir}`);
  const found = { status: "found", kind: "local", target: dir };
  const signal = withTimeout(request.signal, LOCAL_TIMEOUT_MS);
  try {
    if (!await isRepositoryRoot(tools.git, dir, signal)) return found;
    const rev = branch ? `refs/heads/${branch}` : "HEAD";
    const head2 = await commitNamed(tools.git, dir, rev, signal);
    if (!head2) return missing2(branch ? `the repository at ${dir} has no branch ${branch}` : `the repository at ${dir} has no commit`);
    if (!deadline) {
      const [tip] = await firstParentChain(tools.git, dir, head2, Infinity, signal);
      return { ...found, ref: head2, commit: head2, ...tip ? { committedAt: iso(tip.at) } : {} };
    }
    const choice = chooseByCommitterDate(await firstParentChain(tools.git, dir, head2, deadline.getTime(), signal), deadline);
    if (!choice.found) return missing2(notFoundReason(choice, branch ?? "HEAD", "committer-date"));
    return { ...found, ...chosen(choice, "committer-date") };
  } catch (err) {
    if (request.signal?.aborted || err instanceof InfrastructureError) throw err;
    const why = signal.aborted ? `git took longer than ${LOCAL_TIMEOUT_MS / 1e3} s` : gitReason(err);
    throw new InfrastructureError(`could not read the repository at ${dir}: ${why}`);
  }
}
async function isRepositoryRoot(git, dir, signal) {
  const call = { cwd: dir, signal };
  const answer = await git.run(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], call).catch((err) => {
    if (signal.aborted) throw err;
    return void 0;
  });
  if (answer === void 0) return false;
  const [bare, gitDir = ""] = answer.trim().split("\n");
  const top = bare === "true" ? gitDir : (await git.run(["rev-parse", "--show-toplevel"], call)).trim();
  return await realpath3(top).catch(() => top) === await realpath3(dir);
}
async function commitNamed(git, cwd, rev, signal) {
  try {
    const sha = (await git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], { cwd, signal })).trim();
    return SHA2.test(sha) ? sha : void 0;
  } catch (err) {
    if (signal?.aborted || !(err instanceof GitFailed)) throw err;
    return void 0;
  }
}
async function firstParentChain(git, cwd, head2, until, signal) {
  const chain = [];
  const reached = new Error("reached the deadline");
  let partial = "";
  const onStdout = (chunk) => {
    const lines = (partial + chunk.toString("latin1")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const [commit = "", seconds2 = ""] = line.split(" ");
      if (!SHA2.test(commit) || !/^\d+$/.test(seconds2))
        throw new InfrastructureError(`git listed the history of ${cwd} in a form the grader does not understand`);
      chain.push({ commit, at: Number(seconds2) * 1e3 });
      if (chain.at(-1).at <= until) throw reached;
      if (chain.length >= MAX_CHAIN_COMMITS)
        throw new InfrastructureError(`the branch has more than ${MAX_CHAIN_COMMITS} commits; the grader reads no further back`);
    }
  };
  const args = ["rev-list", "--first-parent", "--no-commit-header", "--format=%H %ct", head2, "--"];
  await git.run(args, { cwd, signal, onStdout }).catch((err) => {
    if (err !== reached) throw err;
  });
  return chain;
}
async function remoteHead(tools, url, branch, privateConfig, signal) {
  const wanted = branch ? `refs/heads/${branch}` : "HEAD";
  const args = ["ls-remote", ...branch ? [] : ["--symref"], "--", url, wanted];
  const timed = withTimeout(signal, REMOTE_TIMEOUT_MS);
  let listing;
  try {
    listing = await tools.git.run(args, { cwd: await tools.scratch(), signal: timed, config: lowSpeed(CLONE_LIMITS), privateConfig });
  } catch (err) {
    if (timed.aborted && !signal?.aborted) throw new CloneStopped(`the server did not answer within ${REMOTE_TIMEOUT_MS / 1e3} s`);
    throw err;
  }
  return listing.split("\n").map((line) => line.split("	")).find(([sha = "", ref]) => ref === wanted && SHA2.test(sha))?.[0];
}
function chosen(choice, basis) {
  return {
    ref: choice.commit,
    commit: choice.commit,
    ...basis === "push-time" ? { pushedAt: iso(choice.at) } : { committedAt: iso(choice.at) },
    deadlineBasis: basis,
    ...choice.lateMs !== void 0 ? { lateMs: choice.lateMs } : {}
  };
}
function notFoundReason(choice, branch, basis) {
  if (choice.why === "deleted-before-deadline") return `the branch ${branch} was deleted before the deadline`;
  return basis === "push-time" ? `nothing was pushed to ${branch} before the deadline` : `no commit on ${branch} is dated before the deadline`;
}
function missing2(reason) {
  return { status: "missing", reason: cleanText(reason) };
}
function iso(ms) {
  return new Date(ms).toISOString();
}
function withTimeout(signal, ms) {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
function displayUrl(url) {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return cleanText(parsed.href);
  } catch {
    return cleanText(url);
  }
}
function gitReason(err) {
  return cleanText(errorMessage(err)).slice(0, 300);
}

// src/class/grade-student.ts
var MAX_REASON_CHARS = 500;
async function gradeStudent(job) {
  const base = rosterFields(job);
  const done = (row, reused = false) => ({ row, reused, cleanedUp: Promise.resolve() });
  const repository = job.entry.repository;
  if (!repository) return done({ ...base, status: "missing", reason: "no repository" });
  let resolution;
  try {
    resolution = await job.resolvingSlots.use(
      () => resolveCommit({
        repository,
        baseDir: job.baseDir,
        github: job.github,
        ...job.branch ? { branch: job.branch } : {},
        ...job.deadline ? { deadline: job.deadline } : {},
        ...job.signal ? { signal: job.signal } : {}
      })
    );
  } catch (err) {
    return done({ ...base, repository, status: "ungradable", reason: reasonOf(err, "could not find the commit to grade") });
  }
  if (resolution.status === "missing") return done({ ...base, repository, status: "missing", reason: cleanText(resolution.reason) });
  const dated = {
    ...base,
    repository,
    ...resolution.commit ? { commit: resolution.commit } : {},
    ...resolution.committedAt ? { committed_at: resolution.committedAt } : {},
    ...resolution.pushedAt ? { pushed_at: resolution.pushedAt } : {},
    ...resolution.deadlineBasis ? { deadline_basis: resolution.deadlineBasis } : {},
    ...resolution.lateMs !== void 0 && resolution.lateMs > 0 ? { late_ms: resolution.lateMs } : {}
  };
  const version = resolution.commit ?? (resolution.kind === "local" ? await folderDigest(resolution.target) : void 0);
  const key = version ? resultKey(job, repository, version) : void 0;
  const reusable = !job.force && key && job.previous ? reuse(job.previous, key) : void 0;
  if (reusable) return done({ ...reusable, ...dated, status: reusable.status, key }, true);
  return job.gradingSlots.use(async () => {
    if (job.signal?.aborted) return done({ ...dated, status: "ungradable", reason: "interrupted before grading" });
    job.onStart?.();
    try {
      const { result, cleanedUp } = await gradeSubmission({
        target: resolution.target,
        displaySource: repository,
        open: {
          ...resolution.ref ? { ref: resolution.ref } : {},
          ...resolution.authHeader ? { authHeader: resolution.authHeader } : {}
        },
        rubric: job.rubric,
        engine: job.engine,
        logger: job.logger,
        runId: job.runId,
        ...job.signal ? { signal: job.signal } : {}
      });
      const commit = result.submission.commit ?? resolution.commit;
      const graded = commit ?? version;
      const row = {
        ...dated,
        ...commit ? { commit } : {},
        ...result.submission.committed_at && !dated.committed_at ? { committed_at: result.submission.committed_at } : {},
        status: job.signal?.aborted ? "ungradable" : result.status,
        ...job.signal?.aborted ? { reason: "interrupted while grading" } : result.reason ? { reason: cleanText(result.reason) } : {},
        result,
        // Only a finished grading is worth keeping: an ungradable one is tried again next time.
        ...graded && result.status === "graded" && !job.signal?.aborted ? { key: resultKey(job, repository, graded) } : {}
      };
      return { row, reused: false, cleanedUp };
    } catch (err) {
      const reason = job.signal?.aborted ? "interrupted while grading" : reasonOf(err, "could not be graded");
      return done({ ...dated, status: "ungradable", reason });
    }
  });
}
function rosterFields(job) {
  const { entry } = job;
  const row = { index: job.index, username: entry.username, status: "missing" };
  for (const field of OPTIONAL_ROSTER_FIELDS) if (entry[field]) row[field] = entry[field];
  return row;
}
function resultKey(job, repository, commit) {
  return { repository, commit, rubric_digest: job.rubricDigest, grader_version: VERSION };
}
function reuse(previous, key) {
  const old = previous.key;
  if (!old || previous.status !== "graded" || !previous.result) return void 0;
  const same = old.repository === key.repository && old.commit === key.commit && old.rubric_digest === key.rubric_digest && old.grader_version === key.grader_version;
  return same ? previous : void 0;
}
function reasonOf(err, what) {
  return cleanText(`${what}: ${errorMessage(err)}`).slice(0, MAX_REASON_CHARS);
}

// src/class/rubric-digest.ts
import { createHash as createHash3 } from "node:crypto";
function rubricDigest(rubric) {
  const { warnings: _warnings, ...graded } = rubric;
  return `sha256:${createHash3("sha256").update(JSON.stringify(graded)).digest("hex")}`;
}

// src/class/semaphore.ts
var Semaphore = class {
  constructor(limit) {
    this.limit = limit;
  }
  limit;
  active = 0;
  waiting = [];
  async use(fn) {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
  acquire() {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
};

// src/class/shared-signal.ts
import { setMaxListeners } from "node:events";
async function withSharedSignal(outer, fn) {
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const forward = () => stop.abort(outer?.reason);
  if (outer?.aborted) forward();
  outer?.addEventListener("abort", forward, { once: true });
  try {
    return await fn(stop.signal);
  } finally {
    outer?.removeEventListener("abort", forward);
  }
}

// src/class/run-class.ts
var RESOLVING_AT_ONCE = 8;
function gradeClass(request) {
  return withSharedSignal(request.signal, (signal) => gradeEveryone({ ...request, signal }));
}
async function gradeEveryone(request) {
  const { roster, rubric, outDir, logger } = request;
  const now = request.now ?? (() => /* @__PURE__ */ new Date());
  const digest = rubricDigest(rubric);
  await prepareOutputFolder(outDir);
  const previous = await readPrevious(outDir, logger);
  const entries = roster.entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => !request.shard || inShard(entry.username, request.shard));
  const result = {
    schema: CLASS_SCHEMA,
    rubric: {
      title: rubric.title,
      source: rubric.source,
      digest,
      ...rubric.pass !== void 0 ? { pass_threshold: rubric.pass } : {},
      checks: rubric.checks.map((check) => ({ id: check.id, name: check.name, max_points: check.points }))
    },
    grader_version: VERSION,
    locale: rubric.locale,
    ...request.deadline ? { deadline: request.deadline.toISOString() } : {},
    generated_at: now().toISOString(),
    roster: { file: path11.basename(roster.file), rows: roster.entries.length },
    ...request.shard ? { shard: request.shard } : {},
    students: []
  };
  const classRunId = randomBytes2(4).toString("hex");
  request.onProgress?.({ type: "plan", total: entries.length, jobs: request.jobs, runId: classRunId });
  const finished = /* @__PURE__ */ new Map();
  const cleanups = [];
  let saving = Promise.resolve();
  const save = () => {
    result.students = [...finished.values()].sort((a, b) => a.index - b.index);
    const snapshot = structuredClone(result);
    saving = saving.then(() => writeClassFile(outDir, snapshot)).catch((err) => logger.warn(errorMessage(err)));
    return saving;
  };
  const gradingSlots = new Semaphore(request.jobs);
  const resolvingSlots = new Semaphore(RESOLVING_AT_ONCE);
  await Promise.all(
    entries.map(async ({ entry, index }) => {
      const started = Date.now();
      const outcome = await gradeStudent({
        entry,
        index,
        rubric,
        rubricDigest: digest,
        baseDir: path11.dirname(path11.resolve(roster.file)),
        ...request.deadline ? { deadline: request.deadline } : {},
        ...request.branch ? { branch: request.branch } : {},
        github: request.github,
        engine: request.engine,
        logger: request.loggerFor?.(entry.username) ?? logger,
        ...request.signal ? { signal: request.signal } : {},
        previous: previous.get(entry.username),
        force: request.force,
        gradingSlots,
        resolvingSlots,
        runId: studentRunId(classRunId, index),
        onStart: () => request.onProgress?.({ type: "grading", username: entry.username })
      });
      cleanups.push(outcome.cleanedUp);
      const earlier = previous.get(entry.username);
      if (request.signal?.aborted && outcome.row.status === "ungradable" && earlier) {
        finished.set(index, { ...earlier, index });
        return;
      }
      finished.set(index, outcome.row);
      await writeStudentFiles(outDir, outcome.row).catch((err) => logger.warn(errorMessage(err)));
      await save();
      request.onProgress?.({ type: "finished", row: outcome.row, reused: outcome.reused, durationMs: Date.now() - started });
    })
  );
  await Promise.all(cleanups);
  result.students = [...finished.values()].sort((a, b) => a.index - b.index);
  await saving;
  const files = await writeClassViews(outDir, result, request.exports);
  return { result, files, interrupted: Boolean(request.signal?.aborted) };
}
async function readPrevious(outDir, logger) {
  try {
    const earlier = await readClassFile(outDir, { required: false });
    return new Map((earlier?.students ?? []).map((row) => [row.username, row]));
  } catch (err) {
    logger.warn(`${errorMessage(err)}: nothing is reused`);
    return /* @__PURE__ */ new Map();
  }
}
function studentRunId(classRunId, index) {
  return `${classRunId}${index.toString(16).padStart(4, "0")}`;
}

// src/action/outputs.ts
import { mkdir as mkdir3, writeFile as writeFile2 } from "node:fs/promises";
import os4 from "node:os";
import path12 from "node:path";
async function writeReportFiles(result, markdown, runId, env = process.env) {
  const dir = path12.join(env.RUNNER_TEMP || os4.tmpdir(), `grader-${runId}`);
  await mkdir3(dir, { recursive: true });
  const files = { results: path12.join(dir, "results.json"), report: path12.join(dir, "report.md") };
  await Promise.all([writeFile2(files.results, toJson(result)), writeFile2(files.report, markdown)]);
  return files;
}
function setOutputs(result, files) {
  setOutput("score", result?.score ?? "");
  setOutput("max-score", result?.max_score ?? "");
  setOutput("percent", result?.percent ?? "");
  setOutput("passed", result?.passed ? "true" : "false");
  setOutput("results", files?.results ?? "");
  setOutput("report", files?.report ?? "");
}
function setClassOutputs(folder, rows) {
  const count2 = (status) => String(rows.filter((row) => row.status === status).length);
  setOutput("grades", folder);
  setOutput("graded", count2("graded"));
  setOutput("ungradable", count2("ungradable"));
  setOutput("missing", count2("missing"));
}

// src/action/utf8.ts
var ELLIPSIS = "\u2026";
var ELLIPSIS_BYTES = Buffer.byteLength(ELLIPSIS, "utf8");
function clipUtf8(text, maxBytes) {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  if (maxBytes < ELLIPSIS_BYTES) return "";
  const bytes = Buffer.from(text, "utf8");
  let end = maxBytes - ELLIPSIS_BYTES;
  while (end > 0 && (bytes[end] & 192) === 128) end--;
  return `${bytes.subarray(0, end).toString("utf8")}${ELLIPSIS}`;
}

// src/action/summary.ts
var MAX_SUMMARY_BYTES = 1024 * 1024;
var MAX_SUMMARY_LENGTH = 3e5;
function composeSummary(parts) {
  const sections = [];
  for (const warning2 of parts.warnings) sections.push(`> [!WARNING]
> ${warning2.replace(/\n/g, "\n> ")}
`);
  if (parts.failure !== void 0) {
    const notGraded = translator(parts.locale ?? DEFAULT_LOCALE)("report.run.not_graded");
    sections.push(`## grader: ${notGraded}

${fence(parts.failure)}`);
  }
  if (parts.report !== void 0) sections.push(parts.report);
  return sections.join("\n");
}
function fitJobSummary(markdown) {
  return clipUtf8(markdown, MAX_SUMMARY_BYTES);
}
async function writeJobSummary(markdown) {
  await summary.addRaw(fitJobSummary(markdown), true).write();
}

// src/action/class-run.ts
var INTERRUPT_GRACE_MS = 5e3;
async function runClass(settings, logger) {
  let roster, rubric, github;
  try {
    github = githubAccessFrom({
      ...settings.apiUrl ? { apiUrl: settings.apiUrl } : {},
      ...settings.token ? { token: settings.token } : {}
    });
    [roster, rubric] = await Promise.all([
      readRoster(settings.roster, settings.repoPattern ? { repoPattern: settings.repoPattern } : {}),
      loadRubric(settings.rubric, settings.lang ? { locale: settings.lang } : {})
    ]);
  } catch (err) {
    setFailed(`grader: ${errorMessage(err)}`);
    return;
  }
  if (settings.token) setSecret(settings.token);
  const interrupts = catchInterrupts({
    reason: "cancelled",
    announce: (signal) => logger.warn(`${signal}: the job is being cancelled; keeping the finished students, cleaning up the rest`),
    graceMs: INTERRUPT_GRACE_MS,
    giveUp: () => process.exit(1)
  });
  try {
    let done = 0;
    let total = 0;
    const outcome = await gradeClass({
      roster,
      rubric,
      outDir: settings.out,
      jobs: settings.jobs,
      force: false,
      exports: settings.exports,
      github,
      engine: createDockerEngine(),
      logger,
      loggerFor: (username) => prefixed(logger, username),
      signal: interrupts.signal,
      onProgress: (event) => {
        if (event.type === "plan") total = event.total;
        if (event.type === "finished") logger.info(`[${++done}/${total}] ${event.row.username}: ${describe(event.row)}`);
      },
      ...settings.deadline ? { deadline: settings.deadline } : {},
      ...settings.branch ? { branch: settings.branch } : {},
      ...settings.shard ? { shard: settings.shard } : {}
    });
    const rows = outcome.result.students;
    setClassOutputs(settings.out, rows);
    await writeJobSummary(renderClassSummary(outcome.result)).catch(
      (err) => logger.warn(`could not write the job summary: ${errorMessage(err)}`)
    );
    const ungradable = rows.filter((row) => row.status === "ungradable");
    if (outcome.interrupted) setFailed("grader: cancelled; the finished students are in the output folder");
    else if (ungradable.length > 0) {
      setFailed(
        `grader: ${ungradable.length} not graded: ${ungradable.map((row) => `${row.username} (${row.reason ?? "ungradable"})`).join(", ")}`
      );
    }
  } finally {
    interrupts.release();
  }
}
function prefixed(logger, username) {
  return {
    info: (message2) => logger.debug(`${username}: ${message2}`),
    warn: (message2) => logger.warn(`${username}: ${message2}`),
    debug: (message2) => logger.debug(`${username}: ${message2}`),
    group: (_title, fn) => fn()
  };
}
function describe(row) {
  if (row.status !== "graded" || !row.result) return `${row.status}${row.reason ? ` (${row.reason})` : ""}`;
  return `${row.result.score}/${row.result.max_score}${row.late_ms ? ", late" : ""}`;
}

// src/action/check-run.ts
var CHECK_NAME = "grader";
var MAX_ANNOTATIONS_PER_REQUEST = 50;
var MAX_CHECK_SUMMARY_LENGTH = 65535;
var MAX_ANNOTATION_TITLE_LENGTH = 255;
var MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;
var MAX_ANNOTATION_MESSAGE = 4e3;
function conclusionFor(result) {
  if (result.status === "ungradable") return "neutral";
  return result.passed ? "success" : "failure";
}
function annotationsFor(result, pathPrefix = "") {
  const tr = reportTranslator(result.locale);
  return result.checks.filter((check) => check.status === "failed" && !check.hidden).flatMap((check) => checkAnnotations(check, pathPrefix, tr));
}
function annotationTitle(check, tr) {
  return isPartial(check) ? `${check.name} \xB7 ${formatEarnedPoints(check, tr)}` : check.name;
}
function checkAnnotations(check, pathPrefix, tr) {
  const message2 = clipUtf8(
    clip([check.message, check.feedback].filter(Boolean).join("\n\n"), MAX_ANNOTATION_MESSAGE),
    MAX_ANNOTATION_MESSAGE_BYTES
  );
  return checkLocations(check).filter((location) => location.line >= 1).map((location) => ({
    path: joinPath(pathPrefix, location.path),
    start_line: location.line,
    end_line: Math.max(location.line, location.endLine ?? location.line),
    // A check worth no points is advice, not a fault.
    annotation_level: check.max_points > 0 ? "failure" : "warning",
    message: message2,
    title: clip(annotationTitle(check, tr), MAX_ANNOTATION_TITLE_LENGTH)
  }));
}
function inBatches(items, size = MAX_ANNOTATIONS_PER_REQUEST) {
  const batches = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
async function startCheckRun(api, headSha, details2) {
  return api.createCheckRun({
    name: CHECK_NAME,
    head_sha: headSha,
    external_id: details2.runId,
    ...details2.runUrl ? { details_url: details2.runUrl } : {}
  });
}
async function completeCheckRun(api, checkRunId, conclusion, output) {
  const [first = [], ...rest] = inBatches(output.annotations ?? []);
  const base = { title: output.title, summary: output.summary };
  await api.updateCheckRun(checkRunId, {
    status: "completed",
    conclusion,
    completed_at: (/* @__PURE__ */ new Date()).toISOString(),
    output: first.length > 0 ? { ...base, annotations: first } : base
  });
  for (const batch of rest) await api.updateCheckRun(checkRunId, { output: { ...base, annotations: batch } });
}
function joinPath(prefix, file) {
  const clean = file.replace(/^\.?\/+/, "");
  return prefix ? `${prefix.replace(/\/+$/, "")}/${clean}` : clean;
}

// src/action/comment.ts
var REPORT_MARKER = "<!-- grader:report -->";
var MAX_COMMENT_LENGTH = 65536;
var ACTIONS_BOT = { login: "github-actions[bot]", bot: true };
function commentAuthor(userLogin, appSlug) {
  if (userLogin) return { login: userLogin, bot: false };
  if (appSlug) return { login: `${appSlug}[bot]`, bot: true };
  return ACTIONS_BOT;
}
function isOwnReport(comment, author, marker = REPORT_MARKER) {
  if (!comment.user || comment.user.login !== author.login) return false;
  if (author.bot && comment.user.type !== "Bot") return false;
  return comment.body.trimStart().startsWith(marker);
}
function findOwnReport(comments, author, marker = REPORT_MARKER) {
  return comments.filter((comment) => isOwnReport(comment, author, marker)).at(-1);
}
async function upsertReportComment(api, issueNumber, body, author) {
  if (body.length > MAX_COMMENT_LENGTH) throw new Error(`report comment is ${body.length} characters, over GitHub's ${MAX_COMMENT_LENGTH}`);
  const existing = findOwnReport(await api.listIssueComments(issueNumber), author);
  if (existing) {
    await api.updateIssueComment(existing.id, body);
    return { action: "updated", id: existing.id };
  }
  const created = await api.createIssueComment(issueNumber, body);
  return { action: "created", id: created.id };
}

// src/action/outcome.ts
function describeNotGraded(err, locale = DEFAULT_LOCALE) {
  if (err instanceof RubricError) {
    const [first = firstLine(err.message), ...more] = err.problems.map(formatRubricProblem);
    const others2 = more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? "" : "s"}; see the job summary)` : "";
    return { headline: `grader: invalid rubric: ${first}${others2}`, detail: err.message, locale };
  }
  if (err instanceof UserError) {
    const headline = `grader: ${translator(locale)("report.run.not_graded_because", { reason: firstLine(err.message) })}`;
    return { headline, detail: err.message, locale };
  }
  const detail = err instanceof Error ? err.stack ?? err.message : String(err);
  return { headline: `grader: internal error: ${firstLine(errorMessage(err))}`, detail, locale };
}
function stepFailure(outcome) {
  if ("notGraded" in outcome) return outcome.notGraded.headline;
  const { result } = outcome;
  if (result.status === "ungradable") {
    const tr = reportTranslator(result.locale);
    return `grader: ${tr("report.run.ungradable_because", { reason: firstLine(result.reason ?? tr("report.run.ungradable_fallback")) })}`;
  }
  if (!result.passed) return renderSummaryLine(result);
  return void 0;
}
function commentBody(outcome) {
  if ("result" in outcome) return renderMarkdown(outcome.result, { marker: REPORT_MARKER, maxLength: MAX_COMMENT_LENGTH });
  return clip(`${REPORT_MARKER}
${notGradedSummary(outcome.notGraded, [])}`, MAX_COMMENT_LENGTH);
}
function notGradedSummary(notGraded, warnings) {
  return composeSummary({ warnings, failure: notGraded.detail, locale: notGraded.locale });
}
function checkCompletion(outcome, annotationPrefix2) {
  if ("notGraded" in outcome) {
    const tr = translator(outcome.notGraded.locale);
    return {
      conclusion: outcome.cancelled ? "cancelled" : "neutral",
      title: `grader: ${outcome.cancelled ? tr("report.run.cancelled") : tr("report.run.not_graded")}`,
      summary: clip(notGradedSummary(outcome.notGraded, []), MAX_CHECK_SUMMARY_LENGTH)
    };
  }
  const { result } = outcome;
  return {
    conclusion: outcome.cancelled ? "cancelled" : conclusionFor(result),
    title: renderSummaryLine(result),
    summary: renderMarkdown(result, { maxLength: MAX_CHECK_SUMMARY_LENGTH }),
    ...annotationPrefix2 !== void 0 ? { annotations: annotationsFor(result, annotationPrefix2) } : {}
  };
}
function summaryMarkdown(outcome, warnings) {
  const markdown = "result" in outcome ? composeSummary({ warnings, report: renderMarkdown(outcome.result, { maxLength: MAX_SUMMARY_LENGTH - 8e3 }) }) : notGradedSummary(outcome.notGraded, warnings);
  return fitJobSummary(clip(markdown, MAX_SUMMARY_LENGTH));
}

// src/action/write-failure.ts
var PERMISSION = { comment: "pull-requests", "check run": "checks" };
function writeFailureWarning(err, what, fromFork) {
  const status = httpStatus(err);
  const detail = firstLine(errorMessage(err));
  if (status === 403 && fromFork) {
    return `this pull request comes from a fork: the token is read-only, so the grader could not post its ${what} (${detail}). The report is in this job summary. To comment on pull requests from forks, use the two-workflow (workflow_run) setup described in the grader documentation.`;
  }
  if (status === 403 || status === 401) {
    return `the token may not write the ${what} (${detail}): give the job \`permissions: ${PERMISSION[what]}: write\`. The report is in this job summary.`;
  }
  return `could not post the ${what}: ${detail}. The report is in this job summary.`;
}

// src/action/publish.ts
var Publisher = class {
  constructor(api, context, logger) {
    this.api = api;
    this.context = context;
    this.logger = logger;
  }
  api;
  context;
  logger;
  warnings = [];
  checkRunId;
  appSlug;
  /** Creates the in-progress check run; returns its id, or undefined when it could not be created. */
  async startCheck(runId) {
    if (!this.context.checkSha) return void 0;
    try {
      const created = await startCheckRun(this.api, this.context.checkSha, {
        runId,
        ...this.context.runUrl ? { runUrl: this.context.runUrl } : {}
      });
      this.checkRunId = created.id;
      this.appSlug = created.appSlug;
      return created.id;
    } catch (err) {
      this.fail(err, "check run");
      return void 0;
    }
  }
  /** Returns whether the check run now shows its conclusion. */
  async finishCheck(completion) {
    if (this.checkRunId === void 0) return false;
    try {
      await completeCheckRun(this.api, this.checkRunId, completion.conclusion, completion);
      this.logger.info(`check run ${this.checkRunId} completed: ${completion.conclusion}`);
      return true;
    } catch (err) {
      this.fail(err, "check run");
      return false;
    }
  }
  async comment(body) {
    const pr = this.context.pullRequest;
    if (!pr) return;
    try {
      const author = commentAuthor(await this.api.authenticatedLogin(), this.appSlug);
      const { action, id } = await upsertReportComment(this.api, pr.number, body, author);
      this.logger.info(`${action} report comment ${id} on pull request #${pr.number}`);
    } catch (err) {
      this.fail(err, "comment");
    }
  }
  fail(err, what) {
    const warning2 = writeFailureWarning(err, what, this.context.pullRequest?.fromFork ?? false);
    this.logger.debug(`${what} write failed: ${errorMessage(err)}`);
    this.logger.warn(warning2);
    if (!this.warnings.includes(warning2)) this.warnings.push(warning2);
  }
};

// src/action/run.ts
var INTERRUPT_GRACE_MS2 = 5e3;
async function run(env = process.env) {
  saveState(STATE.isPost, "true");
  const runId = newRunId();
  saveState(STATE.runId, runId);
  try {
    await runStep(runId, env);
  } catch (err) {
    setOutputs(void 0, void 0);
    setFailed(`grader: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
}
async function runStep(runId, env) {
  const logger = actionLogger();
  let settings;
  let classSettings;
  try {
    const raw = readInputs();
    classSettings = parseClassSettings(raw, { ...inputEnvironment(env), ...env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {} });
    settings = parseSettings(raw, inputEnvironment(env));
  } catch (err) {
    setOutputs(void 0, void 0);
    setFailed(`grader: ${errorMessage(err)}`);
    return;
  }
  if (classSettings) return runClass(classSettings, logger);
  if (settings.cloneAuthHeader) setSecret(settings.cloneAuthHeader.split(" ").at(-1) ?? "");
  const context = readRunContext(env);
  const publisher = createPublisher(settings, context, logger);
  const checkRunId = settings.reports.has("check") ? await publisher?.startCheck(runId) : void 0;
  if (checkRunId !== void 0) saveState(STATE.checkRunId, String(checkRunId));
  const { outcome, cleanedUp } = await gradeUntilCancelled(settings, runId, logger);
  try {
    const body = commentBody(outcome);
    let files;
    if ("result" in outcome) {
      process.stdout.write(wrapForWorkflowLog(renderTerminal(outcome.result, { color: true })));
      files = await writeReportFiles(outcome.result, body, runId, env).catch((err) => {
        logger.warn(`could not write the results file: ${errorMessage(err)}`);
        return void 0;
      });
    }
    setOutputs("result" in outcome ? outcome.result : void 0, files);
    if (publisher) {
      if (settings.reports.has("comment") && context.pullRequest && !outcome.cancelled) await publisher.comment(body);
      if (checkRunId !== void 0 && await publisher.finishCheck(checkCompletion(outcome, annotationPrefix(settings, env)))) {
        saveState(STATE.checkRunDone, "true");
      }
    }
    if (settings.reports.has("summary")) {
      await writeJobSummary(summaryMarkdown(outcome, publisher?.warnings ?? [])).catch((err) => {
        logger.warn(`could not write the job summary: ${errorMessage(err)}`);
      });
    }
    const failure = stepFailure(outcome);
    if (failure) setFailed(failure);
  } finally {
    await cleanedUp;
  }
}
function createPublisher(settings, context, logger) {
  const wantsCheck = settings.reports.has("check") && Boolean(context.checkSha);
  const wantsComment = settings.reports.has("comment") && Boolean(context.pullRequest);
  if (!wantsCheck && !wantsComment) return void 0;
  if (!settings.token) {
    logger.warn('no token: the check run and the pull request comment are skipped (set the "token" input).');
    return void 0;
  }
  const api = createGitHubApi({ token: settings.token, owner: context.owner, repo: context.repo, baseUrl: context.apiUrl });
  return new Publisher(api, context, logger);
}
async function gradeUntilCancelled(settings, runId, logger) {
  const interrupts = catchInterrupts({
    reason: "cancelled",
    announce: (signal) => logger.warn(`${signal}: the job is being cancelled; stopping and cleaning up`),
    graceMs: INTERRUPT_GRACE_MS2,
    // The runner kills the step soon after; the post step removes leftovers and closes the check run.
    giveUp: () => {
      logger.warn("grading did not stop in time; the post step cleans up");
      process.exit(1);
    }
  });
  const { outcome, cleanedUp } = await grade2(settings, runId, logger, interrupts.signal);
  const released = cleanedUp.finally(() => interrupts.release());
  return { outcome: interrupts.signal.aborted ? { ...outcome, cancelled: true } : outcome, cleanedUp: released };
}
async function grade2(settings, runId, logger, signal) {
  let locale = settings.lang;
  try {
    const engine = createDockerEngine();
    const connected = startConnecting(engine, logger);
    const rubric = await loadRubric(settings.rubric, settings.lang ? { locale: settings.lang } : {});
    saveState(STATE.locale, rubric.locale);
    locale = rubric.locale;
    warnIfRubricInsideSubmission(settings, logger);
    const { result, cleanedUp } = await gradeSubmission({
      target: settings.target,
      displaySource: settings.displaySource,
      open: {
        ...settings.ref ? { ref: settings.ref } : {},
        ...settings.cloneAuthHeader ? { authHeader: settings.cloneAuthHeader } : {}
      },
      rubric,
      engine,
      connected,
      logger,
      runId,
      signal,
      ...settings.failUnder !== void 0 ? { passThreshold: settings.failUnder } : {}
    });
    return { outcome: { result }, cleanedUp };
  } catch (err) {
    return { outcome: { notGraded: describeNotGraded(err, locale) }, cleanedUp: Promise.resolve() };
  }
}
function warnIfRubricInsideSubmission(settings, logger) {
  if (!settings.localDir || !path13.isAbsolute(settings.rubric)) return;
  const relative = path13.relative(settings.localDir, settings.rubric);
  if (!relative.startsWith("..") && !path13.isAbsolute(relative)) {
    logger.warn(`the rubric ${relative} lies inside the graded folder: whoever can push to it can change the rubric.`);
  }
}
function annotationPrefix(settings, env) {
  if (!settings.localDir || settings.ref) return void 0;
  const relative = path13.relative(inputEnvironment(env).workspace, settings.localDir);
  if (relative.startsWith("..") || path13.isAbsolute(relative)) return void 0;
  return relative.split(path13.sep).join("/");
}
export {
  run
};

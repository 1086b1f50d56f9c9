import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);
import {
  DEFAULT_CONTEXT_LIMITS,
  EngineUnavailableError,
  InfrastructureError,
  MATCH_CAP_CHARS,
  MAX_LAYER_ENTRIES,
  NOTHING_TO_START,
  NoCommandError,
  OUTPUT_CAP_BYTES,
  RUN_LABEL,
  STALE_AFTER_MS,
  UserError,
  compilePattern,
  errorMessage,
  formatBinaryBytes,
  formatBytes,
  formatDuration,
  hasStartCommand,
  isLoopback,
  mountFields,
  mountSource,
  readRegularFile,
  require_main,
  runLabels,
  silentLogger,
  tryConnect,
  within
} from "./chunk-KECEJUSJ.js";
import {
  __toESM
} from "./chunk-LGV4N2VW.js";

// src/basics/sanitize.ts
import { randomBytes } from "node:crypto";
var ZERO_WIDTH_SPACE = "\u200B";
var ESCAPE_SEQUENCE = new RegExp(
  [
    // CSI: parameters, intermediates, one final byte (colours, cursor moves, erase…)
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`,
    // OSC, DCS, SOS, PM, APC: a string up to BEL or ST. An unterminated one is
    // taken to the end of its line, so it cannot swallow the rest of the text.
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?`,
    // Any other escape: intermediates and one final byte (charset switches, ESC 7, ESC c…)
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]`
  ].join("|"),
  "g"
);
var LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
var CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
var BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;
function cleanText(s) {
  return s.replace(ESCAPE_SEQUENCE, "").replace(/\r\n?|[\u2028\u2029]/g, "\n").replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, (c) => c === "\0" ? "\uFFFD" : `\\x${hex(c, 2)}`).replace(BIDI_CONTROL, (c) => `\\u${hex(c, 4)}`);
}
function hex(c, width) {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(width, "0");
}
function defuse(s) {
  return s.replace(/<(?=[A-Za-z!/?])/g, `<${ZERO_WIDTH_SPACE}`).replace(/@(?=[\w-])/g, `@${ZERO_WIDTH_SPACE}`);
}
function fence(text, info = "") {
  const body = defuse(cleanText(text));
  const longestRun = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(Math.max(3, longestRun + 1));
  const safeInfo = info.replace(/[^\w+.-]/g, "");
  const content = body.endsWith("\n") || body === "" ? body : `${body}
`;
  return `${marks}${safeInfo}
${content}${marks}
`;
}
function inlineCode(s) {
  const body = defuse(cleanText(s).replace(/\n/g, " "));
  if (body === "") return "` `";
  const longestRun = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longestRun + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || body.startsWith(" ") && body.endsWith(" ") ? " " : "";
  return `${marks}${pad}${body}${pad}${marks}`;
}
var INLINE_SPECIAL = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\\": "\\\\",
  "`": "\\`",
  "*": "\\*",
  _: "\\_",
  "[": "\\[",
  "]": "\\]",
  "|": "\\|",
  "~": "\\~",
  "#": "\\#"
};
function escapeInline(s) {
  return escapeSpecials(
    cleanText(s).replace(/[\t\n]/g, " ").trim(),
    true
  );
}
function escapeSpecials(text, atLineStart) {
  let escaped = text.replace(/[&<>\\`*_[\]|~#]/g, (c) => INLINE_SPECIAL[c]);
  if (atLineStart) {
    escaped = escaped.replace(/^([-+=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
  }
  return escaped.replace(/@(?=[\w-])/g, `@${ZERO_WIDTH_SPACE}`).replace(/#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`);
}
function escapeInlineWithCode(s) {
  return cleanText(s).replace(/[\t\n]/g, " ").trim().split(/(`[^`]+`)/).map((part, index) => index % 2 === 1 ? inlineCode(part.slice(1, -1)) : escapeSpecials(part, index === 0)).join("");
}
function neutraliseMarker(s, marker) {
  if (marker.length < 2 || marker.includes(ZERO_WIDTH_SPACE)) {
    throw new RangeError("a report marker must be at least two characters, without zero-width spaces");
  }
  const pattern = new RegExp(marker.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
  let out = s;
  while (pattern.test(out)) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, (m) => `${m.slice(0, 1)}${ZERO_WIDTH_SPACE}${m.slice(1)}`);
  }
  return out;
}
function omittedNote(count2) {
  return `\u2026 ${count2.toLocaleString("en-US")} characters omitted \u2026`;
}
function truncateMiddle(s, maxChars) {
  if (s.length <= maxChars) return s;
  const noteRoom = omittedNote(s.length).length + 2;
  if (maxChars <= noteRoom) return s.slice(0, backToBoundary(s, maxChars));
  const keep = maxChars - noteRoom;
  const head2 = s.slice(0, backToBoundary(s, Math.ceil(keep / 2)));
  const tailText = s.slice(forwardToBoundary(s, s.length - Math.floor(keep / 2)));
  return `${head2}
${omittedNote(s.length - head2.length - tailText.length)}
${tailText}`;
}
function clip(s, maxChars) {
  return s.length <= maxChars ? s : `${s.slice(0, backToBoundary(s, maxChars - 1))}\u2026`;
}
function firstLine(s) {
  return s.split("\n").find((line) => line.trim() !== "")?.trim() ?? s;
}
function tail(s, maxLines, maxChars) {
  const lines = withoutFinalNewline(s).split("\n");
  let kept = lines.slice(Math.max(0, lines.length - maxLines)).join("\n");
  if (kept.length > maxChars) {
    const room = Math.max(0, maxChars - omittedNote(s.length).length - 1);
    kept = kept.slice(forwardToBoundary(kept, kept.length - room));
  }
  const omitted = withoutFinalNewline(s).length - kept.length;
  return omitted > 0 ? `${omittedNote(omitted)}
${kept}` : kept;
}
function head(s, maxLines, maxChars) {
  const lines = withoutFinalNewline(s).split("\n");
  let kept = lines.slice(0, maxLines).join("\n");
  if (kept.length > maxChars) {
    const room = Math.max(0, maxChars - omittedNote(s.length).length - 1);
    kept = kept.slice(0, backToBoundary(kept, room));
  }
  const omitted = withoutFinalNewline(s).length - kept.length;
  return omitted > 0 ? `${kept}
${omittedNote(omitted)}` : kept;
}
function withoutFinalNewline(s) {
  return s.endsWith("\n") ? s.slice(0, -1) : s;
}
function isLowSurrogate(s, i) {
  const code = s.charCodeAt(i);
  return code >= 56320 && code <= 57343;
}
function backToBoundary(s, end) {
  return end > 0 && end < s.length && isLowSurrogate(s, end) ? end - 1 : end;
}
function forwardToBoundary(s, start) {
  return start > 0 && start < s.length && isLowSurrogate(s, start) ? start + 1 : start;
}
function stopCommandsToken() {
  return randomBytes(16).toString("hex");
}
function wrapForWorkflowLog(text, token = stopCommandsToken()) {
  if (token.length < 16 || text.includes(token)) {
    throw new Error("stop-commands token must be long, random and absent from the text it wraps");
  }
  const body = text.endsWith("\n") ? text : `${text}
`;
  return `::stop-commands::${token}
${body}::${token}::
`;
}

// src/core/grade.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// src/core/check-results.ts
function fromOutcome(check, outcome, durationMs, now, due) {
  const passed = outcome.status === "passed";
  const result = {
    ...identity(check),
    status: outcome.status,
    points: passed ? check.points : 0,
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
    message: result.status === "passed" ? "passed" : result.status === "error" ? result.message : "did not pass (details are hidden)"
  };
}

// src/core/connect-engine.ts
async function connectEngine(engine, logger) {
  const info = await engine.ping();
  logger.debug(`engine ${info.version} (API ${info.apiVersion}), BuildKit ${info.buildkit ? "on" : "off"}`);
  void engine.sweepStale(STALE_AFTER_MS).catch(() => 0).then((swept) => {
    if (swept > 0) logger.info(`removed ${swept} leftovers of earlier runs`);
  });
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
        message: `the image built, but took ${took}, over the limit of ${formatDuration(max)}; order the Dockerfile so slow steps are cached (dependencies before source)`,
        expected: `at most ${formatDuration(max)}`,
        actual: took
      };
    }
    return { status: "passed", message: `the image built in ${took}` };
  }
};
function imageTooLarge(info) {
  if (info.sizeBytes <= MAX_IMAGE_BYTES) return void 0;
  return `the image is ${(info.sizeBytes / 1024 ** 3).toFixed(2)} GiB, over the ${MAX_IMAGE_BYTES / 1024 ** 3} GiB limit`;
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
      if (build.failingStep) return `${build.failingStep}${line !== void 0 ? ` (line ${line})` : ""} failed: ${build.error}`;
      return line !== void 0 ? `Dockerfile line ${line}: ${build.error}` : `the builder stopped with an error: ${build.error}`;
    }
    case "frontend-unavailable":
      return `the Dockerfile starts with "# syntax=${build.frontend}", which makes the builder fetch the frontend image ${build.frontend}; the grader's machine could not fetch it (${build.error}). Removing the "# syntax=" line usually works: the builder's built-in Dockerfile frontend then builds the file`;
    case "timeout":
      return `the build did not finish within ${formatDuration(build.limitMs)}; it was stopped after ${formatDuration(build.durationMs)}`;
    case "cancelled":
      return `the build was cancelled after ${formatDuration(build.durationMs)}`;
    case "context-too-large":
      return oversizedContext(build.context);
    case "refused":
    case "no-dockerfile":
      return build.message;
  }
}
function oversizedContext(context) {
  const atLeast = context.complete ? "" : "at least ";
  const largest = context.largest.map((entry) => `${entry.name} (${entry.files} files, ${formatBinaryBytes(entry.bytes)})`);
  return `the build context is too large: ${atLeast}${context.files} files, ${atLeast}${formatBinaryBytes(context.bytes)}; the limit is ${context.maxFiles} files and ${formatBinaryBytes(context.maxBytes)}. The largest entries: ${largest.join(", ")}. Add a .dockerignore at the root of the build context to leave out what the image does not need (for example node_modules, .git, build output, data files)`;
}

// src/probes/disk-limit.ts
function diskLimitKill(reason) {
  if (reason === "disk") return "it wrote too much inside the container and was killed";
  if (reason === "files") {
    const most = MAX_LAYER_ENTRIES.toLocaleString("en-US");
    return `it made more than ${most} files and directories inside the container, or nested them too deep to measure, and was killed`;
  }
  return void 0;
}

// src/core/readiness.ts
import { setTimeout as delay } from "node:timers/promises";
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
    const ready = (options.logPattern ? waitForLogLine(service, options.logPattern, stop.signal) : options.port !== void 0 ? waitForPort(service, options.port, stop.signal) : Promise.resolve()).then(() => ({ kind: "ready" }));
    const racers = [exited, timedOut, ready];
    if (options.port !== void 0 && !options.logPattern && options.unreachableAfterMs !== void 0) {
      racers.push(watchForUnreachable(service, options.port, options.unreachableAfterMs, stop.signal));
    }
    const first = await Promise.race(racers);
    switch (first.kind) {
      case "ready":
        return { ready: true, elapsedMs: elapsed() };
      case "unreachable":
        return { ready: false, reason: "unreachable", listening: first.listening, elapsedMs: elapsed() };
      case "exited":
        return { ready: false, reason: "exited", exit: first.exit, elapsedMs: elapsed() };
      default:
        return { ready: false, reason: "timeout", elapsedMs: elapsed() };
    }
  } finally {
    stop.abort();
    options.signal?.removeEventListener("abort", onAbort);
  }
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
    const unreachable = listening.length > 0 && !reachableOn(listening, port);
    since = unreachable ? since ?? Date.now() : void 0;
    if (since !== void 0 && Date.now() - since >= afterMs) return { kind: "unreachable", listening };
  }
  return new Promise(() => {
  });
}
function waitForLogLine(service, pattern, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return;
    const test = (text) => pattern.test(text);
    let unsubscribe = () => {
    };
    const finish = () => {
      unsubscribe();
      resolve();
    };
    unsubscribe = service.onLogLine((line) => {
      if (test(line)) finish();
    });
    if (test(service.logs().text)) finish();
    signal.addEventListener("abort", () => unsubscribe(), { once: true });
  });
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
  return new Promise(() => {
  });
}
var PROXY_CONFIRM_MS = 150;

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
    if ((check.spec.kind === "http" || check.spec.kind === "tcp") && check.spec.port !== void 0) ports.add(check.spec.port);
  }
  return [...ports];
}
async function startServiceAndWait(engine, image, rubric, labels, signal) {
  const port = defaultServicePort(rubric, image);
  if (!hasStartCommand(image, rubric.service.command)) return { ready: false, message: NOTHING_TO_START };
  let service;
  try {
    service = await engine.startService({
      image: image.id,
      env: rubric.service.env,
      ...rubric.service.command ? { command: rubric.service.command } : {},
      ports: portsToReach(rubric, image),
      limits: rubric.limits,
      labels
    });
  } catch (err) {
    if (err instanceof NoCommandError) return { ready: false, message: err.message };
    throw err;
  }
  const { timeoutMs, log } = rubric.service.ready;
  const readiness = await waitUntilReady(service, {
    ...port !== void 0 ? { port } : {},
    ...log ? { logPattern: compilePattern(log) } : {},
    unreachableAfterMs: UNREACHABLE_AFTER_MS,
    timeoutMs,
    signal
  });
  if (readiness.ready) return { ready: true, service, ...port !== void 0 ? { port } : {} };
  const logTail = tailLines(service.logs().text, LOG_TAIL_LINES);
  if (readiness.reason === "exited") {
    const { exitCode, oomKilled } = readiness.exit;
    const diskKill = diskLimitKill(readiness.exit.killedFor);
    const why = oomKilled ? `ran out of memory (limit ${Math.round(rubric.limits.memoryBytes / 1024 ** 2)} MiB) and was killed` : diskKill ? `exceeded its disk limit (${diskKill})` : `exited with code ${exitCode}`;
    return {
      ready: false,
      service,
      message: `the service crashed before it was ready: the container ${why} after ${formatDuration(readiness.elapsedMs)}`,
      logTail
    };
  }
  if (readiness.reason === "unreachable") {
    return {
      ready: false,
      service,
      message: `the service is not reachable: ${describeListeners(readiness.listening, port, rubric, image)}`,
      logTail
    };
  }
  const within2 = `the service never became ready within ${formatDuration(timeoutMs)}`;
  if (service.pidsLimitHit?.()) {
    return {
      ready: false,
      service,
      message: `${within2}: it hit its process limit (${rubric.limits.pids}) \u2014 a fork bomb, or too many threads?`,
      logTail
    };
  }
  const listening = await service.listeners();
  const otherPorts = listening?.length && port !== void 0 && !reachableOn(listening, port) ? `; ${describeListeners(listening, port, rubric, image)}` : "";
  const waitedFor = log ? `no log line matched /${log}/` : port !== void 0 ? `nothing accepted connections on port ${port} (does the app listen on 0.0.0.0 and on the port the Dockerfile EXPOSEs?)` : "it never became ready";
  return { ready: false, service, message: `${within2}: ${waitedFor}${otherPorts}`, logTail };
}
function describeListeners(listening, port, rubric, image) {
  const onPort = listening.find((l) => l.port === port);
  if (onPort?.loopback) {
    return `the app listens on port ${port} only on 127.0.0.1 (localhost), which nothing outside the container can reach; make it listen on 0.0.0.0`;
  }
  const ports = listening.map((l) => l.port);
  const list = ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(", ")}`;
  return `the app listens on ${list}, not on port ${port}: ${portSource(rubric, image)}`;
}
function portSource(rubric, image) {
  if (rubric.service.port !== void 0) return `the rubric grades port ${rubric.service.port}; make the app listen there (and EXPOSE it)`;
  return `the Dockerfile EXPOSEs ${image.exposedPorts.join(", ")}; make the app listen on the port you EXPOSE (on 0.0.0.0)`;
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
    const reason = `the image did not build: ${describeBuildFailure(build, base.dockerfile)}`;
    return { ctx: { ...base, build }, unavailable: { reason, kinds: IMAGE_NEEDING } };
  }
  const info = await base.engine.inspectImage(build.imageId);
  const ctx = { ...base, build, image: { ref: build.imageId, info } };
  const tooLarge = imageTooLarge(info);
  if (tooLarge) return { ctx, unavailable: { reason: `the image did not build: ${tooLarge}`, kinds: IMAGE_NEEDING } };
  return { ctx };
}
async function serviceGate(image, logger) {
  const gate = await image;
  const { ctx } = gate;
  if (gate.unavailable || !ctx.image) return gate;
  if (ctx.signal.aborted) return { ctx, unavailable: { reason: "grading was interrupted", kinds: SERVICE_NEEDING } };
  const { info } = ctx.image;
  const start = await logger.group("Starting the service", () => startServiceAndWait(ctx.engine, info, ctx.rubric, ctx.labels, ctx.signal));
  if (!start.ready) return { ctx, unavailable: { reason: start.message, output: start.logTail, kinds: SERVICE_NEEDING, asFailure: true } };
  return { ctx: { ...ctx, service: { handle: start.service, defaultPort: start.port } } };
}

// src/core/score.ts
function totalScore(checks) {
  const score = checks.reduce((sum, c) => sum + c.points, 0);
  const max_score = checks.reduce((sum, c) => sum + c.max_points, 0);
  const percent = max_score === 0 ? 100 : Math.round(score / max_score * 1e3) / 10;
  return { score, max_score, percent };
}
function meetsThreshold(percent, threshold) {
  return threshold === void 0 || percent >= threshold;
}

// src/core/grade-result.ts
function gradedResult(subject, checks, build) {
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
    checks
  };
}
function ungradableResult(subject, reason) {
  const checks = subject.rubric.checks.map((check) => errored(check, `not graded: ${reason}`, 0));
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
    submission: {
      source: submission.source,
      ...submission.commit ? { commit: submission.commit } : {},
      ...submission.ref ? { ref: submission.ref } : {}
    }
  };
}

// src/core/prepare-build.ts
import { readdir } from "node:fs/promises";
import path2 from "node:path";

// src/probes/dockerfile/model.ts
var import_dockerfile_ast = __toESM(require_main(), 1);
function parseDockerfile(source, path8) {
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
  return { path: path8, text, directives, escape, globalArgs, stages, instructions };
}
function toInstruction(node, keyword, lines, escape, stage) {
  const range = node.getRange();
  const flags = node instanceof import_dockerfile_ast.ModifiableInstruction ? node.getFlags().map((flag) => ({ name: flag.getName(), value: flag.getValue() })) : [];
  const args = joinContinuations(slice(lines, node.getInstructionRange().end, range.end), escape);
  const argumentNodes = node.getArguments();
  const firstArgument = argumentNodes[0];
  const argsAfterFlags = flags.length > 0 ? firstArgument ? joinContinuations(slice(lines, firstArgument.getRange().start, range.end), escape) : "" : args;
  const jsonWords = parseJsonForm(argsAfterFlags);
  let words;
  if (jsonWords) words = jsonWords;
  else if (node instanceof import_dockerfile_ast.PropertyInstruction) {
    words = node.getProperties().map((p) => {
      const value = p.getValue();
      return value === null ? p.getName() : `${p.getName()}=${value}`;
    });
  } else words = argumentNodes.map((a) => a.getValue());
  return {
    keyword,
    args,
    argsAfterFlags,
    words,
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
import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";
var MAX_LINK_HOPS = 40;
async function resolveInRepo(repoDir, relative) {
  const root = await realpath(repoDir);
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    return { ok: false, reason: "outside", message: `${relative} is an absolute path; paths are relative to the repository root` };
  }
  const pending = splitPath(relative);
  let current = root;
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift();
    if (part === ".") continue;
    if (part === "..") {
      if (current === root) return outside(relative);
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    let stats;
    try {
      stats = await lstat(next);
    } catch (error) {
      if (isNotFound(error)) return { ok: false, reason: "missing", message: `${relative} does not exist in the repository` };
      throw error;
    }
    if (!stats.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++hops > MAX_LINK_HOPS) return { ok: false, reason: "loop", message: `${relative} is a symlink loop` };
    const target = await readlink(next);
    if (path.isAbsolute(target)) {
      const fromRoot = path.relative(root, target);
      if (fromRoot.startsWith("..") || path.isAbsolute(fromRoot)) return outside(relative);
      current = root;
      pending.unshift(...splitPath(fromRoot));
    } else {
      pending.unshift(...splitPath(target));
    }
  }
  return { ok: true, absolute: current, stats: await lstat(current) };
}
function outside(relative) {
  return {
    ok: false,
    reason: "outside",
    message: `${relative} leads outside the repository (through a symlink or ..), so it is not read`
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
function oversizeDockerfileMessage(path8) {
  return `${path8} is larger than ${DOCKERFILE_LIMITS.bytes / 1024} KiB, so the grader does not build it. A Dockerfile is a short recipe; move long scripts or data into files that the Dockerfile COPYs.`;
}
function dockerfileOverLimits(model) {
  const count2 = model.instructions.length;
  if (count2 > DOCKERFILE_LIMITS.instructions) {
    return `The Dockerfile has ${count2} instructions; the grader builds at most ${DOCKERFILE_LIMITS.instructions}. Combine related RUN steps with && and move long scripts into a file that the Dockerfile COPYs.`;
  }
  const variables = model.instructions.filter((instruction) => SETS_VARIABLES.has(instruction.keyword)).reduce((sum, instruction) => sum + instruction.words.length, 0);
  if (variables > DOCKERFILE_LIMITS.variables) {
    return `The Dockerfile sets ${variables} variables and labels with ENV, ARG and LABEL; the grader builds at most ${DOCKERFILE_LIMITS.variables}. Keep configuration in a file the program reads instead.`;
  }
  const syntax = model.directives.syntax;
  if (syntax && !ACCEPTED_FRONTEND.test(syntax.value.trim())) {
    return `Line ${syntax.line}: "# syntax=${syntax.value}" asks for a Dockerfile frontend other than Docker's own (docker/dockerfile), which the grader does not run. Remove the line or use docker/dockerfile:1.`;
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
  const missing2 = (message2) => failure("no-dockerfile", message2);
  const contextPath = await resolveInRepo(repoDir, context);
  if (!contextPath.ok) return missing2(`the build context "${context}" is not usable: ${contextPath.message}`);
  if (!contextPath.stats.isDirectory()) return missing2(`the build context "${context}" is not a folder`);
  const file = await resolveInRepo(repoDir, dockerfile);
  if (!file.ok && file.reason === "missing") {
    const near = await similarNames(repoDir, dockerfile);
    const hint = near.length ? ` Found ${near.map((n) => `"${n}"`).join(", ")} \u2014 the name must be exactly "${path2.posix.basename(dockerfile)}".` : "";
    return missing2(`no Dockerfile at "${dockerfile}" (looked in ${path2.join(repoDir, path2.dirname(dockerfile))}).${hint}`);
  }
  if (!file.ok) return missing2(`the Dockerfile is not usable: ${file.message}`);
  const read = await readRegularFile(file.absolute, DOCKERFILE_LIMITS.bytes);
  if (read.kind !== "file") return missing2(`"${dockerfile}" is not a file`);
  if (read.truncated) return failure("refused", oversizeDockerfileMessage(dockerfile));
  const dockerfileInContext = path2.relative(contextPath.absolute, file.absolute).split(path2.sep).join("/");
  return {
    ok: true,
    contextDir: contextPath.absolute,
    dockerfileInContext,
    dockerfile: parseDockerfile(read.content.toString("utf8"), dockerfilePath)
  };
}
async function similarNames(repoDir, dockerfile) {
  const dir = path2.posix.dirname(dockerfile);
  const wanted = path2.posix.basename(dockerfile).toLowerCase();
  const entries = await readdir(path2.join(repoDir, dir)).catch(() => []);
  return entries.filter((name) => name.toLowerCase() === wanted || name.toLowerCase().startsWith(`${wanted}.`)).map((name) => path2.posix.join(dir, name).replace(/^\.\//, ""));
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
      return {
        line: reference.line,
        message: `Line ${reference.line}: "${reference.written}" names an image that another grading run built. A Dockerfile may only build on published base images and its own stages.`
      };
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
\u2026 (cut, ${bytes.length} bytes in total)`;
}
function tailForDisplay(text, maxBytes = DISPLAY_BYTES) {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  while (start < bytes.length && isContinuationByte(bytes[start])) start++;
  return `\u2026 (earlier output cut, ${bytes.length} bytes in total)
${bytes.subarray(start).toString("utf8")}`;
}
function isContinuationByte(byte) {
  return byte !== void 0 && (byte & 192) === 128;
}
function formatCommand(words) {
  return words.map((w) => /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`).join(" ");
}
function quote(text, maxChars = 80) {
  const shown = text.length > maxChars ? `${text.slice(0, maxChars)}\u2026` : text;
  return JSON.stringify(shown);
}

// src/probes/dockerfile/rules.ts
import path3 from "node:path";

// src/probes/dockerfile/words.ts
function processWord(text, escape, vars) {
  const lexer = new Lexer(text, escape, vars);
  try {
    const value = lexer.until(void 0);
    return lexer.unknown.length > 0 ? { known: false, why: `the Dockerfile alone does not tell the value of ${lexer.unknown.map((v) => `$${v}`).join(", ")}` } : { known: true, value };
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
    if (stop !== void 0) throw new Error(`it has no closing ${stop}`);
    return out;
  }
  quoted(quote2) {
    const end = this.text.indexOf(quote2, this.at + 1);
    if (end < 0) throw new Error(`it has no closing ${quote2}`);
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
    throw new Error('it has no closing "');
  }
  dollar() {
    this.at++;
    if (this.text[this.at] !== "{") {
      const name2 = this.name();
      return name2 === "" ? "$" : this.value(name2);
    }
    this.at++;
    const name = this.name();
    if (name === "") throw new Error("it has a ${\u2026} the builder rejects");
    const ch = this.text[this.at++];
    if (ch === "}") return this.value(name);
    const modifier = this.text[this.at++];
    if (ch !== ":" || modifier !== "-" && modifier !== "+")
      throw new Error(`it uses \${${name}${ch ?? ""}\u2026}, which this check does not evaluate`);
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
  dockerignore: { needsDockerfile: false, check: dockerignore }
};
async function checkRule(rule, input) {
  return rules[rule].check(input);
}
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
  const lines = items.map((i) => i.line);
  return lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(", ")}`;
}
function noStages(df) {
  return fail("the Dockerfile has no FROM instruction, so it does not describe an image", [{ path: df.path, line: 1 }]);
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
      problems.push({ stage, why: "FROM names no image; write the base image with a tag, e.g. node:20-alpine" });
    } else if (unresolved.length > 0 && !ref.tag) {
      problems.push({
        stage,
        why: `FROM ${stage.image} depends on ARG ${unresolved.join(", ")}, which has no default, so the tag may be missing; give the ARG a default such as ${suggestTag(ref.name || "image")}`
      });
    } else if (!ref.tag) {
      problems.push({
        stage,
        why: `FROM ${value} without a tag means \`latest\`, which changes under you; pin a version such as ${suggestTag(ref.name)}`
      });
    } else if (ref.tag === "latest") {
      problems.push({
        stage,
        why: `FROM ${value} uses \`latest\`, which changes under you; pin a version such as ${suggestTag(ref.name)}`
      });
    }
  }
  if (problems.length === 0) return pass("every base image is pinned to a tag or digest");
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more FROM on ${lineList(problems.slice(1).map((p) => p.stage))})` : "";
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
    return fail(
      "the final stage never sets USER, so the app runs as root and a bug in it has root power in the container; add a user and `USER` it before CMD",
      [at(df, finalStage)]
    );
  }
  const written = `USER ${quote(last.argsAfterFlags)} on line ${last.line}`;
  const word = processWord(last.argsAfterFlags, df.escape, variablesAt(df, last, input.buildArgs));
  if (!word.known) {
    return pass(`${written} is not root as far as the Dockerfile tells (${word.why}); the image check sees which user it is`);
  }
  const means = word.value === last.argsAfterFlags ? "" : ` means ${quote(word.value)}, which`;
  const user = parseUser(word.value);
  if (user.kind === "out-of-range") {
    return fail(
      `${written}${means} is not a uid the engine accepts (0 to ${MAX_UID}), so the container cannot start; use an unprivileged uid such as 1000`,
      [at(df, last)]
    );
  }
  if (user.kind === "name") return pass(`${written}${means} names user ${quote(user.name)}, not root (the image check looks up its uid)`);
  if (user.uid !== 0) return pass(`${written}${means} is uid ${user.uid}, not root`);
  const root = user.how === "empty" ? "names no user, so the app stays root" : user.how === "root" ? "is root" : "is uid 0, root";
  return fail(
    `${written}${means} ${root}: as the final stage's last USER it gives the app root power in the container; switch to an unprivileged user after the steps that need root`,
    [at(df, last)]
  );
}
function multiStage(df) {
  if (df.stages.length >= 2) return pass(`the build has ${df.stages.length} stages`);
  if (df.stages.length === 0) return noStages(df);
  return fail(
    "the Dockerfile has a single stage, so build tools end up in the final image; build in one stage and COPY --from it into a small runtime stage",
    [at(df, df.stages[0])]
  );
}
function healthcheck(df) {
  if (df.stages.length === 0) return noStages(df);
  const last = chainInstructions(df, "HEALTHCHECK").at(-1);
  if (!last) {
    return fail(
      "the final stage has no HEALTHCHECK, so Docker cannot tell a running but broken app from a healthy one; add e.g. `HEALTHCHECK CMD wget -qO- http://localhost:8080/ || exit 1`",
      [at(df, df.stages.at(-1))]
    );
  }
  if (/^none$/i.test(last.argsAfterFlags.trim())) {
    return fail("HEALTHCHECK NONE turns the health check off; give a CMD that tests the app instead", [at(df, last)]);
  }
  return pass(`HEALTHCHECK on line ${last.line}`);
}
var SHELL_SYNTAX = /[&|;<>()`$*]/;
function execForm(df) {
  const offending = df.instructions.filter((i) => (i.keyword === "CMD" || i.keyword === "ENTRYPOINT") && !i.json);
  const all = df.instructions.filter((i) => i.keyword === "CMD" || i.keyword === "ENTRYPOINT");
  if (all.length === 0) return pass("no CMD or ENTRYPOINT: the base image's start command is used");
  if (offending.length === 0) return pass("CMD and ENTRYPOINT use the exec (JSON) form");
  const first = offending[0];
  const singleQuotes = first.argsAfterFlags.startsWith("[") ? " (JSON needs double quotes: single quotes make it shell form)" : "";
  const example = first.argsAfterFlags.startsWith("[") ? "" : SHELL_SYNTAX.test(first.argsAfterFlags) ? " (move shell steps such as `&&` into RUN or a start script)" : `, e.g. ${first.keyword} ${JSON.stringify(first.words)}`;
  return fail(
    `${first.keyword} on line ${first.line} is in shell form${singleQuotes}, so /bin/sh runs as PID 1 and your app never receives SIGTERM${first.keyword === "ENTRYPOINT" ? " (and CMD and `docker run` arguments are ignored)" : ""}; use the JSON form${example}` + (offending.length > 1 ? ` (also ${lineList(offending.slice(1))})` : ""),
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
  if (offending.length === 0) return pass("ADD is used only for URLs and archives (or not at all)");
  return fail(
    `ADD on ${lineList(offending)} copies local files; use COPY, which does only that, while ADD also fetches URLs and unpacks archives by surprise`,
    offending.map((i) => at(df, i))
  );
}
var APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/;
var APT_UPDATE = /\bapt(?:-get)?\s+(?:-\S+\s+)*update\b/;
var APT_LISTS_REMOVED = /\brm\s+(?:-\S+\s+)*[^&|;]*\/var\/lib\/apt\/lists/;
function runs(df) {
  return df.instructions.filter((i) => i.keyword === "RUN");
}
function aptCleanup(df) {
  const installs = runs(df).filter((r) => APT_INSTALL.test(r.argsAfterFlags));
  const listsCached = (r) => r.flags.some((f) => f.name === "mount" && (f.value ?? "").includes("/var/lib/apt"));
  const offending = installs.filter((r) => !APT_LISTS_REMOVED.test(r.argsAfterFlags) && !listsCached(r));
  if (installs.length === 0) return pass("no RUN installs apt packages");
  if (offending.length === 0) return pass("every apt-get install removes /var/lib/apt/lists in the same RUN");
  return fail(
    `the RUN on ${lineList(offending)} installs packages but leaves the apt lists in the layer; end it with \`&& rm -rf /var/lib/apt/lists/*\` (a later RUN cannot shrink an earlier layer)`,
    offending.map((i) => at(df, i))
  );
}
function combinedApt(df) {
  const updates = runs(df).filter((r) => APT_UPDATE.test(r.argsAfterFlags));
  const offending = updates.filter((r) => !APT_INSTALL.test(r.argsAfterFlags));
  if (updates.length === 0) return pass("no RUN runs apt-get update");
  if (offending.length === 0) return pass("apt-get update and install share one RUN");
  return fail(
    `apt-get update on ${lineList(offending)} is in its own RUN, so its cached layer goes stale and a later install fetches outdated lists; write \`RUN apt-get update && apt-get install -y \u2026\` in one RUN`,
    offending.map((i) => at(df, i))
  );
}
function workdirAbsolute(df) {
  const workdirs = df.instructions.filter((i) => i.keyword === "WORKDIR");
  const offending = workdirs.filter((w) => {
    const dir = w.argsAfterFlags.trim().replace(/^["']|["']$/g, "");
    return !(dir.startsWith("/") || dir.startsWith("$") || /^[A-Za-z]:[\\/]/.test(dir));
  });
  if (workdirs.length === 0) return pass("no WORKDIR is set");
  if (offending.length === 0) return pass("every WORKDIR is an absolute path");
  const first = offending[0];
  return fail(
    `WORKDIR ${first.argsAfterFlags} on line ${first.line} is relative, so it depends on every WORKDIR before it (and the base image's); write an absolute path such as /app` + (offending.length > 1 ? ` (also ${lineList(offending.slice(1))})` : ""),
    offending.map((i) => at(df, i))
  );
}
function expose(df) {
  if (df.stages.length === 0) return noStages(df);
  const exposes = chainInstructions(df, "EXPOSE");
  if (exposes.length > 0) {
    return pass(`the image documents port(s) ${exposes.flatMap((e) => e.words).join(", ")} with EXPOSE`);
  }
  return fail(
    "the final stage has no EXPOSE, so nobody reading the image knows which port the app listens on; add e.g. `EXPOSE 8080` with the port your app really uses",
    [at(df, df.stages.at(-1))]
  );
}
async function dockerignore(input) {
  const contextPath = path3.posix.normalize(input.contextPath.replaceAll("\\", "/"));
  const candidates = [
    path3.posix.join(contextPath, ".dockerignore"),
    // BuildKit also reads <Dockerfile>.dockerignore next to the Dockerfile.
    `${input.dockerfilePath}.dockerignore`
  ];
  for (const candidate of candidates) {
    const found = await resolveInRepo(input.repoDir, candidate);
    if (found.ok && found.stats.isFile()) return pass(`${candidate} exists`);
  }
  return fail(
    `there is no ${candidates[0]}, so everything in the build context (.git, node_modules, secrets such as .env) is sent to the builder and can end up in the image; add one`,
    []
  );
}

// src/probes/matcher.ts
function matchText(matcher, text) {
  const failures = [];
  if (matcher.equals !== void 0) {
    const want = normaliseForEquals(matcher.equals);
    const got = normaliseForEquals(text);
    if (want !== got) failures.push(`is not equal to the expected text (${firstDifference(want, got)})`);
  }
  if (matcher.contains !== void 0 && !text.includes(matcher.contains)) {
    failures.push(`does not contain ${quote(matcher.contains)}`);
  }
  if (matcher.matches !== void 0) {
    const search = compilePattern(matcher.matches).search(text);
    if (!search.found) {
      const where = search.complete ? "" : ` in its first ${MATCH_CAP_CHARS.toLocaleString("en-US")} characters (only those are searched)`;
      failures.push(`does not match /${matcher.matches}/${where}`);
    }
  }
  if (matcher.not_contains !== void 0 && text.includes(matcher.not_contains)) {
    failures.push(`contains ${quote(matcher.not_contains)}, which it must not`);
  }
  return { ok: failures.length === 0, expected: describeMatcher(matcher), failures };
}
function describeMatcher(matcher) {
  const parts = [];
  if (matcher.equals !== void 0) parts.push(`equals ${quote(matcher.equals, 200)}`);
  if (matcher.contains !== void 0) parts.push(`contains ${quote(matcher.contains)}`);
  if (matcher.matches !== void 0) parts.push(`matches /${matcher.matches}/`);
  if (matcher.not_contains !== void 0) parts.push(`does not contain ${quote(matcher.not_contains)}`);
  return parts.length > 0 ? parts.join(" and ") : "anything";
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
    if (g === void 0) return `line ${i + 1} is missing, expected ${quote(w ?? "")}`;
    if (w === void 0) return `unexpected extra line ${i + 1}: ${quote(g)}`;
    return `line ${i + 1}: expected ${quote(w)}, got ${quote(g)}`;
  }
  return "they differ";
}
function jsonSubset(expected, actual, at2 = "$") {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at2}: expected an array, got ${describeJson(actual)}`];
    if (actual.length < expected.length) {
      return [`${at2}: expected at least ${expected.length} element(s), got ${actual.length}`];
    }
    return expected.flatMap((item, i) => jsonSubset(item, actual[i], `${at2}[${i}]`));
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${at2}: expected an object, got ${describeJson(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => {
      const child = `${at2}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
      if (!Object.hasOwn(actual, key)) return [`${child}: missing (expected ${describeJson(value)})`];
      return jsonSubset(value, actual[key], child);
    });
  }
  if (expected === actual) return [];
  return [`${at2}: expected ${describeJson(expected)}, got ${describeJson(actual)}`];
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function describeJson(value) {
  if (value === void 0) return "nothing";
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
      if (rules[spec.rule].needsDockerfile && !ctx.dockerfile) return missing(ctx);
      const result = await checkRule(spec.rule, {
        dockerfile: ctx.dockerfile,
        repoDir: ctx.repoDir,
        dockerfilePath: ctx.dockerfilePath,
        contextPath: ctx.rubric.build.context,
        buildArgs: ctx.rubric.build.args
      });
      return {
        status: result.passed ? "passed" : "failed",
        message: result.message,
        ...result.locations.length > 0 ? { locations: result.locations } : {}
      };
    }
    if (spec.instruction) {
      if (!ctx.dockerfile) return missing(ctx);
      return checkInstruction(ctx.dockerfile, spec.instruction.toUpperCase(), spec);
    }
    throw new Error(`dockerfile check ${check.id} names neither a rule nor an instruction`);
  }
};
function missing(ctx) {
  return { status: "failed", message: ctx.dockerfileRefused ?? `no Dockerfile found at ${ctx.dockerfilePath}` };
}
function checkInstruction(df, keyword, spec) {
  const found = df.instructions.filter((i) => i.keyword === keyword);
  const expected = spec.args ? `${keyword} whose arguments ${describeMatcher(spec.args)}` : `a ${keyword} instruction`;
  const where = (line, endLine) => endLine !== line ? { path: df.path, line, endLine } : { path: df.path, line };
  if (found.length === 0) {
    return { status: "failed", message: `the Dockerfile has no ${keyword} instruction`, expected, actual: `no ${keyword}` };
  }
  const actual = found.map((i) => `line ${i.line}: ${keyword} ${i.args}`).join("\n");
  if (!spec.args) {
    return {
      status: "passed",
      message: `${keyword} on line ${found[0].line}`,
      expected,
      actual,
      locations: found.map((i) => where(i.line, i.endLine))
    };
  }
  const hit = found.find((i) => matchText(spec.args, i.args).ok);
  if (hit) {
    return {
      status: "passed",
      message: `${keyword} ${quote(hit.args)} on line ${hit.line}`,
      expected,
      actual,
      locations: [where(hit.line, hit.endLine)]
    };
  }
  const first = found[0];
  return {
    status: "failed",
    message: `no ${keyword} matches: ${found.length === 1 ? `the one on line ${first.line}` : `${found.length} found, e.g. line ${first.line}`} ${matchText(spec.args, first.args).failures.join("; ")}`,
    expected,
    actual,
    locations: found.map((i) => where(i.line, i.endLine))
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
  return `nothing is listening on port ${port} (is the app bound to 0.0.0.0, not 127.0.0.1?)`;
}
function exitNote(ctx) {
  const exit = ctx.service?.handle.exitInfo();
  if (!exit) return ctx.service?.handle.pidsLimitHit?.() ? "; the container hit its process limit (a fork bomb?)" : "";
  if (exit.oomKilled) return "; the container ran out of memory and was killed";
  const diskKill = diskLimitKill(exit.killedFor);
  if (diskKill) return `; the container exceeded its disk limit (${diskKill})`;
  return `; the container has exited (code ${exit.exitCode})`;
}

// src/probes/process-outcome.ts
function judgeProcess(label, outcome, expect, timeoutMs) {
  const expected = describeExpectations(expect);
  const output = showOutput(outcome.stdout, outcome.stderr);
  const notes = limitNotes(outcome);
  if (outcome.killedFor === "time") {
    return {
      status: "failed",
      message: `${label}: time limit (${formatDuration(timeoutMs)}) exceeded${notes}`,
      expected,
      actual: "killed after the time limit",
      output
    };
  }
  if (outcome.oomKilled) {
    return {
      status: "failed",
      message: `${label}: out of memory (killed by the memory limit)${notes}`,
      expected,
      actual: "killed: out of memory",
      output
    };
  }
  const diskKill = diskLimitKill(outcome.killedFor);
  if (diskKill) {
    return {
      status: "failed",
      message: `${label}: disk limit exceeded (${diskKill})${notes}`,
      expected,
      actual: "killed: disk limit",
      output
    };
  }
  const problems = [];
  if (outcome.exitCode !== expect.exitCode) {
    problems.push(outcome.exitCode === null ? "no exit code was reported" : `exit code ${outcome.exitCode} (expected ${expect.exitCode})`);
  }
  for (const [name, matcher, captured] of [
    ["stdout", expect.stdout, outcome.stdout],
    ["stderr", expect.stderr, outcome.stderr]
  ]) {
    if (!matcher) continue;
    const result = matchText(matcher, captured.text);
    const cut = captured.truncated ? ` (only the first ${captured.text.length} characters were kept)` : "";
    if (!result.ok) problems.push(`${name} ${result.failures.join("; ")}${cut}`);
  }
  return {
    status: problems.length === 0 ? "passed" : "failed",
    message: problems.length === 0 ? `${label} exited with ${outcome.exitCode}${outputSummary(expect)}${notes}` : `${label}: ${problems.join("; ")}${notes}`,
    expected,
    actual: `exit code ${outcome.exitCode ?? "unknown"}`,
    output
  };
}
function limitNotes(outcome) {
  const notes = [];
  if (outcome.pidsLimitHit) notes.push("process limit reached (it tried to start more processes than allowed \u2014 a fork bomb?)");
  if (outcome.stdout.truncated || outcome.stderr.truncated) {
    notes.push(
      `output limit: it printed ${formatBytes(outcome.stdout.bytes + outcome.stderr.bytes)}, only the first ${formatBytes(OUTPUT_CAP_BYTES)} per stream was kept`
    );
  }
  return notes.map((n) => `; ${n}`).join("");
}
function outputSummary(expect) {
  const parts = [];
  if (expect.stdout) parts.push(`stdout ${describeMatcher(expect.stdout)}`);
  if (expect.stderr) parts.push(`stderr ${describeMatcher(expect.stderr)}`);
  return parts.length > 0 ? `, ${parts.join(", ")}` : "";
}
function describeExpectations(expect) {
  const parts = [`exit code ${expect.exitCode}`];
  if (expect.stdout) parts.push(`stdout ${describeMatcher(expect.stdout)}`);
  if (expect.stderr) parts.push(`stderr ${describeMatcher(expect.stderr)}`);
  return parts.join("\n");
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
import path4 from "node:path";
var fileProbe = {
  kind: "file",
  stage: (spec) => spec.in === "image" ? "image" : "repo",
  schedule: "concurrent",
  defaultTimeoutMs: 1e4,
  async run(check, ctx) {
    const { spec } = check;
    const read = spec.in === "image" ? await readFromImage(spec.path, ctx) : await readFromRepo(spec.path, ctx);
    if (!read.ok) return read.outcome;
    const location = spec.in === "repo" ? [{ path: path4.posix.normalize(spec.path.replaceAll("\\", "/")), line: 1 }] : void 0;
    if (!spec.content) {
      return { status: "passed", message: `${read.where} exists`, ...location ? { locations: location } : {} };
    }
    const text = new TextDecoder("utf-8").decode(read.content);
    const result = matchText(spec.content, text);
    const cut = read.truncated ? ` (only its first ${OUTPUT_CAP_BYTES} bytes were read)` : "";
    return {
      status: result.ok ? "passed" : "failed",
      message: result.ok ? `${read.where} ${result.expected}` : `${read.where} ${result.failures.join("; ")}${cut}`,
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
    const what = resolved.stats.isDirectory() ? "a directory" : "not a regular file";
    return { ok: false, outcome: { status: "failed", message: `${relative} is ${what}, expected a file` } };
  }
  const read = await readRegularFile(resolved.absolute, OUTPUT_CAP_BYTES);
  if (read.kind === "missing") return { ok: false, outcome: { status: "failed", message: `${relative} does not exist in the repository` } };
  if (read.kind === "other") return { ok: false, outcome: { status: "failed", message: `${relative} is ${read.type}, expected a file` } };
  return { ok: true, content: read.content, truncated: read.truncated, where: relative };
}
async function readFromImage(filePath, ctx) {
  const image = requireImage(ctx);
  const absolute = path4.posix.resolve(image.info.workdir || "/", filePath);
  const file = await ctx.engine.readImageFile(image.ref, absolute, OUTPUT_CAP_BYTES);
  const where = `${absolute} in the image`;
  if (file.kind === "missing") return { ok: false, outcome: { status: "failed", message: `${where} does not exist` } };
  if (file.kind === "other") {
    return { ok: false, outcome: { status: "failed", message: `${where} is a ${file.type}, expected a regular file` } };
  }
  return { ok: true, content: file.content, truncated: file.truncated, where };
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
      () => finish({ ok: false, kind: "timeout", message: `no complete response within ${request.timeoutMs} ms` }),
      request.timeoutMs
    );
    const onAbort = () => finish({ ok: false, kind: "aborted", message: "the request was cancelled" });
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
    return { ok: false, kind: "reset", message: "the connection was closed before a complete response", code };
  }
  if (code.startsWith("HPE_")) return { ok: false, kind: "protocol", message: `the reply is not valid HTTP (${code})`, code };
  return { ok: false, kind: "other", message: error.message, ...code ? { code } : {} };
}

// src/probes/kinds/http.ts
var httpProbe = {
  kind: "http",
  stage: () => "service",
  // Student servers often take one connection at a time (Python's http.server, a BusyBox
  // nc loop) with a tiny backlog: parallel requests would wait out a SYN retransmit.
  schedule: "one-at-a-time",
  defaultTimeoutMs: 5e3,
  async run(check, ctx) {
    const { spec } = check;
    const service = requireService(ctx);
    const port = targetPort(ctx, spec.port);
    if (port === void 0) {
      return { status: "failed", message: "no port to send the request to: the image EXPOSEs none and the rubric names none" };
    }
    const method = spec.method.toUpperCase();
    const path8 = spec.path.startsWith("/") ? spec.path : `/${spec.path}`;
    const request = `${method} ${path8}`;
    const expected = describeExpectations2(spec);
    const { timeoutMs } = ctx;
    const address = await service.handle.address(port);
    const response = await sendRequest({
      host: address.host,
      port: address.port,
      method,
      path: path8,
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
          return { status: "failed", message: `${request}: no response within ${formatDuration(timeoutMs)}${exitNote(ctx)}`, expected };
        case "aborted":
          return { status: "error", message: `${request}: grading was cancelled` };
        default:
          return { status: "failed", message: `${request}: ${response.message}${exitNote(ctx)}`, expected };
      }
    }
    const body = new TextDecoder("utf-8").decode(response.body);
    const statusOk = spec.status === "any" || response.status === spec.status;
    const problems = [];
    if (!statusOk) problems.push(`status ${response.status} (expected ${spec.status})`);
    if (spec.body) {
      const result = matchText(spec.body, body);
      if (!result.ok) problems.push(`the body ${result.failures.join("; ")}`);
    }
    if (spec.json !== void 0) problems.push(...checkJson(spec.json, body, response.truncated));
    for (const [name, matcher] of Object.entries(spec.responseHeaders)) {
      const value = response.headers[name.toLowerCase()];
      if (value === void 0) problems.push(`no ${name} header`);
      else {
        const result = matchText(matcher, value);
        if (!result.ok) problems.push(`header ${name} ${result.failures.join("; ")}`);
      }
    }
    const truncatedNote = response.truncated ? ` (body cut at ${OUTPUT_CAP_BYTES} bytes)` : "";
    const headline = `${request} \u2192 ${response.status}`;
    let message2;
    if (problems.length === 0) message2 = `${headline}${truncatedNote}`;
    else if (!statusOk) message2 = `${headline} (expected ${spec.status})${others(problems.slice(1))}`;
    else message2 = `${headline}, but ${problems.join("; ")}${truncatedNote}`;
    if (response.status >= 300 && response.status < 400 && !statusOk && response.headers.location) {
      message2 += `; redirects are not followed (Location: ${response.headers.location})`;
    }
    return {
      status: problems.length === 0 ? "passed" : "failed",
      message: message2,
      expected,
      actual: describeActual(response.status, response.headers, spec, body),
      output: headForDisplay(body)
    };
  }
};
function others(problems) {
  return problems.length > 0 ? `; also ${problems.join("; ")}` : "";
}
function checkJson(expected, body, truncated) {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    return [`the body's JSON is nested deeper than ${MAX_JSON_DEPTH.toLocaleString("en-US")} levels, more than the grader reads`];
  }
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    const why = truncated ? "it was cut at the size cap" : `it starts with ${quote(body.slice(0, 40))}`;
    return [`the body is not valid JSON (${why})`];
  }
  const differences = jsonSubset(expected, parsed);
  return differences.length > 0 ? [`the JSON differs: ${differences.join("; ")}`] : [];
}
function describeExpectations2(spec) {
  const parts = [`status ${spec.status}`];
  if (spec.body) parts.push(`body ${describeMatcher(spec.body)}`);
  if (spec.json !== void 0) parts.push(`JSON containing ${JSON.stringify(spec.json)}`);
  for (const [name, matcher] of Object.entries(spec.responseHeaders)) parts.push(`header ${name} ${describeMatcher(matcher)}`);
  return parts.join("\n");
}
function describeActual(status, headers, spec, body) {
  const parts = [`status ${status}`];
  for (const name of Object.keys(spec.responseHeaders)) parts.push(`header ${name}: ${headers[name.toLowerCase()] ?? "(absent)"}`);
  if (spec.body || spec.json !== void 0) parts.push(`body ${quote(body, 200)}`);
  return parts.join("\n");
}

// src/probes/image-user.ts
var PASSWD_PATH = "/etc/passwd";
var PASSWD_READ_BYTES = 1e6;
var FIX = "set a non-root USER";
async function checkNonRoot(engine, image, user) {
  if (user === "") {
    return { ok: false, actual: "user root (no USER set)", problem: `the image runs as root (no USER set); ${FIX}` };
  }
  const shown = quote(user);
  const parsed = parseUser(user);
  const runsAs = `the image runs as user ${shown}`;
  if (parsed.kind === "out-of-range") {
    return {
      ok: false,
      actual: `user ${shown} (not a valid uid)`,
      problem: `${runsAs}, but ${quote(parsed.value)} is not a uid the engine accepts (0 to ${MAX_UID}), so the container cannot start; ${FIX}`
    };
  }
  if (parsed.kind === "uid") {
    const actual2 = `user ${shown} (uid ${parsed.uid})`;
    if (parsed.uid !== 0) return { ok: true, actual: actual2 };
    const which = parsed.how === "empty" ? "which names no user, so the container stays root (uid 0)" : parsed.how === "root" ? "which is root (uid 0)" : "which is uid 0 (root)";
    return { ok: false, actual: actual2, problem: `${runsAs}, ${which}; ${FIX}` };
  }
  const name = quote(parsed.name);
  const file = await engine.readImageFile(image, PASSWD_PATH, PASSWD_READ_BYTES);
  if (file.kind === "missing") {
    return {
      ok: false,
      actual: `user ${shown} (no ${PASSWD_PATH})`,
      problem: `${runsAs}, but the image has no ${PASSWD_PATH}, so user ${name} does not exist in the image and the container cannot start; create the user in the Dockerfile or USER a numeric uid`
    };
  }
  if (file.kind === "other") {
    return {
      ok: false,
      actual: `user ${shown} (uid unknown)`,
      problem: `${runsAs}, but ${PASSWD_PATH} in the image is a ${file.type}, not a regular file, so the grader cannot tell which uid ${name} is; keep ${PASSWD_PATH} a regular file or USER a numeric uid`
    };
  }
  const found = lookUpPasswd(file.content, parsed.name, file.truncated);
  if (!found.found && found.complete) {
    return {
      ok: false,
      actual: `user ${shown} (no such user)`,
      problem: `${runsAs}, but user ${name} does not exist in the image's ${PASSWD_PATH}, so the container cannot start; create the user in the Dockerfile (e.g. adduser) or USER a numeric uid`
    };
  }
  if (!found.found) {
    return {
      ok: false,
      actual: `user ${shown} (uid unknown)`,
      problem: `${runsAs}, but ${name} is not in the first ${formatBytes(PASSWD_READ_BYTES)} of the image's ${PASSWD_PATH}, which is longer than the grader reads, so it cannot tell which uid that is`
    };
  }
  const actual = `user ${shown} (uid ${found.uid} in ${PASSWD_PATH})`;
  if (found.uid !== 0) return { ok: true, actual };
  const garbled = found.uidField === void 0 ? ", which has no uid field" : found.uidField === "0" ? "" : `, whose uid field ${quote(found.uidField)} the engine reads as 0`;
  return {
    ok: false,
    actual,
    problem: `${runsAs}, which is uid 0 (root) in the image's ${PASSWD_PATH} (line ${found.line}${garbled}); ${FIX}`
  };
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
      message: problems.length === 0 ? `the image matches: ${comparisons.map((c) => c.actual).join(", ")}` : problems.map((p) => p.problem).join("; "),
      expected: comparisons.map((c) => c.expected).join("\n"),
      actual: comparisons.map((c) => c.actual).join("\n")
    };
  }
};
function showList(list) {
  return list === null ? "none" : JSON.stringify(list);
}
function sameList(a, b) {
  return a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}
function compareMap(name, keyword, want, got) {
  const problems = Object.entries(want).flatMap(
    ([key, value]) => !Object.hasOwn(got, key) ? [`${keyword} ${key} is not set (expected ${JSON.stringify(value)})`] : got[key] !== value ? [`${keyword} ${key} is ${JSON.stringify(got[key])} (expected ${JSON.stringify(value)})`] : []
  );
  return {
    expected: `${name} ${Object.entries(want).map(([k, v]) => `${k}=${v}`).join(", ")}`,
    actual: `${name} ${Object.keys(want).map((k) => Object.hasOwn(got, k) ? `${k}=${got[k]}` : `${k} unset`).join(", ")}`,
    ...problems.length === 0 ? {} : { problem: problems.join("; ") }
  };
}
function compareList(name, keyword, want, got) {
  const ok = sameList(got, want) || want.length === 0 && got === null;
  return {
    expected: `${name} ${showList(want)}`,
    actual: `${name} ${showList(got)}`,
    ...ok ? {} : { problem: `${keyword} is ${showList(got)}, expected ${showList(want)}` }
  };
}
function compareImage(spec, info, nonRoot) {
  const out = [];
  if (spec.maxSizeBytes !== void 0) {
    const ok = info.sizeBytes <= spec.maxSizeBytes;
    out.push({
      expected: `size at most ${formatBytes(spec.maxSizeBytes)}`,
      actual: `size ${formatBytes(info.sizeBytes)}`,
      ...ok ? {} : {
        problem: `the image is ${formatBytes(info.sizeBytes)}, over the ${formatBytes(spec.maxSizeBytes)} limit (a slim/alpine base or a multi-stage build helps)`
      }
    });
  }
  if (spec.user === "non-root") {
    if (!nonRoot) throw new Error("the non-root verdict on the image user is missing");
    out.push({ expected: "user not root", actual: nonRoot.actual, ...nonRoot.problem === void 0 ? {} : { problem: nonRoot.problem } });
  } else if (spec.user !== void 0) {
    const shown = info.user === "" ? "root (no USER set)" : info.user;
    const ok = info.user === spec.user || info.user.split(":")[0] === spec.user;
    out.push({
      expected: `user ${spec.user}`,
      actual: `user ${shown}`,
      ...ok ? {} : { problem: `the image runs as ${shown}, expected ${spec.user}` }
    });
  }
  if (spec.exposes !== void 0) {
    const missing2 = spec.exposes.filter((p) => !info.exposedPorts.includes(p));
    out.push({
      expected: `exposes ${spec.exposes.join(", ")}`,
      actual: info.exposedPorts.length > 0 ? `exposes ${info.exposedPorts.join(", ")}` : "exposes nothing",
      ...missing2.length === 0 ? {} : { problem: `port ${missing2.join(", ")} is not EXPOSEd (the image exposes ${info.exposedPorts.join(", ") || "nothing"})` }
    });
  }
  if (spec.env !== void 0) out.push(compareMap("env", "ENV", spec.env, info.env));
  if (spec.labels !== void 0) out.push(compareMap("labels", "LABEL", spec.labels, info.labels));
  if (spec.workdir !== void 0) {
    const trim = (p) => p.length > 1 ? p.replace(/\/+$/, "") : p;
    const ok = trim(info.workdir) === trim(spec.workdir);
    out.push({
      expected: `workdir ${spec.workdir}`,
      actual: `workdir ${info.workdir || "(none)"}`,
      ...ok ? {} : { problem: `WORKDIR is ${info.workdir || "not set"}, expected ${spec.workdir}` }
    });
  }
  if (spec.entrypoint !== void 0) out.push(compareList("entrypoint", "ENTRYPOINT", spec.entrypoint, info.entrypoint));
  if (spec.cmd !== void 0) out.push(compareList("cmd", "CMD", spec.cmd, info.cmd));
  if (spec.healthcheck !== void 0) {
    const ok = info.healthcheck === spec.healthcheck;
    out.push({
      expected: spec.healthcheck ? "a healthcheck" : "no healthcheck",
      actual: info.healthcheck ? "a healthcheck" : "no healthcheck",
      ...ok ? {} : { problem: spec.healthcheck ? "the image has no HEALTHCHECK" : "the image has a HEALTHCHECK, expected none" }
    });
  }
  if (spec.maxLayers !== void 0) {
    const ok = info.layers <= spec.maxLayers;
    out.push({
      expected: `at most ${spec.maxLayers} layers`,
      actual: `${info.layers} layers`,
      ...ok ? {} : { problem: `the image has ${info.layers} layers, more than ${spec.maxLayers} (chain related RUN steps with &&)` }
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
    const cut = logs.truncated ? ` (only the first ${logs.text.length} characters of ${logs.bytes} bytes were kept)` : "";
    return {
      status: result.ok ? "passed" : "failed",
      message: result.ok ? `the logs ${result.expected}` : `the logs ${result.failures.join("; ")}${cut}`,
      expected: result.expected,
      output: logs.text === "" ? "(the container printed nothing)" : tailForDisplay(logs.text)
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
    const nothingToStart = { status: "failed", message: `${label}: ${NOTHING_TO_START}` };
    if (!hasStartCommand(image.info, spec.args)) return nothingToStart;
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
      if (err instanceof NoCommandError) return nothingToStart;
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
      return {
        status: "failed",
        message: `the container had already exited (code ${earlier.exitCode}${earlier.oomKilled ? ", out of memory" : ""}) before it was asked to stop`
      };
    }
    const result = await handle.stop(check.spec.withinMs);
    const expected = `exits within ${within2} of SIGTERM`;
    if (result.exitedInTime) {
      return {
        status: "passed",
        message: `stopped ${formatDuration(result.elapsedMs)} after SIGTERM (exit code ${result.exit.exitCode})`,
        expected,
        actual: `exited after ${formatDuration(result.elapsedMs)}`
      };
    }
    const shellForm = shellFormStart(ctx.dockerfile);
    const why = shellForm ? `${shellForm.keyword} on line ${shellForm.line} is in shell form, so PID 1 is /bin/sh, which does not pass SIGTERM on to your app; use the JSON form` : "PID 1 in a container gets no default signal handling, so the app must handle SIGTERM itself (or run with an init such as tini)";
    return {
      status: "failed",
      message: `still running ${within2} after SIGTERM, so it was killed; ${why}`,
      expected,
      actual: "did not exit in time (killed)",
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
      return { status: "failed", message: "no port to connect to: the image EXPOSEs none and the rubric names none" };
    }
    const { timeoutMs } = ctx;
    const address = await service.handle.address(port);
    const result = await tryConnect(address.host, address.port, { timeoutMs, signal: ctx.signal });
    switch (result) {
      case "connected":
        return { status: "passed", message: `port ${port} accepts connections` };
      case "refused":
        return { status: "failed", message: `${nothingListening(port)}${exitNote(ctx)}` };
      case "timeout":
        return {
          status: "failed",
          message: `port ${port} did not accept a connection within ${formatDuration(timeoutMs)}${exitNote(ctx)}`
        };
      case "closed":
        return { status: "failed", message: `port ${port} accepted a connection and closed it at once${exitNote(ctx)}` };
      case "aborted":
        return { status: "error", message: "grading was cancelled" };
      default:
        return { status: "failed", message: `could not connect to port ${port}: ${result.error}${exitNote(ctx)}` };
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
  return check.timeoutMs ?? probeFor(check).defaultTimeoutMs;
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
      throw new Error(`no answer within ${Math.round(deadlineMs / 1e3)} s`);
    });
    return fromOutcome(check, outcome, Date.now() - started, settings.now, settings.due);
  } catch (err) {
    if (err instanceof EngineUnavailableError) throw err;
    settings.logger.warn(`check "${check.name}" could not run: ${errorMessage(err)}`);
    return errored(check, `the grader could not run this check: ${errorMessage(err)}`, Date.now() - started);
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
  runStage(stage, gate, run) {
    const started = [];
    this.checks.forEach((check, index) => {
      if (this.placements[index].stage !== stage) return;
      const promise = this.execute(index, gate, run).then((result) => {
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
        return Promise.resolve(skipped(check, blocker ? skipReason(blocker) : "not run"));
      })
    );
  }
  async execute(index, gate, run) {
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
    return run(check, ctx);
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
    const group = SCHEDULE_GROUP[schedule];
    const waits = [];
    this.checks.forEach((other, i) => {
      const placement = this.placements[i];
      if (i === index || placement.stage !== stage) return;
      const sameKindEarlier = schedule !== "concurrent" && other.spec.kind === check.spec.kind && i < index;
      const earlierGroup = SCHEDULE_GROUP[placement.schedule] < group && (i < index || !check.required);
      if (sameKindEarlier || earlierGroup) waits.push(this.pending[i] ?? Promise.resolve());
    });
    return waits;
  }
};
function skipReason(blocker) {
  return `skipped: the required check "${blocker.name}" did not pass`;
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
    throw new InfrastructureError(`grading took longer than its ${formatDuration(budgetMs)} budget; the Docker Engine is presumed hung`);
  });
}

// src/core/grade.ts
function newRunId() {
  return randomBytes2(6).toString("hex");
}
async function gradeThenCleanUp(request) {
  const { rubric, submission, passThreshold } = request;
  const subject = { rubric, submission, passThreshold, started: Date.now() };
  const run = new GradingRun(request, request.runId ?? newRunId());
  let result;
  try {
    const budgetMs = request.watchdogMs ?? watchdogBudgetMs(rubric);
    const { checks, build } = await underWatchdog(run.run(), budgetMs, () => run.stop());
    result = gradedResult(subject, checks, build);
  } catch (err) {
    if (!(err instanceof InfrastructureError)) {
      await run.cleanUp();
      throw err;
    }
    result = ungradableResult(subject, err.message);
  }
  return { result, cleanedUp: run.cleanUp() };
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
    for (const warning of rubric.warnings ?? []) this.logger.warn(warning);
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
    const run = (check, ctx) => runCheck(check, ctx, this.settings);
    const connecting = scheduler.anyPending(["image", "service"]) ? connectEngine(engine, this.logger).then(() => {
      this.engineUsed = true;
      if (inputs.ok) engine.prepareBuild?.(this.runId);
    }) : void 0;
    connecting?.catch(() => {
    });
    await Promise.all(scheduler.runStage("repo", () => Promise.resolve({ ctx: base }), run));
    if (!scheduler.anyPending(["image", "service"])) {
      await connecting?.catch(() => {
      });
      return { checks: await scheduler.results() };
    }
    await connecting;
    if (inputs.ok && scheduler.anyPending(["service"])) engine.prepareService?.({ labels: this.labels, limits: rubric.limits });
    const build = inputs.ok ? await runBuild(inputs, base, this.runId, this.logger) : inputs;
    const image = imageGate(base, build);
    scheduler.runStage("image", () => image, run);
    if (scheduler.anyPending(["service"])) {
      const service = serviceGate(image, this.logger);
      scheduler.runStage("service", () => service, run);
    }
    const checks = await scheduler.results();
    return { checks, build: summariseBuild(build, await image) };
  }
  /** Stops whatever still runs (the watchdog fired). */
  stop() {
    this.abort.abort();
  }
  async cleanUp() {
    this.abort.abort();
    if (!this.engineUsed) return;
    await this.request.engine.cleanup(this.runId).catch((err) => {
      this.logger.warn(`clean-up of run ${this.runId} failed: ${errorMessage(err)}`);
    });
  }
  failCheck = (check, message2, output) => fromOutcome(check, { status: "failed", message: message2, ...output ? { output } : {} }, 0, this.settings.now, this.settings.due);
};
function normalisePath(p) {
  return p.replace(/\\/g, "/").replace(/^\.\//, "");
}

// src/workspace/submission.ts
import { mkdtemp as mkdtemp2, realpath as realpath2, rm as rm2, stat } from "node:fs/promises";
import os2 from "node:os";
import path7 from "node:path";

// src/workspace/clone.ts
import { lstat as lstat2, readdir as readdir2 } from "node:fs/promises";
import path6 from "node:path";

// src/workspace/git.ts
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path5 from "node:path";
var ALLOWED_PROTOCOLS = ["https", "http", "ssh", "git", "file"];
var HARDENING = [
  "core.fsmonitor=false",
  "core.hooksPath=/dev/null",
  "protocol.allow=never",
  ...ALLOWED_PROTOCOLS.map((p) => `protocol.${p}.allow=always`),
  "advice.detachedHead=false"
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
    return new _GitRunner(await mkdtemp(path5.join(os.tmpdir(), "grader-git-home-")));
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
      env: this.environment(call.privateConfig ?? []),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"]
    });
    const group = child.pid;
    track(group);
    return new Promise((resolve, reject) => {
      const stdout = [];
      let stdoutBytes = 0;
      let stderr = "";
      let stopped;
      const stop = (reason) => {
        if (stopped) return;
        stopped = { reason };
        killGroup(group);
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
        killGroup(group);
        untrack(group);
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
  environment(privateConfig) {
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.home,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      // Messages in one language: some are matched to explain them.
      LC_ALL: "C"
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
function track(group) {
  if (group === void 0) return;
  if (!exitHookInstalled) {
    process.once("exit", () => liveGroups.forEach(killGroup));
    exitHookInstalled = true;
  }
  liveGroups.add(group);
}
function untrack(group) {
  if (group !== void 0) liveGroups.delete(group);
}
function killGroup(group) {
  if (group === void 0) return;
  try {
    process.kill(-group, "SIGKILL");
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
async function cloneCommit(request) {
  const { limits, signal } = request;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new CloneStopped(`it took longer than ${seconds(limits.timeoutMs)}`)), limits.timeoutMs);
  const onInterrupt = () => stop.abort(new CloneStopped(errorMessage(signal?.reason ?? "interrupted")));
  if (signal?.aborted) onInterrupt();
  else signal?.addEventListener("abort", onInterrupt, { once: true });
  try {
    return await cloneSteps(request, stop);
  } catch (err) {
    throw stop.signal.aborted ? stop.signal.reason : explain(err, limits);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onInterrupt);
  }
}
async function cloneSteps(request, stop) {
  const { git, dir, limits } = request;
  const call = { cwd: dir, signal: stop.signal };
  await git.run(["init", "--quiet", "--template="], call);
  const fetchCall = {
    ...call,
    config: [`http.lowSpeedLimit=${limits.lowSpeedBytesPerSecond}`, `http.lowSpeedTime=${limits.lowSpeedSeconds}`],
    privateConfig: request.authHeader ? [["http.extraHeader", request.authHeader]] : []
  };
  const commit = await withDownloadCap(
    path6.join(dir, ".git", "objects"),
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
async function withDownloadCap(objectsDir, maxBytes, stop, fetch) {
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
    const result = await fetch();
    await check();
    if (stop.signal.aborted) throw stop.signal.reason;
    return result;
  } finally {
    clearInterval(poll);
  }
}
async function folderBytes(dir) {
  const entries = await readdir2(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    total += (await lstat2(path6.join(entry.parentPath, entry.name)).catch(() => void 0))?.size ?? 0;
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
  const dir = path7.resolve(target);
  const info = await stat(dir).catch(() => void 0);
  if (!info) throw new UserError(`submission folder not found: ${dir}`);
  if (!info.isDirectory()) throw new UserError(`submission is not a folder: ${dir}`);
  const commit = await folderCommit(dir, signal);
  return { dir, source: target, commit, dispose: async () => {
  } };
}
async function folderCommit(dir, signal) {
  let git;
  try {
    git = await GitRunner.create();
    const timeout = AbortSignal.timeout(FOLDER_GIT_TIMEOUT_MS);
    const call = { cwd: dir, signal: signal ? AbortSignal.any([signal, timeout]) : timeout };
    const top = (await git.run(["rev-parse", "--show-toplevel"], call)).trim();
    if (!top || await realpath2(top) !== await realpath2(dir)) return void 0;
    return (await git.run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], call)).trim() || void 0;
  } catch {
    return void 0;
  } finally {
    await git?.close();
  }
}
async function cloneSubmission(target, options) {
  const url = looksLikeGitUrl(target) ? target : path7.resolve(target);
  const dir = await mkdtemp2(path7.join(os2.tmpdir(), "grader-submission-"));
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
    return { dir, source: target, commit, ref: options.ref, dispose };
  } catch (err) {
    await dispose();
    const at2 = options.ref ? ` at ${options.ref}` : "";
    throw new UserError(cleanText(`could not clone ${target}${at2}: ${errorMessage(err)}`.slice(0, MAX_MESSAGE_CHARS)));
  } finally {
    await git.close();
  }
}

// src/core/grade-submission.ts
async function gradeSubmission(request) {
  const { logger } = request;
  const submission = await openSubmission(request.target, { ...request.open, signal: request.signal });
  const giveBack = () => submission.dispose().catch((err) => logger.warn(`could not remove the checkout ${submission.dir}: ${errorMessage(err)}`));
  let graded;
  try {
    logger.info(
      `grading ${submission.source}${submission.commit ? ` at ${submission.commit.slice(0, 12)}` : ""} with "${request.rubric.title}"`
    );
    graded = await gradeThenCleanUp({
      rubric: request.rubric,
      submission: request.displaySource ? { ...submission, source: request.displaySource } : submission,
      engine: request.engine,
      logger: request.logger,
      ...request.passThreshold !== void 0 ? { passThreshold: request.passThreshold } : {},
      ...request.runId ? { runId: request.runId } : {},
      ...request.signal ? { signal: request.signal } : {}
    });
  } catch (err) {
    await giveBack();
    throw err;
  }
  return { result: graded.result, cleanedUp: Promise.all([graded.cleanedUp, giveBack()]).then(() => void 0) };
}
var EXIT = { passed: 0, belowPass: 1, usage: 2, ungradable: 3 };
function exitCodeFor(result) {
  if (result.status === "ungradable") return EXIT.ungradable;
  return result.passed ? EXIT.passed : EXIT.belowPass;
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

// src/report/format.ts
function formatNumber(n) {
  return String(Math.round(n * 100) / 100);
}
function formatScore(result, separator = " / ") {
  if (result.status === "ungradable" || result.score === null) return void 0;
  const percent = result.percent === null ? "" : ` (${formatNumber(result.percent)}%)`;
  return `${formatNumber(result.score)}${separator}${formatNumber(result.max_score)}${percent}`;
}
function formatVerdict(result) {
  const threshold = result.pass_threshold;
  if (result.passed) return threshold === void 0 ? "passed" : `passed (pass mark ${formatNumber(threshold)}%)`;
  return threshold === void 0 ? "failed" : `below the pass mark of ${formatNumber(threshold)}%`;
}
function formatPoints(check) {
  return `${formatNumber(check.points)}/${formatNumber(check.max_points)}`;
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
var SGR = { bold: "1", dim: "2", red: "31", green: "32", yellow: "33" };
function renderTerminal(result, options) {
  const paint = options.color ? (style, text) => `\x1B[${SGR[style]}m${text}\x1B[0m` : (_style, text) => text;
  const lines = [paint("bold", plain(result.rubric.title)), submissionLine(result), ""];
  const pointsWidth = Math.max(0, ...result.checks.map((c) => formatPoints(c).length));
  const indent = " ".repeat(1 + 2 + pointsWidth + 2);
  for (const check of result.checks) {
    const symbol = paint(STATUS_COLOR[check.status], SYMBOL[check.status]);
    const hidden = check.hidden ? paint("dim", " (hidden)") : "";
    lines.push(`${symbol}  ${formatPoints(check).padStart(pointsWidth)}  ${oneLine(check.name)}${hidden}`);
    lines.push(...checkDetails(check, paint).map((line) => line === "" ? "" : indent + line));
  }
  lines.push(...buildFailure(result, paint));
  if (result.checks.length > 0) lines.push("");
  lines.push(totalLine(result, paint));
  return `${lines.join("\n")}
`;
}
function plain(text, maxChars = TEXT_CHARS) {
  return truncateMiddle(cleanText(truncateMiddle(text, maxChars * 4)), maxChars);
}
function oneLine(text) {
  return plain(text).replace(/\n/g, " ");
}
function submissionLine(result) {
  const { source, commit, ref } = result.submission;
  const onRef = ref ? ` (${oneLine(ref)})` : "";
  const at2 = commit ? ` @ ${oneLine(shortCommit(commit))}` : "";
  return `${oneLine(source)}${onRef}${at2}`;
}
function checkDetails(check, paint) {
  if (check.status === "passed") return [];
  if (check.hidden) return check.status === "error" ? message(check.message, paint) : [];
  if (check.status === "skipped") {
    const reason = /^skipped:/i.test(check.message) ? check.message : `skipped: ${check.message}`;
    const [first = "", ...rest] = message(reason, paint);
    return [paint("dim", first), ...rest];
  }
  const out = [];
  if (check.message) out.push(...message(check.message, paint));
  if (check.feedback) out.push(...lined(`hint: ${check.feedback}`).map((l) => paint("yellow", l)));
  const { expected, actual, output } = visibleDetails(check);
  if (expected !== void 0) out.push(...labelled("expected: ", expected, paint));
  if (actual !== void 0) out.push(...labelled("actual:   ", actual, paint));
  const where = checkLocations(check).map((l) => oneLine(formatLocation(l)));
  if (where.length > 0) out.push(`at ${where.join(", ")}`);
  if (output) out.push(...excerpt(head(plain(output, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS).split("\n"), paint));
  return out;
}
function lined(text) {
  return plain(text).split("\n");
}
function message(text, paint) {
  const [first = "", ...rest] = lined(text);
  return [first, ...excerpt(rest, paint)];
}
function labelled(label, value, paint) {
  const lines = lined(value);
  const shown = lines.length > 1 ? excerpt(lines, paint) : lines;
  const [first = "", ...rest] = shown;
  return [label + first, ...rest.map((line) => " ".repeat(label.length) + line)];
}
function excerpt(lines, paint) {
  return lines.map((line) => paint("dim", `${GUTTER}${line}`));
}
function buildFailure(result, paint) {
  const build = result.build;
  if (!build || build.ok) return [];
  const step = build.failing_step ? `: ${oneLine(build.failing_step)}` : "";
  const lines = ["", `${paint("red", "\u2718")} The image did not build${step}`];
  if (build.log_tail) {
    const log = tail(plain(build.log_tail, OUTPUT_CHARS * 2), OUTPUT_LINES, OUTPUT_CHARS);
    lines.push(...excerpt(log.split("\n"), paint).map((line) => `  ${line}`));
  }
  return lines;
}
function totalLine(result, paint) {
  const took = `took ${formatDuration(result.duration_ms)}`;
  const size = result.build?.ok && result.build.image_size !== void 0 ? `, image ${formatBytes(result.build.image_size)}` : "";
  const score = formatScore(result, "/");
  if (score === void 0) {
    const reason = result.reason ? `: ${oneLine(result.reason)}` : "";
    return `${paint("yellow", `! ungradable${reason}`)} \u2014 no score was given (${took})`;
  }
  const verdict = paint(result.passed ? "green" : "red", formatVerdict(result));
  return `${paint("bold", `Score ${score}`)} \u2014 ${verdict} (${took}${size})`;
}

// src/report/markdown.ts
var DEFAULT_MAX_LENGTH = 65e3;
var SHORTENED_NOTE = "Some output was shortened to fit GitHub's size limit.";
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
function renderMarkdown(result, options = {}) {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const marker = options.marker;
  const head2 = marker ? `${marker}
` : "";
  const blocks = collectBlocks(result, maxLength);
  const render = (fit) => {
    const body = renderBody(result, blocks, fit, options.now);
    return marker ? neutraliseMarker(body, marker) : body;
  };
  return head2 + fitWithin(render, [...blocks.values()], maxLength - head2.length);
}
function renderSummaryLine(result) {
  const score = formatScore(result, "/");
  if (score === void 0) {
    const reason = result.reason ? ` \u2014 ${oneLine2(result.reason, 200)}` : "";
    return `grader: ungradable${reason}`;
  }
  return `grader: ${score} \u2014 ${formatVerdict(result)}`;
}
function oneLine2(text, maxChars) {
  return truncateMiddle(
    cleanText(text).replace(/\s*\n\s*/g, " ").trim(),
    maxChars
  ).replace(/\n/g, " ");
}
function fitWithin(render, blocks, budget) {
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
  return compact.length <= budget ? compact : cutAtLine(compact, budget);
}
function cutAtLine(text, budget) {
  const note = "\n\n_\u2026 the rest of the report did not fit GitHub's size limit._\n";
  if (budget <= note.length) return text.slice(0, Math.max(0, budget));
  const end = text.lastIndexOf("\n", budget - note.length);
  return `${text.slice(0, Math.max(0, end))}${note}`;
}
function collectBlocks(result, maxLength) {
  const blocks = /* @__PURE__ */ new Map();
  const add = (id, raw, keep) => {
    const cleaned = cleanText(shorten(raw, keep, maxLength));
    blocks.set(id, { id, text: shorten(cleaned, keep, maxLength), keep });
  };
  result.checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    const { expected, actual, output } = visibleDetails(check);
    if (expected !== void 0 && !fitsInline(expected)) add(`expected:${i}`, expected, "middle");
    if (actual !== void 0 && !fitsInline(actual)) add(`actual:${i}`, actual, "middle");
    if (output !== void 0 && output !== "") add(`output:${i}`, output, "middle");
  });
  const log = result.build && !result.build.ok ? result.build.log_tail : void 0;
  if (log) add("build-log", tail(log, BUILD_LOG_LINES, maxLength), "tail");
  return blocks;
}
function shorten(text, keep, maxChars) {
  if (text.length <= maxChars) return text;
  return keep === "tail" ? tail(text, Number.MAX_SAFE_INTEGER, maxChars) : truncateMiddle(text, maxChars);
}
function fitsInline(value) {
  return value.length <= INLINE_CODE_MAX && !/[\r\n]/.test(value);
}
function needsFixing(check) {
  return (check.status === "failed" || check.status === "error") && !check.hidden;
}
function renderBody(result, blocks, fit, now) {
  const blockText = (id) => {
    const block = blocks.get(id);
    if (!block || fit.dropped.has(id)) return void 0;
    return shorten(block.text, block.keep, fit.cap);
  };
  const parts = [...heading(result)];
  if (fit.shortened) parts.push(`> \u26A0\uFE0F ${SHORTENED_NOTE}`);
  parts.push(submissionLine2(result));
  if (result.checks.length > 0) parts.push(checkTable(result.checks));
  if (result.checks.some((c) => c.hidden)) parts.push("\u{1F512} Hidden checks show only their result.");
  if (fit.compact) {
    parts.push("_Details were left out to fit GitHub's size limit; the job log has the full report._");
  } else {
    parts.push(...buildFailure2(result, blockText));
    parts.push(...whatToFix(result.checks, blocks, blockText));
    parts.push(...skippedList(result.checks));
  }
  parts.push("---", footer(result, now));
  return `${parts.join("\n\n")}
`;
}
function heading(result) {
  const title = escapeInline(result.rubric.title);
  const score = formatScore(result);
  if (score === void 0) {
    const reason = result.reason ? escapeInline(truncateMiddle(result.reason, INLINE_CAP)) : "no reason was given";
    return [
      `## ${title} \u2014 \u26A0\uFE0F ungradable`,
      `**This submission could not be graded:** ${reason}

No score was given (this is not a zero). Try again later, or ask your instructor.`
    ];
  }
  const verdict = formatVerdict(result);
  return [`## ${title} \u2014 ${score}`, `${result.passed ? "\u2705" : "\u274C"} ${verdict[0].toUpperCase()}${verdict.slice(1)}`];
}
function submissionLine2(result) {
  const { source, commit, ref } = result.submission;
  const at2 = commit ? ` at ${inlineCode(shortCommit(commit))}` : "";
  const onRef = ref ? ` (${escapeInline(ref)})` : "";
  return `**Submission:** ${escapeInline(source)}${onRef}${at2}`;
}
function checkTable(checks) {
  const rows = checks.map((check) => {
    const lock = check.hidden ? " \u{1F512}" : "";
    return `| ${STATUS_ICON[check.status]} | ${escapeInline(check.name)}${lock} | ${formatPoints(check)} |`;
  });
  return ["| | Check | Points |", "| :-: | :-- | --: |", ...rows].join("\n");
}
function buildFailure2(result, blockText) {
  const build = result.build;
  if (!build || build.ok) return [];
  const parts = ["### \u274C The image did not build"];
  if (build.failing_step) parts.push(`**Failing step:** ${inlineCode(truncateMiddle(build.failing_step, INLINE_CAP))}`);
  if (build.log_tail) parts.push(codeOrOmitted(blockText("build-log"), "The end of the build log"));
  return parts;
}
function whatToFix(checks, blocks, blockText) {
  const parts = [];
  checks.forEach((check, i) => {
    if (!needsFixing(check)) return;
    parts.push(`#### ${STATUS_ICON[check.status]} ${escapeInline(check.name)} \xB7 ${formatPoints(check)}`);
    if (check.message) parts.push(escapeInlineWithCode(truncateMiddle(check.message, INLINE_CAP)));
    if (check.status === "error") parts.push("_The grader could not run this check; this is not a fault in your submission._");
    if (check.feedback) parts.push(`\u{1F4A1} ${escapeInlineWithCode(check.feedback)}`);
    const { expected, actual, output } = visibleDetails(check);
    const facts = [];
    if (expected !== void 0 && !blocks.has(`expected:${i}`)) facts.push(`- **Expected:** ${inlineCode(expected)}`);
    if (actual !== void 0 && !blocks.has(`actual:${i}`)) facts.push(`- **Actual:** ${inlineCode(actual)}`);
    const where = checkLocations(check).map((l) => escapeInline(formatLocation(l)));
    if (where.length > 0) facts.push(`- **Where:** ${where.join(", ")}`);
    if (facts.length > 0) parts.push(facts.join("\n"));
    if (blocks.has(`expected:${i}`)) parts.push(codeOrOmitted(blockText(`expected:${i}`), "**Expected:**"));
    if (blocks.has(`actual:${i}`)) parts.push(codeOrOmitted(blockText(`actual:${i}`), "**Actual:**"));
    if (output !== void 0 && blocks.has(`output:${i}`)) parts.push(details("Output", blockText(`output:${i}`)));
  });
  return parts.length > 0 ? ["### What to fix", ...parts] : [];
}
function skippedList(checks) {
  const skipped2 = checks.filter((c) => c.status === "skipped" && !c.hidden);
  if (skipped2.length === 0) return [];
  const items = skipped2.map((check) => {
    const message2 = withoutSkippedPrefix(check.message);
    const reason = message2 ? ` \u2014 ${escapeInline(truncateMiddle(message2, INLINE_CAP))}` : "";
    return `- ${STATUS_ICON.skipped} ${escapeInline(check.name)}${reason}`;
  });
  return ["### Skipped", items.join("\n")];
}
function withoutSkippedPrefix(message2) {
  return message2.replace(/^skipped:\s*/i, "");
}
var OMITTED = "_(left out to fit GitHub's size limit)_";
function codeOrOmitted(text, label) {
  return text === void 0 ? `${label} ${OMITTED}` : `${label}

${fence(text, "text").trimEnd()}`;
}
function details(summary, text) {
  if (text === void 0) return `${summary}: ${OMITTED}`;
  return `<details><summary>${summary}</summary>

${fence(text, "text").trimEnd()}

</details>`;
}
function footer(result, now) {
  const bits = [`Graded in ${formatDuration(result.duration_ms)}`];
  if (result.build?.ok) {
    bits.push(`built in ${formatDuration(result.build.duration_ms)}`);
    if (result.build.image_size !== void 0) bits.push(`image ${formatBytes(result.build.image_size)}`);
  }
  bits.push(`rubric: ${escapeInline(result.rubric.source)}`);
  if (now) bits.push(`${now.toISOString().slice(0, 16).replace("T", " ")} UTC`);
  return `<sub>${bits.join(" \xB7 ")}</sub>`;
}

// src/report/json.ts
function toJson(result) {
  return `${JSON.stringify(publicResult(result), null, 2)}
`;
}
function publicResult(result) {
  return {
    rubric: { title: cleanText(result.rubric.title), source: cleanText(result.rubric.source) },
    submission: {
      source: cleanText(result.submission.source),
      commit: nullableText(result.submission.commit),
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

export {
  fence,
  clip,
  firstLine,
  wrapForWorkflowLog,
  newRunId,
  gradeSubmission,
  EXIT,
  exitCodeFor,
  catchInterrupts,
  checkLocations,
  renderTerminal,
  renderMarkdown,
  renderSummaryLine,
  toJson
};

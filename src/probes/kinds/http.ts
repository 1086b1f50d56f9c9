/**
 * `http`: one request to the running service, or several (`cases`, each scored); status,
 * body, JSON subset and response headers checked.
 */
import { t } from '../../basics/i18n/catalogue.js';
import { formatDuration } from '../../basics/units.js';
import type { Check, HttpCase, HttpSpec } from '../../rubric/model.js';
import { OUTPUT_CAP_BYTES } from '../../engine/engine.js';
import { exitNote, nothingListening, requireService, targetPort } from '../context.js';
import { followingClause, headForDisplay, joinClauses, quote } from '../display.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../json-depth.js';
import { describeMatcher, jsonSubset, matchText } from '../matcher.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';
import { sendRequest } from '../http-client.js';

export const httpProbe: Probe<HttpSpec> = {
  kind: 'http',
  stage: () => 'service',
  // Student servers often take one connection at a time (Python's http.server, a BusyBox
  // nc loop) with a tiny backlog: parallel requests would wait out a SYN retransmit.
  schedule: 'one-at-a-time',
  defaultTimeoutMs: 5_000,
  // The check's `timeout` is each request's: a check with cases gets one per case.
  timeLimits: (spec) => spec.cases?.length ?? 1,
  async run(check: Check<HttpSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    if (!spec.cases) return runCase(spec, ctx, ctx.timeoutMs);
    return runCases(spec.cases, ctx);
  },
};

/** Every case in turn (student servers often serve one connection at a time); the check earns the share that pass. */
async function runCases(cases: readonly HttpCase[], ctx: ProbeContext): Promise<ProbeOutcome> {
  const timeoutMs = ctx.timeoutMs / cases.length;
  const outcomes: ProbeOutcome[] = [];
  for (const item of cases) {
    const outcome = await runCase(item, ctx, timeoutMs);
    // The grader could not ask (cancelled): no share of the points can be told.
    if (outcome.status === 'error') return outcome;
    outcomes.push(outcome);
  }
  const failing = outcomes.filter((o) => o.status !== 'passed');
  const count = cases.length;
  const expected = cases.map((item) => `${requestLine(item)}: ${expectations(item).join(', ')}`).join('\n');
  const actual = outcomes
    .map((o, i) => (o.actual === undefined ? o.message : `${requestLine(cases[i]!)}: ${o.actual.split('\n').join(', ')}`))
    .join('\n');
  if (failing.length === 0) {
    const results = outcomes.map((o) => o.message).join('; ');
    return { status: 'passed', message: t('check.http.cases_passed', { count, results }), expected, actual };
  }
  const results = failing.map((o) => o.message).join('; ');
  return {
    status: 'failed',
    message: t('check.http.cases_failed', { failed: failing.length, count, results }),
    expected,
    actual,
    share: { passed: count - failing.length, of: count },
  };
}

function requestLine(spec: HttpCase): string {
  const path = spec.path.startsWith('/') ? spec.path : `/${spec.path}`;
  return `${spec.method.toUpperCase()} ${path}`;
}

/** One request and its verdict, within `timeoutMs`. */
async function runCase(spec: HttpCase, ctx: ProbeContext, timeoutMs: number): Promise<ProbeOutcome> {
  const service = requireService(ctx);
  const port = targetPort(ctx, spec.port);
  if (port === undefined) {
    return { status: 'failed', message: t('probe.http.no_port') };
  }
  const method = spec.method.toUpperCase();
  const path = spec.path.startsWith('/') ? spec.path : `/${spec.path}`;
  const request = requestLine(spec);
  const expected = expectations(spec).join('\n');
  const address = await service.handle.address(port);
  const response = await sendRequest({
    host: address.host,
    port: address.port,
    method,
    path,
    headers: spec.headers,
    ...(spec.data !== undefined ? { body: spec.data } : {}),
    timeoutMs,
    maxBodyBytes: OUTPUT_CAP_BYTES,
    signal: ctx.signal,
  });

  if (!response.ok) {
    switch (response.kind) {
      case 'refused':
        return { status: 'failed', message: `${request}: ${nothingListening(port)}${exitNote(ctx)}`, expected };
      case 'timeout':
        return {
          status: 'failed',
          message: `${t('probe.http.no_response', { request, limit: formatDuration(timeoutMs) })}${exitNote(ctx)}`,
          expected,
        };
      case 'aborted':
        return { status: 'error', message: `${request}: ${t('probe.cancelled')}` };
      default:
        return { status: 'failed', message: `${request}: ${response.message}${exitNote(ctx)}`, expected };
    }
  }

  const body = new TextDecoder('utf-8').decode(response.body);
  const statusOk = spec.status === 'any' || response.status === spec.status;
  const problems: string[] = [];
  if (!statusOk) problems.push(t('probe.http.wrong_status', { actual: response.status, expected: spec.status }));
  if (spec.body) {
    const result = matchText(spec.body, body);
    if (!result.ok) problems.push(t('probe.http.body_failures', { failures: joinClauses(result.failures) }));
  }
  if (spec.json !== undefined) problems.push(...checkJson(spec.json, body, response.truncated));
  for (const [name, matcher] of Object.entries(spec.responseHeaders)) {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) problems.push(t('probe.http.missing_header', { name }));
    else {
      const result = matchText(matcher, value);
      if (!result.ok) problems.push(t('probe.http.header_failures', { name, failures: joinClauses(result.failures) }));
    }
  }

  const { status } = response;
  const cut = response.truncated;
  let message: string;
  if (problems.length === 0) {
    message = cut ? t('probe.http.ok_cut', { request, status, bytes: OUTPUT_CAP_BYTES }) : t('probe.http.ok', { request, status });
  } else if (!statusOk) {
    message = `${t('probe.http.status_mismatch', { request, status, expected: spec.status })}${others(problems.slice(1))}`;
  } else {
    const listed = joinClauses(problems);
    message = cut
      ? t('probe.http.but_cut', { request, status, problems: listed, bytes: OUTPUT_CAP_BYTES })
      : t('probe.http.but', { request, status, problems: listed });
  }
  if (status >= 300 && status < 400 && !statusOk && response.headers.location) {
    message += followingClause(t('probe.http.redirect', { location: response.headers.location }));
  }
  return {
    status: problems.length === 0 ? 'passed' : 'failed',
    message,
    expected,
    actual: describeActual(response.status, response.headers, spec, body),
    output: headForDisplay(body),
  };
}

function others(problems: string[]): string {
  return problems.length > 0 ? followingClause(t('probe.http.also', { problems: joinClauses(problems) })) : '';
}

function checkJson(expected: unknown, body: string, truncated: boolean): string[] {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    return [t('probe.http.json_too_deep', { max: MAX_JSON_DEPTH.toLocaleString('en-US') })];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [truncated ? t('probe.http.json_invalid_cut') : t('probe.http.json_invalid', { start: quote(body.slice(0, 40)) })];
  }
  const differences = jsonSubset(expected, parsed);
  return differences.length > 0 ? [t('probe.http.json_differs', { differences: joinClauses(differences) })] : [];
}

function expectations(spec: HttpCase): string[] {
  const parts = [spec.status === 'any' ? t('probe.http.any_status') : t('probe.http.status', { status: spec.status })];
  if (spec.body) parts.push(t('probe.http.expect_body', { matcher: describeMatcher(spec.body) }));
  if (spec.json !== undefined) parts.push(t('probe.http.expect_json', { json: JSON.stringify(spec.json) }));
  for (const [name, matcher] of Object.entries(spec.responseHeaders)) {
    parts.push(t('probe.http.expect_header', { name, matcher: describeMatcher(matcher) }));
  }
  return parts;
}

function describeActual(status: number, headers: Record<string, string>, spec: HttpCase, body: string): string {
  const parts = [t('probe.http.status', { status })];
  for (const name of Object.keys(spec.responseHeaders)) {
    parts.push(t('probe.http.actual_header', { name, value: headers[name.toLowerCase()] ?? t('probe.http.absent') }));
  }
  if (spec.body || spec.json !== undefined) parts.push(t('probe.http.actual_body', { body: quote(body, 200) }));
  return parts.join('\n');
}

/** `http`: one request to the running service; status, body, JSON subset and response headers checked. */
import { formatDuration } from '../../basics/units.js';
import type { Check, HttpSpec } from '../../rubric/model.js';
import { OUTPUT_CAP_BYTES } from '../../engine/engine.js';
import { exitNote, nothingListening, requireService, targetPort } from '../context.js';
import { headForDisplay, quote } from '../display.js';
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
  async run(check: Check<HttpSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    const service = requireService(ctx);
    const port = targetPort(ctx, spec.port);
    if (port === undefined) {
      return { status: 'failed', message: 'no port to send the request to: the image EXPOSEs none and the rubric names none' };
    }
    const method = spec.method.toUpperCase();
    const path = spec.path.startsWith('/') ? spec.path : `/${spec.path}`;
    const request = `${method} ${path}`;
    const expected = describeExpectations(spec);
    const { timeoutMs } = ctx;
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
          return { status: 'failed', message: `${request}: no response within ${formatDuration(timeoutMs)}${exitNote(ctx)}`, expected };
        case 'aborted':
          return { status: 'error', message: `${request}: grading was cancelled` };
        default:
          return { status: 'failed', message: `${request}: ${response.message}${exitNote(ctx)}`, expected };
      }
    }

    const body = new TextDecoder('utf-8').decode(response.body);
    const statusOk = spec.status === 'any' || response.status === spec.status;
    const problems: string[] = [];
    if (!statusOk) problems.push(`status ${response.status} (expected ${spec.status})`);
    if (spec.body) {
      const result = matchText(spec.body, body);
      if (!result.ok) problems.push(`the body ${result.failures.join('; ')}`);
    }
    if (spec.json !== undefined) problems.push(...checkJson(spec.json, body, response.truncated));
    for (const [name, matcher] of Object.entries(spec.responseHeaders)) {
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) problems.push(`no ${name} header`);
      else {
        const result = matchText(matcher, value);
        if (!result.ok) problems.push(`header ${name} ${result.failures.join('; ')}`);
      }
    }

    const truncatedNote = response.truncated ? ` (body cut at ${OUTPUT_CAP_BYTES} bytes)` : '';
    const headline = `${request} → ${response.status}`;
    let message: string;
    if (problems.length === 0) message = `${headline}${truncatedNote}`;
    else if (!statusOk) message = `${headline} (expected ${spec.status})${others(problems.slice(1))}`;
    else message = `${headline}, but ${problems.join('; ')}${truncatedNote}`;
    if (response.status >= 300 && response.status < 400 && !statusOk && response.headers.location) {
      message += `; redirects are not followed (Location: ${response.headers.location})`;
    }
    return {
      status: problems.length === 0 ? 'passed' : 'failed',
      message,
      expected,
      actual: describeActual(response.status, response.headers, spec, body),
      output: headForDisplay(body),
    };
  },
};

function others(problems: string[]): string {
  return problems.length > 0 ? `; also ${problems.join('; ')}` : '';
}

function checkJson(expected: unknown, body: string, truncated: boolean): string[] {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    return [`the body's JSON is nested deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels, more than the grader reads`];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const why = truncated ? 'it was cut at the size cap' : `it starts with ${quote(body.slice(0, 40))}`;
    return [`the body is not valid JSON (${why})`];
  }
  const differences = jsonSubset(expected, parsed);
  return differences.length > 0 ? [`the JSON differs: ${differences.join('; ')}`] : [];
}

function describeExpectations(spec: HttpSpec): string {
  const parts = [`status ${spec.status}`];
  if (spec.body) parts.push(`body ${describeMatcher(spec.body)}`);
  if (spec.json !== undefined) parts.push(`JSON containing ${JSON.stringify(spec.json)}`);
  for (const [name, matcher] of Object.entries(spec.responseHeaders)) parts.push(`header ${name} ${describeMatcher(matcher)}`);
  return parts.join('\n');
}

function describeActual(status: number, headers: Record<string, string>, spec: HttpSpec, body: string): string {
  const parts = [`status ${status}`];
  for (const name of Object.keys(spec.responseHeaders)) parts.push(`header ${name}: ${headers[name.toLowerCase()] ?? '(absent)'}`);
  if (spec.body || spec.json !== undefined) parts.push(`body ${quote(body, 200)}`);
  return parts.join('\n');
}

/** Judging a finished process (an `exec` in the service or a one-shot `run`): exit code and output matchers. */
import { diskLimitKill } from './disk-limit.js';
import { formatBytes, formatDuration } from '../basics/units.js';
import { OUTPUT_CAP_BYTES, type CapturedText, type ProcessOutcome } from '../engine/engine.js';
import type { Matcher } from '../rubric/model.js';
import { headForDisplay } from './display.js';
import { describeMatcher, matchText } from './matcher.js';
import type { ProbeOutcome } from './probe.js';

export interface ProcessExpectations {
  exitCode: number;
  stdout?: Matcher;
  stderr?: Matcher;
}

export function judgeProcess(label: string, outcome: ProcessOutcome, expect: ProcessExpectations, timeoutMs: number): ProbeOutcome {
  const expected = describeExpectations(expect);
  const output = showOutput(outcome.stdout, outcome.stderr);
  const notes = limitNotes(outcome);
  if (outcome.killedFor === 'time') {
    return {
      status: 'failed',
      message: `${label}: time limit (${formatDuration(timeoutMs)}) exceeded${notes}`,
      expected,
      actual: 'killed after the time limit',
      output,
    };
  }
  if (outcome.oomKilled) {
    return {
      status: 'failed',
      message: `${label}: out of memory (killed by the memory limit)${notes}`,
      expected,
      actual: 'killed: out of memory',
      output,
    };
  }
  const diskKill = diskLimitKill(outcome.killedFor);
  if (diskKill) {
    return {
      status: 'failed',
      message: `${label}: disk limit exceeded (${diskKill})${notes}`,
      expected,
      actual: 'killed: disk limit',
      output,
    };
  }
  const problems: string[] = [];
  if (outcome.exitCode !== expect.exitCode) {
    problems.push(outcome.exitCode === null ? 'no exit code was reported' : `exit code ${outcome.exitCode} (expected ${expect.exitCode})`);
  }
  for (const [name, matcher, captured] of [
    ['stdout', expect.stdout, outcome.stdout],
    ['stderr', expect.stderr, outcome.stderr],
  ] as const) {
    if (!matcher) continue;
    const result = matchText(matcher, captured.text);
    const cut = captured.truncated ? ` (only the first ${captured.text.length} characters were kept)` : '';
    if (!result.ok) problems.push(`${name} ${result.failures.join('; ')}${cut}`);
  }
  return {
    status: problems.length === 0 ? 'passed' : 'failed',
    message:
      problems.length === 0
        ? `${label} exited with ${outcome.exitCode}${outputSummary(expect)}${notes}`
        : `${label}: ${problems.join('; ')}${notes}`,
    expected,
    actual: `exit code ${outcome.exitCode ?? 'unknown'}`,
    output,
  };
}

/** The other limits a process ran into, said alongside whatever ended it. */
function limitNotes(outcome: ProcessOutcome): string {
  const notes: string[] = [];
  if (outcome.pidsLimitHit) notes.push('process limit reached (it tried to start more processes than allowed — a fork bomb?)');
  if (outcome.stdout.truncated || outcome.stderr.truncated) {
    notes.push(
      `output limit: it printed ${formatBytes(outcome.stdout.bytes + outcome.stderr.bytes)}, only the first ${formatBytes(OUTPUT_CAP_BYTES)} per stream was kept`,
    );
  }
  return notes.map((n) => `; ${n}`).join('');
}

function outputSummary(expect: ProcessExpectations): string {
  const parts: string[] = [];
  if (expect.stdout) parts.push(`stdout ${describeMatcher(expect.stdout)}`);
  if (expect.stderr) parts.push(`stderr ${describeMatcher(expect.stderr)}`);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

function describeExpectations(expect: ProcessExpectations): string {
  const parts = [`exit code ${expect.exitCode}`];
  if (expect.stdout) parts.push(`stdout ${describeMatcher(expect.stdout)}`);
  if (expect.stderr) parts.push(`stderr ${describeMatcher(expect.stderr)}`);
  return parts.join('\n');
}

function showOutput(stdout: CapturedText, stderr: CapturedText): string {
  if (stderr.text === '') return headForDisplay(stdout.text);
  if (stdout.text === '') return headForDisplay(`[stderr]\n${stderr.text}`);
  return headForDisplay(`[stdout]\n${stdout.text}\n[stderr]\n${stderr.text}`);
}

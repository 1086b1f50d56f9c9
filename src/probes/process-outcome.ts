/** Judging a finished process (an `exec` in the service or a one-shot `run`): exit code and output matchers. */
import { t } from '../basics/i18n/catalogue.js';
import { diskLimitKill } from './disk-limit.js';
import { formatBytes, formatDuration } from '../basics/units.js';
import { OUTPUT_CAP_BYTES, type CapturedText, type ProcessOutcome } from '../engine/engine.js';
import type { Matcher } from '../rubric/model.js';
import { followingClause, headForDisplay, joinClauses } from './display.js';
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
      message: t('probe.process.time_limit', { label, limit: formatDuration(timeoutMs), notes }),
      expected,
      actual: t('probe.process.killed_time'),
      output,
    };
  }
  if (outcome.oomKilled) {
    return {
      status: 'failed',
      message: t('probe.process.oom', { label, notes }),
      expected,
      actual: t('probe.process.killed_oom'),
      output,
    };
  }
  const diskKill = diskLimitKill(outcome.killedFor);
  if (diskKill) {
    return {
      status: 'failed',
      message: t('probe.process.disk', { label, kill: diskKill, notes }),
      expected,
      actual: t('probe.process.killed_disk'),
      output,
    };
  }
  const problems: string[] = [];
  if (outcome.exitCode !== expect.exitCode) {
    problems.push(
      outcome.exitCode === null
        ? t('probe.process.no_exit_code')
        : t('probe.process.wrong_exit_code', { actual: outcome.exitCode, expected: expect.exitCode }),
    );
  }
  for (const [name, matcher, captured] of [
    ['stdout', expect.stdout, outcome.stdout],
    ['stderr', expect.stderr, outcome.stderr],
  ] as const) {
    if (!matcher) continue;
    const result = matchText(matcher, captured.text);
    if (result.ok) continue;
    const failures = joinClauses(result.failures);
    problems.push(
      captured.truncated
        ? t('probe.process.stream_failures_cut', { stream: name, failures, count: captured.text.length })
        : t('probe.process.stream_failures', { stream: name, failures }),
    );
  }
  return {
    status: problems.length === 0 ? 'passed' : 'failed',
    message:
      problems.length === 0 ? `${passedMessage(label, outcome.exitCode, expect)}${notes}` : `${label}: ${joinClauses(problems)}${notes}`,
    expected,
    actual: t('probe.process.exit_code', { code: outcome.exitCode ?? t('probe.process.unknown') }),
    output,
  };
}

/** The other limits a process ran into, said alongside whatever ended it. */
function limitNotes(outcome: ProcessOutcome): string {
  const notes: string[] = [];
  if (outcome.pidsLimitHit) notes.push(t('probe.process.note_pids'));
  if (outcome.stdout.truncated || outcome.stderr.truncated) {
    const printed = formatBytes(outcome.stdout.bytes + outcome.stderr.bytes);
    notes.push(t('probe.process.note_output', { printed, cap: formatBytes(OUTPUT_CAP_BYTES) }));
  }
  return notes.map(followingClause).join('');
}

function passedMessage(label: string, code: number | null, expect: ProcessExpectations): string {
  const outputs = streamExpectations(expect);
  return outputs.length > 0
    ? t('probe.process.exited_output', { label, code: String(code), outputs: outputs.join(', ') })
    : t('probe.process.exited', { label, code: String(code) });
}

function streamExpectations(expect: ProcessExpectations): string[] {
  const parts: string[] = [];
  if (expect.stdout) parts.push(t('probe.process.stream_matcher', { stream: 'stdout', matcher: describeMatcher(expect.stdout) }));
  if (expect.stderr) parts.push(t('probe.process.stream_matcher', { stream: 'stderr', matcher: describeMatcher(expect.stderr) }));
  return parts;
}

function describeExpectations(expect: ProcessExpectations): string {
  return [t('probe.process.exit_code', { code: expect.exitCode }), ...streamExpectations(expect)].join('\n');
}

function showOutput(stdout: CapturedText, stderr: CapturedText): string {
  if (stderr.text === '') return headForDisplay(stdout.text);
  if (stdout.text === '') return headForDisplay(`[stderr]\n${stderr.text}`);
  return headForDisplay(`[stdout]\n${stdout.text}\n[stderr]\n${stderr.text}`);
}

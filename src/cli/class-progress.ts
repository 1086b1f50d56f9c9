/**
 * What a person sees while a class is graded. At a terminal: a line per finished student and,
 * under them, a status line redrawn in place (done/total, who is being graded, an ETA). Elsewhere
 * (CI logs): plain lines only. Everything goes to stderr; stdout carries the final summary.
 */
import type { StudentRow } from '../basics/class-results.js';
import type { Logger } from '../basics/logger.js';
import { cleanText } from '../basics/sanitize.js';
import { formatDuration } from '../basics/units.js';
import type { ClassProgress } from '../class/run-class.js';
import { formatLate } from '../report/class-format.js';

export interface ClassDisplay {
  onProgress(event: ClassProgress): void;
  /** A logger whose lines do not tear the status line; student lines are prefixed with the username. */
  logger(username?: string): Logger;
  close(): void;
}

const REDRAW_MS = 1_000;
const BAR_WIDTH = 20;

export function classDisplay(options: { live: boolean; verbose: boolean; color: boolean; stream?: NodeJS.WriteStream }): ClassDisplay {
  const out = options.stream ?? process.stderr;
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let total = 0;
  let jobs = 1;
  let done = 0;
  const running = new Set<string>();
  const gradingTimes: number[] = [];
  let statusShown = false;
  let timer: NodeJS.Timeout | undefined;

  const clearStatus = () => {
    if (statusShown) out.write('\r\x1b[2K');
    statusShown = false;
  };
  const drawStatus = () => {
    if (!options.live || total === 0) return;
    clearStatus();
    const filled = Math.round((done / total) * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const names = [...running].slice(0, 3).join(', ') + (running.size > 3 ? ` +${running.size - 3}` : '');
    const parts = [`${bar} ${done}/${total}`, running.size > 0 ? `grading ${names}` : '', eta()].filter(Boolean);
    const columns = out.columns ?? 100;
    out.write(parts.join(' · ').slice(0, Math.max(20, columns - 1)));
    statusShown = true;
  };
  const line = (text: string) => {
    clearStatus();
    out.write(`${text}\n`);
    drawStatus();
  };
  const eta = (): string => {
    const left = total - done;
    if (left === 0 || gradingTimes.length === 0) return '';
    const mean = gradingTimes.reduce((sum, ms) => sum + ms, 0) / gradingTimes.length;
    return `about ${formatDuration((mean * left) / Math.min(jobs, left), 'en')} left`;
  };

  return {
    onProgress(event) {
      switch (event.type) {
        case 'plan':
          total = event.total;
          jobs = event.jobs;
          line(`grading ${total} submission${total === 1 ? '' : 's'}, ${jobs} at a time`);
          if (options.verbose) line(`  class run ${event.runId}: each student's run is labelled io.github.grader.run=${event.runId}NNNN`);
          if (options.live) timer = setInterval(drawStatus, REDRAW_MS).unref();
          break;
        case 'grading':
          running.add(event.username);
          if (!options.live) line(`[${done}/${total}] grading ${event.username}`);
          else drawStatus();
          break;
        case 'finished':
          done++;
          running.delete(event.row.username);
          if (!event.reused && event.row.result) gradingTimes.push(event.durationMs);
          line(`${options.live ? '' : `[${done}/${total}] `}${describe(event.row, event.reused, event.durationMs, paint)}`);
          break;
      }
    },
    logger(username) {
      const prefix = username ? `${username}: ` : '';
      return {
        info: (message) => {
          if (options.verbose) line(`  ${prefix}${message}`);
        },
        warn: (message) => line(`${paint('33', 'warning')}: ${prefix}${message}`),
        debug: (message) => {
          if (options.verbose) line(`  ${prefix}${message}`);
        },
        group: (title, fn) => {
          if (options.verbose) line(`  ${prefix}${title}…`);
          return fn();
        },
      };
    },
    close() {
      if (timer) clearInterval(timer);
      clearStatus();
    },
  };
}

function describe(row: StudentRow, reused: boolean, durationMs: number, paint: (code: string, text: string) => string): string {
  const name = row.username;
  const why = row.reason ? `: ${cleanText(row.reason).split('\n')[0]}` : '';
  if (row.status === 'missing') return `${paint('2', '–')} ${name} missing${why}`;
  if (row.status === 'ungradable') return `${paint('31', '✗')} ${name} ungradable${why}`;
  const result = row.result!;
  const score = `${result.score}/${result.max_score} (${result.percent}%)`;
  const late = row.late_ms ? `, late by ${formatLate(row)}` : '';
  const how = reused ? 'unchanged, result reused' : `in ${formatDuration(durationMs, 'en')}`;
  return `${paint('32', '✓')} ${name} ${score} ${how}${late}`;
}

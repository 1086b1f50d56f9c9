/**
 * Build output as lines: ANSI stripped, overlong lines cut, a bounded tail kept in
 * memory, and the stream passed on to the caller's `onLog` up to a cap (a build that
 * floods its output must not flood the job log too).
 */

/** The events of the Engine API's `/build` JSON stream, classic builder and BuildKit alike. */
export interface BuildStreamEvent {
  stream?: string;
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: unknown;
}

/** What a build stream amounted to, once it has ended. */
export interface BuildStreamSummary {
  imageId?: string;
  /** The message of the stream's final `error` event. */
  error?: string;
  /** The step that failed, as the builder names it (`RUN exit 3`, `[3/5] RUN npm ci`). */
  failingStep?: string;
  /** The failing step's error, when the builder reports one per step (BuildKit vertices). */
  stepError?: string;
  /** The classic builder's `Step N/M` number of the failing step (1-based). */
  stepNumber?: number;
  /** The last lines the failing step printed. */
  stepTail: string;
  /** The last lines of the whole build log. */
  logTail: string;
}

/** Reads one builder's stream of events. */
export interface BuildProgress {
  accept(event: BuildStreamEvent): void;
  finish(): BuildStreamSummary;
}

/** Longest build log line kept; a longer one is cut with a note (a minified bundle echoed by a RUN step, say). */
export const MAX_BUILD_LINE_CHARS = 2000;
export const TAIL_LINES = 40;
export const TAIL_BYTES = 4096;
export const FORWARDED_LOG_BYTES = 1024 * 1024;

// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}

export function capLine(line: string): string {
  return line.length <= MAX_BUILD_LINE_CHARS ? line : `${line.slice(0, MAX_BUILD_LINE_CHARS)} …[line cut]`;
}

/** Splits chunks of text into lines; `\r` counts as a line break (progress bars redraw with it). */
export class BuildLineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split(/\r\n|\r|\n/);
    this.pending = parts.pop() ?? '';
    if (this.pending.length > MAX_BUILD_LINE_CHARS) {
      parts.push(this.pending);
      this.pending = '';
    }
    return parts;
  }

  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [rest];
  }
}

/** The last `maxLines` lines, at most `maxBytes` of them. */
export class LineTail {
  private lines: string[] = [];
  private bytes = 0;

  constructor(
    private readonly maxLines = TAIL_LINES,
    private readonly maxBytes = TAIL_BYTES,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
    while (this.lines.length > this.maxLines || (this.bytes > this.maxBytes && this.lines.length > 1)) {
      this.bytes -= Buffer.byteLength(this.lines.shift() ?? '') + 1;
    }
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** Where every finished line of the build log goes. */
export class BuildTranscript {
  private readonly tail = new LineTail();
  private forwarded = 0;
  private cutOff = false;

  constructor(
    private readonly onLog?: (line: string) => void,
    private readonly forwardLimit = FORWARDED_LOG_BYTES,
  ) {}

  /** Cleans the line, records it and passes it on; returns the cleaned line. */
  line(raw: string): string {
    const line = capLine(stripAnsi(raw));
    this.tail.push(line);
    this.forward(line);
    return line;
  }

  tailText(): string {
    return this.tail.text();
  }

  private forward(line: string): void {
    if (!this.onLog || this.cutOff) return;
    this.forwarded += Buffer.byteLength(line) + 1;
    if (this.forwarded > this.forwardLimit) {
      this.cutOff = true;
      this.onLog(`[build log cut after ${this.forwardLimit} bytes; the build goes on]`);
      return;
    }
    this.onLog(line);
  }
}

/** The message of an `error` event, from `errorDetail` when present. */
export function eventError(event: BuildStreamEvent): string | undefined {
  if (event.errorDetail?.message) return event.errorDetail.message;
  return event.error || undefined;
}

/** The image id of an `aux: { ID }` event. */
export function auxImageId(event: BuildStreamEvent): string | undefined {
  const aux = event.aux;
  if (aux && typeof aux === 'object' && 'ID' in aux && typeof aux.ID === 'string') return aux.ID;
  return undefined;
}

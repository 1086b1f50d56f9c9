/**
 * Reads a BuildKit build stream (Engine API `version: '2'`): decodes the trace
 * events into `docker build --progress=plain`-like lines (`#4 [2/3] RUN make`,
 * `#4 <output>`, `#4 DONE 0.3s`) and remembers which vertex failed and what it printed.
 */
import { decodeTrace } from './build-buildkit-trace.js';
import type { TraceStatus } from './build-buildkit-trace.js';
import { BuildLineSplitter, LineTail, auxImageId, eventError } from './build-log.js';
import type { BuildProgress, BuildStreamEvent, BuildStreamSummary, BuildTranscript } from './build-log.js';

const TRACE_ID = 'moby.buildkit.trace';
const IMAGE_ID = 'moby.image.id';
/** Vertices BuildKit cancels because another one failed. */
const CANCELLED = /context canceled/i;

interface VertexState {
  number: number;
  name: string;
  announced: boolean;
  cached: boolean;
  finished: boolean;
  error: string;
  splitter: BuildLineSplitter;
  tail: LineTail;
}

export class BuildKitProgress implements BuildProgress {
  private readonly vertexes = new Map<string, VertexState>();
  private readonly failed: VertexState[] = [];
  private readonly plain = new BuildLineSplitter();
  private imageId: string | undefined;
  private error: string | undefined;

  constructor(private readonly transcript: BuildTranscript) {}

  accept(event: BuildStreamEvent): void {
    if (event.id === TRACE_ID) {
      if (typeof event.aux === 'string') this.onTrace(event.aux);
      return;
    }
    const imageId = auxImageId(event);
    if (imageId) this.imageId = imageId;
    if (event.id === IMAGE_ID) return;
    if (typeof event.stream === 'string') {
      for (const line of this.plain.push(event.stream)) this.transcript.line(line);
    }
    const error = eventError(event);
    if (error !== undefined) {
      this.error = error;
      this.transcript.line(`ERROR: ${error}`);
    }
  }

  finish(): BuildStreamSummary {
    for (const line of this.plain.flush()) this.transcript.line(line);
    for (const vertex of this.vertexes.values()) this.flushVertex(vertex);
    const failing = this.failed.find((v) => !CANCELLED.test(v.error)) ?? this.failed[0];
    const failed = this.error !== undefined && failing !== undefined;
    return {
      imageId: this.imageId,
      error: this.error,
      failingStep: failed ? failing?.name : undefined,
      stepError: failed ? failing?.error : undefined,
      stepTail: failed ? (failing?.tail.text() ?? '') : '',
      logTail: this.transcript.tailText(),
    };
  }

  private onTrace(aux: string): void {
    let status: TraceStatus;
    try {
      status = decodeTrace(aux);
    } catch {
      return; // a trace this schema cannot read only costs progress lines
    }
    for (const v of status.vertexes) {
      const vertex = this.vertex(v.digest, v.name);
      if (!vertex.announced && (v.started || v.cached)) {
        vertex.announced = true;
        this.transcript.line(`#${vertex.number} ${vertex.name}`);
      }
      if (v.cached && !vertex.cached) {
        vertex.cached = true;
        vertex.finished = true;
        this.transcript.line(`#${vertex.number} CACHED`);
      }
      if (v.error && !vertex.error) {
        this.flushVertex(vertex);
        vertex.error = v.error;
        vertex.finished = true;
        this.failed.push(vertex);
        this.transcript.line(`#${vertex.number} ERROR: ${v.error}`);
      } else if (v.completed && !vertex.finished) {
        this.flushVertex(vertex);
        vertex.finished = true;
        this.transcript.line(`#${vertex.number} DONE ${(v.completedAfterSeconds ?? 0).toFixed(1)}s`);
      }
    }
    for (const log of status.logs) {
      const vertex = this.vertex(log.vertex, '');
      for (const line of vertex.splitter.push(log.msg.toString('utf8'))) this.vertexLine(vertex, line);
    }
    for (const warning of status.warnings) {
      const vertex = this.vertex(warning.vertex, '');
      this.transcript.line(`#${vertex.number} WARNING: ${warning.short}`);
    }
  }

  private vertex(digest: string, name: string): VertexState {
    let vertex = this.vertexes.get(digest);
    if (!vertex) {
      vertex = {
        number: this.vertexes.size + 1,
        name,
        announced: false,
        cached: false,
        finished: false,
        error: '',
        splitter: new BuildLineSplitter(),
        tail: new LineTail(),
      };
      this.vertexes.set(digest, vertex);
    }
    if (name) vertex.name = name;
    return vertex;
  }

  private flushVertex(vertex: VertexState): void {
    for (const line of vertex.splitter.flush()) this.vertexLine(vertex, line);
  }

  private vertexLine(vertex: VertexState, raw: string): void {
    const line = this.transcript.line(`#${vertex.number} ${raw}`);
    vertex.tail.push(line.slice(`#${vertex.number} `.length));
  }
}

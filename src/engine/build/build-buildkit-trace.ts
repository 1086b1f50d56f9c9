/**
 * Decodes BuildKit's `moby.buildkit.trace` events: base64 protobuf
 * `moby.buildkit.v1.StatusResponse` messages. The schema is declared here rather than
 * loaded from dockerode's `.proto` files so that a bundle needs no files beside it;
 * only the fields the grader reads are declared (protobuf skips the others).
 */
import protobuf from 'protobufjs';

export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  started: boolean;
  /** Seconds between start and completion, when completed. */
  completedAfterSeconds?: number;
  completed: boolean;
  error: string;
}

export interface TraceLog {
  vertex: string;
  /** 1 stdout, 2 stderr. */
  stream: number;
  msg: Buffer;
}

export interface TraceWarning {
  vertex: string;
  short: string;
}

export interface TraceStatus {
  vertexes: TraceVertex[];
  logs: TraceLog[];
  warnings: TraceWarning[];
}

const timestamp = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };

const StatusResponse = protobuf.Root.fromJSON({
  nested: {
    Timestamp: timestamp,
    Vertex: {
      fields: {
        digest: { type: 'string', id: 1 },
        name: { type: 'string', id: 3 },
        cached: { type: 'bool', id: 4 },
        started: { type: 'Timestamp', id: 5 },
        completed: { type: 'Timestamp', id: 6 },
        error: { type: 'string', id: 7 },
      },
    },
    VertexLog: {
      fields: { vertex: { type: 'string', id: 1 }, stream: { type: 'int64', id: 3 }, msg: { type: 'bytes', id: 4 } },
    },
    VertexWarning: {
      fields: { vertex: { type: 'string', id: 1 }, short: { type: 'bytes', id: 3 } },
    },
    StatusResponse: {
      fields: {
        vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
        logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
        warnings: { rule: 'repeated', type: 'VertexWarning', id: 4 },
      },
    },
  },
}).lookupType('StatusResponse');

interface RawTimestamp {
  seconds?: number;
  nanos?: number;
}

interface RawStatus {
  vertexes?: { digest?: string; name?: string; cached?: boolean; started?: RawTimestamp; completed?: RawTimestamp; error?: string }[];
  logs?: { vertex?: string; stream?: number; msg?: Uint8Array }[];
  warnings?: { vertex?: string; short?: Uint8Array }[];
}

function seconds(t: RawTimestamp): number {
  return (t.seconds ?? 0) + (t.nanos ?? 0) / 1e9;
}

/** Decodes the `aux` of a `moby.buildkit.trace` event. Throws on bytes that are not a StatusResponse. */
export function decodeTrace(base64: string): TraceStatus {
  const message = StatusResponse.decode(Buffer.from(base64, 'base64'));
  const raw = StatusResponse.toObject(message, { longs: Number }) as RawStatus;
  return {
    vertexes: (raw.vertexes ?? []).map((v) => ({
      digest: v.digest ?? '',
      name: v.name ?? '',
      cached: v.cached ?? false,
      started: v.started !== undefined,
      completed: v.completed !== undefined,
      completedAfterSeconds:
        v.started && v.completed ? Math.max(0, seconds(v.completed) - seconds(v.started)) : undefined,
      error: v.error ?? '',
    })),
    logs: (raw.logs ?? []).map((l) => ({
      vertex: l.vertex ?? '',
      stream: l.stream ?? 0,
      msg: Buffer.from(l.msg ?? new Uint8Array()),
    })),
    warnings: (raw.warnings ?? []).map((w) => ({
      vertex: w.vertex ?? '',
      short: Buffer.from(w.short ?? new Uint8Array()).toString('utf8'),
    })),
  };
}

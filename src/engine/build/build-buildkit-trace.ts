/**
 * Decodes BuildKit's `moby.buildkit.trace` events: base64 protobuf
 * `moby.buildkit.v1.StatusResponse` messages. Only the fields the grader reads are
 * decoded; the others are skipped by their wire type, as protobuf readers do. The wire
 * format is read here directly: a schema-driven library would cost every run its load
 * time (the largest part of the grader's start-up) for these few fields.
 */

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

/** Decodes the `aux` of a `moby.buildkit.trace` event. Throws on bytes that are not a StatusResponse. */
export function decodeTrace(base64: string): TraceStatus {
  const status: TraceStatus = { vertexes: [], logs: [], warnings: [] };
  const reader = new WireReader(Buffer.from(base64, 'base64'));
  // StatusResponse: 1 vertexes, 2 statuses (not read), 3 logs, 4 warnings.
  reader.fields((field, wire) => {
    if (field === 1 && wire === LEN) status.vertexes.push(vertex(reader.message()));
    else if (field === 3 && wire === LEN) status.logs.push(vertexLog(reader.message()));
    else if (field === 4 && wire === LEN) status.warnings.push(vertexWarning(reader.message()));
    else reader.skip(wire);
  });
  return status;
}

/** Vertex: 1 digest, 3 name, 4 cached, 5 started, 6 completed, 7 error. */
function vertex(reader: WireReader): TraceVertex {
  let digest = '';
  let name = '';
  let cached = false;
  let started: number | undefined;
  let completed: number | undefined;
  let error = '';
  reader.fields((field, wire) => {
    if (field === 1 && wire === LEN) digest = reader.string();
    else if (field === 3 && wire === LEN) name = reader.string();
    else if (field === 4 && wire === VARINT) cached = reader.varint() !== 0;
    else if (field === 5 && wire === LEN) started = timestamp(reader.message());
    else if (field === 6 && wire === LEN) completed = timestamp(reader.message());
    else if (field === 7 && wire === LEN) error = reader.string();
    else reader.skip(wire);
  });
  return {
    digest,
    name,
    cached,
    started: started !== undefined,
    completed: completed !== undefined,
    completedAfterSeconds: started !== undefined && completed !== undefined ? Math.max(0, completed - started) : undefined,
    error,
  };
}

/** google.protobuf.Timestamp (1 seconds, 2 nanos), in seconds. */
function timestamp(reader: WireReader): number {
  let seconds = 0;
  let nanos = 0;
  reader.fields((field, wire) => {
    if (field === 1 && wire === VARINT) seconds = signed(reader.varint());
    else if (field === 2 && wire === VARINT) nanos = signed(reader.varint());
    else reader.skip(wire);
  });
  return seconds + nanos / 1e9;
}

/** VertexLog: 1 vertex, 3 stream, 4 msg. */
function vertexLog(reader: WireReader): TraceLog {
  const log: TraceLog = { vertex: '', stream: 0, msg: Buffer.alloc(0) };
  reader.fields((field, wire) => {
    if (field === 1 && wire === LEN) log.vertex = reader.string();
    else if (field === 3 && wire === VARINT) log.stream = signed(reader.varint());
    else if (field === 4 && wire === LEN) log.msg = Buffer.from(reader.bytes());
    else reader.skip(wire);
  });
  return log;
}

/** VertexWarning: 1 vertex, 3 short. */
function vertexWarning(reader: WireReader): TraceWarning {
  const warning: TraceWarning = { vertex: '', short: '' };
  reader.fields((field, wire) => {
    if (field === 1 && wire === LEN) warning.vertex = reader.string();
    else if (field === 3 && wire === LEN) warning.short = reader.string();
    else reader.skip(wire);
  });
  return warning;
}

/** A negative int64/int32 arrives as a 64-bit two's complement varint. */
function signed(value: number): number {
  return value >= 2 ** 63 ? value - 2 ** 64 : value;
}

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** Protobuf's wire format over one message's bytes; every read is bounded by them and throws past their end. */
class WireReader {
  private pos = 0;

  constructor(private readonly buffer: Uint8Array) {}

  /** Calls `onField` with each field's number and wire type; it must read or skip the value. */
  fields(onField: (field: number, wire: number) => void): void {
    while (this.pos < this.buffer.length) {
      const key = this.varint();
      onField(Math.floor(key / 8), key % 8);
    }
  }

  /** Up to 10 bytes; exact up to 2^53, which every value the grader reads stays under. */
  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const byte = this.take(1)[0]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new RangeError('malformed varint');
  }

  bytes(): Uint8Array {
    return this.take(this.varint());
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8');
  }

  /** A length-delimited field, as a reader of its own. */
  message(): WireReader {
    return new WireReader(this.bytes());
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === I64) this.take(8);
    else if (wire === LEN) this.bytes();
    else if (wire === I32) this.take(4);
    else throw new RangeError(`unsupported wire type ${wire}`);
  }

  private take(length: number): Uint8Array {
    if (length > this.buffer.length - this.pos) throw new RangeError('field runs past the end of the message');
    const slice = this.buffer.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }
}

/**
 * The BuildKit trace decoder on hand-encoded protobuf: the fields the grader reads, the
 * ones it must skip by wire type, and bytes that are not a message. (Captured traces from
 * a real engine are replayed in build-progress.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { decodeTrace } from '../../src/engine/build/build-buildkit-trace.js';

function varint(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}
const key = (field: number, wire: number) => varint(field * 8 + wire);
const len = (field: number, bytes: number[]) => [...key(field, 2), ...varint(bytes.length), ...bytes];
const text = (field: number, value: string) => len(field, [...Buffer.from(value, 'utf8')]);
const int = (field: number, value: number) => [...key(field, 0), ...varint(value)];
const fixed = (field: number, wire: number, bytes: number) => [...key(field, wire), ...Array.from({ length: bytes }, (_, i) => i + 1)];
const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

describe('decodeTrace', () => {
  it('reads vertexes, logs and warnings, skipping fields of every wire type it does not know', () => {
    const vertex = [
      ...text(1, 'sha256:abc'),
      ...text(2, 'sha256:input'), // inputs: skipped
      ...text(3, '[2/3] RUN echo héllo'),
      ...int(4, 1),
      ...len(5, [...int(1, 1_700_000_000), ...int(2, 250_000_000)]),
      ...len(6, [...int(1, 1_700_000_002), ...int(2, 750_000_000)]),
      ...text(7, 'exit code: 3'),
      ...fixed(9, 1, 8), // a fixed64 field
      ...fixed(10, 5, 4), // a fixed32 field
      ...int(11, 2 ** 40),
    ];
    const log = [...text(1, 'sha256:abc'), ...len(2, int(1, 5)), ...int(3, 2), ...len(4, [0x6f, 0x6b, 0x0a, 0xff])];
    const warning = [...text(1, 'sha256:abc'), ...int(2, 1), ...text(3, 'FromAsCasing'), ...text(4, 'detail')];
    const status = decodeTrace(b64([...len(1, vertex), ...len(2, text(1, 'status: skipped')), ...len(3, log), ...len(4, warning)]));
    expect(status.vertexes).toEqual([
      {
        digest: 'sha256:abc',
        name: '[2/3] RUN echo héllo',
        cached: true,
        started: true,
        completed: true,
        completedAfterSeconds: 2.5,
        error: 'exit code: 3',
      },
    ]);
    expect(status.logs).toEqual([{ vertex: 'sha256:abc', stream: 2, msg: Buffer.from([0x6f, 0x6b, 0x0a, 0xff]) }]);
    expect(status.warnings).toEqual([{ vertex: 'sha256:abc', short: 'FromAsCasing' }]);
  });

  it('gives defaults for absent fields: a vertex not started has no duration', () => {
    const status = decodeTrace(b64(len(1, text(1, 'sha256:def'))));
    expect(status.vertexes).toEqual([
      { digest: 'sha256:def', name: '', cached: false, started: false, completed: false, completedAfterSeconds: undefined, error: '' },
    ]);
    expect(decodeTrace('')).toEqual({ vertexes: [], logs: [], warnings: [] });
  });

  it('throws on bytes that are not a message', () => {
    expect(() => decodeTrace(b64([0x0a, 0x05, 0x01]))).toThrow(/past the end/); // a length past the end
    expect(() => decodeTrace(b64([0x0a, 0xff, 0xff, 0xff]))).toThrow();
    expect(() => decodeTrace(b64([...key(1, 0), ...Array(10).fill(0xff), 0x01]))).toThrow(/varint/); // an 11-byte varint
    expect(() => decodeTrace(b64([...key(1, 3)]))).toThrow(/wire type 3/); // a group
  });
});

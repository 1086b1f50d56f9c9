import { describe, expect, it } from 'vitest';
import { LineFeed, LogLineSplitter, MAX_LOG_LINE_CHARS, TextCapture } from '../../src/engine/container/capture.js';
import { StreamDemuxer } from '../../src/engine/container/demux.js';

const bytes = (...values: number[]) => Buffer.from(values);

describe('TextCapture', () => {
  it('decodes characters split across chunks', () => {
    const capture = new TextCapture();
    const text = Buffer.from('é😀 ok', 'utf8'); // 2-byte and 4-byte characters
    for (const byte of text) capture.write(bytes(byte));
    capture.end();
    expect(capture.snapshot()).toEqual({ text: 'é😀 ok', bytes: text.length, truncated: false });
  });

  it('shows invalid bytes and an unfinished last character as U+FFFD', () => {
    const capture = new TextCapture();
    capture.write(bytes(0x61, 0xff, 0x62));
    capture.write(bytes(0xe2, 0x82)); // the start of '€', never finished
    capture.end();
    expect(capture.snapshot().text).toBe('a\uFFFDb\uFFFD');
  });

  it('stores up to the cap, counts every byte, and does not invent a character at the cut', () => {
    const capture = new TextCapture(5);
    capture.write(Buffer.from('abcd', 'utf8'));
    capture.write(Buffer.from('é and much more', 'utf8')); // the cut falls inside 'é'
    capture.write(Buffer.alloc(1000, 0x78));
    capture.end();
    const result = capture.snapshot();
    expect(result.text).toBe('abcd');
    expect(result.bytes).toBe(4 + Buffer.byteLength('é and much more') + 1000);
    expect(result.truncated).toBe(true);
  });

  it('keeps exactly the cap when nothing is cut mid-character', () => {
    const capture = new TextCapture(3);
    capture.write(Buffer.from('abc'));
    capture.end();
    expect(capture.snapshot()).toEqual({ text: 'abc', bytes: 3, truncated: false });
  });

  it('stays small whatever volume flows through it', () => {
    const capture = new TextCapture(1024);
    const chunk = Buffer.alloc(64 * 1024, 'y\n');
    for (let i = 0; i < 1024; i++) capture.write(chunk); // 64 MiB
    expect(capture.snapshot().text.length).toBe(1024);
    expect(capture.snapshot().bytes).toBe(64 * 1024 * 1024);
  });
});

describe('LogLineSplitter', () => {
  it('splits on \\n and \\r\\n across pushes and flushes the last line', () => {
    const lines: string[] = [];
    const splitter = new LogLineSplitter((line) => lines.push(line));
    splitter.push('one\r\ntw');
    splitter.push('o\n\nthr');
    splitter.push('ee');
    expect(lines).toEqual(['one', 'two', '']);
    splitter.flush();
    expect(lines).toEqual(['one', 'two', '', 'three']);
  });

  it('keeps only the start of an overlong line', () => {
    const lines: string[] = [];
    const splitter = new LogLineSplitter((line) => lines.push(line));
    splitter.push('x'.repeat(MAX_LOG_LINE_CHARS));
    splitter.push('y'.repeat(10) + '\nnext\n');
    expect(lines).toEqual(['x'.repeat(MAX_LOG_LINE_CHARS), 'next']);
  });
});

describe('LineFeed', () => {
  it('decodes bytes into lines for its listeners until they unsubscribe', () => {
    const feed = new LineFeed();
    const seen: string[] = [];
    const unsubscribe = feed.subscribe((line) => seen.push(line));
    const text = Buffer.from('héllo\nwörld\n');
    for (const byte of text) feed.write(bytes(byte));
    unsubscribe();
    feed.write(Buffer.from('after\n'));
    expect(seen).toEqual(['héllo', 'wörld']);
  });
});

describe('StreamDemuxer', () => {
  function frame(stream: number, payload: string): Buffer {
    const body = Buffer.from(payload);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  }

  it('separates stdout and stderr however the frames are cut', () => {
    const wire = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err\n'), frame(1, ''), frame(1, 'out two\n')]);
    for (const size of [1, 3, 8, 9, wire.length]) {
      let out = '';
      let err = '';
      const demuxer = new StreamDemuxer(
        (chunk) => (out += chunk.toString()),
        (chunk) => (err += chunk.toString()),
      );
      for (let i = 0; i < wire.length; i += size) demuxer.write(wire.subarray(i, i + size));
      expect({ size, out, err }).toEqual({ size, out: 'out one\nout two\n', err: 'err\n' });
    }
  });

  it('hands on payload as it arrives instead of waiting for the whole frame', () => {
    const received: string[] = [];
    const demuxer = new StreamDemuxer(
      (chunk) => received.push(chunk.toString()),
      () => {},
    );
    const wire = frame(1, 'abcdef');
    demuxer.write(wire.subarray(0, 11));
    expect(received).toEqual(['abc']);
    demuxer.write(wire.subarray(11));
    expect(received).toEqual(['abc', 'def']);
  });
});

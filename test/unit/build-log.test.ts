import { describe, expect, it } from 'vitest';
import { BuildTranscript, BuildLineSplitter, LineTail, MAX_BUILD_LINE_CHARS, stripAnsi } from '../../src/engine/build/build-log.js';

describe('build log lines', () => {
  it('strips the colour codes the classic builder wraps stderr in', () => {
    expect(stripAnsi('\u001b[91moops\n\u001b[0m')).toBe('oops\n');
  });

  it('splits chunks into lines across chunk borders, treating \\r as a break', () => {
    const splitter = new BuildLineSplitter();
    expect(splitter.push('one\ntw')).toEqual(['one']);
    expect(splitter.push('o\r\nprogress 10%\rprogress 100%\n')).toEqual(['two', 'progress 10%', 'progress 100%']);
    expect(splitter.push('last')).toEqual([]);
    expect(splitter.flush()).toEqual(['last']);
  });

  it('does not buffer an endless line', () => {
    const splitter = new BuildLineSplitter();
    expect(splitter.push('x'.repeat(MAX_BUILD_LINE_CHARS + 1))).toHaveLength(1);
  });

  it('keeps the last lines within both a line and a byte budget', () => {
    const tail = new LineTail(3, 1000);
    for (const line of ['a', 'b', 'c', 'd']) tail.push(line);
    expect(tail.text()).toBe('b\nc\nd');
    const small = new LineTail(40, 10);
    for (const line of ['12345', '67890', 'abc']) small.push(line);
    expect(small.text()).toBe('67890\nabc');
  });

  it('passes lines on up to a cap, then says it stopped, while the tail keeps going', () => {
    const seen: string[] = [];
    const transcript = new BuildTranscript((line) => seen.push(line), 20);
    for (let i = 0; i < 10; i++) transcript.line(`line ${i}`);
    expect(seen).toEqual(['line 0', 'line 1', '[build log cut after 20 bytes; the build goes on]']);
    expect(transcript.tailText().endsWith('line 9')).toBe(true);
  });
});

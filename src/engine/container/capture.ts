/**
 * Capped capture of what a container prints: whatever the volume, memory stays flat.
 * Bytes past the cap are counted and dropped; the stream keeps being drained so the
 * container never blocks on a full pipe.
 */
import { OUTPUT_CAP_BYTES, type CapturedText } from '../engine.js';

/** Longest line handed to line listeners; the rest of an overlong line is dropped. */
export const MAX_LOG_LINE_CHARS = 64 * 1024;

/** Stores the first `capBytes` bytes of a byte stream as text, counting every byte. */
export class TextCapture {
  private readonly decoder = new TextDecoder('utf-8');
  private text = '';
  private stored = 0;
  private seen = 0;
  private ended = false;

  constructor(private readonly capBytes: number = OUTPUT_CAP_BYTES) {}

  write(chunk: Uint8Array): void {
    this.seen += chunk.length;
    const room = this.capBytes - this.stored;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.stored += kept.length;
    // stream: true keeps a character split across chunks for the next call
    this.text += this.decoder.decode(kept, { stream: true });
  }

  /** No more bytes: an incomplete trailing character becomes U+FFFD, unless the cap cut it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.truncated) this.text += this.decoder.decode();
  }

  get truncated(): boolean {
    return this.seen > this.stored;
  }

  snapshot(): CapturedText {
    return { text: this.text, bytes: this.seen, truncated: this.truncated };
  }
}

/** Splits decoded text into lines (`\n` or `\r\n`), keeping at most MAX_LOG_LINE_CHARS of a line. */
export class LogLineSplitter {
  private partial = '';
  private overlong = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.append(text.slice(start, newline));
      this.emit();
      start = newline + 1;
    }
    this.append(text.slice(start));
  }

  /** Emits a last line that had no newline. */
  flush(): void {
    if (this.partial || this.overlong) this.emit();
  }

  private append(piece: string): void {
    const room = MAX_LOG_LINE_CHARS - this.partial.length;
    if (piece.length > room) this.overlong = true;
    if (room > 0) this.partial += piece.slice(0, room);
  }

  private emit(): void {
    const line = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    this.partial = '';
    this.overlong = false;
    this.onLine(line);
  }
}

/** Turns a byte stream into lines for listeners; decodes only while someone listens. */
export class LineFeed {
  private readonly listeners = new Set<(line: string) => void>();
  private readonly decoder = new TextDecoder('utf-8');
  private readonly splitter = new LogLineSplitter((line) => {
    for (const listener of this.listeners) listener(line);
  });

  subscribe(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(chunk: Uint8Array): void {
    if (this.listeners.size > 0) this.splitter.push(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    if (this.listeners.size > 0) this.splitter.push(this.decoder.decode());
    this.splitter.flush();
  }
}

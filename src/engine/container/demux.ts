/**
 * Docker's multiplexed stdout/stderr stream (non-TTY attach, logs, exec): frames of an
 * 8-byte header (stream type, 3 zero bytes, big-endian payload length) and a payload.
 * Payload bytes are handed on as they arrive, so no frame is ever buffered whole
 * (docker-modem's demuxStream concatenates until a frame is complete).
 */

export type StreamSink = (chunk: Buffer) => void;

const HEADER_BYTES = 8;
const STDERR = 2;

export class StreamDemuxer {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private payloadLeft = 0;
  private sink: StreamSink;

  constructor(
    private readonly stdout: StreamSink,
    private readonly stderr: StreamSink,
  ) {
    this.sink = stdout;
  }

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.payloadLeft > 0) {
        const take = Math.min(this.payloadLeft, chunk.length - offset);
        this.sink(chunk.subarray(offset, offset + take));
        this.payloadLeft -= take;
        offset += take;
        continue;
      }
      const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - offset);
      chunk.copy(this.header, this.headerFill, offset, offset + take);
      this.headerFill += take;
      offset += take;
      if (this.headerFill === HEADER_BYTES) {
        this.headerFill = 0;
        this.sink = this.header[0] === STDERR ? this.stderr : this.stdout;
        this.payloadLeft = this.header.readUInt32BE(4);
      }
    }
  }
}

/** Feeds a multiplexed stream into two sinks; resolves when the stream ends or closes. */
export function demultiplex(stream: NodeJS.ReadableStream, stdout: StreamSink, stderr: StreamSink): Promise<void> {
  const demuxer = new StreamDemuxer(stdout, stderr);
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => demuxer.write(chunk));
    // A hijacked socket may close without 'end' when the daemon drops it; both mean done.
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    // Errors end the stream for us; the caller learns what happened from the container's exit.
    stream.on('error', () => resolve());
  });
}

/**
 * Reads the `/build` response: one JSON event per line, until the daemon ends it or
 * the signal aborts. Aborting destroys the response, which closes the connection;
 * the daemon cancels a build whose client has gone.
 */
import type { Readable } from 'node:stream';
import { t } from '../../basics/i18n/catalogue.js';
import type { BuildStreamEvent } from './build-log.js';

/** A line longer than this is not an event the grader needs; it is dropped, not buffered forever. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

export type StreamEnd = 'ended' | 'aborted';

export function readBuildStream(stream: Readable, onEvent: (event: BuildStreamEvent) => void, signal: AbortSignal): Promise<StreamEnd> {
  return new Promise((resolve, reject) => {
    let pending = '';
    let settled = false;

    const settle = (end: StreamEnd | Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (end instanceof Error) reject(end);
      else resolve(end);
    };

    const parse = (line: string) => {
      if (line.trim() === '') return;
      try {
        onEvent(JSON.parse(line) as BuildStreamEvent);
      } catch {
        // not an event: the daemon only ever sends JSON lines here
      }
    };

    function onAbort() {
      settle('aborted');
      stream.destroy();
    }

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (settled) return;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      if (pending.length > MAX_EVENT_CHARS) pending = '';
      for (const line of lines) parse(line);
    });
    stream.on('end', () => {
      if (settled) return;
      parse(pending);
      settle('ended');
    });
    stream.on('error', (err) => settle(signal.aborted ? 'aborted' : err));
    stream.on('close', () => {
      if (signal.aborted) settle('aborted');
      else settle(new Error(t('engine.build.stream_closed')));
    });
  });
}

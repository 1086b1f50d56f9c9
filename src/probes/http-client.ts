/**
 * A minimal HTTP client for probes: one request, no redirects followed, one
 * deadline covering connect + response + body, body capped.
 */
import http from 'node:http';
import { t } from '../basics/i18n/catalogue.js';

export interface HttpRequest {
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  ok: true;
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body was longer than the cap and reading stopped there. */
  truncated: boolean;
  durationMs: number;
}

export interface HttpFailure {
  ok: false;
  kind: 'refused' | 'timeout' | 'reset' | 'protocol' | 'aborted' | 'other';
  message: string;
  code?: string;
}

export function sendRequest(request: HttpRequest): Promise<HttpResponse | HttpFailure> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    const req = http.request({
      host: request.host,
      port: request.port,
      method: request.method,
      path: request.path,
      headers,
      agent: false,
    });

    const finish = (result: HttpResponse | HttpFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, kind: 'timeout', message: t('probe.http.no_complete_response', { ms: request.timeoutMs }) }),
      request.timeoutMs,
    );
    const onAbort = () => finish({ ok: false, kind: 'aborted', message: t('probe.http.request_cancelled') });
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error: NodeJS.ErrnoException) => finish(describeError(error)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const respond = (truncated: boolean) =>
        finish({
          ok: true,
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res.headers),
          body: Buffer.concat(chunks),
          truncated,
          durationMs: performance.now() - started,
        });
      res.on('data', (chunk: Buffer) => {
        const room = request.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          respond(true);
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => respond(false));
      res.on('error', (error: NodeJS.ErrnoException) => finish(describeError(error)));
    });
    req.end(request.body);
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describeError(error: NodeJS.ErrnoException): HttpFailure {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return { ok: false, kind: 'refused', message: error.message, code };
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return { ok: false, kind: 'reset', message: t('probe.http.reset'), code };
  }
  if (code.startsWith('HPE_')) return { ok: false, kind: 'protocol', message: t('probe.http.not_http', { code }), code };
  return { ok: false, kind: 'other', message: t('probe.http.request_failed', { error: error.message }), ...(code ? { code } : {}) };
}

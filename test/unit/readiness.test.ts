import { describe, expect, it } from 'vitest';
import { waitUntilReady } from '../../src/core/readiness.js';
import { compilePattern } from '../../src/rubric/pattern.js';
import { FakeService } from '../helpers/fake-engine.js';

describe('waitUntilReady with a log pattern', () => {
  it('is ready once a log line matches, CRLF line ends included', async () => {
    const service = new FakeService();
    service.logText = 'booting\r\nlistening on 3000\r\n';
    const readiness = await waitUntilReady(service, { log: { pattern: compilePattern('^listening on \\d+$') }, timeoutMs: 5_000 });
    expect(readiness.ready).toBe(true);
  });

  it('times out, rather than freezing, on a log built against a backtracking pattern', async () => {
    const service = new FakeService();
    service.logText = `${'a'.repeat(40)}!\n`;
    const readiness = await waitUntilReady(service, { log: { pattern: compilePattern('(a+)+$') }, timeoutMs: 200 });
    expect(readiness).toMatchObject({ ready: false, reason: 'timeout' });
    expect(readiness.elapsedMs).toBeLessThan(2_000);
  });
});

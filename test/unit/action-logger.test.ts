import { describe, expect, it } from 'vitest';
import { actionLogger, toLog } from '../../src/action/action-logger.js';

describe('toLog', () => {
  it('passes plain text through as one line', () => {
    expect(toLog('grading examples/web-app')).toBe('grading examples/web-app\n');
  });

  it('leaves "::" alone where the runner would not read a command', () => {
    expect(toLog('file a::b and ::set-output mid-line')).toBe('file a::b and ::set-output mid-line\n');
  });

  it('fences text that could be taken for a workflow command with stop-commands', () => {
    for (const text of ['::set-output name=x::1', 'ok\n::add-mask::secret', 'ok\n  ##[error]fake', 'x\r::warning::y']) {
      const logged = toLog(text);
      const token = /^::stop-commands::(\w+)\n/.exec(logged)?.[1];
      expect(token, logged).toMatch(/^\w{16,}$/);
      expect(logged.endsWith(`::${token}::\n`)).toBe(true);
      expect(logged).toContain(text);
    }
  });

  it('is what the logger writes for info', () => {
    const written: string[] = [];
    actionLogger((t) => written.push(t)).info('::error::from a student file name');
    expect(written[0]).toMatch(/^::stop-commands::\w+\n::error::from a student file name\n::\w+::\n$/);
  });
});

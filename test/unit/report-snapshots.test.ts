import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../../src/basics/results.js';
import { renderMarkdown, renderSummaryLine } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { toJson } from '../../src/report/json.js';

const FIXTURES = new URL('../fixtures/results/', import.meta.url);
const names = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

function load(name: string): GradeResult {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as GradeResult;
}

describe.each(names)('report of %s', (name) => {
  const result = load(name);

  it('markdown', async () => {
    const md = renderMarkdown(result, { marker: '<!-- grader:report -->', now: new Date('2025-04-01T09:30:00Z') });
    await expect(md).toMatchFileSnapshot(`__snapshots__/report-markdown/${name}.md`);
  });

  it('terminal without colour', async () => {
    const text = renderTerminal(result, { color: false });
    expect(text).not.toContain('\x1b');
    await expect(text).toMatchFileSnapshot(`__snapshots__/report-terminal/${name}.txt`);
  });

  it('terminal with colour', async () => {
    const text = renderTerminal(result, { color: true });
    expect(text).toContain('\x1b[');
    await expect(text).toMatchFileSnapshot(`__snapshots__/report-terminal/${name}.ansi.txt`);
  });

  it('json', async () => {
    await expect(toJson(result)).toMatchFileSnapshot(`__snapshots__/report-json/${name}.json`);
  });

  it('summary line', () => {
    expect(renderSummaryLine(result)).toMatchSnapshot();
  });
});

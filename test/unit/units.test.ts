import { describe, expect, it } from 'vitest';
import { formatBinaryBytes, formatBytes } from '../../src/basics/units.js';

describe('formatBytes and formatBinaryBytes', () => {
  it('prints measured sizes in decimal units, as docker images does', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(2_000_000)).toBe('2.0 MB');
    expect(formatBytes(153_400_000)).toBe('153 MB');
  });

  it('prints limits in binary units, the way they are written', () => {
    expect(formatBinaryBytes(512)).toBe('512 B');
    expect(formatBinaryBytes(1024)).toBe('1 KiB');
    expect(formatBinaryBytes(64 * 1024)).toBe('64 KiB');
    expect(formatBinaryBytes(1.5 * 1024 ** 2)).toBe('1.5 MiB');
    expect(formatBinaryBytes(51 * 1024 ** 2)).toBe('51 MiB');
    expect(formatBinaryBytes(768 * 1024 ** 2)).toBe('768 MiB');
    expect(formatBinaryBytes(1.25 * 1024 ** 3)).toBe('1.25 GiB');
    expect(formatBinaryBytes(16 * 1024 ** 3)).toBe('16 GiB');
  });
});

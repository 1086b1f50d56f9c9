/** Parsing of the human units rubrics use: durations (`5m`, `30s`, `500ms`) and sizes (`250MB`, `512m`). */
import { DEFAULT_LOCALE, currentLocale, translator, type Locale } from './i18n/catalogue.js';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i;
const DURATION_FACTORS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds from `5m`, `30s`, `1.5s`, `500ms`; a bare number means seconds. Undefined when unparsable. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 's').toLowerCase();
  return Math.round(Number(match[1]) * DURATION_FACTORS[unit]!);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const SIZE_FACTORS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/**
 * Bytes from `250MB` (decimal, as `docker images` prints), `512MiB`, or Docker's
 * own `512m` (binary, as `docker run --memory` reads it). A bare number means bytes.
 */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  return Math.round(Number(match[1]) * SIZE_FACTORS[unit]!);
}

/** A measured size in decimal units, as `docker images` prints it: `999 B`, `2.0 MB`, `153 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}

/** A limit in binary units, the way limits are written: `512 B`, `64 KiB`, `1.5 MiB`, `4 GiB`. */
export function formatBinaryBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(value < 10 ? 2 : 1))} ${units[unit]}`;
}

/**
 * A duration as messages show it: `250 ms`, `1.2 s`, `2 min 5 s`; in Korean `250ms`, `1.2초`,
 * `2분 5초`. In the language of the grading under way, unless `locale` names one (renderers of
 * a finished result pass the result's).
 */
export function formatDuration(ms: number, locale: Locale = currentLocale()): string {
  const tr = translator(locale);
  if (ms < 1000) return tr('unit.duration.ms', { ms: Math.round(ms) });
  // Tenths, as they read best in each language: `2.0 s`, `2초`.
  if (ms < 60_000) {
    const tenths = (ms / 1000).toFixed(1);
    // English keeps the tenth (`2.0 s`); other languages drop a zero one (`2초`).
    return tr('unit.duration.seconds', { seconds: locale === DEFAULT_LOCALE ? tenths : String(Number(tenths)) });
  }
  return tr('unit.duration.minutes', { minutes: Math.floor(ms / 60_000), seconds: Math.round((ms % 60_000) / 1000) });
}

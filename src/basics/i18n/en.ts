/**
 * English: the catalogue that defines every key and its parameters (see catalogue.ts).
 * Sections by where the words are used; keep keys grouped and sorted within a section.
 */
export const en = {
  // ── report ──
  'report.score': 'Score {score}/{max} ({percent}%)',
  // ── probes ──
  // ── core ──
  // ── class ──
} as const;

/**
 * 한국어: 합니다체, 수업 용어(디렉토리, 명령어, 컨테이너, 이미지, 베이스 이미지).
 * Dockerfile 명령, 명령어, 경로, 포트, 시그널, 숫자는 그대로 둡니다.
 */
import type { Catalogue } from './catalogue.js';

export const ko: Catalogue = {
  // ── report ──
  'report.score': '점수 {score}/{max}점 ({percent}%)',
  // ── probes ──
  // ── core ──
  // ── class ──
};

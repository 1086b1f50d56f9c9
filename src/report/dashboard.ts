/**
 * The class dashboard (`index.html`): one self-contained page an instructor opens from disk.
 * The page is static markup around the class data, embedded as JSON; its script builds the
 * student table, the heatmap and the detail panel from that data. A content security policy
 * lets only this page's own style and script run, so nothing injected could.
 */
import { createHash } from 'node:crypto';
import type { ClassCheck, ClassResult, StudentRow } from '../basics/class-results.js';
import type { MessageArgs, MessageKey, Translate } from '../basics/i18n/catalogue.js';
import type { CheckResult, CheckStatus } from '../basics/results.js';
import { cleanText, clip } from '../basics/sanitize.js';
import { formatLate, rowMaxScore, rowPercent, rowScore, roundTo, studentName } from './class-format.js';
import { scoreBins, tallyChecks } from './class-summary.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';
import { formatNumber, reportTranslator } from './format.js';

/** Student text longer than this is cut in the dashboard; the full text is in the student's own report. */
const NAME_CAP = 200;
/** The checks with the lowest pass rate listed beside the counts. */
const HARDEST_SHOWN = 5;
const MESSAGE_CAP = 500;
const FEEDBACK_CAP = 1_000;

const STATUS_CODE: Record<CheckStatus, DashboardCell[0]> = { passed: 'p', failed: 'f', skipped: 's', error: 'e' };

/** One check of one student: status, points, max points, message and feedback (indices into `texts`, -1 for none). */
type DashboardCell = ['p' | 'f' | 's' | 'e', number, number, number, number];

interface DashboardStudent {
  index: number;
  /** Exactly as in the roster: the key, and the name of the report files. */
  username: string;
  /** The username as shown, when cleaning changed it. */
  label?: string;
  name: string;
  section: string;
  email?: string;
  status: StudentRow['status'];
  reason?: string;
  score: number | null;
  max: number | null;
  percent: number | null;
  passed: boolean;
  late_ms: number | null;
  /** `2h 5m`, as the other class outputs say it. */
  late?: string;
  commit?: string;
  committed_at?: string;
  pushed_at?: string;
  deadline_basis?: string;
  repository?: string;
  /** Aligned with the data's `checks`; null where the check did not run for this student. */
  checks: (DashboardCell | null)[];
}

interface DashboardData {
  checks: { id: string; name: string; max: number }[];
  /** Messages and feedback, each once: many students share them. */
  texts: string[];
  students: DashboardStudent[];
  /** The words the script writes, in the page's language; `{name}` marks where it puts a value. */
  labels: DashboardLabels;
}

export function renderDashboard(result: ClassResult): string {
  const tr = reportTranslator(result.locale);
  const data = dashboardData(result, tr);
  const json = scriptSafeJson(data);
  return page(result, json, tr);
}

/** The script's words. It puts them in with textContent, and fills `{name}` with a number or a name. */
type DashboardLabels = ReturnType<typeof dashboardLabels>;

function dashboardLabels(tr: Translate) {
  return {
    rowStatus: {
      graded: tr('class.status.graded'),
      ungradable: tr('class.status.ungradable'),
      missing: tr('class.status.missing'),
    } satisfies Record<StudentRow['status'], string>,
    checkStatus: {
      passed: tr('class.check.passed'),
      failed: tr('class.check.failed'),
      skipped: tr('class.check.skipped'),
      error: tr('class.check.error'),
    } satisfies Record<CheckStatus, string>,
    late: tr('class.dashboard.late_badge'),
    report: tr('class.dashboard.report_link'),
    notRun: tr('class.dashboard.not_run'),
    passRate: tr('class.dashboard.pass_rate'),
    passRateTitle: tr('class.dashboard.pass_rate_title', { passed: '{passed}', ran: '{ran}' }),
    shownAll: tr('class.dashboard.shown_all', { count: '{count}' }),
    shownSome: tr('class.dashboard.shown_some', { shown: '{shown}', total: '{total}' }),
    passed: tr('class.check.passed'),
    notPassed: tr('class.dashboard.not_passed'),
    lateAfter: tr('class.dashboard.late_after', { late: '{late}' }),
    fullReport: tr('class.dashboard.full_report'),
    checkPoints: tr('class.dashboard.check_points', { points: '{points}' }),
    fact: {
      status: tr('class.column.status'),
      score: tr('class.column.score'),
      why: tr('class.dashboard.why'),
      section: tr('class.column.section'),
      email: tr('class.dashboard.email'),
      repository: tr('class.dashboard.repository'),
      commit: tr('class.column.commit'),
      committed: tr('class.dashboard.committed'),
      pushed: tr('class.dashboard.pushed'),
      deadlineBy: tr('class.dashboard.deadline_by'),
      late: tr('class.label.late'),
    },
  };
}

function page(result: ClassResult, json: string, tr: Translate): string {
  const t = htmlWords(tr);
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(DASHBOARD_STYLE)}'`,
    `script-src '${sha256(DASHBOARD_SCRIPT)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = html(result.rubric.title);
  return `<!doctype html>
<html lang="${tr.locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="grader ${html(result.grader_version)}">
<title>${title} · ${t('class.dashboard.class_results')}</title>
<style>${DASHBOARD_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${title}</h1>
${metaLine(result, tr)}
</header>
<div class="overview">
<section class="card" aria-label="${t('class.dashboard.counts')}">
${tiles(result, tr)}
${hardestChecks(result, tr)}
</section>
<section class="card" aria-labelledby="hist-title">
<div class="card-head"><h2 id="hist-title">${t('class.distribution')}</h2><span class="note">${t('class.dashboard.by_percent')}</span></div>
${histogram(result, tr)}
</section>
</div>
<section class="card" aria-labelledby="students-title">
<div class="card-head">
<h2 id="students-title">${t('class.dashboard.students')}</h2>
<div class="controls">
<input type="search" id="filter" placeholder="${t('class.dashboard.filter')}" aria-label="${t('class.dashboard.filter_label')}" autocomplete="off">
<select id="status" aria-label="${t('class.column.status')}">
<option value="">${t('class.dashboard.all_statuses')}</option>
<option value="graded">${t('class.label.graded')}</option>
<option value="ungradable">${t('class.label.ungradable')}</option>
<option value="missing">${t('class.label.missing')}</option>
<option value="late">${t('class.label.late')}</option>
</select>
<select id="section" aria-label="${t('class.column.section')}"><option value="">${t('class.dashboard.all_sections')}</option></select>
</div>
<span class="note" id="shown" aria-live="polite"></span>
</div>
<noscript><p>${t('class.dashboard.noscript')}</p></noscript>
<div class="scroll">
<table class="students">
<thead><tr>
${STUDENT_COLUMNS.map(([key, heading, numeric]) => `<th class="sortable${numeric ? ' num' : ''}" data-key="${key}" aria-sort="none"><button type="button">${t(heading)}</button></th>`).join('')}
<th class="reports">${t('class.dashboard.reports')}</th>
</tr></thead>
<tbody id="rows"></tbody>
</table>
</div>
<p class="empty" id="no-rows" hidden>${t('class.dashboard.no_match')}</p>
</section>
<section class="card" aria-labelledby="heat-title">
<div class="card-head">
<h2 id="heat-title">${t('class.dashboard.heatmap')}</h2>
<div class="legend"><span class="l-pass">${t('class.dashboard.legend_full')}</span><span class="l-part">${t('class.dashboard.legend_partial')}</span><span class="l-fail">${t('class.dashboard.legend_none')}</span><span class="l-skip">${t('class.check.skipped')}</span><span class="l-none">${t('class.dashboard.not_run')}</span></div>
<span class="note">${t('class.dashboard.heat_note')}</span>
</div>
<div class="scroll">
<table class="heat">
<thead><tr id="heat-head"><th></th></tr></thead>
<tbody id="heat-rows"></tbody>
<tfoot id="heat-rates"></tfoot>
</table>
</div>
</section>
</main>
<dialog id="detail" aria-labelledby="d-title">
<div class="detail-head">
<div class="who"><h2 id="d-title"></h2><div class="muted" id="d-name"></div></div>
<div class="nav">
<button type="button" id="d-prev" aria-label="${t('class.dashboard.previous_student')}">&#8249; ${t('class.dashboard.prev')}</button>
<button type="button" id="d-next" aria-label="${t('class.dashboard.next_student')}">${t('class.dashboard.next')} &#8250;</button>
<button type="button" id="d-close" aria-label="${t('class.dashboard.close')}" autofocus>${t('class.dashboard.close')}</button>
</div>
</div>
<div class="detail-body">
<dl class="facts" id="d-facts"></dl>
<p id="d-links"></p>
<table class="checks">
<thead><tr><th>${t('class.column.check')}</th><th>${t('class.column.status')}</th><th class="num">${t('class.dashboard.points')}</th><th>${t('class.dashboard.message')}</th></tr></thead>
<tbody id="d-checks"></tbody>
</table>
<p class="empty" id="d-no-checks" hidden>${t('class.dashboard.no_checks')}</p>
</div>
</dialog>
<script type="application/json" id="data">${json}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

/** Key, heading, numeric: the sortable columns of the student table, in order. */
const STUDENT_COLUMNS = [
  ['username', 'class.column.username', false],
  ['name', 'class.column.name', false],
  ['section', 'class.column.section', false],
  ['status', 'class.column.status', false],
  ['score', 'class.column.score', true],
  ['percent', 'class.column.percent', true],
  ['late', 'class.column.late_by', true],
  ['commit', 'class.column.commit', false],
] as const;

function metaLine(result: ClassResult, tr: Translate): string {
  const t = htmlWords(tr);
  const parts = [
    result.deadline === undefined
      ? `<span>${t('class.dashboard.no_deadline')}</span>`
      : `<span>${t('class.dashboard.deadline')} <b>${time(result.deadline)}</b></span>`,
    `<span>${t('class.dashboard.generated')} ${time(result.generated_at)}</span>`,
    `<span>${t('class.dashboard.roster')} <b>${html(result.roster.file)}</b> (${t('class.dashboard.roster_rows', { rows: result.roster.rows })})</span>`,
    result.rubric.pass_threshold === undefined
      ? ''
      : `<span>${t('class.dashboard.pass_mark')} <b>${formatNumber(result.rubric.pass_threshold)}%</b></span>`,
    result.shard === undefined ? '' : `<span>${t('class.dashboard.shard')} <b>${result.shard.index}/${result.shard.count}</b></span>`,
    `<span>grader ${html(result.grader_version)}</span>`,
  ];
  return `<p class="meta">${parts.filter(Boolean).join('')}</p>`;
}

function time(iso: string): string {
  return `<time datetime="${html(iso)}">${html(iso)}</time>`;
}

function tiles(result: ClassResult, tr: Translate): string {
  const t = htmlWords(tr);
  const rows = result.students;
  const count = (status: StudentRow['status']) => rows.filter((row) => row.status === status).length;
  const percents = rows.map(rowPercent).filter((p): p is number => p !== null);
  const ungradable = count('ungradable');
  const late = rows.filter((row) => formatLate(row) !== undefined).length;
  const passed = rows.filter((row) => rowScore(row) !== null && row.result?.passed === true).length;
  const percent = (n: number) => `${formatNumber(roundTo(n, 1))}%`;
  const tile = (label: string, value: string | number, className = '') =>
    `<div class="tile${className ? ` ${className}` : ''}"><div class="v">${value}</div><div class="k">${label}</div></div>`;
  return `<div class="tiles">
${tile(t('class.label.students'), rows.length)}
${tile(t('class.label.graded'), count('graded'))}
${tile(t('class.label.ungradable'), ungradable, ungradable > 0 ? 'warn' : '')}
${tile(t('class.label.missing'), count('missing'))}
${tile(t('class.label.late'), late, late > 0 ? 'late' : '')}
${tile(t('class.label.passed'), passed)}
${tile(t('class.label.mean'), percents.length > 0 ? percent(mean(percents)) : '–')}
${tile(t('class.label.median'), percents.length > 0 ? percent(median(percents)) : '–')}
</div>`;
}

/** The checks the class did worst on, with their pass rate over the graded students. */
function hardestChecks(result: ClassResult, tr: Translate): string {
  const t = htmlWords(tr);
  const tallies = tallyChecks(result.rubric.checks, result.students).filter((t) => t.rate !== null && t.rate < 1);
  if (tallies.length === 0) return '';
  const items = tallies.slice(0, HARDEST_SHOWN).map((t) => {
    const rate = t.rate! * 100;
    return (
      `<li title="${html(t.check.id)}"><span class="check-name">${html(clip(t.check.name, NAME_CAP))}</span>` +
      `<svg class="rate-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="8" rx="4"/><rect class="fill" width="${r(rate)}" height="8" rx="4"/></svg>` +
      `<span class="rate">${formatNumber(roundTo(rate, 1))}%</span><span class="muted">${t.passed}/${t.passed + t.failed}</span></li>`
    );
  });
  return `<h3 class="sub">${t('class.dashboard.hardest')} <span class="muted">${t('class.dashboard.hardest_note')}</span></h3>
<ol class="hardest">${items.join('')}</ol>`;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const BINS = 10;

/** Ten bins of ten percent; 100% falls in the last. */
function histogram(result: ClassResult, tr: Translate): string {
  const t = htmlWords(tr);
  const counts = scoreBins(result.students);
  const width = 480;
  const height = 210;
  const left = 10;
  const bottom = 24;
  const top = 18;
  const slot = (width - 2 * left) / BINS;
  const highest = Math.max(1, ...counts);
  const x = (percent: number) => left + (percent / 100) * (width - 2 * left);
  const bars = counts.map((n, bin) => {
    const barHeight = n === 0 ? 2 : ((height - top - bottom) * n) / highest;
    const from = bin * (100 / BINS);
    const to = bin === BINS - 1 ? 100 : from + 100 / BINS;
    const range = `${from}–${to}${bin === BINS - 1 ? '' : ` (${t('class.dashboard.exclusive')})`}%`;
    const y = height - bottom - barHeight;
    return (
      `<rect class="${n === 0 ? 'bar-empty' : 'bar'}" data-bin="${bin}" data-count="${n}" x="${r(left + bin * slot + 3)}" y="${r(y)}" width="${r(slot - 6)}" height="${r(barHeight)}" rx="2">` +
      `<title>${range}: ${t('class.dashboard.bin_students', { count: n })}</title></rect>` +
      (n > 0 ? `<text class="count" x="${r(left + (bin + 0.5) * slot)}" y="${r(y - 4)}">${n}</text>` : '')
    );
  });
  const ticks = Array.from({ length: BINS + 1 }, (_, i) => i * (100 / BINS)).map(
    (percent) => `<text class="tick" x="${r(x(percent))}" y="${height - 8}">${percent}</text>`,
  );
  const threshold = result.rubric.pass_threshold;
  const mark =
    threshold === undefined
      ? ''
      : `<line class="threshold" x1="${r(x(threshold))}" x2="${r(x(threshold))}" y1="${top - 6}" y2="${height - bottom}"/>` +
        `<text class="threshold-label" x="${r(x(threshold) + 4)}" y="${top}">${t('class.dashboard.pass_line', { threshold: formatNumber(threshold) })}</text>`;
  return `<svg class="hist" viewBox="0 0 ${width} ${height}" role="img" aria-label="${t('class.dashboard.histogram_label', { bins: BINS })}">
<line class="axis" x1="${left}" x2="${width - left}" y1="${height - bottom}" y2="${height - bottom}"/>
${bars.join('\n')}
${ticks.join('')}
${mark}
</svg>`;
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function dashboardData(result: ClassResult, tr: Translate): DashboardData {
  const checks: ClassCheck[] = [...result.rubric.checks];
  const column = new Map(checks.map((check, i) => [check.id, i]));
  // A result may name a check the rubric summary lacks (an older class.json): it gets a column too.
  for (const row of result.students) {
    for (const check of row.result?.checks ?? []) {
      if (!column.has(check.id)) {
        column.set(check.id, checks.length);
        checks.push({ id: check.id, name: check.name, max_points: check.max_points });
      }
    }
  }
  const texts: string[] = [];
  const textIndex = new Map<string, number>();
  const intern = (s: string | undefined, cap: number): number => {
    if (s === undefined || s === '') return -1;
    const shown = clip(cleanText(s), cap);
    let i = textIndex.get(shown);
    if (i === undefined) {
      i = texts.push(shown) - 1;
      textIndex.set(shown, i);
    }
    return i;
  };
  const cell = (check: CheckResult): DashboardCell => [
    STATUS_CODE[check.status] ?? 'e',
    check.points,
    check.max_points,
    intern(check.message, MESSAGE_CAP),
    intern(check.feedback, FEEDBACK_CAP),
  ];
  const students = result.students.map((row): DashboardStudent => {
    const cells = new Array<DashboardCell | null>(checks.length).fill(null);
    for (const check of row.result?.checks ?? []) cells[column.get(check.id)!] = cell(check);
    const score = rowScore(row);
    const late = formatLate(row, tr.locale);
    const label = cleanText(row.username);
    return {
      index: row.index,
      username: row.username,
      ...(label === row.username ? {} : { label }),
      name: shown(studentName(row), NAME_CAP),
      section: shown(row.section, NAME_CAP),
      ...optional('email', row.email),
      status: row.status,
      ...optional('reason', row.reason ?? row.result?.reason, MESSAGE_CAP),
      score,
      max: score === null ? null : rowMaxScore(row, result),
      percent: rowPercent(row),
      passed: score !== null && row.result?.passed === true,
      late_ms: late === undefined ? null : row.late_ms!,
      ...optional('late', late),
      ...optional('commit', row.commit),
      ...optional('committed_at', row.committed_at),
      ...optional('pushed_at', row.pushed_at),
      ...optional('deadline_basis', row.deadline_basis),
      ...optional('repository', row.repository),
      checks: cells,
    };
  });
  return {
    checks: checks.map((c) => ({ id: c.id, name: shown(c.name, NAME_CAP), max: c.max_points })),
    texts,
    students,
    labels: dashboardLabels(tr),
  };
}

function shown(s: string | undefined, cap: number): string {
  return s === undefined ? '' : clip(cleanText(s).replace(/\s+/g, ' ').trim(), cap);
}

function optional<K extends string>(key: K, value: string | undefined, cap = NAME_CAP): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: shown(value, cap) } as Record<K, string>);
}

/**
 * JSON that can sit inside a <script> element: no `<` (so no `</script>` or `<!--`), no `>`
 * or `&`, and no U+2028/U+2029, which older parsers read as line ends.
 */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The grader's own words, for HTML content or a double-quoted attribute. */
function words(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The translator, its words made fit for HTML. */
function htmlWords(tr: Translate) {
  return <K extends MessageKey>(key: K, ...args: MessageArgs<K>): string => words(tr(key, ...args));
}

/** Text for HTML content or a double-quoted attribute. */
function html(s: string): string {
  return cleanText(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sha256(source: string): string {
  return `sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}`;
}

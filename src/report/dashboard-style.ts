/** The class dashboard's stylesheet: light, system fonts (Hangul included), prints on white. */
export const DASHBOARD_STYLE = `
:root {
  color-scheme: light;
  --ink: #1f2430; --muted: #5d6576; --line: #e3e6ec; --bg: #f5f6f8; --card: #fff; --accent: #2f5bd3;
  --pass: #2e9e5b; --part: #e3a32b; --fail: #d9483b; --skip: #c9ced6; --none: #eef0f3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR", "Noto Sans CJK KR",
    "Apple SD Gothic Neo", "Malgun Gothic", NanumGothic, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 16px; margin: 0; }
.meta { color: var(--muted); margin: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.meta b { color: var(--ink); font-weight: 600; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-top: 16px; }
.card-head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 16px; margin-bottom: 12px; }
.card-head .note { color: var(--muted); margin-left: auto; }
.overview { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr); gap: 16px; }
.overview > .card { margin-top: 16px; }
.tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.tile .v { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.tile .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile.warn .v { color: var(--fail); }
.tile.late .v { color: #b7791f; }
svg.hist { width: 100%; height: auto; display: block; }
.hist .bar { fill: var(--accent); }
.hist .bar-empty { fill: var(--line); }
.hist .count { font-size: 11px; fill: var(--ink); text-anchor: middle; font-variant-numeric: tabular-nums; }
.hist .tick { font-size: 10px; fill: var(--muted); text-anchor: middle; }
.hist .axis { stroke: #aab1bd; stroke-width: 1; }
.hist .threshold { stroke: var(--fail); stroke-width: 1.5; stroke-dasharray: 4 3; }
.hist .threshold-label { font-size: 10px; fill: var(--fail); }
h3.sub { font-size: 13px; margin: 16px 0 8px; font-weight: 600; }
h3.sub .muted { font-weight: 400; margin-left: 6px; }
ol.hardest { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
ol.hardest li { display: grid; grid-template-columns: minmax(0, 1fr) 90px 48px 40px; gap: 10px; align-items: center; }
ol.hardest .check-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
ol.hardest .rate { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
ol.hardest .muted { font-variant-numeric: tabular-nums; font-size: 12px; }
svg.rate-bar { width: 90px; height: 8px; display: block; }
.rate-bar .track { fill: var(--none); }
.rate-bar .fill { fill: var(--fail); }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
input, select, button { font: inherit; color: inherit; }
input[type=search], select { border: 1px solid #cfd4dc; border-radius: 6px; padding: 5px 8px; background: #fff; }
input[type=search] { width: 240px; }
table { border-collapse: collapse; width: 100%; }
.scroll { overflow-x: auto; }
table.students th, table.students td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; white-space: nowrap; }
table.students td.name, table.students td.section { white-space: normal; overflow-wrap: anywhere; max-width: 260px; }
table.students thead th { position: sticky; top: 0; background: #fafbfc; z-index: 1; font-weight: 600; }
table.students tbody tr { cursor: pointer; }
table.students tbody tr:hover { background: #f3f6fd; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
th.sortable button { all: unset; cursor: pointer; }
th.sortable button::after { content: "\\2195"; color: #b4bac5; margin-left: 4px; font-size: 11px; }
th[aria-sort=ascending] button::after { content: "\\25B2"; color: var(--accent); }
th[aria-sort=descending] button::after { content: "\\25BC"; color: var(--accent); }
th.sortable button:focus-visible, button.link:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
button.link { all: unset; cursor: pointer; color: var(--accent); font-weight: 600; overflow-wrap: anywhere; }
button.link:hover { text-decoration: underline; }
a { color: var(--accent); }
.reports a { margin-right: 8px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.st-graded, .st-passed { background: #e3f4ea; color: #1d6b3d; }
.st-ungradable, .st-error { background: #fde7e4; color: #9b2c20; }
.st-missing, .st-skipped { background: #eceef2; color: #4a5160; }
.st-failed { background: #fdeee0; color: #9c4a0f; }
.st-late { background: #fdf3dc; color: #8a5a00; }
.pct { display: inline-flex; align-items: center; gap: 8px; justify-content: flex-end; }
.pct .track { width: 64px; height: 6px; border-radius: 3px; background: var(--none); overflow: hidden; }
.pct .fill { display: block; height: 100%; background: var(--pass); }
.pct .fill.low { background: var(--fail); }
.pct .fill.mid { background: var(--part); }
.muted { color: var(--muted); }
.empty { color: var(--muted); padding: 16px 4px; }
table.heat { width: auto; border-collapse: separate; border-spacing: 2px; }
table.heat thead th { vertical-align: bottom; padding: 0 0 4px; font-weight: 500; color: var(--muted); }
table.heat thead th.col span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; display: inline-block;
  max-height: 150px; overflow: hidden; text-overflow: ellipsis; font-size: 12px; }
table.heat tbody th, table.heat tfoot th { text-align: right; padding: 0 8px 0 0; font-weight: 500; white-space: nowrap;
  max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
table.heat td.cell { width: 20px; min-width: 20px; height: 20px; border-radius: 3px; cursor: pointer; }
table.heat tfoot td { font-size: 10px; color: var(--muted); text-align: center; padding-top: 4px; font-variant-numeric: tabular-nums; }
.c-pass { background: var(--pass); }
.c-part { background: var(--part); }
.c-fail { background: var(--fail); }
.c-skip { background: var(--skip); }
.c-none { background: var(--none); }
.legend { display: flex; flex-wrap: wrap; gap: 12px; color: var(--muted); font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.legend .l-pass::before { background: var(--pass); }
.legend .l-part::before { background: var(--part); }
.legend .l-fail::before { background: var(--fail); }
.legend .l-skip::before { background: var(--skip); }
.legend .l-none::before { background: var(--none); border: 1px solid var(--line); }
dialog { border: none; border-radius: 12px; padding: 0; width: min(920px, 94vw); max-height: 90vh; box-shadow: 0 20px 60px rgba(15, 23, 42, .3); color: var(--ink); }
dialog::backdrop { background: rgba(15, 23, 42, .35); }
.detail-head { display: flex; align-items: flex-start; gap: 12px; padding: 16px 20px; border-bottom: 1px solid var(--line);
  position: sticky; top: 0; background: #fff; }
.detail-head h2 { font-size: 18px; overflow-wrap: anywhere; }
.detail-head .who { flex: 1; min-width: 0; }
.detail-head .nav { display: flex; gap: 6px; }
.detail-head button { border: 1px solid #cfd4dc; background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
.detail-body { padding: 14px 20px 20px; }
#d-links a { margin-right: 16px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0 0 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table.checks th, table.checks td { padding: 7px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.checks td.msg { overflow-wrap: anywhere; white-space: pre-wrap; }
table.checks .id { display: block; color: var(--muted); font-size: 12px; }
table.checks .feedback { margin: 4px 0 0; color: #6b4a00; background: #fff8e6; border-radius: 6px; padding: 4px 8px; }
@media (max-width: 900px) { .overview { grid-template-columns: 1fr; } .tiles { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media print {
  :root { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  .overview { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .tiles { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  .tile { padding: 6px 8px; }
  svg.hist { max-height: 220px; }
  .controls, dialog, .reports, th.sortable button::after { display: none !important; }
  .card { border: none; padding: 0; break-inside: auto; }
  tr, .tile { break-inside: avoid; }
  table.students thead th { position: static; }
  .c-pass, .c-part, .c-fail, .c-skip, .c-none, .pct .fill, .badge, .hist .bar, .rate-bar, .legend span::before { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;

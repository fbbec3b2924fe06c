/**
 * The report's stylesheet, inlined into the HTML (the CSP allows inline styles
 * and nothing else). System fonts only: a web font would be a request.
 */
export const HTML_STYLE = `
:root {
  --fg: #1b2330; --muted: #5c6777; --line: #dde2e9; --soft: #f1f3f6; --bg: #f6f7f9; --card: #fff;
  --accent: #2456a4; --good: #12724a; --bad: #b42318;
  --critical: #7a1020; --high: #c2410c; --medium: #a16207; --low: #2f6690; --none: #667085; --informational: #6741a8;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code, .vector { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
.masthead, .toc, main, footer { max-width: 1100px; margin: 0 auto; padding-left: 32px; padding-right: 32px; }
.masthead { padding-top: 28px; padding-bottom: 12px; }
.eyebrow { margin: 0 0 4px; color: var(--accent); font-weight: 600; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; }
h1 { font-size: 30px; font-weight: 700; word-break: break-word; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 14px 0 0; }
.facts div { min-width: 0; }
.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.facts dd { margin: 0; font-weight: 500; }
.notice { margin: 14px 0 0; padding: 10px 14px; border: 1px solid #c9d8ee; border-left: 4px solid var(--accent); background: #eef3fb; border-radius: 6px; }
.notice.warn { border-color: #f0d9a8; border-left-color: var(--medium); background: #fdf6e7; }
.toc { position: sticky; top: 0; z-index: 1; background: var(--bg); border-bottom: 1px solid var(--line); }
.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: 2px 20px; margin: 0; padding: 10px 0; }
.toc a { color: var(--muted); font-weight: 500; }
.toc a:hover { color: var(--accent); }
main { padding-top: 8px; padding-bottom: 8px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 22px 26px; margin: 18px 0; }
h2 { font-size: 19px; margin-bottom: 4px; }
h3 { font-size: 14px; margin: 20px 0 8px; }
.lead { margin: 0 0 14px; color: var(--muted); }
.count { display: inline-block; min-width: 22px; padding: 0 7px; border-radius: 10px; background: var(--soft); color: var(--muted); font-size: 12px; font-weight: 600; text-align: center; }
.key { color: var(--muted); font-weight: 400; font-size: 12px; margin-left: 4px; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.unknown, .unknown-note { color: var(--muted); }
.unknown-note { margin: 14px 0 0; padding: 8px 12px; background: var(--soft); border-radius: 6px; }
.missing { color: var(--bad); font-style: italic; }
.bad-text { color: var(--bad); font-weight: 600; }

.cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; margin: 10px 0 18px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: var(--card); border-top: 3px solid var(--line); }
.card.good { border-top-color: var(--good); }
.card.bad { border-top-color: var(--bad); }
.card .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.card .value { font-size: 28px; font-weight: 700; line-height: 1.2; margin: 2px 0 4px; font-variant-numeric: tabular-nums; }
.card .value .of { font-size: 16px; color: var(--muted); font-weight: 500; }
.card .note { font-size: 12.5px; color: var(--muted); }

table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; background: var(--soft); border-bottom: 1px solid var(--line); }
tbody th { font-weight: 600; white-space: nowrap; }
tfoot th, tfoot td { border-bottom: 0; font-weight: 700; }
.num { text-align: right; width: 1%; white-space: nowrap; }
table.compact th, table.compact td { padding: 6px 8px; }
.share { white-space: nowrap; color: var(--muted); width: 45%; }
.meter { display: inline-block; vertical-align: middle; width: 70%; height: 8px; background: var(--soft); border-radius: 4px; overflow: hidden; margin-right: 6px; }
.meter span { display: block; height: 100%; background: var(--accent); }
tr.expired td { background: #fdf0ef; }
table.exceptions { table-layout: fixed; }
table.exceptions td, table.exceptions th { overflow-wrap: anywhere; }
table.exceptions th:first-child { width: 28%; }
table.exceptions th:nth-child(2):not(:last-child) { width: 26%; }

.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; white-space: nowrap; }
.verdict.failed { background: #fde7e5; color: var(--bad); }
.verdict.ok { background: #e3f4ea; color: var(--good); }
.verdict.off { background: var(--soft); color: var(--muted); font-weight: 500; }
.code-count { display: inline-block; margin: 1px 2px 1px 0; padding: 0 6px; border-radius: 4px; font-size: 12px; background: var(--soft); }
.code-count.error { color: var(--bad); }
.code-count.warning { color: var(--medium); }

.badge { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 11.5px; font-weight: 700; color: #fff; letter-spacing: .02em; white-space: nowrap; }
.badge.critical { background: var(--critical); } .badge.high { background: var(--high); } .badge.medium { background: var(--medium); }
.badge.low { background: var(--low); } .badge.none { background: var(--none); } .badge.informational { background: var(--informational); }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; border: 1px solid var(--line); font-size: 11.5px; color: var(--muted); white-space: nowrap; }
.tag.ignored, .tag.member { border-color: #c9d8ee; color: var(--accent); }
.tag.expired { border-color: #f3c1bb; color: var(--bad); }

.sev-counts { list-style: none; display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 8px; padding: 0; margin: 6px 0 18px; }
.sev-count { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; border-left: 4px solid var(--none); }
.sev-count .n { display: block; font-size: 22px; font-weight: 700; line-height: 1.1; }
.sev-count .k { font-size: 12px; color: var(--muted); }
.sev-count.zero .n { color: #a3acb8; }
.sev-count.critical { border-left-color: var(--critical); } .sev-count.high { border-left-color: var(--high); } .sev-count.medium { border-left-color: var(--medium); }
.sev-count.low { border-left-color: var(--low); } .sev-count.informational { border-left-color: var(--informational); }

.finding { border: 1px solid var(--line); border-left: 4px solid var(--none); border-radius: 8px; padding: 12px 16px; margin: 10px 0; }
.finding.critical { border-left-color: var(--critical); } .finding.high { border-left-color: var(--high); } .finding.medium { border-left-color: var(--medium); }
.finding.low { border-left-color: var(--low); } .finding.informational { border-left-color: var(--informational); }
.finding.ignored { opacity: .72; }
.finding-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.adv-id { font-weight: 600; }
.crate { margin-left: auto; color: var(--muted); }
.crate code { color: var(--fg); font-weight: 600; }
.finding-title { font-size: 15px; margin: 8px 0 4px; word-break: break-word; }
.fix { margin: 4px 0; }
.fix.none strong, .fix.none { color: var(--bad); }
.finding-meta { margin: 2px 0 6px; font-size: 12.5px; color: var(--muted); }
.vector { font-size: 11.5px; word-break: break-all; }
.desc { margin: 6px 0 0; color: #3a4454; word-break: break-word; }
.desc.full { white-space: pre-wrap; font-size: 13px; background: var(--soft); padding: 10px 12px; border-radius: 6px; }
details { margin-top: 6px; }
summary { cursor: pointer; color: var(--accent); font-size: 12.5px; }

.two-col { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 28px; }
.two-col h3 { margin-top: 4px; }
ul.plain { margin: 0; padding-left: 18px; }
ul.columns { list-style: none; padding: 0; margin: 0; columns: 3 220px; column-gap: 24px; }
ul.columns li { break-inside: avoid; padding: 3px 0; border-bottom: 1px dotted var(--line); overflow-wrap: anywhere; }

figure.chart { margin: 4px 0 0; overflow-x: auto; }
#license-chart { display: block; max-width: 100%; height: auto; font-size: 12px; }
#license-chart .label { fill: var(--fg); }
#license-chart .count { fill: var(--muted); font-weight: 600; }
#license-chart .bar { fill: var(--accent); }
#license-chart .axis { stroke: var(--line); stroke-width: 1; }

dl.db { display: grid; grid-template-columns: minmax(0, 2.2fr) minmax(0, 1.4fr) minmax(0, 1fr) minmax(0, 0.8fr); gap: 12px; margin: 0; }
dl.db dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
dl.db dd { margin: 2px 0 0; font-weight: 500; overflow-wrap: anywhere; }

footer { color: var(--muted); font-size: 12.5px; padding-top: 4px; padding-bottom: 32px; }

@media (max-width: 760px) {
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .sev-counts { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .two-col, dl.db { grid-template-columns: 1fr; }
  .masthead, .toc, main, footer { padding-left: 16px; padding-right: 16px; }
}
@media print {
  @page { margin: 14mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 11.5px; }
  .toc { display: none; }
  .masthead, main, footer { max-width: none; padding-left: 0; padding-right: 0; }
  section { border: 0; border-top: 2px solid var(--fg); border-radius: 0; padding: 12px 0 4px; margin: 14px 0; }
  h2, h3 { break-after: avoid; }
  .card, .finding, tr, .sev-count, figure.chart { break-inside: avoid; }
  a { color: inherit; }
  details > summary { display: none; }
}
`;

/** Added for a report over several projects: the project table and each project's band. */
export const HTML_SET_STYLE = `
svg[id$="license-chart"] { display: block; max-width: 100%; height: auto; font-size: 12px; }
svg[id$="license-chart"] .label { fill: var(--fg); }
svg[id$="license-chart"] .count { fill: var(--muted); font-weight: 600; }
svg[id$="license-chart"] .bar { fill: var(--accent); }
.project-band { margin: 36px 0 0; padding: 18px 0 0; border-top: 3px solid var(--accent); }
.project-band h2 { font-size: 24px; word-break: break-word; }
.project-band .manifest { font-size: 13px; font-weight: 400; color: var(--muted); margin-left: 6px; }
.project-band .toc { position: static; padding: 0; margin-top: 10px; border-bottom: 0; }
.project-band.failed { background: var(--card); border: 1px solid var(--line); border-top: 3px solid var(--bad); border-radius: 10px; padding: 18px 26px; }
table.projects tfoot th, table.projects tfoot td { font-weight: 700; border-top: 2px solid var(--line); }
table.projects .manifest { color: var(--muted); font-size: 12px; font-weight: 400; word-break: break-all; }
table.projects .badge { display: inline-block; margin: 1px 0; }
`;

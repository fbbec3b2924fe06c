/**
 * `--format markdown`: one summary for a pull-request comment or
 * `$GITHUB_STEP_SUMMARY`. The check face: a verdict, counts per check and
 * severity, and a table of the diagnostics that fail the run. The audit face:
 * counts per kind of finding and tables of the vulnerabilities and warnings.
 * Long tables end with a "… and N more" row, so a comment stays within
 * GitHub's size limit.
 */
import type { AuditFinding, AuditReport, FindingKind } from '../audit/report.js';
import { WARNING_KIND_ORDER } from '../audit/report.js';
import type { CheckCounts } from '../diagnostics/levels.js';
import type { CheckName, Diagnostic } from '../diagnostics/types.js';
import { advisoryUrl, solution } from './audit-terminal.js';
import { shownLabel, type RepoPaths } from './sarif.js';

export interface MarkdownOptions {
  /** Rows a findings table shows before its "… and N more" row. */
  maxRows?: number;
}

const MAX_ROWS = 50;

export interface CheckMarkdownInput {
  /** The diagnostics shown (after overrides and the log-level filter). */
  diagnostics: readonly Diagnostic[];
  counts: ReadonlyMap<CheckName, CheckCounts>;
  exitCode: number;
  paths: RepoPaths;
}

export function renderCheckMarkdown(input: CheckMarkdownInput, options: MarkdownOptions = {}): string {
  const failed = [...input.counts].filter(([, c]) => c.errors > 0).map(([check]) => check);
  const lines = [`## cargo-sentinel check: ${failed.length > 0 ? 'failed' : 'passed'}`, ''];
  lines.push(
    failed.length > 0
      ? `${listing(failed.map((c) => `\`${c}\``))} failed (exit code ${input.exitCode}).`
      : `${input.counts.size === 1 ? 'The check' : `All ${input.counts.size} checks`} passed (exit code ${input.exitCode}).`,
    '',
  );
  lines.push(...table(
    ['Check', 'Result', 'Errors', 'Warnings', 'Notes'],
    ['---', '---', '---:', '---:', '---:'],
    [...input.counts].map(([check, c]) => [check, c.errors > 0 ? '**FAILED**' : 'ok', String(c.errors), String(c.warnings), String(c.notes)]),
  ));
  const failing = input.diagnostics.filter((d) => d.severity === 'error' && d.source !== 'config');
  if (failing.length > 0) {
    lines.push('', `### Failures (${failing.length})`, '');
    lines.push(...table(
      ['Severity', 'Check', 'Code', 'Crate', 'Message', 'Location'],
      ['---', '---', '---', '---', '---', '---'],
      failing.map((d) => [d.severity, d.source, code(d.code), d.package ? `${d.package.name} ${d.package.version}` : '', d.message, location(d, input.paths)]),
      options.maxRows ?? MAX_ROWS,
    ));
  }
  return `${lines.join('\n')}\n`;
}

function location(d: Diagnostic, paths: RepoPaths): string {
  const at = shownLabel(d.labels, paths);
  return at ? code(`${at.path ?? at.label.file}:${at.label.line}`) : '';
}

export function renderAuditMarkdown(report: AuditReport, options: MarkdownOptions = {}): string {
  const vulnerabilities = report.vulnerabilities.length;
  const heading = vulnerabilities > 0 ? `${vulnerabilities} ${vulnerabilities === 1 ? 'vulnerability' : 'vulnerabilities'} found` : 'no vulnerabilities found';
  const db = report.database;
  const from = [db.commit ? `advisory-db ${code(db.commit.slice(0, 12))}` : undefined, db.commitDate?.slice(0, 10)].filter((s) => s !== undefined).join(', ');
  const lines = [
    `## cargo-sentinel audit: ${heading}`,
    '',
    `Scanned ${report.graph.lockfile.packages.length} crate dependencies against ${report.database.advisoryCount} advisories${from ? ` (${from})` : ''}.`,
    '',
  ];
  const kinds: FindingKind[] = ['vulnerability', ...WARNING_KIND_ORDER];
  const all = [...report.vulnerabilities, ...report.warnings];
  lines.push(...table(
    ['Finding', 'Count', 'Fails the run'],
    ['---', '---:', '---'],
    kinds.map((kind) => {
      const found = all.filter((f) => f.kind === kind);
      const fails = kind === 'vulnerability' || report.settings.deny.has(kind as 'yanked');
      return [kind, String(found.length), fails ? '**yes**' : 'no'];
    }),
  ));
  const maxRows = options.maxRows ?? MAX_ROWS;
  if (vulnerabilities > 0) {
    lines.push('', `### Vulnerabilities (${vulnerabilities})`, '');
    lines.push(...table(
      ['Crate', 'Version', 'Advisory', 'Severity', 'Title', 'Solution'],
      ['---', '---', '---', '---', '---', '---'],
      report.vulnerabilities.map((f) => [f.package.name, f.package.version, advisoryLink(f), severity(f), f.advisory?.metadata.title ?? '', findingSolution(f)]),
      maxRows,
    ));
  }
  if (report.warnings.length > 0) {
    lines.push('', `### Warnings (${report.warnings.length})`, '');
    lines.push(...table(
      ['Kind', 'Crate', 'Version', 'Advisory', 'Title', 'Solution'],
      ['---', '---', '---', '---', '---', '---'],
      report.warnings.map((f) => [f.denied ? `**${f.kind}** (denied)` : f.kind, f.package.name, f.package.version, advisoryLink(f), f.advisory?.metadata.title ?? 'yanked from its registry', findingSolution(f)]),
      maxRows,
    ));
  }
  return `${lines.join('\n')}\n`;
}

function advisoryLink(f: AuditFinding): string {
  if (!f.advisory) return '';
  const id = f.advisory.metadata.id;
  const url = advisoryUrl(f.advisory);
  return url ? `[${id}](${url.replace(/[()|\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})` : id;
}

function severity(f: AuditFinding): string {
  const s = f.advisory?.severity;
  return s ? `${s.score.toFixed(1)} (${s.severity})` : '—';
}

function findingSolution(f: AuditFinding): string {
  return f.advisory ? solution(f.advisory, f.package.version) : `Update to a version that is not yanked (\`cargo update -p ${f.package.name}\`)`;
}

/**
 * A table whose cells are markdown already (links, code spans); row cells
 * are escaped for a table. Past `maxRows` rows, one row says how many more.
 */
function table(header: string[], align: string[], rows: string[][], maxRows = Infinity): string[] {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const shown = rows.length > maxRows ? rows.slice(0, maxRows) : rows;
  const out = [line(header), line(align), ...shown.map((r) => line(r.map(cell)))];
  if (rows.length > shown.length) out.push(line([`… and ${rows.length - shown.length} more`, ...header.slice(1).map(() => '')]));
  return out;
}

/**
 * A table cell: `|` escaped (GitHub unescapes it even inside code spans),
 * newlines as `<br>`, and HTML-significant characters escaped outside code
 * spans so a title such as "Vec<u8> overflow" is shown, not swallowed as a tag.
 */
export function cell(text: string): string {
  const parts = text.split(/(`+[^`]*?`+)/);
  return parts
    .map((part, i) => {
      const isCode = i % 2 === 1;
      if (isCode) return part.replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
      return part
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')
        .replaceAll('>', '&gt;')
        .replaceAll('|', '\\|')
        .replace(/\r?\n/g, '<br>');
    })
    .join('');
}

const code = (s: string): string => `\`${s}\``;

function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

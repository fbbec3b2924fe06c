/**
 * `audit` over several projects: each project's report in the format's usual
 * form, under the project's lockfile, then a total. A project whose lockfile
 * could not be read says why, in its place. Pure: outcomes in, text out.
 *
 * JSON (documented in the README):
 * `{ "projects": [{ "lockfile": "<path>", "report": <cargo-audit report> }
 *   | { "lockfile": "<path>", "error": { "kind": "input", "message": "…" } }],
 *   "total": { "vulnerabilities": n, "warnings": n, "projects": n, "failed": n } }`
 */
import type { AuditTotal, ProjectAudit } from '../audit/run-many.js';
import type { AuditReport } from '../audit/report.js';
import { renderAuditTerminal, statusLine, type TerminalText } from './audit-terminal.js';
import { cargoAuditDocument } from './cargo-audit-json.js';
import type { Style } from './style.js';

/** How a project is named in the output: its lockfile, relative to where the user is. */
export type LockfileName = (lockfile: string) => string;

export function renderProjectsJson(projects: readonly ProjectAudit[], total: AuditTotal, name: LockfileName): string {
  const doc = {
    projects: projects.map((p) =>
      p.report
        ? { lockfile: name(p.lockfile), report: cargoAuditDocument(p.report) }
        : { lockfile: name(p.lockfile), error: { kind: p.error?.kind ?? 'input', message: p.error?.describe() ?? 'not audited' } },
    ),
    total: { vulnerabilities: total.vulnerabilities, warnings: total.warnings, projects: total.projects, failed: total.failed },
  };
  return `${JSON.stringify(doc)}\n`;
}

/**
 * cargo-audit's blocks per project under a header, in output order (stdout
 * and stderr chunks alternate, so a terminal shows each project's verdict
 * under its own findings), then the total.
 */
export function renderProjectsTerminal(projects: readonly ProjectAudit[], total: AuditTotal, style: Style, name: LockfileName): TerminalText[] {
  const out: TerminalText[] = [];
  for (const p of projects) {
    const size = p.report ? ` (${plural(p.report.graph.lockfile.packages.length, 'crate dependency', 'crate dependencies')})` : '';
    const header = `\n${style.bold(`==> ${name(p.lockfile)}`)}${size}\n`;
    if (!p.report) {
      out.push({ stdout: header, stderr: `${style.boldRed('error:')} not audited: ${p.error?.describe() ?? 'unknown error'}\n` });
      continue;
    }
    const text = renderAuditTerminal(p.report, style);
    const clean = text.stderr === '' && text.stdout === '' ? `${style.boldGreen('ok:')} no vulnerabilities found\n` : '';
    out.push({ stdout: header + text.stdout + clean, stderr: text.stderr });
  }
  const verdict = `${plural(total.projects, 'lockfile')}: ${plural(total.vulnerabilities, 'vulnerability', 'vulnerabilities')}, ${plural(total.warnings, 'warning')}; ${total.failing} failing, ${total.failed} not audited`;
  const failed = total.failing > 0 || total.failed > 0;
  out.push(
    failed
      ? { stdout: '\n', stderr: `${style.boldRed('error:')} ${verdict}\n` }
      : { stdout: `\n${statusLine(style, 'Audited', verdict)}`, stderr: '' },
  );
  return out;
}

/** Markdown: each project's document under a heading naming its lockfile. */
export function renderProjectsMarkdown(projects: readonly ProjectAudit[], total: AuditTotal, name: LockfileName, render: (r: AuditReport) => string): string {
  const parts = [
    `# cargo-sentinel audit of ${plural(total.projects, 'lockfile')}`,
    '',
    `${plural(total.vulnerabilities, 'vulnerability', 'vulnerabilities')} and ${plural(total.warnings, 'warning')} in total; ${total.failing} failing, ${total.failed} not audited.`,
  ];
  for (const p of projects) {
    parts.push('', `# \`${name(p.lockfile).replace(/`/g, "'")}\``, '');
    parts.push(p.report ? render(p.report).trimEnd() : `Not audited: ${p.error?.describe() ?? 'unknown error'}`);
  }
  return `${parts.join('\n')}\n`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * `--format github`: GitHub Actions workflow commands, one annotation per
 * diagnostic (check) or finding (audit) at the real file and line, written
 * relative to the checkout as GitHub wants, then one plain summary line. A
 * label outside the checkout (a deny.toml in /tmp, a crate in cargo's
 * registry cache) gives no `file=` rather than a path GitHub cannot place.
 */
import type { AuditFinding, AuditReport } from '../audit/report.js';
import type { CheckCounts } from '../diagnostics/levels.js';
import type { CheckName, Diagnostic, Severity } from '../diagnostics/types.js';
import { auditFindingMessage, auditRuleId } from './audit-sarif.js';
import { diagnosticText, repoRelative, shownLabel, type RepoPaths } from './sarif.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  /** Repository-relative; without it GitHub shows the annotation on the run only. */
  file?: string;
  line?: number;
  col?: number;
  title: string;
  message: string;
}

/** The message part of a workflow command. */
export const escapeData = (s: string): string => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');

/** A property value (`file=`, `title=`): `:` and `,` would end it early. */
export const escapeProperty = (s: string): string => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

export function workflowCommand(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) {
    props.push(`file=${escapeProperty(a.file)}`);
    if (a.line !== undefined) props.push(`line=${a.line}`);
    if (a.col !== undefined) props.push(`col=${a.col}`);
  }
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}\n`;
}

const ANNOTATION_LEVEL: Record<Severity, AnnotationLevel> = { error: 'error', warning: 'warning', note: 'notice', help: 'notice' };

/** The check face: one annotation per diagnostic shown, then the per-check verdicts. */
export function renderCheckGithub(diagnostics: readonly Diagnostic[], counts: ReadonlyMap<CheckName, CheckCounts>, paths: RepoPaths): string {
  let out = '';
  for (const d of diagnostics) out += workflowCommand(diagnosticAnnotation(d, paths));
  return out + checkSummaryLine(counts);
}

export function diagnosticAnnotation(d: Diagnostic, paths: RepoPaths): Annotation {
  const at = shownLabel(d.labels, paths);
  const subject = d.package ? `${d.package.name}@${d.package.version}` : d.message;
  return {
    level: ANNOTATION_LEVEL[d.severity],
    ...(at?.path !== undefined ? { file: at.path, line: at.label.line, col: at.label.column } : {}),
    title: `${d.code}: ${subject}`,
    message: diagnosticText(d, at?.label, paths),
  };
}

/** `cargo-sentinel check: bans FAILED (2 errors, 2 warnings, 0 notes), licenses ok (…)` */
export function checkSummaryLine(counts: ReadonlyMap<CheckName, CheckCounts>): string {
  const parts = [...counts].map(
    ([check, c]) => `${check} ${c.errors > 0 ? 'FAILED' : 'ok'} (${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${plural(c.notes, 'note')})`,
  );
  return `cargo-sentinel check: ${parts.join(', ')}\n`;
}

/** The audit face: one annotation per finding at its `[[package]]` line, then cargo-audit's counts. */
/** `project` names the lockfile in the summary line when a run audits several. */
export function renderAuditGithub(report: AuditReport, paths: RepoPaths, project?: string): string {
  const file = repoRelative(paths, report.settings.lockfile);
  let out = '';
  for (const f of [...report.vulnerabilities, ...report.warnings]) out += workflowCommand(findingAnnotation(f, file));
  return out + auditSummaryLine(report, project);
}

function findingAnnotation(f: AuditFinding, file: string | undefined): Annotation {
  const failing = f.kind === 'vulnerability' || f.denied;
  return {
    level: failing ? 'error' : 'warning',
    ...(file !== undefined ? { file, line: f.package.line, col: 1 } : {}),
    title: `${auditRuleId(f)}: ${f.package.name}@${f.package.version}`,
    message: auditFindingMessage(f),
  };
}

export function auditSummaryLine(report: AuditReport, project?: string): string {
  const denied = report.warnings.filter((w) => w.denied).length;
  const allowed = report.warnings.length - denied;
  const scanned = report.graph.lockfile.packages.length;
  return `cargo-sentinel audit${project === undefined ? '' : ` of ${project}`}: ${plural(report.vulnerabilities.length, 'vulnerability', 'vulnerabilities')}, ${plural(denied, 'denied warning')}, ${plural(allowed, 'allowed warning')} in ${plural(scanned, 'crate dependency', 'crate dependencies')}\n`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

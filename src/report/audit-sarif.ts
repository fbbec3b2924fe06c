/**
 * `audit --format sarif`: the audit face's findings on the shared SARIF
 * builder (sarif.ts). Unlike cargo-audit's, every result points at the
 * package's real `[[package]]` line in Cargo.lock (never a placeholder line 1),
 * one rule per advisory id carries GitHub's security severity from the CVSS
 * score, and the exit code is the same as for any other format.
 */
import type { AuditFinding, AuditReport } from '../audit/report.js';
import { solution } from './audit-terminal.js';
import { advisoryRule, renderSarif, repoRelative, type RepoPaths, type SarifFinding, type SarifLimits, type SarifRule, GITHUB_LIMITS } from './sarif.js';

export interface AuditSarifOptions {
  paths: RepoPaths;
  exitCode: number;
}

export function renderAuditSarif(report: AuditReport, options: AuditSarifOptions, limits: SarifLimits = GITHUB_LIMITS): string {
  return renderAuditsSarif([report], options, limits);
}

/** Several projects in one run: each result points at its own project's Cargo.lock. */
export function renderAuditsSarif(reports: readonly AuditReport[], options: AuditSarifOptions, limits: SarifLimits = GITHUB_LIMITS): string {
  const findings = reports.flatMap((report) => {
    const lockfile = report.settings.lockfile;
    const project = reports.length > 1 ? (repoRelative(options.paths, lockfile) ?? lockfile) : undefined;
    return [...report.vulnerabilities, ...report.warnings].map((f) => auditFinding(f, lockfile, project));
  });
  return renderSarif(
    { face: 'audit', paths: options.paths, findings, exitCode: options.exitCode, exitCodeDescription: exitCodeDescription(reports) },
    limits,
  );
}

/** The advisory id, or the warning kind for a yanked crate (which has no advisory). */
export const auditRuleId = (f: AuditFinding): string => f.advisory?.metadata.id ?? f.kind;

/** One finding in one paragraph: what is wrong with which crate, and the way out. */
export function auditFindingMessage(f: AuditFinding): string {
  const p = f.package;
  const a = f.advisory;
  if (!a) return `${p.name} ${p.version} is yanked`;
  if (f.kind === 'vulnerability') return `${p.name} ${p.version} is vulnerable to ${a.metadata.id} (${a.metadata.title}). ${solution(a, p.version)}`;
  return `${p.name} ${p.version} has a${f.kind === 'unmaintained' || f.kind === 'unsound' ? 'n' : ''} ${f.kind} warning: ${a.metadata.title}`;
}

/** With several projects, the project (its lockfile) is part of a finding's identity: the same crate in two projects is two alerts. */
function auditFinding(f: AuditFinding, lockfile: string, project: string | undefined): SarifFinding {
  const p = f.package;
  const level = f.denied ? 'error' : 'warning';
  const rule = f.advisory ? advisoryRule(f.advisory, f.kind === 'vulnerability' ? 'error' : 'warning') : yankedRule();
  return {
    rule,
    level,
    message: auditFindingMessage(f),
    place: { file: lockfile, line: p.line, column: 1, length: '[[package]]'.length },
    related: [],
    identity: [rule.id, `${p.name}@${p.version}`, p.source?.raw ?? '', ...(project === undefined ? [] : [project])],
    // cargo-audit's fingerprint shape, which earlier releases of ours emitted too.
    extraFingerprints: { 'cargo-sentinel/advisory/v1': `${rule.id}:${p.name}:${p.version}` },
    packageName: `${p.name}@${p.version}`,
    properties: { kind: f.kind, denied: f.denied },
  };
}

function yankedRule(): SarifRule {
  const text = 'This version of the crate was yanked from its registry by its authors: new lockfiles cannot select it.';
  const how = 'Update it (`cargo update -p <crate>`), or fail the run on it with `--deny yanked`.';
  return {
    id: 'yanked',
    shortDescription: 'Yanked crate version',
    fullDescription: text,
    help: { text: `${text}\n\n${how}`, markdown: `**yanked**: ${text}\n\n${how}` },
    level: 'warning',
    tags: ['security', 'yanked'],
    precision: 'high',
  };
}

function exitCodeDescription(reports: readonly AuditReport[]): string {
  const vulnerabilities = reports.reduce((n, r) => n + r.vulnerabilities.length, 0);
  const denied = reports.reduce((n, r) => n + r.warnings.filter((w) => w.denied).length, 0);
  if (vulnerabilities === 0 && denied === 0) return 'no vulnerabilities and no denied warnings';
  const parts = [];
  if (vulnerabilities > 0) parts.push(`${vulnerabilities} ${vulnerabilities === 1 ? 'vulnerability' : 'vulnerabilities'}`);
  if (denied > 0) parts.push(`${denied} denied ${denied === 1 ? 'warning' : 'warnings'}`);
  return `${parts.join(' and ')} found`;
}

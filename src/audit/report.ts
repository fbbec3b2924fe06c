/**
 * What one audit found: the plain data every audit reporter renders. It is
 * built once by `runAudit`; reporters never decide what is a finding.
 */
import type { Advisory, AdvisoryWarning, DatabaseInfo } from '../advisories/types.js';
import type { DependencyGraph, LockPackage } from '../workspace/types.js';
import type { AuditSettings, IgnoreRule } from './settings.js';

export type WarningKind = 'unmaintained' | 'unsound' | 'notice' | 'yanked';
export type FindingKind = 'vulnerability' | WarningKind;

export interface AuditFinding {
  kind: FindingKind;
  package: LockPackage;
  /** null for yanked warnings, which come from the registry, not the database. */
  advisory: Advisory | null;
  /** True when this finding fails the run (every vulnerability; warnings of a denied kind). */
  denied: boolean;
  /** An ignore that matched but whose date has passed. */
  expiredIgnore: IgnoreRule | undefined;
}

export interface AuditReport {
  settings: AuditSettings;
  database: DatabaseInfo & { advisoryCount: number; warnings: AdvisoryWarning[] };
  graph: DependencyGraph;
  vulnerabilities: AuditFinding[];
  /** Warnings of every kind, in a stable order (kind, then advisory id, package, version). */
  warnings: AuditFinding[];
  ignored: { finding: AuditFinding; rule: IgnoreRule }[];
  unusedIgnores: IgnoreRule[];
  /** Crates whose yanked status could not be determined, with why. */
  yankedErrors: { name: string; message: string }[];
}

export const failingCount = (r: AuditReport): number =>
  r.vulnerabilities.length + r.warnings.filter((w) => w.denied).length;

/** The order cargo-audit's JSON uses for warning kinds (a BTreeMap of its enum). */
export const WARNING_KIND_ORDER: readonly WarningKind[] = ['notice', 'unmaintained', 'unsound', 'yanked'];

/**
 * An audit of many projects in one run, a security lead's view of an
 * organisation: every lockfile is read first, the advisory database is opened
 * once, the registry is asked once per crate name for all of them, then each
 * lockfile is matched on its own. A lockfile that cannot be read fails its
 * own project, not the run.
 */
import { isSentinelError, type SentinelError } from '../errors.js';
import { loadWorkspace } from '../workspace/index.js';
import type { DependencyGraph } from '../workspace/types.js';
import { failingCount, type AuditReport } from './report.js';
import { auditGraph, lookUpYanked, openAuditKnowledge, type AuditHooks } from './run.js';
import type { AuditSettings } from './settings.js';

export interface ProjectAudit {
  /** Absolute path of the project's Cargo.lock. */
  lockfile: string;
  /** undefined when the project failed. */
  report: AuditReport | undefined;
  /** Why the project could not be audited: its lockfile is missing or malformed. */
  error: SentinelError | undefined;
}

export interface AuditTotal {
  vulnerabilities: number;
  warnings: number;
  projects: number;
  /** Projects whose lockfile could not be read. */
  failed: number;
  /** Projects with a vulnerability or a denied warning. */
  failing: number;
}

/** `name` says which lockfile a warning is about (a path relative to where the user is). */
export async function runAudits(
  settings: AuditSettings,
  lockfiles: readonly string[],
  hooks: AuditHooks,
  name: (lockfile: string) => string,
): Promise<ProjectAudit[]> {
  // Bad input first, before any network traffic, as for one project.
  const read: Array<{ lockfile: string; graph: DependencyGraph | undefined; error: SentinelError | undefined }> = [];
  for (const lockfile of lockfiles) {
    try {
      const { graph } = await loadWorkspace(lockfile, { manifests: false });
      read.push({ lockfile, graph, error: undefined });
    } catch (e) {
      if (!isSentinelError(e) || e.kind !== 'input') throw e;
      hooks.warn(`${name(lockfile)} is not audited: ${e.describe()}`);
      read.push({ lockfile, graph: undefined, error: e });
    }
  }
  const readable = read.filter((r) => r.graph !== undefined);
  if (readable.length === 0) return read.map((r) => ({ lockfile: r.lockfile, report: undefined, error: r.error }));

  const knowledge = await openAuditKnowledge(settings, hooks);
  const yanked = await lookUpYanked(readable.map((r) => r.graph!.lockfile), settings, hooks);
  const crates = readable.reduce((n, r) => n + r.graph!.lockfile.packages.length, 0);
  hooks.status('Scanning', `${readable.length} ${readable.length === 1 ? 'lockfile' : 'lockfiles'} for vulnerabilities (${crates} crate dependencies)`);

  const reports = new Map<string, AuditReport>();
  readable.forEach((r, i) => {
    const own = { ...settings, lockfile: r.lockfile };
    reports.set(r.lockfile, auditGraph(r.graph!, knowledge, yanked[i]!, own, hooks, name(r.lockfile)));
  });
  // An ignore in a shared audit.toml is meant for some projects: it is stale only if it matched in none.
  const unusedEverywhere = new Set(settings.ignore);
  for (const report of reports.values()) for (const rule of settings.ignore) if (!report.unusedIgnores.includes(rule)) unusedEverywhere.delete(rule);
  for (const rule of unusedEverywhere) {
    if (rule.origin !== '--ignore') hooks.warn(`ignored advisory ${rule.id} (${rule.origin}) matched no package in any of the ${reports.size} lockfiles`);
  }
  return read.map((r) => ({ lockfile: r.lockfile, report: reports.get(r.lockfile), error: r.error }));
}

export function auditTotal(projects: readonly ProjectAudit[]): AuditTotal {
  const total: AuditTotal = { vulnerabilities: 0, warnings: 0, projects: projects.length, failed: 0, failing: 0 };
  for (const p of projects) {
    if (!p.report) {
      total.failed++;
      continue;
    }
    total.vulnerabilities += p.report.vulnerabilities.length;
    total.warnings += p.report.warnings.length;
    if (failingCount(p.report) > 0) total.failing++;
  }
  return total;
}

/**
 * The audit pipeline: workspace + advisory database (+ registry for yanked
 * crates) -> findings -> report. I/O happens here at the edge; matching and
 * ignoring are pure functions it calls. The stages are exported so an audit
 * of many projects (run-many.ts) opens the database and asks the registry
 * once for all of them.
 */
import { findAdvisories, type AdvisoryFinding } from '../advisories/match.js';
import { stalenessWarning } from '../advisories/sync/staleness.js';
import type { AdvisoryDatabase } from '../advisories/types.js';
import { openAuditDatabase } from './database.js';
import { loadWorkspace } from '../workspace/index.js';
import type { DependencyGraph, Lockfile, LockPackage } from '../workspace/types.js';
import { applyIgnores } from './ignore.js';
import type { AuditFinding, AuditReport, WarningKind } from './report.js';
import { WARNING_KIND_ORDER } from './report.js';
import type { AuditSettings } from './settings.js';
import path from 'node:path';

export interface AuditHooks {
  /** Status lines for people ("Fetching advisory database from …"). */
  status(verb: string, message: string): void;
  /** Warnings for people (stale database, malformed advisory, expired ignore…). */
  warn(message: string): void;
  /** Clone/fetch progress, only wired to a terminal. */
  onProgress?: (event: { stage: string; progress: number; processed?: number; total?: number }) => void;
  now: Date;
}

/** The advisory database of a run, opened once, and what the reports say about it. */
export interface AuditKnowledge {
  db: AdvisoryDatabase;
  database: AuditReport['database'];
}

/** The yanked crates of one lockfile, and those whose state could not be established. */
export interface YankedOutcome {
  yanked: LockPackage[];
  errors: { name: string; message: string }[];
}

export async function runAudit(settings: AuditSettings, hooks: AuditHooks): Promise<AuditReport> {
  // Read the lockfile first: bad input should fail before any network traffic.
  // cargo-audit reads Cargo.lock only: a stale or broken manifest must not stop an audit.
  const { graph } = await loadWorkspace(settings.lockfile, { manifests: false });
  const knowledge = await openAuditKnowledge(settings, hooks);
  const [yanked] = await lookUpYanked([graph.lockfile], settings, hooks);
  const name = path.basename(settings.lockfile);
  hooks.status('Scanning', `${name} for vulnerabilities (${graph.lockfile.packages.length} crate dependencies)`);
  const report = auditGraph(graph, knowledge, yanked!, settings, hooks, undefined);
  for (const rule of report.unusedIgnores) {
    if (rule.origin !== '--ignore') hooks.warn(`ignored advisory ${rule.id} (${rule.origin}) matched no package in ${name}`);
  }
  return report;
}

/** Opens (and, when allowed, fetches) the database; says how fresh it is and how many advisories it holds. */
export async function openAuditKnowledge(settings: AuditSettings, hooks: AuditHooks): Promise<AuditKnowledge> {
  const { db, synced } = await openAuditDatabase(settings, hooks);
  const stale = stalenessWarning(synced);
  if (stale) hooks.warn(stale);
  for (const w of db.warnings) hooks.warn(`skipped advisory ${w.path}: ${w.message}`);
  const advisoryCount = db.advisories.filter((a) => a.metadata.collection === 'crates').length;
  hooks.status('Loaded', `${advisoryCount} security advisories (from ${synced.path})`);
  return { db, database: { path: synced.path, commit: synced.commit, commitDate: synced.commitDate, advisoryCount, warnings: db.warnings } };
}

/**
 * Yanked crates of several lockfiles at once: the registry is asked once per
 * crate name, however many of the lockfiles lock it, and each lockfile gets
 * its own packages and errors back.
 */
export async function lookUpYanked(lockfiles: readonly Lockfile[], settings: AuditSettings, hooks: AuditHooks): Promise<YankedOutcome[]> {
  if (!settings.yanked.enabled) return lockfiles.map(() => ({ yanked: [], errors: [] }));
  if (settings.yanked.updateIndex) hooks.status('Updating', 'crates.io index');
  const { checkYanked } = await import('../advisories/yanked/index.js');
  const result = await checkYanked(
    lockfiles.flatMap((l) => l.packages),
    {
      cargoHome: settings.cargoHome,
      cacheDir: settings.cacheDir,
      fetch: settings.yanked.updateIndex,
      indexUrl: settings.yanked.indexUrl,
    },
  );
  for (const e of result.errors) hooks.warn(e.message);
  for (const w of result.warnings) hooks.warn(`${w.name}: ${w.message}`);
  if (lockfiles.length === 1) return [{ yanked: result.yanked, errors: result.errors }];
  return lockfiles.map((l) => {
    const own = new Set(l.packages);
    const locked = new Set(l.packages.map((p) => `${p.name} ${p.version}`));
    const names = new Set(l.packages.map((p) => p.name));
    return {
      yanked: result.yanked.filter((p) => own.has(p)),
      errors: result.errors.filter((e) => (e.version === undefined ? names.has(e.name) : locked.has(`${e.name} ${e.version}`))),
    };
  });
}

/**
 * One lockfile's findings: advisories matched, ignores applied, warnings in
 * cargo-audit's order. `where` names the lockfile in warnings when a run has
 * several; rules that matched nothing are in the report, for the caller to say.
 */
export function auditGraph(
  graph: DependencyGraph,
  knowledge: AuditKnowledge,
  yanked: YankedOutcome,
  settings: AuditSettings,
  hooks: Pick<AuditHooks, 'warn' | 'now'>,
  where: string | undefined,
): AuditReport {
  const matched = findAdvisories(graph.lockfile.packages, knowledge.db, {
    targetArch: settings.targetArch,
    targetOs: settings.targetOs,
    severityThreshold: settings.severityThreshold,
    informationalWarnings: settings.informationalWarnings,
  });
  const yankedFindings = yanked.yanked.map((p) => ({ kind: 'yanked' as const, advisory: null, package: p }));

  const today = hooks.now.toISOString().slice(0, 10);
  const outcome = applyIgnores<AdvisoryFinding | (typeof yankedFindings)[number]>([...matched, ...yankedFindings], settings.ignore, today);
  for (const { finding, expiredIgnore } of outcome.kept) {
    if (expiredIgnore) {
      hooks.warn(
        `the ignore of ${expiredIgnore.id} (${expiredIgnore.origin}) expired on ${expiredIgnore.expires}: ${finding.advisory?.metadata.id} is reported again${where === undefined ? '' : ` in ${where}`}`,
      );
    }
  }

  const toFinding = (f: { kind: string; package: AuditFinding['package']; advisory: AuditFinding['advisory'] }, expiredIgnore: AuditFinding['expiredIgnore']): AuditFinding => ({
    kind: f.kind as AuditFinding['kind'],
    package: f.package,
    advisory: f.advisory,
    denied: f.kind === 'vulnerability' || settings.deny.has(f.kind as 'yanked'),
    expiredIgnore,
  });
  const kept = outcome.kept.map(({ finding, expiredIgnore }) => toFinding(finding, expiredIgnore));
  const kindRank = (k: string) => WARNING_KIND_ORDER.indexOf(k as WarningKind);
  return {
    settings,
    database: knowledge.database,
    graph,
    vulnerabilities: kept.filter((f) => f.kind === 'vulnerability'),
    warnings: kept
      .filter((f) => f.kind !== 'vulnerability' && kindRank(f.kind) >= 0)
      .sort((a, b) => kindRank(a.kind) - kindRank(b.kind)),
    ignored: outcome.ignored.map(({ finding, rule }) => ({ finding: toFinding(finding, undefined), rule })),
    unusedIgnores: outcome.unused,
    yankedErrors: yanked.errors,
  };
}

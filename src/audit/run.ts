/**
 * The audit pipeline: workspace + advisory database (+ registry for yanked
 * crates) -> findings -> report. I/O happens here at the edge; matching and
 * ignoring are pure functions it calls.
 */
import { findAdvisories, type AdvisoryFinding } from '../advisories/match.js';
import { stalenessWarning } from '../advisories/sync/staleness.js';
import { openAuditDatabase } from './database.js';
import { loadWorkspace } from '../workspace/index.js';
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

export async function runAudit(settings: AuditSettings, hooks: AuditHooks): Promise<AuditReport> {
  // Read the lockfile first: bad input should fail before any network traffic.
  // cargo-audit reads Cargo.lock only: a stale or broken manifest must not stop an audit.
  const { graph } = await loadWorkspace(settings.lockfile, { manifests: false });
  const lockfile = graph.lockfile;

  const { db, synced } = await openAuditDatabase(settings, hooks);
  const stale = stalenessWarning(synced);
  if (stale) hooks.warn(stale);
  for (const w of db.warnings) hooks.warn(`skipped advisory ${w.path}: ${w.message}`);
  const advisoryCount = db.advisories.filter((a) => a.metadata.collection === 'crates').length;
  hooks.status('Loaded', `${advisoryCount} security advisories (from ${synced.path})`);

  const matched = findAdvisories(lockfile.packages, db, {
    targetArch: settings.targetArch,
    targetOs: settings.targetOs,
    severityThreshold: settings.severityThreshold,
    informationalWarnings: settings.informationalWarnings,
  });

  let yankedFindings: { kind: 'yanked'; advisory: null; package: (typeof lockfile.packages)[number] }[] = [];
  let yankedErrors: { name: string; message: string }[] = [];
  if (settings.yanked.enabled) {
    if (settings.yanked.updateIndex) hooks.status('Updating', 'crates.io index');
    const { checkYanked } = await import('../advisories/yanked/index.js');
    const yanked = await checkYanked(lockfile.packages, {
      cargoHome: settings.cargoHome,
      cacheDir: settings.cacheDir,
      fetch: settings.yanked.updateIndex,
      indexUrl: settings.yanked.indexUrl,
    });
    yankedFindings = yanked.yanked.map((p) => ({ kind: 'yanked' as const, advisory: null, package: p }));
    yankedErrors = yanked.errors;
    for (const e of yankedErrors) hooks.warn(e.message);
    for (const w of yanked.warnings) hooks.warn(`${w.name}: ${w.message}`);
  }
  hooks.status('Scanning', `${path.basename(settings.lockfile)} for vulnerabilities (${lockfile.packages.length} crate dependencies)`);

  const today = hooks.now.toISOString().slice(0, 10);
  const outcome = applyIgnores<AdvisoryFinding | (typeof yankedFindings)[number]>([...matched, ...yankedFindings], settings.ignore, today);
  for (const { finding, expiredIgnore } of outcome.kept) {
    if (expiredIgnore) {
      hooks.warn(`the ignore of ${expiredIgnore.id} (${expiredIgnore.origin}) expired on ${expiredIgnore.expires}: ${finding.advisory?.metadata.id} is reported again`);
    }
  }
  for (const rule of outcome.unused) {
    if (rule.origin !== '--ignore') hooks.warn(`ignored advisory ${rule.id} (${rule.origin}) matched no package in ${path.basename(settings.lockfile)}`);
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
    database: { path: synced.path, commit: synced.commit, commitDate: synced.commitDate, advisoryCount, warnings: db.warnings },
    graph,
    vulnerabilities: kept.filter((f) => f.kind === 'vulnerability'),
    warnings: kept
      .filter((f) => f.kind !== 'vulnerability' && kindRank(f.kind) >= 0)
      .sort((a, b) => kindRank(a.kind) - kindRank(b.kind)),
    ignored: outcome.ignored.map(({ finding, rule }) => ({ finding: toFinding(finding, undefined), rule })),
    unusedIgnores: outcome.unused,
    yankedErrors,
  };
}

/**
 * The check outcome (graph, diagnostics, policy, databases) turned into the
 * audit report model. Pure: no I/O, no clock (the report date is an input),
 * and it decides nothing the checks did not: findings are the diagnostics,
 * counts are counts of the graph.
 */
import path from 'node:path';
import type { Advisory, AdvisoryDatabase } from '../../advisories/types.js';
import type { CheckOutcome } from '../../check/run.js';
import { parseManifestLicense, reqToString, requirements, SpdxParseError } from '../../checks/licenses/spdx.js';
import { countByCheck } from '../../diagnostics/levels.js';
import type { CheckName, Diagnostic } from '../../diagnostics/types.js';
import { configError } from '../../errors.js';
import type { LoadedDenyConfig } from '../../policy/deny/index.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import { compareVersions } from '../../workspace/version.js';
import { advisoryUrl, solution } from '../audit-terminal.js';
import {
  REPORT_SCHEMA,
  SEVERITY_BUCKETS,
  type AuditReportModel,
  type ReportAdvisories,
  type ReportAdvisoryFinding,
  type ReportBuildTimeCode,
  type ReportCheck,
  type ReportCrate,
  type ReportDatabase,
  type ReportExceptions,
  type ReportInventory,
  type ReportLicenses,
  type ReportProject,
  type SeverityBucket,
} from './types.js';

export interface ReportInput {
  outcome: CheckOutcome;
  /** The checks that ran. */
  checks: readonly CheckName[];
  generatedAt: Date;
  toolVersion: string;
}

export function buildReportModel(input: ReportInput): AuditReportModel {
  const { graph, diagnostics, policy, databases } = input.outcome;
  const today = input.generatedAt.toISOString().slice(0, 10);
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'cargo-sentinel', version: input.toolVersion },
    generatedAt: input.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    project: projectOf(graph),
    policyFile: policy.file === undefined ? null : displayPath(policy.file, graph.workspaceRoot),
    databases: databases.map((db) => databaseOf(db, input.generatedAt)),
    inventory: inventoryOf(graph),
    advisories: advisoriesOf(diagnostics, input.checks.includes('advisories') && databases.length > 0),
    licenses: licensesOf(graph),
    buildTimeCode: buildTimeCodeOf(graph),
    exceptions: exceptionsOf(policy, today),
    checks: checksOf(diagnostics, input.checks, policy),
    warnings: diagnostics.filter((d) => d.source === 'config').map((d) => d.message),
  };
}

/**
 * The report date: SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds
 * convention) when set, so the same inputs give byte-identical reports; else now.
 */
export function reportDate(env: Readonly<Record<string, string | undefined>>, now: Date): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return now;
  if (!/^\d{1,12}$/.test(epoch)) throw configError(`invalid SOURCE_DATE_EPOCH '${epoch}': expected a whole number of seconds since 1970-01-01`);
  return new Date(Number(epoch) * 1000);
}

// ------------------------------------------------------------------ project

function projectOf(graph: PackageGraph): ReportProject {
  const nodes = [...graph.packages.values()];
  const members = nodes.filter((n) => n.isWorkspaceMember).sort(byNameVersion);
  const rootManifest = path.join(graph.workspaceRoot, 'Cargo.toml');
  const rootPackage = members.find((n) => n.manifestPath !== undefined && path.resolve(n.manifestPath) === rootManifest);
  return {
    name: rootPackage?.name ?? path.basename(graph.workspaceRoot),
    members: members.map(crateOf),
    graphOrigin: graph.origin,
    manifestsMissing: graph.unknowns.manifestsMissing.length,
  };
}

/** Relative to the workspace when inside it; else only the file name (no user's home directory in a shared report). */
function displayPath(file: string, root: string): string {
  const relative = path.relative(root, path.resolve(root, file));
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return (inside ? relative : path.basename(file)).split(path.sep).join('/');
}

function databaseOf(db: AdvisoryDatabase, at: Date): ReportDatabase {
  const { commit, commitDate } = db.info;
  const time = commitDate === null ? NaN : Date.parse(commitDate);
  return {
    commit,
    commitDate,
    ageDays: Number.isNaN(time) ? null : Math.max(0, Math.floor((at.getTime() - time) / 86_400_000)),
    advisoryCount: db.advisories.length,
  };
}

// ---------------------------------------------------------------- inventory

function inventoryOf(graph: PackageGraph): ReportInventory {
  const nodes = [...graph.packages.values()];
  const registries = new Map<string, number>();
  const repositories = new Map<string, number>();
  const bySource = { cratesIo: 0, otherRegistries: 0, git: 0, path: 0 };
  for (const n of nodes) {
    const s = n.source;
    if (s === undefined) bySource.path++;
    else if (s.isCratesIo) bySource.cratesIo++;
    else if (s.kind === 'git') {
      bySource.git++;
      repositories.set(s.url, (repositories.get(s.url) ?? 0) + 1);
    } else {
      bySource.otherRegistries++;
      registries.set(s.raw, (registries.get(s.raw) ?? 0) + 1);
    }
  }
  const direct = directDependencies(graph);
  const members = nodes.filter((n) => n.isWorkspaceMember).length;
  const directCount = nodes.filter((n) => !n.isWorkspaceMember && direct.has(n.id)).length;
  return {
    total: nodes.length,
    bySource,
    otherRegistries: countedUrls(registries),
    gitRepositories: countedUrls(repositories),
    workspaceMembers: members,
    direct: directCount,
    transitive: nodes.length - members - directCount,
    duplicates: duplicatesOf(nodes),
  };
}

/** Packages some workspace member depends on (any kind, any platform). */
function directDependencies(graph: PackageGraph): Set<string> {
  const direct = new Set<string>();
  for (const [id, node] of graph.packages) {
    if (!node.isWorkspaceMember) continue;
    for (const edge of graph.dependencies.get(id) ?? []) direct.add(edge.to);
  }
  return direct;
}

const countedUrls = (counts: Map<string, number>): Array<{ url: string; packages: number }> =>
  [...counts].map(([url, packages]) => ({ url, packages })).sort((a, b) => compareText(a.url, b.url));

function duplicatesOf(nodes: readonly PackageNode[]): Array<{ name: string; versions: string[] }> {
  const versions = new Map<string, string[]>();
  for (const n of nodes) versions.set(n.name, [...(versions.get(n.name) ?? []), n.version]);
  return [...versions]
    .filter(([, vs]) => vs.length > 1)
    .map(([name, vs]) => ({ name, versions: vs.sort(compareVersions) }))
    .sort((a, b) => compareText(a.name, b.name));
}

// --------------------------------------------------------------- advisories

const FINDING_CODES = new Set(['vulnerability', 'unmaintained', 'unsound', 'notice']);

function advisoriesOf(diagnostics: readonly Diagnostic[], checked: boolean): ReportAdvisories {
  const findings: ReportAdvisoryFinding[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'advisories' || !d.advisory || !d.package || !FINDING_CODES.has(d.code)) continue;
    findings.push(findingOf(d.code, d.advisory, d.package, d.severity === 'note'));
  }
  findings.sort(compareFindings);
  const counts = Object.fromEntries(SEVERITY_BUCKETS.map((b) => [b, 0])) as Record<SeverityBucket, number>;
  for (const f of findings) if (!f.ignored) counts[f.severity]++;
  const yanked = diagnostics
    .filter((d) => d.source === 'advisories' && d.code === 'yanked' && d.package)
    .map((d) => crateOf(d.package!))
    .sort(byNameVersion);
  const ignored = findings.filter((f) => f.ignored).length;
  return { counts, open: findings.length - ignored, ignored, findings, yanked, checked };
}

function findingOf(kind: string, a: Advisory, pkg: ReportCrate, ignored: boolean): ReportAdvisoryFinding {
  const m = a.metadata;
  return {
    id: m.id,
    kind,
    severity: bucketOf(a),
    cvss: a.severity && m.cvss ? { version: a.severity.version, score: a.severity.score, vector: m.cvss } : null,
    package: crateOf(pkg),
    title: m.title,
    description: m.description.trim(),
    date: m.date,
    aliases: [...m.aliases],
    url: advisoryUrl(a),
    solution: solution(a, pkg.version),
    ignored,
  };
}

/** Informational advisories have no CVSS; a vulnerability without a vector counts as `none`. */
function bucketOf(a: Advisory): SeverityBucket {
  if (a.metadata.informational !== null) return 'informational';
  return a.severity?.severity ?? 'none';
}

function compareFindings(a: ReportAdvisoryFinding, b: ReportAdvisoryFinding): number {
  const rank = SEVERITY_BUCKETS.indexOf(a.severity) - SEVERITY_BUCKETS.indexOf(b.severity);
  if (rank !== 0) return rank;
  if (a.ignored !== b.ignored) return a.ignored ? 1 : -1;
  const score = (b.cvss?.score ?? -1) - (a.cvss?.score ?? -1);
  if (score !== 0) return score;
  return compareText(a.id, b.id) || byNameVersion(a.package, b.package);
}

// ----------------------------------------------------------------- licenses

function licensesOf(graph: PackageGraph): ReportLicenses {
  const counts = new Map<string, number>();
  const out: ReportLicenses = { byLicense: [], unlicensed: [], licenseFileOnly: [], unparsable: [], unknown: 0 };
  for (const n of [...graph.packages.values()].sort(byNameVersion)) {
    if (n.license === undefined) {
      out.unknown++;
    } else if (n.license === null || n.license.trim() === '') {
      if (n.licenseFile) out.licenseFileOnly.push(crateOf(n));
      else out.unlicensed.push(crateOf(n));
    } else {
      const terms = licenseTerms(n.license);
      if (terms === undefined) out.unparsable.push({ ...crateOf(n), expression: n.license });
      for (const t of terms ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
  }
  out.byLicense = [...counts]
    .map(([license, crates]) => ({ license, crates }))
    .sort((a, b) => b.crates - a.crates || compareText(a.license, b.license));
  return out;
}

/** Each distinct term of the expression (`MIT`, `Apache-2.0 WITH LLVM-exception`), as `list` names them. */
function licenseTerms(text: string): string[] | undefined {
  try {
    return [...new Set(requirements(parseManifestLicense(text).expr).map(reqToString))];
  } catch (e) {
    if (e instanceof SpdxParseError) return undefined;
    throw e;
  }
}

// ------------------------------------------------------------ build-time code

function buildTimeCodeOf(graph: PackageGraph): ReportBuildTimeCode {
  const nodes = [...graph.packages.values()].sort(byNameVersion);
  return {
    crates: nodes.filter((n) => n.hasBuildScript === true || n.isProcMacro === true).length,
    buildScripts: nodes
      .filter((n) => n.hasBuildScript === true)
      .map((n) => ({ ...crateOf(n), links: n.links ?? null, workspaceMember: n.isWorkspaceMember })),
    procMacros: nodes.filter((n) => n.isProcMacro === true).map((n) => ({ ...crateOf(n), workspaceMember: n.isWorkspaceMember })),
    unknown: nodes.filter((n) => n.hasBuildScript === undefined && n.isProcMacro === undefined).length,
  };
}

// --------------------------------------------------------------- exceptions

function exceptionsOf(policy: LoadedDenyConfig, today: string): ReportExceptions {
  const { advisories, bans, licenses } = policy.config;
  const out: ReportExceptions = {
    advisoryIgnores: [],
    yankedIgnores: [],
    bansSkip: bans.skip.map((e) => ({ crate: e.spec.text, reason: e.reason ?? null })),
    bansSkipTree: bans['skip-tree'].map((e) => ({ crate: e.spec.text, reason: e.reason ?? null, depth: e.depth ?? null })),
    licenseExceptions: licenses.exceptions.map((e) => ({ crate: e.spec.text, allow: e.allow.map((a) => a.text), reason: e.reason ?? null })),
    licenseClarifications: licenses.clarify.map((c) => ({ crate: c.spec.text, expression: c.expression.text, reason: c.reason ?? null })),
    total: 0,
  };
  for (const i of advisories.ignore) {
    if (i.kind === 'advisory') {
      out.advisoryIgnores.push({ id: i.id, reason: i.reason ?? null, expires: i.expires ?? null, expired: i.expires !== undefined && today > i.expires });
    } else {
      out.yankedIgnores.push({ crate: i.spec.text, reason: i.reason ?? null });
    }
  }
  out.total =
    out.advisoryIgnores.length + out.yankedIgnores.length + out.bansSkip.length + out.bansSkipTree.length +
    out.licenseExceptions.length + out.licenseClarifications.length;
  return out;
}

// ------------------------------------------------------------------- checks

function checksOf(diagnostics: readonly Diagnostic[], ran: readonly CheckName[], policy: LoadedDenyConfig): ReportCheck[] {
  const counts = countByCheck(diagnostics, ran);
  return [...counts].map(([check, c]): ReportCheck => {
    const codes = new Map<string, { code: string; severity: 'error' | 'warning'; count: number }>();
    for (const d of diagnostics) {
      if (d.source !== check || (d.severity !== 'error' && d.severity !== 'warning')) continue;
      const key = `${d.severity} ${d.code}`;
      const entry = codes.get(key) ?? { code: d.code, severity: d.severity, count: 0 };
      entry.count++;
      codes.set(key, entry);
    }
    const off = check === 'build' && policy.config.bans.build === undefined;
    return {
      check,
      verdict: off ? 'off' : c.errors > 0 ? 'failed' : 'ok',
      errors: c.errors,
      warnings: c.warnings,
      notes: c.notes,
      codes: [...codes.values()].sort(
        (a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || b.count - a.count || compareText(a.code, b.code),
      ),
    };
  });
}

// ------------------------------------------------------------------ helpers

const crateOf = (p: { name: string; version: string }): ReportCrate => ({ name: p.name, version: p.version });

function byNameVersion(a: { name: string; version: string }, b: { name: string; version: string }): number {
  return compareText(a.name, b.name) || compareVersions(a.version, b.version);
}

/** Code-unit order, the same on every machine (localeCompare is not). */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

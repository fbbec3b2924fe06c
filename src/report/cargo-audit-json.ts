/**
 * `audit --json`: cargo-audit's JSON report, field for field (rustsec's
 * `Report` serialisation), so tools that read cargo-audit's output read ours
 * unchanged. One line of JSON and a newline.
 */
import type { Advisory } from '../advisories/types.js';
import type { AuditFinding, AuditReport, WarningKind } from '../audit/report.js';
import { WARNING_KIND_ORDER } from '../audit/report.js';
import type { Lockfile, LockPackage } from '../workspace/types.js';

export function renderCargoAuditJson(report: AuditReport): string {
  return `${JSON.stringify(cargoAuditDocument(report))}\n`;
}

/** The report as cargo-audit's JSON value (what `renderCargoAuditJson` writes). */
export function cargoAuditDocument(report: AuditReport): unknown {
  const { settings, database, graph } = report;
  const lockfile = graph.lockfile;
  const warnings: Partial<Record<WarningKind, unknown[]>> = {};
  for (const kind of WARNING_KIND_ORDER) {
    const list = report.warnings.filter((w) => w.kind === kind);
    if (list.length > 0) warnings[kind] = list.map((w) => warningJson(w, lockfile));
  }
  return {
    database: {
      'advisory-count': database.advisoryCount,
      'last-commit': database.commit,
      'last-updated': database.commitDate,
    },
    lockfile: { 'dependency-count': lockfile.packages.length },
    settings: {
      target_arch: settings.targetArch,
      target_os: settings.targetOs,
      severity: settings.severityThreshold ?? null,
      ignore: settings.ignore.map((r) => r.id),
      informational_warnings: settings.informationalWarnings,
    },
    vulnerabilities: {
      found: report.vulnerabilities.length > 0,
      count: report.vulnerabilities.length,
      list: report.vulnerabilities.map((v) => ({
        advisory: advisoryJson(v.advisory!),
        versions: versionsJson(v.advisory!),
        affected: affectedJson(v.advisory!),
        package: packageJson(v.package, lockfile),
      })),
    },
    warnings,
  };
}

function warningJson(w: AuditFinding, lockfile: Lockfile): unknown {
  return {
    kind: w.kind,
    package: packageJson(w.package, lockfile),
    advisory: w.advisory ? advisoryJson(w.advisory) : null,
    affected: w.advisory ? affectedJson(w.advisory) : null,
    versions: w.advisory ? versionsJson(w.advisory) : null,
  };
}

export function advisoryJson(a: Advisory): unknown {
  const m = a.metadata;
  return {
    id: m.id,
    package: m.package,
    title: m.title,
    description: m.description,
    date: m.date,
    aliases: m.aliases,
    related: m.related,
    collection: m.collection,
    categories: m.categories,
    keywords: m.keywords,
    cvss: m.cvss,
    informational: m.informational,
    references: m.references,
    source: m.source,
    url: m.url,
    withdrawn: m.withdrawn,
    license: m.license,
    'expect-deleted': m['expect-deleted'],
  };
}

const versionsJson = (a: Advisory) => ({
  patched: a.versions.patched.map(displayRequirement),
  unaffected: a.versions.unaffected.map(displayRequirement),
});

function affectedJson(a: Advisory): unknown {
  if (!a.affected) return null;
  const functions: Record<string, string[]> = {};
  for (const [name, reqs] of Object.entries(a.affected.functions)) functions[name] = reqs.map(displayRequirement);
  return { arch: a.affected.arch, os: a.affected.os, functions };
}

export function packageJson(p: LockPackage, lockfile: Lockfile): unknown {
  const out: Record<string, unknown> = {
    name: p.name,
    version: p.version,
    source: p.source?.raw ?? null,
    checksum: p.checksum ?? null,
  };
  // rustsec skips the field when the list is empty.
  if (p.dependencies.length > 0) {
    out.dependencies = p.dependencies.map((id) => {
      const d = lockfile.byId.get(id);
      return { name: d?.name ?? id, version: d?.version ?? null, source: d?.source?.raw ?? null };
    });
  }
  out.replace = null;
  return out;
}

/**
 * A requirement as the `semver` crate displays it: comparators joined by
 * ", ", no space after the operator, a bare version shown as caret.
 */
export function displayRequirement(req: string): string {
  const trimmed = req.trim();
  if (trimmed === '*' || trimmed === '') return '*';
  return trimmed
    .split(',')
    .map((part) => {
      const m = /^\s*(>=|<=|>|<|=|\^|~)?\s*(\S+)\s*$/.exec(part);
      if (!m) return part.trim();
      return `${m[1] ?? '^'}${m[2]}`;
    })
    .join(', ');
}

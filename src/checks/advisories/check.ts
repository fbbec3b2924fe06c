/**
 * The advisories check of the cargo-deny face: the core's advisory matches
 * and yanked lookups turned into diagnostics, with cargo-deny's rules
 * (vulnerabilities and notices always fail; unmaintained and unsound by
 * scope; yanked by lint level; ignores by id) and ours (ignores by alias,
 * with an expiry date). Pure: the database and the yanked lookups are inputs.
 */
import { findAdvisories } from '../../advisories/match.js';
import type { Advisory, AdvisoryDatabase } from '../../advisories/types.js';
import type { Diagnostic, Severity } from '../../diagnostics/types.js';
import { severityOfLint, type LintLevel, type Scope } from '../../policy/levels.js';
import { specMatches, type PackageSpec } from '../../policy/package-spec.js';
import type { PathSegment } from '../../toml/locate.js';
import { configLabel, lockLabel, packageRef, type PolicyFile } from '../labels.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import type { LockPackage } from '../../workspace/types.js';
import { advisoryUrl, solution } from '../../report/audit-terminal.js';

export type AdvisoryIgnore =
  | { kind: 'advisory'; id: string; reason: string | undefined; expires: string | undefined; path: PathSegment[] }
  | { kind: 'yanked'; spec: PackageSpec; reason: string | undefined; path: PathSegment[] };

export interface AdvisoriesPolicy {
  ignore: AdvisoryIgnore[];
  yanked: LintLevel;
  unmaintained: Scope;
  unsound: Scope;
  unusedIgnoredAdvisory: LintLevel;
}

export interface AdvisoriesInput {
  graph: PackageGraph;
  databases: AdvisoryDatabase[];
  /** Result of the yanked lookups; undefined when yank checking is disabled. */
  yanked: { yanked: string[]; errors: { name: string; message: string }[] } | undefined;
  policy: AdvisoriesPolicy;
  config: PolicyFile;
  /** YYYY-MM-DD, for ignore expiry. */
  today: string;
}

const LABELS: Record<string, string> = {
  vulnerability: 'security vulnerability detected',
  unmaintained: 'unmaintained advisory detected',
  unsound: 'unsound advisory detected',
  notice: 'notice advisory detected',
};

export function checkAdvisories(input: AdvisoriesInput): Diagnostic[] {
  const { graph, policy } = input;
  const out: Diagnostic[] = [];
  const packages = lockPackagesOf(graph);
  const usedIgnores = new Set<AdvisoryIgnore>();
  const directOfWorkspace = directDependenciesOfMembers(graph);
  const seen = new Set<string>();

  for (const db of input.databases) {
    for (const f of findAdvisories(packages, db)) {
      // The same advisory from two databases is one finding.
      const key = `${f.advisory.metadata.id}|${f.package.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const node = graph.packages.get(f.package.id);
      if (!node) continue;
      const scope = f.kind === 'unmaintained' ? policy.unmaintained : f.kind === 'unsound' ? policy.unsound : undefined;
      if (scope !== undefined && !inScope(scope, directOfWorkspace.has(node.id))) continue;

      const ignore = policy.ignore.find(
        (i): i is Extract<AdvisoryIgnore, { kind: 'advisory' }> =>
          i.kind === 'advisory' && (i.id === f.advisory.metadata.id || f.advisory.metadata.aliases.includes(i.id)),
      );
      if (ignore) usedIgnores.add(ignore);
      const expired = ignore?.expires !== undefined && input.today > ignore.expires;
      const active = ignore !== undefined && !expired;
      const diag = advisoryDiagnostic(f.kind, f.advisory, node, input, active ? 'note' : 'error');
      if (ignore) diag.labels.push(configLabel(input.config, ignore.path, active ? 'advisory ignored here' : 'this ignore has expired'));
      out.push(diag);
      if (active) {
        out.push({
          source: 'advisories',
          code: 'advisory-ignored',
          severity: 'note',
          message: 'advisory ignored',
          labels: [configLabel(input.config, ignore.path, ignore.reason ?? 'advisory ignored here')],
          notes: [`${f.advisory.metadata.id} for ${node.name} ${node.version}`],
          package: packageRef(node),
        });
      } else if (ignore && expired) {
        out.push({
          source: 'advisories',
          code: 'ignore-expired',
          severity: 'warning',
          message: `the ignore of ${ignore.id} expired on ${ignore.expires}; the advisory is reported again`,
          labels: [configLabel(input.config, ignore.path, ignore.reason ? `reason: ${ignore.reason}` : 'expired ignore')],
          notes: [],
          package: packageRef(node),
        });
      }
    }
  }

  if (input.yanked) {
    for (const id of input.yanked.yanked) {
      const node = graph.packages.get(id);
      if (!node) continue;
      const ignore = policy.ignore.find(
        (i): i is Extract<AdvisoryIgnore, { kind: 'yanked' }> => i.kind === 'yanked' && specMatches(i.spec, node.name, node.version),
      );
      if (ignore) {
        usedIgnores.add(ignore);
        out.push({
          source: 'advisories',
          code: 'yanked-ignored',
          severity: 'note',
          message: `yanked crate '${node.name} = ${node.version}' ignored`,
          labels: [lockLabel(graph, node, 'yanked version'), configLabel(input.config, ignore.path, ignore.reason ?? 'ignored here')],
          notes: [],
          package: packageRef(node),
        });
        continue;
      }
      out.push({
        source: 'advisories',
        code: 'yanked',
        severity: severityOfLint(policy.yanked),
        message: `detected yanked crate (try \`cargo update -p ${node.name}\`)`,
        labels: [lockLabel(graph, node, 'yanked version')],
        notes: [],
        package: packageRef(node),
      });
    }
    // An index failure only matters while yanked crates matter at all.
    if (policy.yanked !== 'allow') out.push(...indexFailures(input.yanked.errors));
  }

  // Built only when an ignore went unused: reading every advisory's aliases decodes every advisory.
  let knownIds: Set<string> | undefined;
  const isKnown = (id: string): boolean =>
    (knownIds ??= new Set(input.databases.flatMap((db) => db.advisories.flatMap((a) => [a.metadata.id, ...a.metadata.aliases])))).has(id);
  for (const ignore of policy.ignore) {
    if (usedIgnores.has(ignore)) continue;
    if (ignore.kind === 'advisory' && !isKnown(ignore.id)) {
      out.push({
        source: 'advisories',
        code: 'unknown-advisory',
        severity: 'warning',
        message: `advisory '${ignore.id}' is not in any advisory database`,
        labels: [configLabel(input.config, ignore.path, 'unknown advisory')],
        notes: [],
      });
      continue;
    }
    out.push({
      source: 'advisories',
      code: ignore.kind === 'advisory' ? 'advisory-not-detected' : 'yanked-not-detected',
      severity: severityOfLint(policy.unusedIgnoredAdvisory),
      message: ignore.kind === 'advisory' ? 'advisory was not encountered' : `yanked crate '${ignore.spec.text}' was not encountered`,
      labels: [configLabel(input.config, ignore.path, 'no crate matched this ignore')],
      notes: [],
    });
  }
  return out;
}

function advisoryDiagnostic(kind: string, advisory: Advisory, node: PackageNode, input: AdvisoriesInput, severity: Severity): Diagnostic {
  const m = advisory.metadata;
  const notes = [`ID: ${m.id}`, `Advisory: ${advisoryUrl(advisory)}`, firstParagraph(m.description)];
  if (m.url) notes.push(`Announcement: ${m.url}`);
  const fix = solution(advisory, node.version);
  notes.push(
    fix.startsWith('Upgrade to')
      ? `Solution: ${fix.replace(/ \((patched|unaffected)\)$/, '')} (try \`cargo update -p ${node.name}\`)`
      : 'Solution: No safe upgrade is available!',
  );
  return {
    source: 'advisories',
    code: kind,
    severity,
    message: m.title,
    labels: [lockLabel(input.graph, node, (Object.hasOwn(LABELS, kind) ? LABELS[kind] : undefined) ?? `${kind} advisory detected`)],
    notes,
    package: packageRef(node),
    advisory,
  };
}

/** `workspace`: only direct dependencies of workspace members; `transitive`: only the others. */
function inScope(scope: Scope, isDirectOfWorkspace: boolean): boolean {
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  return scope === 'workspace' ? isDirectOfWorkspace : !isDirectOfWorkspace;
}

function directDependenciesOfMembers(graph: PackageGraph): Set<string> {
  const direct = new Set<string>();
  for (const [id, node] of graph.packages) {
    if (!node.isWorkspaceMember) continue;
    for (const edge of graph.dependencies.get(id) ?? []) direct.add(edge.to);
  }
  return direct;
}

function lockPackagesOf(graph: PackageGraph): LockPackage[] {
  return [...graph.packages.values()].map(
    (n) => n.lock ?? { id: n.id, name: n.name, version: n.version, source: n.source, checksum: undefined, dependencies: [], line: 0 },
  );
}


/** The description's first paragraph: the full text is in the advisory (JSON output carries it whole). */
function firstParagraph(description: string): string {
  const para = description.trim().split(/\n\s*\n/)[0] ?? '';
  const flat = para.replace(/\s*\n\s*/g, ' ');
  return flat.length > 600 ? `${flat.slice(0, 597)}...` : flat;
}

/** Beyond this many, index failures are one diagnostic: an unreachable index must not bury the findings. */
const MAX_INDEX_FAILURES = 5;

function indexFailures(errors: readonly { name: string; message: string }[]): Diagnostic[] {
  if (errors.length <= MAX_INDEX_FAILURES) {
    return errors.map((e) => ({ source: 'advisories', code: 'index-failure', severity: 'warning', message: e.message, labels: [], notes: [] }));
  }
  const names = [...new Set(errors.map((e) => e.name))];
  return [
    {
      source: 'advisories',
      code: 'index-failure',
      severity: 'warning',
      message: `couldn't check if ${names.length} crates are yanked`,
      labels: [],
      notes: [
        `first failure: ${errors[0]!.message}`,
        `crates: ${names.slice(0, 20).join(', ')}${names.length > 20 ? `, and ${names.length - 20} more` : ''}`,
      ],
    },
  ];
}

/**
 * The package graph read into what both SBOM formats state about it: every
 * package with its origin, purl, checksum, declared license and how the
 * workspace uses it, the dependency edges with their kinds, and which
 * packages the document describes (the workspace members). Plain data, in a
 * stable order, so each writer only renders.
 */
import path from 'node:path';
import { compareStrings } from '../../advisories/assemble.js';
import type { AdvisoryFinding } from '../../advisories/match.js';
import { reachability, type Reach } from '../../workspace/metadata/index.js';
import type { DependencyKind, PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import { declaredLicense, type DeclaredLicense } from './license.js';
import { cargoPurl, originOf, type PackageOrigin } from './purl.js';

export interface SbomDependency {
  /** Package id of the dependency. */
  id: string;
  /** The kinds of the edge, each once, sorted; empty when unknown (a manifest that was not read). */
  kinds: DependencyKind[];
}

export interface SbomPackage {
  /** The graph's package id (`name@version`, disambiguated by source). */
  id: string;
  name: string;
  version: string;
  origin: PackageOrigin;
  purl: string | undefined;
  /** SHA-256 of the .crate file, lower-case hex, from Cargo.lock. */
  sha256: string | undefined;
  license: DeclaredLicense;
  /**
   * How the workspace reaches it: `normal` (also the members themselves),
   * `build` (build-time only) or `dev` (only through dev-dependencies).
   */
  use: Reach;
  isMember: boolean;
  /** Has a `bin` target (only known when its manifest was read). */
  hasBinary: boolean;
  dependencies: SbomDependency[];
}

export interface Inventory {
  /** The workspace's name: its root package's, else its directory's. */
  name: string;
  /** Id of the root manifest's own package; undefined for a virtual workspace. */
  rootPackage: string | undefined;
  /** Ids of the workspace members the graph starts from, sorted. */
  members: string[];
  /** Sorted by id. */
  packages: SbomPackage[];
  /** `--target` triples the graph was pruned for; empty = every target. */
  targets: string[];
  /** Where the graph came from (a lockfile-only graph knows fewer dependency kinds). */
  origin: PackageGraph['origin'];
  /** Vulnerabilities found in these packages (`--with-vulnerabilities`); undefined when not asked for. */
  vulnerabilities: AdvisoryFinding[] | undefined;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `crates/core`, `.` for the root, `../vendored/x` outside it; undefined when the manifest is not on disk. */
function relativeDir(node: PackageNode, workspaceRoot: string): string | undefined {
  if (node.manifestPath === undefined) return undefined;
  const rel = path.relative(workspaceRoot, path.dirname(node.manifestPath));
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

export function buildInventory(graph: PackageGraph, options: { targets: string[]; vulnerabilities?: AdvisoryFinding[] }): Inventory {
  const reach = reachability(graph);
  const packages: SbomPackage[] = [];
  for (const node of graph.packages.values()) {
    const origin = originOf(node.source, node.source === undefined ? relativeDir(node, graph.workspaceRoot) : undefined);
    const checksum = node.lock?.checksum?.toLowerCase();
    packages.push({
      id: node.id,
      name: node.name,
      version: node.version,
      origin,
      purl: cargoPurl(node.name, node.version, origin),
      sha256: checksum !== undefined && SHA256_HEX.test(checksum) ? checksum : undefined,
      license: declaredLicense(node),
      use: reach.get(node.id) ?? 'normal',
      isMember: node.isWorkspaceMember,
      hasBinary: node.targets?.some((t) => t.kind.includes('bin')) ?? false,
      dependencies: dependenciesOf(graph, node.id),
    });
  }
  packages.sort((a, b) => compareStrings(a.id, b.id));
  const rootManifest = path.join(graph.workspaceRoot, 'Cargo.toml');
  const members = graph.roots.filter((id) => graph.packages.has(id)).sort(compareStrings);
  const rootPackage = members.find((id) => graph.packages.get(id)?.manifestPath === rootManifest);
  return {
    name: rootPackage !== undefined ? (graph.packages.get(rootPackage) as PackageNode).name : path.basename(graph.workspaceRoot),
    rootPackage,
    members,
    packages,
    targets: [...options.targets],
    origin: graph.origin,
    vulnerabilities: options.vulnerabilities,
  };
}

const KIND_ORDER: Record<DependencyKind, number> = { normal: 0, build: 1, dev: 2 };

/** One entry per dependency, whatever the number of edges (renames, platforms) leading to it. */
function dependenciesOf(graph: PackageGraph, id: string): SbomDependency[] {
  const byTarget = new Map<string, Set<DependencyKind>>();
  for (const edge of graph.dependencies.get(id) ?? []) {
    if (!graph.packages.has(edge.to)) continue;
    const kinds = byTarget.get(edge.to) ?? new Set<DependencyKind>();
    for (const k of edge.kinds) kinds.add(k.kind);
    byTarget.set(edge.to, kinds);
  }
  return [...byTarget]
    .map(([to, kinds]) => ({ id: to, kinds: [...kinds].sort((a, b) => KIND_ORDER[a] - KIND_ORDER[b]) }))
    .sort((a, b) => compareStrings(a.id, b.id));
}

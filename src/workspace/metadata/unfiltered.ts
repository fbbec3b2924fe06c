/**
 * The graph as a source describes it, before the `[graph]` settings (targets,
 * dev edges, excludes, roots) are applied: what `cargo metadata` or the
 * lockfile and manifests gave, nothing dropped yet.
 */
import type { DependencyEdge, EdgeKind, GraphUnknowns, PackageGraph, PackageNode } from '../package-graph.js';
import type { Lockfile } from '../types.js';

export interface UnfilteredGraph {
  origin: PackageGraph['origin'];
  workspaceRoot: string;
  lockfile: Lockfile | undefined;
  packages: Map<string, PackageNode>;
  /** Outgoing edges per package id, in the source's order. */
  dependencies: Map<string, DependencyEdge[]>;
  /** Every workspace member. */
  members: string[];
  /** The package of the manifest the graph was asked for; undefined for a virtual manifest. */
  rootPackage: string | undefined;
  unknowns: GraphUnknowns;
  warnings: string[];
}

const KIND_ORDER = { normal: 0, build: 1, dev: 2 } as const;

const compareKinds = (a: EdgeKind, b: EdgeKind): number => {
  const x = a.target ?? '';
  const y = b.target ?? '';
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (x < y ? -1 : x > y ? 1 : 0);
};

/** Kinds with duplicates (same kind and platform) removed, normal before build before dev, then by platform. */
export function distinctKinds(kinds: EdgeKind[]): EdgeKind[] {
  if (kinds.length < 2) return kinds;
  const sorted = [...kinds].sort(compareKinds);
  return sorted.filter((k, i) => i === 0 || compareKinds(sorted[i - 1] as EdgeKind, k) !== 0);
}

/**
 * Ids for packages that have no Cargo.lock entry, in the lockfile's scheme
 * (`name@version`, with the source appended when that is taken) and never
 * equal to an id already used.
 */
export function freshId(taken: Set<string>, name: string, version: string, source: string | undefined, fallback: string): string {
  const candidates = [`${name}@${version}`, `${name}@${version} (${source ?? 'path'})`, `${name}@${version} (${fallback})`];
  const id = candidates.find((c) => !taken.has(c)) ?? fallback;
  taken.add(id);
  return id;
}

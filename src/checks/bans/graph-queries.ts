/**
 * Questions the bans and build checks ask of the package graph: the order
 * cargo-deny reports packages in, the tree under a package, and everything a
 * set of packages pulls in. (Who depends directly on a package and how the
 * roots reach it are src/workspace/metadata/reachability.ts's.)
 */
import { compareVersions } from '../../workspace/version.js';
import type { DependencyEdge, PackageGraph, PackageNode } from '../../workspace/package-graph.js';

/** `name = version`, the way cargo-deny names a crate in its messages. */
export const crateDisplay = (node: { name: string; version: string }): string => `${node.name} = ${node.version}`;

/** Packages by name, then version, then id (the order cargo-deny walks them). */
export function sortedPackages(graph: PackageGraph): PackageNode[] {
  return [...graph.packages.values()].sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareVersions(a.version, b.version) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  );
}

/**
 * The package and its dependencies down to `depth` levels, the package itself
 * being level 1 (so depth 0 or 1 is the package alone). Breadth first, so a
 * package reached by two ways counts at its shallowest level.
 */
export function treeUnder(graph: PackageGraph, rootId: string, depth: number): Set<string> {
  const seen = new Set<string>([rootId]);
  let level = [rootId];
  for (let current = 1; current < depth && level.length > 0; current++) {
    const next: string[] = [];
    for (const id of level) {
      for (const edge of graph.dependencies.get(id) ?? []) {
        if (!seen.has(edge.to)) {
          seen.add(edge.to);
          next.push(edge.to);
        }
      }
    }
    level = next;
  }
  return seen;
}

/** Every package reachable from `ids` (included), following edges that `follow` accepts. */
export function closure(graph: PackageGraph, ids: Iterable<string>, follow: (edge: DependencyEdge) => boolean = () => true): Set<string> {
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of graph.dependencies.get(id) ?? []) if (follow(edge) && !seen.has(edge.to)) stack.push(edge.to);
  }
  return seen;
}

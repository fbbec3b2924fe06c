/**
 * How the roots reach each package, the distinction the licenses check
 * (`include-dev`, `include-build`) and the bans check
 * (`multiple-versions-include-dev`) make:
 * - `normal`: through normal dependencies only (the roots themselves too);
 * - `build`: not so, but without any dev-dependency: some build-dependency
 *   on the way makes it a build-time-only package;
 * - `dev`: only through a dev-dependency somewhere on every way.
 * An edge of unknown kinds (its manifest was not read) counts as normal:
 * nothing is set aside on a guess.
 */
import type { DependencyEdge, DependencyKind, PackageGraph, PackageNode } from '../package-graph.js';

export type Reach = 'normal' | 'build' | 'dev';

const follows = (edge: DependencyEdge, kinds: ReadonlySet<DependencyKind>): boolean =>
  edge.kinds.length === 0 || edge.kinds.some((k) => kinds.has(k.kind));

const PASSES: ReadonlyArray<[Reach, ReadonlySet<DependencyKind>]> = [
  ['normal', new Set(['normal'])],
  ['build', new Set(['normal', 'build'])],
  ['dev', new Set(['normal', 'build', 'dev'])],
];

/** Every package the roots reach, with how; packages the roots do not reach are absent. */
export function reachability(graph: PackageGraph): Map<string, Reach> {
  const reach = new Map<string, Reach>();
  for (const [label, kinds] of PASSES) {
    const queue = graph.roots.filter((id) => graph.packages.has(id));
    const seen = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i] as string;
      if (!reach.has(id)) reach.set(id, label);
      for (const edge of graph.dependencies.get(id) ?? []) {
        if (!seen.has(edge.to) && follows(edge, kinds)) {
          seen.add(edge.to);
          queue.push(edge.to);
        }
      }
    }
  }
  return reach;
}

/** The packages with an edge to `id`, each once, in graph order. */
export function directDependents(graph: PackageGraph, id: string): PackageNode[] {
  const out: PackageNode[] = [];
  const seen = new Set<string>();
  for (const edge of graph.dependents.get(id) ?? []) {
    const node = graph.packages.get(edge.from);
    if (node && !seen.has(edge.from)) {
      seen.add(edge.from);
      out.push(node);
    }
  }
  return out;
}

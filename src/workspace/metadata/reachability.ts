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
import type { DependencyEdge, PackageGraph, PackageNode } from '../package-graph.js';

export type Reach = 'normal' | 'build' | 'dev';

/** The passes, in order: each follows the edges of its own kind and of the passes before it. */
const PASSES: readonly Reach[] = ['normal', 'build', 'dev'];

/** The first pass that follows an edge: normal (or unknown) edges from the first, build from the second, dev-only from the last. */
function firstPass(edge: DependencyEdge): number {
  if (edge.kinds.length === 0 || edge.kinds.some((k) => k.kind === 'normal')) return 0;
  return edge.kinds.some((k) => k.kind === 'build') ? 1 : 2;
}

/**
 * Every package the roots reach, with how; packages the roots do not reach are absent.
 * Breadth first, one pass per kind; the passes run over integer arrays, because
 * on a 50,000-package graph three walks through string-keyed sets cost more
 * than the whole rest of the bans check.
 */
export function reachability(graph: PackageGraph): Map<string, Reach> {
  const ids = [...graph.packages.keys()];
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  // The edges as one array per field, those of package i at [start[i], start[i + 1]).
  const lists = ids.map((id) => graph.dependencies.get(id) ?? []);
  const size = lists.reduce((n, edges) => n + edges.length, 0);
  const start = new Int32Array(ids.length + 1);
  const targets = new Int32Array(size);
  const passOf = new Uint8Array(size);
  let count = 0;
  let lastPass = 0;
  lists.forEach((edges, i) => {
    for (const edge of edges) {
      const to = index.get(edge.to);
      if (to === undefined) continue;
      const pass = firstPass(edge);
      targets[count] = to;
      passOf[count++] = pass;
      if (pass > lastPass) lastPass = pass;
    }
    start[i + 1] = count;
  });
  const roots = graph.roots.flatMap((id) => index.get(id) ?? []);

  const label = new Int8Array(ids.length).fill(-1);
  const labelled: number[] = [];
  const queue = new Int32Array(ids.length);
  const seen = new Uint8Array(ids.length);
  // A pass after the last kind of edge there is would reach nothing new.
  for (let pass = 0; pass <= lastPass; pass++) {
    seen.fill(0);
    let tail = 0;
    for (const r of roots) {
      if (seen[r] === 0) {
        seen[r] = 1;
        queue[tail++] = r;
      }
    }
    for (let head = 0; head < tail; head++) {
      const v = queue[head]!;
      if (label[v]! < 0) {
        label[v] = pass;
        labelled.push(v);
      }
      for (let e = start[v]!; e < start[v + 1]!; e++) {
        const w = targets[e]!;
        if (seen[w] === 0 && passOf[e]! <= pass) {
          seen[w] = 1;
          queue[tail++] = w;
        }
      }
    }
  }
  const reach = new Map<string, Reach>();
  for (const v of labelled) reach.set(ids[v]!, PASSES[label[v]!]!);
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

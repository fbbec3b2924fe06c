/**
 * How a package is included: the reverse dependency tree from the package up
 * to the workspace members, as text (human output) and as cargo-deny's JSON
 * graph nodes. A package already shown is repeated but not expanded, and
 * past a bound the remaining parents are counted instead of drawn, which keeps
 * wide graphs finite and short.
 */
import type { DependencyEdge, EdgeKind, PackageGraph } from '../workspace/package-graph.js';

export interface GraphNode {
  Krate: { name: string; version: string; kind?: 'dev' | 'build' };
  parents?: GraphNode[];
  repeat?: boolean;
  /** Parents left out to keep the graph readable (ours; absent whenever nothing is cut). */
  omitted?: number;
}

/** Bound on nodes expanded per graph: a diagnostic must stay readable on a 50,000-package graph. */
const MAX_NODES = 200;
/**
 * Bound on nodes drawn per graph. Expanding 200 nodes is not enough of a
 * bound: a crate such as `serde` has thousands of direct dependents, each
 * drawn (as a repeat) once the expansions run out. Past this many, a node's
 * remaining parents are counted, not drawn.
 */
const MAX_DRAWN = 1000;

const kindOf = (kinds: readonly EdgeKind[]): 'dev' | 'build' | undefined => {
  if (kinds.length === 0 || kinds.some((k) => k.kind === 'normal')) return undefined;
  return kinds.some((k) => k.kind === 'build') ? 'build' : 'dev';
};

/**
 * A package's dependents in the graph, in code-unit order of their ids (the
 * same on every machine, unlike localeCompare). Kept per graph: a run draws
 * one graph per diagnostic, and hubs are walked again and again.
 */
const sortedCache = new WeakMap<PackageGraph, Map<string, readonly DependencyEdge[]>>();
function sortedDependents(graph: PackageGraph, id: string): readonly DependencyEdge[] {
  let cache = sortedCache.get(graph);
  if (!cache) sortedCache.set(graph, (cache = new Map()));
  let edges = cache.get(id);
  if (!edges) {
    edges = [...(graph.dependents.get(id) ?? [])].filter((e) => graph.packages.has(e.from)).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    cache.set(id, edges);
  }
  return edges;
}

export function inclusionGraph(graph: PackageGraph, id: string): GraphNode | undefined {
  const node = graph.packages.get(id);
  if (!node) return undefined;
  const seen = new Set<string>();
  let budget = MAX_NODES;
  let drawn = 0;
  const visit = (pkgId: string, kind: 'dev' | 'build' | undefined): GraphNode => {
    drawn++;
    const p = graph.packages.get(pkgId)!;
    const out: GraphNode = { Krate: { name: p.name, version: p.version, ...(kind ? { kind } : {}) } };
    if (seen.has(pkgId) || budget <= 0) {
      out.repeat = true;
      return out;
    }
    seen.add(pkgId);
    budget--;
    const edges = sortedDependents(graph, pkgId);
    const parents: GraphNode[] = [];
    for (const e of edges) {
      if (drawn >= MAX_DRAWN) break;
      parents.push(visit(e.from, kindOf(e.kinds)));
    }
    if (parents.length > 0) out.parents = parents;
    if (parents.length < edges.length) out.omitted = edges.length - parents.length;
    return out;
  };
  return visit(id, undefined);
}

/** The same tree as text: `name version`, then `├── ` / `└── ` branches; `(*)` marks a repeat. */
export function inclusionLines(root: GraphNode): string[] {
  const lines: string[] = [];
  const label = (n: GraphNode): string =>
    `${n.Krate.name} v${n.Krate.version}${n.Krate.kind ? ` (${n.Krate.kind})` : ''}${n.repeat && n.parents === undefined && lines.length > 0 ? ' (*)' : ''}`;
  const walk = (n: GraphNode, prefix: string): void => {
    const parents = n.parents ?? [];
    parents.forEach((p, i) => {
      const last = i === parents.length - 1 && n.omitted === undefined;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${label(p)}`);
      walk(p, `${prefix}${last ? '    ' : '│   '}`);
    });
    if (n.omitted !== undefined) lines.push(`${prefix}└── … and ${n.omitted} more`);
  };
  lines.push(label(root));
  walk(root, '');
  return lines;
}

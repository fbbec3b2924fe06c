/**
 * How a package is included: the reverse dependency tree from the package up
 * to the workspace members, as text (human output) and as cargo-deny's JSON
 * graph nodes. A package already shown is repeated but not expanded, which
 * keeps wide graphs finite.
 */
import type { EdgeKind, PackageGraph } from '../workspace/package-graph.js';

export interface GraphNode {
  Krate: { name: string; version: string; kind?: 'dev' | 'build' };
  parents?: GraphNode[];
  repeat?: boolean;
}

/** Bound on nodes drawn per graph: a diagnostic must stay readable on a 50,000-package graph. */
const MAX_NODES = 200;

const kindOf = (kinds: readonly EdgeKind[]): 'dev' | 'build' | undefined => {
  if (kinds.length === 0 || kinds.some((k) => k.kind === 'normal')) return undefined;
  return kinds.some((k) => k.kind === 'build') ? 'build' : 'dev';
};

export function inclusionGraph(graph: PackageGraph, id: string): GraphNode | undefined {
  const node = graph.packages.get(id);
  if (!node) return undefined;
  const seen = new Set<string>();
  let budget = MAX_NODES;
  const visit = (pkgId: string, kind: 'dev' | 'build' | undefined): GraphNode => {
    const p = graph.packages.get(pkgId)!;
    const out: GraphNode = { Krate: { name: p.name, version: p.version, ...(kind ? { kind } : {}) } };
    if (seen.has(pkgId) || budget <= 0) {
      out.repeat = true;
      return out;
    }
    seen.add(pkgId);
    budget--;
    const parents = [...(graph.dependents.get(pkgId) ?? [])]
      .filter((e) => graph.packages.has(e.from))
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((e) => visit(e.from, kindOf(e.kinds)));
    if (parents.length > 0) out.parents = parents;
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
      const last = i === parents.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${label(p)}`);
      walk(p, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  lines.push(label(root));
  walk(root, '');
  return lines;
}

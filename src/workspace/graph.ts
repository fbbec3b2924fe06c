/**
 * The dependency graph: the lockfile's edges plus their reverse, and the
 * roots diagnostics trace packages back to.
 */
import type { DependencyGraph, LockPackage, Lockfile, WorkspaceInfo } from './types.js';
import { compareVersions } from './version.js';

/** The order every listing of packages uses: name, then version, then id. */
export function comparePackages(a: LockPackage, b: LockPackage): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return compareVersions(a.version, b.version) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function buildGraph(lockfile: Lockfile, workspace?: WorkspaceInfo): DependencyGraph {
  const dependents = new Map<string, string[]>();
  for (const p of lockfile.packages) dependents.set(p.id, []);
  // Visiting dependents in sorted order leaves every list sorted, with one sort in all.
  for (const p of [...lockfile.packages].sort(comparePackages)) {
    for (const dep of p.dependencies) {
      const list = dependents.get(dep);
      if (list && list[list.length - 1] !== p.id) list.push(p.id);
    }
  }
  const roots =
    workspace && workspace.members.length > 0
      ? [...workspace.members]
      : lockfile.packages.filter((p) => dependents.get(p.id)?.length === 0).map((p) => p.id);
  return { lockfile, workspace, roots, dependents };
}

/**
 * The shortest chain of ids from a root down to `id` (root first, `id`
 * last), for telling a user how a package got in. Searched upwards from the
 * package, so the cost is bounded by its dependents, not the whole graph.
 * `[id]` when nothing leads to it from a root (or it is one); `[]` for an
 * unknown id.
 */
export function inclusionPath(graph: DependencyGraph, id: string): string[] {
  if (!graph.dependents.has(id)) return [];
  const roots = new Set(graph.roots);
  // Next step towards `id` for every package reached so far.
  const towards = new Map<string, string | undefined>([[id, undefined]]);
  const queue = [id];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i] as string;
    if (roots.has(current)) {
      const chain = [current];
      for (let next = towards.get(current); next !== undefined; next = towards.get(next)) chain.push(next);
      return chain;
    }
    for (const parent of graph.dependents.get(current) ?? []) {
      if (towards.has(parent)) continue;
      towards.set(parent, current);
      queue.push(parent);
    }
  }
  return [id];
}

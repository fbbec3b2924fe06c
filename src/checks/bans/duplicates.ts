/**
 * Several versions of one crate (`multiple-versions`), with cargo-deny's
 * exclusions: `skip` entries, the trees under `skip-tree` roots (the root is
 * level 1), and, unless `multiple-versions-include-dev`, crates that only
 * dev-dependencies bring in (for those, skips are not even consulted). A
 * `deny` entry with `deny-multiple-versions = true` makes its crate's
 * duplicates an error whatever the lint level.
 */
import type { Diagnostic, Severity } from '../../diagnostics/types.js';
import { severityOfLint } from '../../policy/levels.js';
import { specMatches } from '../../policy/package-spec.js';
import type { PackageNode } from '../../workspace/package-graph.js';
import { bansDiagnostic, listEntry, lockEntry, specDisplay, type BansContext } from './context.js';
import { reachability } from '../../workspace/metadata/reachability.js';
import { crateDisplay, treeUnder } from './graph-queries.js';

export function checkDuplicates(ctx: BansContext): Diagnostic[] {
  const { config, graph } = ctx;
  const out: Diagnostic[] = [];
  const includeDev = config['multiple-versions-include-dev'];
  // Only what every way reaches through a dev-dependency is set aside; nothing on a guess.
  const reach = includeDev ? undefined : reachability(graph);
  const considered = reach ? ctx.packages.filter((p) => reach.get(p.id) !== 'dev') : ctx.packages;
  if (!includeDev && graph.unknowns.edgeKinds && wantsDuplicates(ctx)) {
    out.push(
      bansDiagnostic(
        'dependency-kinds-unknown',
        'note',
        'dependency kinds are not all known (the graph comes from Cargo.lock without cargo metadata): a crate only dev-dependencies bring in may be counted as a duplicate',
        undefined,
        [],
      ),
    );
  }

  const treeSkips = skipTrees(ctx, out);
  const skipHits = new Set<number>();
  const groups = new Map<string, PackageNode[]>();
  for (const node of considered) {
    const skips = matchingIndexes(config.skip, node);
    const roots = treeSkips.get(node.id) ?? [];
    if (skips.length > 0) {
      for (const i of skips) {
        skipHits.add(i);
        out.push(
          bansDiagnostic('skipped', 'note', `crate '${crateDisplay(node)}' skipped when checking for duplicates`, node, [
            lockEntry(ctx, node, 'skipped crate'),
            listEntry(ctx, 'skip', i, config.skip[i]!, 'skipped here'),
          ]),
        );
      }
    } else if (roots.length > 0) {
      for (const i of roots) {
        out.push(
          bansDiagnostic('skipped-by-root', 'note', `skipping crate '${crateDisplay(node)}' due to root skip`, node, [
            lockEntry(ctx, node, 'skipped crate'),
            listEntry(ctx, 'skip-tree', i, config['skip-tree'][i]!, 'matched skip root'),
          ]),
        );
      }
    } else {
      const group = groups.get(node.name) ?? [];
      group.push(node);
      groups.set(node.name, group);
    }
  }

  for (const [name, nodes] of groups) {
    if (nodes.length < 2) continue;
    const severity = duplicateSeverity(ctx, nodes);
    if (severity === undefined) continue;
    out.push(
      bansDiagnostic(
        'duplicate',
        severity,
        `found ${nodes.length} duplicate entries for crate '${name}'`,
        undefined,
        nodes.map((n) => lockEntry(ctx, n, crateDisplay(n))),
      ),
    );
  }

  out.push(...skipLints(ctx, considered, skipHits));
  return out;
}

const wantsDuplicates = (ctx: BansContext): boolean =>
  ctx.config['multiple-versions'] !== 'allow' || ctx.config.deny.some((e) => e['deny-multiple-versions']);

function matchingIndexes(entries: readonly { spec: Parameters<typeof specMatches>[0] }[], node: PackageNode): number[] {
  const out: number[] = [];
  entries.forEach((e, i) => {
    if (specMatches(e.spec, node.name, node.version)) out.push(i);
  });
  return out;
}

/** package id -> indexes of the skip-tree entries whose tree holds it; unmatched roots are reported. */
function skipTrees(ctx: BansContext, out: Diagnostic[]): Map<string, number[]> {
  const byPackage = new Map<string, number[]>();
  ctx.config['skip-tree'].forEach((entry, i) => {
    const roots = ctx.packages.filter((p) => specMatches(entry.spec, p.name, p.version));
    if (roots.length === 0) {
      out.push(
        bansDiagnostic('unmatched-skip-root', 'warning', 'skip tree root was not found in the dependency graph', undefined, [
          listEntry(ctx, 'skip-tree', i, entry, 'no crate matched these criteria'),
        ]),
      );
      return;
    }
    const depth = entry.depth ?? Number.POSITIVE_INFINITY;
    const ids = new Set<string>();
    for (const root of roots) for (const id of treeUnder(ctx.graph, root.id, depth)) ids.add(id);
    for (const id of ids) byPackage.set(id, [...(byPackage.get(id) ?? []), i]);
  });
  return byPackage;
}

function duplicateSeverity(ctx: BansContext, nodes: PackageNode[]): Severity | undefined {
  const denied = ctx.config.deny.some((e) => e['deny-multiple-versions'] && nodes.some((n) => specMatches(e.spec, n.name, n.version)));
  if (denied) return 'error';
  const level = ctx.config['multiple-versions'];
  return level === 'allow' ? undefined : severityOfLint(level);
}

/** Skips that matched nothing, and skips of a crate that has only one version anyway. */
function skipLints(ctx: BansContext, considered: PackageNode[], hits: Set<number>): Diagnostic[] {
  const versions = new Map<string, number>();
  for (const node of considered) versions.set(node.name, (versions.get(node.name) ?? 0) + 1);
  const out: Diagnostic[] = [];
  ctx.config.skip.forEach((entry, i) => {
    if (!hits.has(i)) {
      out.push(
        bansDiagnostic('unmatched-skip', 'warning', `skipped crate '${specDisplay(entry.spec)}' was not encountered`, undefined, [
          listEntry(ctx, 'skip', i, entry, 'unmatched skip configuration'),
        ]),
      );
    } else if ((versions.get(entry.spec.name) ?? 0) <= 1) {
      out.push(
        bansDiagnostic('unnecessary-skip', 'warning', `skip '${specDisplay(entry.spec)}' applied to a crate with only one version`, undefined, [
          listEntry(ctx, 'skip', i, entry, 'unnecessary skip configuration'),
        ]),
      );
    }
  });
  return out;
}

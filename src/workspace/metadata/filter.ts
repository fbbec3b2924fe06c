/**
 * The `[graph]` settings applied to a graph, with cargo-deny's (krates')
 * semantics: dev-dependency edges of crates outside the workspace are always
 * dropped, `exclude-dev` drops the rest; with `targets`, an edge stays only
 * if its platform condition holds on one of them; `exclude` removes packages;
 * the roots are the workspace members (or the manifest's own package), minus
 * unpublished ones with `exclude-unpublished`; finally whatever the roots no
 * longer reach is dropped.
 */
import { PackageSpecError, parsePackageSpec, specMatches, type PackageSpec } from '../../policy/package-spec.js';
import type { DependencyEdge, EdgeKind, PackageGraph, PackageNode } from '../package-graph.js';
import { CfgParseError, parsePlatform } from './cfg.js';
import { builtinTarget, cfgHoldsOn, type TargetInfo } from './targets.js';
import type { UnfilteredGraph } from './unfiltered.js';

/** A `[graph] targets` entry: a triple, or a triple with the target features it promises. */
export type TargetSpec = string | { triple: string; features?: string[] };

export interface GraphFilter {
  targets: readonly TargetSpec[];
  excludeDev: boolean;
  /** Package specs: `name`, `name@version`, `name:requirement`. */
  exclude: readonly string[];
  excludeUnpublished: boolean;
  /** All workspace members are roots; else only the manifest's own package, when it has one. */
  workspace: boolean;
}

interface ResolvedTarget {
  triple: string;
  info: TargetInfo | undefined;
  features: string[];
}

function resolveTargets(specs: readonly TargetSpec[], warnings: string[]): ResolvedTarget[] {
  return specs.map((spec) => {
    const triple = typeof spec === 'string' ? spec : spec.triple;
    const info = builtinTarget(triple);
    if (!info) warnings.push(`unknown target \`${triple}\`: it is not a built-in rustc target, so only \`[target.${triple}]\` dependency tables match it`);
    return { triple, info, features: typeof spec === 'string' ? [] : [...(spec.features ?? [])] };
  });
}

/** Whether a dependency's platform condition holds on at least one target; each condition is evaluated once. */
class PlatformMatcher {
  private readonly cache = new Map<string, boolean>();

  constructor(
    private readonly targets: readonly ResolvedTarget[],
    private readonly warnings: string[],
  ) {}

  matches(platform: string | null): boolean {
    if (platform === null || this.targets.length === 0) return true;
    let result = this.cache.get(platform);
    if (result === undefined) {
      result = this.evaluate(platform);
      this.cache.set(platform, result);
    }
    return result;
  }

  private evaluate(text: string): boolean {
    try {
      const platform = parsePlatform(text);
      if (platform.kind === 'triple') return this.targets.some((t) => t.triple === platform.triple);
      return this.targets.some((t) => t.info !== undefined && cfgHoldsOn(platform.expr, t.info, t.features));
    } catch (e) {
      if (!(e instanceof CfgParseError)) throw e;
      // Kept rather than guessed away: cargo would have refused the manifest, so this is a damaged input.
      this.warnings.push(`cannot read the platform \`${text}\` (${e.message}); dependencies under it are kept for every target`);
      return true;
    }
  }
}

function parseExcludes(specs: readonly string[], warnings: string[]): PackageSpec[] {
  return specs.flatMap((text) => {
    try {
      return [parsePackageSpec(text)];
    } catch (e) {
      if (!(e instanceof PackageSpecError)) throw e;
      warnings.push(`ignoring the exclude entry \`${text}\`: ${e.message}`);
      return [];
    }
  });
}

function chooseRoots(raw: UnfilteredGraph, filter: GraphFilter): string[] {
  const roots = !filter.workspace && raw.rootPackage !== undefined ? [raw.rootPackage] : raw.members;
  if (!filter.excludeUnpublished) return [...roots];
  return roots.filter((id) => raw.packages.get(id)?.publish?.length !== 0);
}

/** Whether one kind of an edge survives the filter. */
function kindSurvives(k: EdgeKind, fromMember: boolean, filter: GraphFilter, platforms: PlatformMatcher): boolean {
  return (k.kind !== 'dev' || (fromMember && !filter.excludeDev)) && platforms.matches(k.target);
}

/**
 * The kinds of `edge` that survive; undefined when none does. An edge of
 * unknown kinds is kept as it is, and so is the edge's own array when every
 * kind survives (the common case: no copy per edge on a 50,000-package graph).
 */
function keptKinds(edge: DependencyEdge, fromMember: boolean, filter: GraphFilter, platforms: PlatformMatcher): EdgeKind[] | undefined {
  const all = edge.kinds;
  let i = 0;
  while (i < all.length && kindSurvives(all[i]!, fromMember, filter, platforms)) i++;
  if (i === all.length) return all;
  const kinds = all.filter((k) => kindSurvives(k, fromMember, filter, platforms));
  return kinds.length > 0 ? kinds : undefined;
}

export function applyGraphFilter(raw: UnfilteredGraph, filter: GraphFilter): PackageGraph {
  const warnings = [...raw.warnings];
  const platforms = new PlatformMatcher(resolveTargets(filter.targets, warnings), warnings);
  const excludes = parseExcludes(filter.exclude, warnings);
  const excluded = (node: PackageNode | undefined): boolean => node === undefined || excludes.some((spec) => specMatches(spec, node.name, node.version));

  const roots = chooseRoots(raw, filter).filter((id) => !excluded(raw.packages.get(id)));

  // The walk runs over positions in the raw graph: one string lookup per edge, and
  // whether a package is excluded is decided once, not once per edge into it.
  const ids = [...raw.packages.keys()];
  const nodes = [...raw.packages.values()];
  const position = new Map<string, number>();
  ids.forEach((id, i) => position.set(id, i));
  const UNSEEN = 0;
  const KEPT = 1;
  const DROPPED = 2;
  const state = new Uint8Array(ids.length);
  const queue: number[] = [];
  for (const id of roots) {
    const i = position.get(id)!;
    if (state[i] === UNSEEN) queue.push(i);
    state[i] = KEPT;
  }
  const keptEdges: Array<DependencyEdge[] | undefined> = new Array(ids.length);
  const keptTargets: Array<number[] | undefined> = new Array(ids.length);
  let unknownKinds = false;
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    const fromMember = nodes[i]!.isWorkspaceMember;
    const edges: DependencyEdge[] = [];
    const targets: number[] = [];
    for (const edge of raw.dependencies.get(ids[i]!) ?? []) {
      const kinds = keptKinds(edge, fromMember, filter, platforms);
      if (kinds === undefined) continue;
      // An edge to a package the graph does not have is dropped with it.
      const j = position.get(edge.to);
      if (j === undefined) continue;
      if (state[j] === UNSEEN) {
        state[j] = excluded(nodes[j]) ? DROPPED : KEPT;
        if (state[j] === KEPT) queue.push(j);
      }
      if (state[j] !== KEPT) continue;
      edges.push(kinds === edge.kinds ? edge : { ...edge, kinds });
      targets.push(j);
      if (kinds.length === 0) unknownKinds = true;
    }
    keptEdges[i] = edges;
    keptTargets[i] = targets;
  }

  // In the raw graph's order, so every listing (dependents included) is the same whatever order the walk took.
  const packages = new Map<string, PackageNode>();
  const dependencies = new Map<string, DependencyEdge[]>();
  const dependents = new Map<string, DependencyEdge[]>();
  const dependentsAt: DependencyEdge[][] = [];
  for (let i = 0; i < ids.length; i++) {
    if (keptEdges[i] === undefined) continue;
    dependentsAt[i] = [];
  }
  for (let i = 0; i < ids.length; i++) {
    const edges = keptEdges[i];
    if (edges === undefined) continue;
    const targets = keptTargets[i]!;
    for (let e = 0; e < edges.length; e++) dependentsAt[targets[e]!]!.push(edges[e]!);
    packages.set(ids[i]!, nodes[i]!);
    dependencies.set(ids[i]!, edges);
    dependents.set(ids[i]!, dependentsAt[i]!);
  }
  const isKept = (id: string): boolean => state[position.get(id)!] === KEPT;

  return {
    origin: raw.origin,
    workspaceRoot: raw.workspaceRoot,
    lockfile: raw.lockfile,
    packages,
    roots,
    dependencies,
    dependents,
    unknowns: {
      manifestsMissing: raw.unknowns.manifestsMissing.filter(isKept),
      edgeKinds: unknownKinds,
      features: raw.unknowns.features,
    },
    warnings,
  };
}

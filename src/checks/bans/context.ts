/**
 * What every part of the bans check shares: the graph, the `[bans]` section,
 * where deny.toml is, and how a finding is built and labelled.
 */
import type { Diagnostic, Label, Severity } from '../../diagnostics/types.js';
import type { PackageSpec } from '../../policy/package-spec.js';
import type { PathSegment } from '../../toml/locate.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import { configLabel, lockLabel, packageRef, type PolicyFile } from '../labels.js';
import type { BansConfig } from './config.js';

export interface BansContext {
  graph: PackageGraph;
  config: BansConfig;
  policy: PolicyFile;
  /** Every package, by name, then version (cargo-deny's order). */
  packages: PackageNode[];
}

export function bansDiagnostic(
  code: string,
  severity: Severity,
  message: string,
  node: PackageNode | undefined,
  labels: Label[],
  notes: string[] = [],
): Diagnostic {
  const d: Diagnostic = { source: 'bans', code, severity, message, labels, notes };
  if (node) d.package = packageRef(node);
  return d;
}

/** The package's `[[package]]` entry in the real Cargo.lock. */
export const lockEntry = (ctx: BansContext, node: PackageNode, message: string, primary = true): Label =>
  lockLabel(ctx.graph, node, message, primary);

/** A `[bans]` key or list element in deny.toml (secondary unless told). */
export const bansKey = (ctx: BansContext, path: readonly PathSegment[], message: string, primary = false): Label =>
  configLabel(ctx.policy, ['bans', ...path], message, primary);

/** An entry of a `[bans]` list; its label carries the entry's `reason` when it has one. */
export const listEntry = (ctx: BansContext, list: string, index: number, entry: { reason?: string | undefined }, message: string): Label =>
  bansKey(ctx, [list, index, 'crate'], entry.reason ?? message);

/**
 * A spec the way cargo-deny prints one: `name`, or `name = req` with the
 * requirement's comparators normalised (`1.2` is `^1.2`, `@1.2.3` is `=1.2.3`).
 */
export function specDisplay(spec: PackageSpec): string {
  if (spec.req === undefined) return spec.name;
  const req = spec.req
    .split(',')
    .map((c) => c.trim())
    .map((c) => (c === '*' || /^[<>=^~]/.test(c) ? c : `^${c}`))
    .join(', ');
  return `${spec.name} = ${req}`;
}

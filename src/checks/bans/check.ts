/**
 * The bans check: graph plus `[bans]` in, diagnostics out, with cargo-deny's
 * semantics. Pure: it reads nothing from disk and prints nothing. The
 * build-time rules of `[bans.build]` are the build check's (src/checks/build).
 */
import type { Diagnostic } from '../../diagnostics/types.js';
import type { PackageGraph } from '../../workspace/package-graph.js';
import type { PolicyFile } from '../labels.js';
import type { BansConfig } from './config.js';
import type { BansContext } from './context.js';
import { checkDenyAndAllow } from './deny-allow.js';
import { checkDuplicates } from './duplicates.js';
import { checkFeatures } from './features.js';
import { sortedPackages } from './graph-queries.js';
import { checkWildcards } from './wildcards.js';

export interface BansInput {
  graph: PackageGraph;
  config: BansConfig;
  policy: PolicyFile;
}

export function checkBans(input: BansInput): Diagnostic[] {
  const ctx: BansContext = { ...input, packages: sortedPackages(input.graph) };
  return [...checkDenyAndAllow(ctx), ...checkFeatures(ctx), ...checkDuplicates(ctx), ...checkWildcards(ctx)];
}

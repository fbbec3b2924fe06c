/**
 * Labels every check puts on its diagnostics: the package's own `[[package]]`
 * entry in the real Cargo.lock (not a synthesized one, unlike cargo-deny),
 * and the deny.toml entry that decided the verdict.
 */
import type { DiagnosticPackage, Label } from '../diagnostics/types.js';
import type { PathSegment, TomlLocations } from '../toml/locate.js';
import type { PackageGraph, PackageNode } from '../workspace/package-graph.js';

export interface PolicyFile {
  file: string | undefined;
  locations: TomlLocations | undefined;
}

export const packageRef = (node: PackageNode): DiagnosticPackage => ({
  id: node.id,
  name: node.name,
  version: node.version,
  source: node.source?.raw,
});

/** A label on the package's `[[package]]` header in the real Cargo.lock. */
export function lockLabel(graph: PackageGraph, node: PackageNode, message: string, primary = true): Label {
  const file = graph.lockfile?.path ?? `${graph.workspaceRoot}/Cargo.lock`;
  return { file, line: node.lock?.line ?? 1, column: 1, length: node.lock ? '[[package]]'.length : 0, message, primary };
}

/** A secondary label on a deny.toml entry (its nearest known position). */
export function configLabel(policy: PolicyFile, path: readonly PathSegment[], message: string, primary = false): Label {
  const pos = policy.locations?.nearest(path);
  return { file: policy.file ?? 'deny.toml', line: pos?.line ?? 1, column: pos?.column ?? 1, length: 0, message, primary };
}

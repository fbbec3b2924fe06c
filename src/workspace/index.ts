/**
 * The workspace stage's public API: what a project depends on, read from
 * Cargo.lock and, when present next to it, the Cargo.toml manifests.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildGraph } from './graph.js';
import { readLockfile } from './lockfile.js';
import type { DependencyGraph, Lockfile, WorkspaceInfo } from './types.js';

export type * from './types.js';
export { parseLockfile, readLockfile } from './lockfile.js';
export { parseSourceId, referencesSource, sourceKey, canonicalUrl } from './source-id.js';
export { buildGraph, inclusionPath, comparePackages } from './graph.js';
export { renderInverseTree, DEFAULT_MAX_TREE_LINES, type InverseTreeOptions } from './inverse-tree.js';
export { compareVersions, isSemver } from './version.js';

export interface LoadedWorkspace {
  lockfile: Lockfile;
  workspace?: WorkspaceInfo;
  graph: DependencyGraph;
}

export interface LoadOptions {
  /**
   * Read the Cargo.toml files next to the lockfile (default true). The audit
   * face needs only the lockfile, as cargo-audit does: skipping the manifests
   * saves their parsing on every run and keeps a stale or broken manifest
   * from failing an audit.
   */
  manifests?: boolean;
}

/** Reads a Cargo.lock and, if a Cargo.toml sits in the same directory, the workspace's manifests. */
export async function loadWorkspace(lockfilePath: string, options: LoadOptions = {}): Promise<LoadedWorkspace> {
  const lockfile = await readLockfile(lockfilePath);
  const manifestPath = path.join(path.dirname(path.resolve(lockfilePath)), 'Cargo.toml');
  if (options.manifests === false || !existsSync(manifestPath)) return { lockfile, graph: buildGraph(lockfile) };
  // Manifest reading (and the TOML parser and semver it needs) loads only when used.
  const { readWorkspaceInfo } = await import('./workspace.js');
  const workspace = await readWorkspaceInfo(manifestPath, lockfile);
  return { lockfile, workspace, graph: buildGraph(lockfile, workspace) };
}

/**
 * Test-only: the fixture workspaces' package graphs through the project's
 * own loader (`loadPackageGraph`), from their recorded `cargo metadata`
 * output, or from Cargo.lock plus the manifests in a given registry cache.
 */
import { fixture } from '../../helpers/paths.js';
import { loadPackageGraph } from '../../../src/workspace/metadata/index.js';
import type { PackageGraph } from '../../../src/workspace/package-graph.js';
import { graphOptions, materializedMetadata } from '../../workspace/metadata/fixtures.js';

export const workspacesDir = fixture('workspaces');

const cache = new Map<string, Promise<PackageGraph>>();

/** The graph of `cargo metadata` as recorded (`metadata.json` unless named). Cached: the checks do not mutate it. */
export function metadataGraph(workspace: string, name = 'metadata'): Promise<PackageGraph> {
  const key = `${workspace}/${name}`;
  let graph = cache.get(key);
  if (!graph) {
    graph = loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace, name) }));
    cache.set(key, graph);
  }
  return graph;
}

/** The graph from Cargo.lock and the manifests found in `registrySrc` (none: every registry crate is unknown). */
export function lockfileGraph(workspace: string, registrySrc: string[]): Promise<PackageGraph> {
  return loadPackageGraph(graphOptions(workspace, { cacheDirs: { registrySrc, gitCheckouts: [] } }));
}

/**
 * Test-only: the fixture workspaces' package graphs as the tool builds them
 * (src/workspace/metadata), from their recorded `cargo metadata` with the
 * placeholders pointed at this checkout, or from Cargo.lock alone.
 */
import { loadPackageGraph } from '../../../src/workspace/metadata/index.js';
import type { PackageGraph } from '../../../src/workspace/package-graph.js';
import { graphOptions, materializedMetadata } from '../../workspace/metadata/fixtures.js';

export type Workspace = 'logsift' | 'ledger' | 'confgen';
export const WORKSPACES: readonly Workspace[] = ['logsift', 'ledger', 'confgen'];

/** From metadata.json: every fact the checks use is known. */
export const metadataGraph = (workspace: Workspace): Promise<PackageGraph> =>
  loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace) }));

/** From Cargo.lock with no crate sources on disk: kinds and features of most edges unknown. */
export const lockfileGraph = (workspace: Workspace): Promise<PackageGraph> => loadPackageGraph(graphOptions(workspace));

/** The three metadata graphs, loaded once per test file. */
export async function loadAll(): Promise<Map<Workspace, PackageGraph>> {
  const graphs = new Map<Workspace, PackageGraph>();
  for (const ws of WORKSPACES) graphs.set(ws, await metadataGraph(ws));
  return graphs;
}

/**
 * fixtures/workspaces/ledger as the checks see it: its package graph read
 * from Cargo.lock and the manifests in the fixture's registry and git caches
 * (no cargo run). `withSource` gives the same graph with one package coming
 * from another source, its Cargo.lock entry (and so its line) unchanged.
 */
import { loadPackageGraph } from '../../../src/workspace/metadata/index.js';
import type { PackageGraph } from '../../../src/workspace/package-graph.js';
import { parseSourceId } from '../../../src/workspace/index.js';
import { fixture } from '../../helpers/paths.js';

export const LEDGER_LOCK = fixture('workspaces', 'ledger', 'Cargo.lock');

export function loadLedger(): Promise<PackageGraph> {
  return loadPackageGraph({
    manifestPath: fixture('workspaces', 'ledger', 'Cargo.toml'),
    useCargo: false,
    cargoArgs: { offline: true, locked: true, frozen: false, allFeatures: false, noDefaultFeatures: false, features: [] },
    targets: [],
    excludeDev: false,
    exclude: [],
    excludeUnpublished: false,
    workspace: true,
    cargoHome: fixture('workspaces', 'no-cargo-home'),
    env: {},
    cacheDirs: {
      registrySrc: [fixture('workspaces', 'registry-src'), fixture('workspaces', 'registry-src-acme')],
      gitCheckouts: [fixture('workspaces', 'git-checkouts')],
    },
  });
}

export function withSource(graph: PackageGraph, id: string, rawSource: string): PackageGraph {
  const node = graph.packages.get(id);
  if (node === undefined) throw new Error(`no package ${id} in the graph`);
  const packages = new Map(graph.packages);
  packages.set(id, { ...node, source: parseSourceId(rawSource) });
  return { ...graph, packages };
}

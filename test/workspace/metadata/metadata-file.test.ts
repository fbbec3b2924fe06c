/**
 * Graphs from the recorded `cargo metadata` outputs of fixtures/workspaces,
 * asserted package by package against the README's tables (license, build
 * script, proc-macro, how the members reach it, edge kinds, platforms), the
 * Windows-filtered recording against our own filtering, and old-style
 * package ids against new ones.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { PackageGraph, PackageNode } from '../../../src/workspace/package-graph.js';
import { directDependents, loadPackageGraph, reachability } from '../../../src/workspace/metadata/index.js';
import { graphOptions, materializedMetadata, readmeRows, WORKSPACES, workspaceDir } from './fixtures.js';
import { assertLockLines, assertRow } from './graph-asserts.js';

const count = (graph: PackageGraph, keep: (n: PackageNode) => boolean | undefined): number => [...graph.packages.values()].filter(keep).length;

describe('graph from recorded cargo metadata', () => {
  const summary = {
    logsift: {
      packages: 127, windows: 111, buildScripts: 33, procMacros: 7, roots: ['logsift@0.4.2'],
      links: { 'rayon-core@1.10.1': 'rayon-core', 'ring@0.16.20': 'ring-asm', 'wasm-bindgen-shared@0.2.83': 'wasm_bindgen' },
    },
    ledger: {
      packages: 98, windows: 93, buildScripts: 28, procMacros: 7, roots: ['ledger-core@0.3.0', 'ledger-server@0.3.0', 'ledger-store@0.3.0'],
      links: { 'libsqlite3-sys@0.25.1': 'sqlite3', 'openssl-sys@0.9.80': 'openssl', 'rayon-core@1.10.1': 'rayon-core' },
    },
    confgen: { packages: 50, windows: 47, buildScripts: 15, procMacros: 3, roots: ['confgen-derive@1.0.0-rc.1', 'xtask@0.0.0', 'confgen@1.0.0-rc.1'], links: {} },
  };

  for (const workspace of WORKSPACES) {
    it(`${workspace}: every package as the README table says`, async () => {
      const graph = await loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace) }));
      const rows = readmeRows(workspace).filter((r) => !r.use.includes('only with --all-features'));
      const facts = summary[workspace];
      assert.equal(graph.origin, 'metadata-file');
      assert.equal(graph.workspaceRoot, workspaceDir(workspace));
      assert.equal(graph.packages.size, facts.packages);
      assert.equal(rows.length, facts.packages);
      assert.deepEqual(graph.roots, facts.roots);
      assert.equal(count(graph, (n) => n.hasBuildScript), facts.buildScripts);
      assert.equal(count(graph, (n) => n.isProcMacro), facts.procMacros);
      const links = [...graph.packages.values()].filter((n) => n.links !== null).map((n) => [n.id, n.links]);
      assert.deepEqual(Object.fromEntries(links.sort()), facts.links);
      assert.deepEqual(graph.unknowns, { manifestsMissing: [], edgeKinds: false, features: false });
      assert.deepEqual(graph.warnings, []);
      const reach = reachability(graph);
      for (const row of rows) assertRow(graph, reach, row);
      assertLockLines(graph, workspace);
    });

    it(`${workspace}: filtering metadata.json for x86_64-pc-windows-msvc keeps exactly the packages of metadata-windows.json`, async () => {
      const windows = await loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace, 'metadata-windows') }));
      const filtered = await loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace), targets: ['x86_64-pc-windows-msvc'] }));
      const ids = (g: PackageGraph): string[] => [...g.packages.keys()].sort();
      assert.equal(windows.packages.size, summary[workspace].windows);
      assert.deepEqual(ids(filtered), ids(windows));
      const expectedAbsent = readmeRows(workspace).filter((r) => !r.windows && !r.use.includes('only with --all-features'));
      const all = await loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace) }));
      assert.deepEqual(
        ids(all).filter((id) => !filtered.packages.has(id)),
        expectedAbsent.map((r) => `${r.crate}@${r.version}`).sort(),
      );
      // Same edges too; cargo keeps every platform of an edge it keeps, we keep only those that hold.
      const edges = (g: PackageGraph): string[] => [...g.dependencies.values()].flat().map((e) => `${e.from} -> ${e.to}`).sort();
      assert.deepEqual(edges(filtered), edges(windows));
      const kindsDiffer = [...filtered.dependencies.values()].flat().filter((e) => {
        const recorded = windows.dependencies.get(e.from)?.find((w) => w.to === e.to);
        return JSON.stringify(recorded?.kinds) !== JSON.stringify(e.kinds);
      });
      assert.deepEqual(
        kindsDiffer.map((e) => `${e.from} -> ${e.to}`),
        workspace === 'logsift' ? ['flate2@1.0.25 -> miniz_oxide@0.6.2'] : [],
      );
    });
  }

  it('logsift with --all-features: toml 0.5.11 joins, reached at runtime through the config-file feature', async () => {
    const graph = await loadPackageGraph(graphOptions('logsift', { metadataPath: materializedMetadata('logsift', 'metadata-all-features') }));
    const rows = readmeRows('logsift');
    assert.equal(graph.packages.size, 128);
    assert.equal(rows.length, 128);
    const reach = reachability(graph);
    for (const row of rows) assertRow(graph, reach, row);
    assert.deepEqual(graph.packages.get('logsift@0.4.2')?.enabledFeatures, ['config-file', 'default', 'upload']);
  });

  it('features, publish, links and declared dependencies as cargo reports them', async () => {
    const ledger = await loadPackageGraph(graphOptions('ledger', { metadataPath: materializedMetadata('ledger') }));
    const server = ledger.packages.get('ledger-server@0.3.0');
    assert.deepEqual(server?.publish, []);
    assert.deepEqual(server?.enabledFeatures, ['default', 'tls']);
    assert.deepEqual(ledger.packages.get('ledger-store@0.3.0')?.enabledFeatures, ['default', 'metrics']);
    assert.deepEqual(ledger.packages.get('acme-metrics@1.4.0')?.publish, ['acme']);
    assert.equal(ledger.packages.get('openssl-sys@0.9.80')?.links, 'openssl');
    assert.equal(ledger.packages.get('openssl-sys@0.9.80')?.buildScript, path.join(workspaceDir('registry-src'), 'openssl-sys-0.9.80', 'build', 'main.rs'));
    assert.equal(ledger.packages.get('ledger-proto@0.7.0')?.source?.kind, 'git');
    assert.deepEqual(
      server?.dependencies?.filter((d) => d.name === 'ledger-core' || d.name === 'libc' || d.name === 'acme-metrics'),
      [
        {
          name: 'acme-metrics', packageName: 'acme-metrics', req: '^1.4', kind: 'normal', target: null, optional: false, usesDefaultFeatures: true,
          features: [], path: undefined, git: undefined, registry: 'sparse+https://cargo.acme.example/index/',
          manifestPath: path.join(workspaceDir('ledger'), 'crates', 'ledger-server', 'Cargo.toml'), line: 16,
        },
        {
          name: 'ledger-core', packageName: 'ledger-core', req: '*', kind: 'normal', target: null, optional: false, usesDefaultFeatures: true,
          features: [], path: path.join(workspaceDir('ledger'), 'crates', 'ledger-core'), git: undefined, registry: undefined,
          manifestPath: path.join(workspaceDir('ledger'), 'crates', 'ledger-server', 'Cargo.toml'), line: 14,
        },
        {
          name: 'libc', packageName: 'libc', req: '^0.2', kind: 'normal', target: 'cfg(unix)', optional: false, usesDefaultFeatures: true,
          features: [], path: undefined, git: undefined, registry: undefined,
          manifestPath: path.join(workspaceDir('ledger'), 'crates', 'ledger-server', 'Cargo.toml'), line: 27,
        },
      ],
    );
    assert.deepEqual(directDependents(ledger, 'semver@0.9.0').map((n) => n.id), ['ledger-proto@0.7.0']);
    assert.deepEqual(directDependents(ledger, 'semver@1.0.14').map((n) => n.id), ['ledger-core@0.3.0']);

    const confgen = await loadPackageGraph(graphOptions('confgen', { metadataPath: materializedMetadata('confgen') }));
    const yaml = confgen.packages.get('confgen@1.0.0-rc.1')?.dependencies?.find((d) => d.packageName === 'yaml-rust');
    assert.equal(yaml?.name, 'yaml');
    assert.equal(confgen.packages.get('yaml-rust@0.4.5')?.source, undefined);
    assert.equal(confgen.packages.get('yaml-rust@0.4.5')?.isWorkspaceMember, false);
    assert.deepEqual(confgen.packages.get('xtask@0.0.0')?.publish, []);
  });

  it('old-style package ids (`name version (source)`) give the same graph as the current ones', async () => {
    const toOldIds = (json: string): string => {
      const metadata = JSON.parse(json) as { packages: Array<{ id: string; name: string; version: string; source: string | null; manifest_path: string }> };
      const renamed = new Map(
        metadata.packages.map((p) => [p.id, `${p.name} ${p.version} (${p.source ?? `path+file://${path.dirname(p.manifest_path)}`})`]),
      );
      // Every id appears as a whole JSON string; replace those strings and nothing else.
      return json.replace(/"((?:registry|sparse|git|path)\+[^"]*#[^"]*)"/g, (all, id: string) => {
        const old = renamed.get(id);
        return old === undefined ? all : JSON.stringify(old);
      });
    };
    for (const workspace of WORKSPACES) {
      const current = await loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace) }));
      const file = materializedMetadata(workspace, 'metadata', toOldIds);
      assert.ok(/"id":"[a-z_-]+ [0-9][^"]* \(path\+file:/.test(readFileSync(file, 'utf8')), 'the ids are in the old form');
      const old = await loadPackageGraph(graphOptions(workspace, { metadataPath: file }));
      assert.deepEqual(old.roots, current.roots);
      assert.deepEqual([...old.packages.keys()], [...current.packages.keys()]);
      assert.deepEqual([...old.dependencies.entries()], [...current.dependencies.entries()]);
      assert.deepEqual([...old.packages.values()].map((n) => n.enabledFeatures), [...current.packages.values()].map((n) => n.enabledFeatures));
    }
  });

  it('without a Cargo.lock beside it (the raw recording, made under /home/alice), ids follow the lockfile scheme', async () => {
    const graph = await loadPackageGraph(graphOptions('confgen', { metadataPath: path.join(workspaceDir('confgen'), 'metadata.json') }));
    assert.equal(graph.lockfile, undefined);
    assert.equal(graph.workspaceRoot, '/home/alice/src/confgen');
    assert.equal(graph.packages.size, 50);
    assert.ok([...graph.packages.values()].every((n) => n.lock === undefined && n.id === `${n.name}@${n.version}`));
    assert.deepEqual(graph.roots, ['confgen-derive@1.0.0-rc.1', 'xtask@0.0.0', 'confgen@1.0.0-rc.1']);
  });
});

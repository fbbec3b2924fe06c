/**
 * Graphs built without cargo: Cargo.lock plus the manifests of the project
 * and of the miniature registry cache (registry-src, registry-src-acme,
 * git-checkouts), compared with what cargo metadata recorded for the same
 * workspaces. The manifests in the cache are Debian's, patched in places;
 * cargo resolved the recordings from these very files, so the two agree on
 * every license, build script and proc-macro. The differences that remain
 * are the ones a lockfile cannot settle (features) and are asserted exactly.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadPackageGraph, reachability } from '../../../src/workspace/metadata/index.js';
import type { DeclaredDependency, PackageGraph } from '../../../src/workspace/package-graph.js';
import { CACHE_DIRS, GIT_CHECKOUTS, graphOptions, materializedMetadata, readmeRows, REGISTRY_SRC, tempDir, WORKSPACES, workspaceDir } from './fixtures.js';
import { assertLockLines, assertRow, onlyUnderCfg } from './graph-asserts.js';

const RUSTIX_LINUX_RAW = 'cfg(all(not(rustix_use_libc), not(miri), target_os = "linux", any(target_arch = "x86", all(target_arch = "x86_64", target_pointer_width = "64"), all(target_endian = "little", any(target_arch = "arm", all(target_arch = "aarch64", target_pointer_width = "64"), target_arch = "powerpc64", target_arch = "riscv64", target_arch = "mips", target_arch = "mips64")))))';

const lockfileGraph = (workspace: string, overrides = {}): Promise<PackageGraph> =>
  loadPackageGraph(graphOptions(workspace, { cacheDirs: CACHE_DIRS, ...overrides }));

const metadataGraph = (workspace: string, overrides = {}): Promise<PackageGraph> =>
  loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace), ...overrides }));

const FACT_FIELDS = ['license', 'licenseFile', 'publish', 'hasBuildScript', 'buildScript', 'isProcMacro', 'links', 'manifestPath', 'features', 'isWorkspaceMember', 'lock'] as const;

/** A declaration without what only one of the two sources spells its own way (req, registry, line). */
const declaration = (d: DeclaredDependency): string =>
  JSON.stringify([d.name, d.packageName, d.kind, d.target, d.optional, d.usesDefaultFeatures, [...d.features].sort(), d.path, d.git]);

const edgeList = (graph: PackageGraph): string[] =>
  [...graph.dependencies.values()].flat().map((e) => `${e.from} -> ${e.to} ${JSON.stringify(e.kinds)}`).sort();

describe('graph from Cargo.lock and the manifests', () => {
  for (const workspace of WORKSPACES) {
    it(`${workspace}: the same packages, licenses, build scripts, proc-macros, features and edges as cargo metadata`, async () => {
      const fromLock = await lockfileGraph(workspace);
      const fromMetadata = await metadataGraph(workspace);
      assert.equal(fromLock.origin, 'lockfile');
      assert.deepEqual(fromLock.warnings, []);
      assert.deepEqual(fromLock.unknowns, { manifestsMissing: [], edgeKinds: false, features: true });
      assert.deepEqual([...fromLock.roots].sort(), [...fromMetadata.roots].sort());
      // The lockfile holds every optional dependency some feature could enable; metadata only the enabled ones.
      const onlyInLock = [...fromLock.packages.keys()].filter((id) => !fromMetadata.packages.has(id));
      assert.deepEqual(onlyInLock, workspace === 'logsift' ? ['toml@0.5.11'] : []);
      assert.equal(fromLock.packages.size - onlyInLock.length, fromMetadata.packages.size);

      const lockReach = reachability(fromLock);
      const metadataReach = reachability(fromMetadata);
      for (const [id, expected] of fromMetadata.packages) {
        const node = fromLock.packages.get(id);
        assert.ok(node, id);
        for (const field of FACT_FIELDS) assert.deepEqual(node[field], expected[field], `${id}: ${field}`);
        assert.equal(node.targets, undefined);
        assert.equal(node.enabledFeatures, undefined);
        assert.equal(lockReach.get(id), metadataReach.get(id), `${id}: reach`);
        assert.deepEqual(node.dependencies?.map(declaration).sort(), expected.dependencies?.map(declaration).sort(), `${id}: declared dependencies`);
      }
      assertLockLines(fromLock, workspace);

      const lockEdges = edgeList(fromLock);
      const metadataEdges = edgeList(fromMetadata);
      const extra = lockEdges.filter((e) => !metadataEdges.includes(e));
      const missing = metadataEdges.filter((e) => !lockEdges.includes(e));
      if (workspace === 'logsift') {
        // `toml` is behind the off-by-default `config-file` feature, and rustix's second `errno`
        // entry (optional, for the `use-libc` feature) cannot be told inactive without features.
        assert.deepEqual(extra.map((e) => e.slice(0, e.indexOf(' ['))), ['logsift@0.4.2 -> toml@0.5.11', 'rustix@0.35.12 -> errno@0.2.8', 'toml@0.5.11 -> serde@1.0.152']);
        assert.deepEqual(missing.map((e) => e.slice(0, e.indexOf(' ['))), ['rustix@0.35.12 -> errno@0.2.8']);
      } else {
        assert.deepEqual(extra, []);
        assert.deepEqual(missing, []);
      }
    });
  }

  it('logsift: every package as the README table says, errno with the one extra platform the lockfile cannot rule out', async () => {
    const graph = await lockfileGraph('logsift');
    const reach = reachability(graph);
    const rows = readmeRows('logsift');
    assert.equal(graph.packages.size, rows.length);
    for (const row of rows.filter((r) => r.crate !== 'errno')) assertRow(graph, reach, row);
    const errno = rows.find((r) => r.crate === 'errno');
    assert.deepEqual(onlyUnderCfg(graph, 'errno@0.2.8'), [...(errno?.onlyUnderCfg ?? []), RUSTIX_LINUX_RAW].sort());
  });

  for (const workspace of ['ledger', 'confgen'] as const) {
    it(`${workspace}: every package as the README table says`, async () => {
      const graph = await lockfileGraph(workspace);
      const reach = reachability(graph);
      for (const row of readmeRows(workspace)) assertRow(graph, reach, row);
    });
  }

  it('what the Debian-patched manifests say is what the graph says', async () => {
    const graph = await lockfileGraph('logsift');
    const edge = (from: string, to: string) => graph.dependencies.get(from)?.find((e) => e.to === to)?.kinds;
    // ring 0.16.20 depends on spin 0.9 (upstream: 0.5), clap 4.0.32 on atty (upstream: is-terminal).
    assert.deepEqual(edge('ring@0.16.20', 'spin@0.9.5'), [
      { kind: 'normal', target: 'cfg(any(target_arch = "x86", target_arch = "x86_64", all(any(target_arch = "aarch64", target_arch = "arm"), any(target_os = "android", target_os = "fuchsia", target_os = "linux"))))' },
    ]);
    assert.deepEqual(edge('clap@4.0.32', 'atty@0.2.14'), [{ kind: 'normal', target: null }]);
    assert.equal(graph.packages.get('ring@0.16.20')?.licenseFile, path.join(REGISTRY_SRC, 'ring-0.16.20', 'LICENSE'));
    assert.equal(graph.packages.get('ring@0.16.20')?.license, null);
  });

  it('the git crate from git-checkouts and the alternate-registry crate from registry-src-acme', async () => {
    const graph = await lockfileGraph('ledger');
    const proto = graph.packages.get('ledger-proto@0.7.0');
    assert.equal(proto?.manifestPath, path.join(GIT_CHECKOUTS, 'ledger-proto-626239da1b419496', '2be5e7a', 'Cargo.toml'));
    assert.equal(proto?.license, 'MIT');
    assert.equal(proto?.hasBuildScript, true);
    assert.equal(proto?.buildScript, path.join(GIT_CHECKOUTS, 'ledger-proto-626239da1b419496', '2be5e7a', 'build.rs'));
    const acme = graph.packages.get('acme-metrics@1.4.0');
    assert.equal(acme?.license, 'LicenseRef-Acme-Proprietary');
    assert.deepEqual(acme?.publish, ['acme']);
    assert.equal(acme?.source?.kind, 'sparse');
    // Inherited from [workspace.dependencies], with the member's own `optional`.
    const store = graph.packages.get('ledger-store@0.3.0');
    const declared = store?.dependencies?.find((d) => d.name === 'acme-metrics');
    assert.deepEqual(declared, {
      name: 'acme-metrics', packageName: 'acme-metrics', req: '1.4', kind: 'normal', target: null, optional: true, usesDefaultFeatures: true,
      features: [], path: undefined, git: undefined, registry: 'acme',
      manifestPath: path.join(workspaceDir('ledger'), 'crates', 'ledger-store', 'Cargo.toml'), line: declared?.line,
    });
    assert.equal(graph.packages.get('ledger-server@0.3.0')?.license, null);
    assert.equal(graph.packages.get('ledger-core@0.3.0')?.license, 'Apache-2.0');
  });

  it('without the cache: members and path crates known, every other manifest listed as missing', async () => {
    const expected = { logsift: 127, ledger: 95, confgen: 46 };
    for (const workspace of WORKSPACES) {
      const graph = await loadPackageGraph(graphOptions(workspace));
      const missing = [...graph.packages.values()].filter((n) => n.source !== undefined).map((n) => n.id);
      assert.deepEqual(graph.unknowns, { manifestsMissing: missing, edgeKinds: true, features: true });
      assert.equal(missing.length, expected[workspace]);
      for (const id of missing) {
        const node = graph.packages.get(id);
        assert.deepEqual([node?.license, node?.licenseFile, node?.publish, node?.hasBuildScript, node?.isProcMacro, node?.features, node?.dependencies],
          [undefined, undefined, undefined, undefined, undefined, undefined, undefined], id);
        assert.ok(graph.dependencies.get(id)?.every((e) => e.kinds.length === 0), `${id}: edges of unknown kinds`);
      }
      // Unknown kinds count as normal: nothing is build-time or dev only unless a member's own manifest says so.
      assert.equal(graph.packages.size, (await lockfileGraph(workspace)).packages.size);
    }
    const confgen = await loadPackageGraph(graphOptions('confgen'));
    assert.equal(confgen.packages.get('yaml-rust@0.4.5')?.license, 'MIT/Apache-2.0');
    assert.equal(confgen.packages.get('yaml-rust@0.4.5')?.manifestPath, path.join(workspaceDir('confgen'), 'patches', 'yaml-rust', 'Cargo.toml'));
  });

  it('filtered for x86_64-pc-windows-msvc: the packages of metadata-windows.json, plus what only features could rule out', async () => {
    for (const workspace of WORKSPACES) {
      const graph = await lockfileGraph(workspace, { targets: ['x86_64-pc-windows-msvc'] });
      const windows = await loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace, 'metadata-windows') }));
      const extra = [...graph.packages.keys()].filter((id) => !windows.packages.has(id));
      assert.deepEqual(extra, workspace === 'logsift' ? ['toml@0.5.11'] : []);
      assert.equal(graph.packages.size - extra.length, windows.packages.size);
    }
  });

  it('a member manifest with `workspace` false: that member alone is the root, Cargo.lock found above it', async () => {
    const xtask = await lockfileGraph('confgen', { manifestPath: path.join(workspaceDir('confgen'), 'xtask', 'Cargo.toml'), workspace: false });
    assert.deepEqual(xtask.roots, ['xtask@0.0.0']);
    assert.ok(xtask.packages.has('clap@3.2.23'));
    assert.ok(!xtask.packages.has('clap@4.0.32'));
    assert.ok(!xtask.packages.has('confgen@1.0.0-rc.1'));
    const withWorkspace = await lockfileGraph('confgen', { manifestPath: path.join(workspaceDir('confgen'), 'xtask', 'Cargo.toml') });
    assert.equal(withWorkspace.roots.length, 3);
  });

  it('cargo\'s own cache layout under CARGO_HOME: registries told apart by host, a crate inside a git repository\'s workspace', async () => {
    const write = (file: string, text: string): void => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    };
    const home = tempDir();
    const pkg = (name: string, license: string) => `[package]\nname = "${name}"\nversion = "1.0.0"\nlicense = "${license}"\n`;
    write(path.join(home, 'registry/src/index.crates.io-1949cf8c6b5b557f/foo-1.0.0/Cargo.toml'), pkg('foo', 'MIT'));
    write(path.join(home, 'registry/src/cargo.acme.example-7d2e4c1b9a3f6e05/foo-1.0.0/Cargo.toml'), pkg('foo', 'LicenseRef-Acme'));
    const checkout = path.join(home, 'git/checkouts/tools-0123456789abcdef/abcdef1');
    write(path.join(checkout, 'Cargo.toml'), '[workspace]\nmembers = ["crates/*"]\n\n[workspace.package]\nversion = "1.0.0"\nlicense = "Zlib"\n');
    write(path.join(checkout, 'crates/bar/Cargo.toml'), '[package]\nname = "bar"\nversion.workspace = true\nlicense.workspace = true\n');
    const project = tempDir();
    write(path.join(project, 'Cargo.toml'), '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nfoo = "1"\nacme-foo = { package = "foo", version = "1", registry = "acme" }\nbar = { git = "https://git.example.com/tools.git" }\n');
    write(path.join(project, 'Cargo.lock'), [
      'version = 4', '',
      '[[package]]', 'name = "app"', 'version = "0.1.0"', 'dependencies = [', ' "bar",',
      ' "foo 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",', ' "foo 1.0.0 (sparse+https://cargo.acme.example/index/)",', ']', '',
      '[[package]]', 'name = "bar"', 'version = "1.0.0"', 'source = "git+https://git.example.com/tools.git#abcdef1234567890abcdef1234567890abcdef12"', '',
      '[[package]]', 'name = "foo"', 'version = "1.0.0"', 'source = "registry+https://github.com/rust-lang/crates.io-index"', '',
      '[[package]]', 'name = "foo"', 'version = "1.0.0"', 'source = "sparse+https://cargo.acme.example/index/"', '',
    ].join('\n'));
    const graph = await loadPackageGraph(graphOptions('app', { manifestPath: path.join(project, 'Cargo.toml'), cargoHome: home, cacheDirs: undefined }));
    assert.deepEqual(graph.unknowns.manifestsMissing, []);
    const license = (id: string) => graph.packages.get(id)?.license;
    assert.equal(license('foo@1.0.0 (registry+https://github.com/rust-lang/crates.io-index)'), 'MIT');
    assert.equal(license('foo@1.0.0 (sparse+https://cargo.acme.example/index/)'), 'LicenseRef-Acme');
    assert.equal(license('bar@1.0.0'), 'Zlib');
    assert.equal(graph.packages.get('bar@1.0.0')?.manifestPath, path.join(checkout, 'crates/bar/Cargo.toml'));
    assert.deepEqual(graph.packages.get('app@0.1.0')?.dependencies?.map((d) => [d.name, d.registry, d.line]), [['foo', undefined, 6], ['acme-foo', 'acme', 7], ['bar', undefined, 8]]);
    assert.deepEqual(graph.dependencies.get('app@0.1.0')?.map((e) => [e.to, e.kinds]), [
      ['bar@1.0.0', [{ kind: 'normal', target: null }]],
      ['foo@1.0.0 (registry+https://github.com/rust-lang/crates.io-index)', [{ kind: 'normal', target: null }]],
      ['foo@1.0.0 (sparse+https://cargo.acme.example/index/)', [{ kind: 'normal', target: null }]],
    ]);
  });
});


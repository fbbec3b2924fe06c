/**
 * The real `cargo metadata --offline`, run on small path-only workspaces
 * written to a temporary folder (nothing is fetched or built). Skipped, with
 * the reason, when cargo is not installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isSentinelError } from '../../../src/errors.js';
import { loadPackageGraph, reachability, type PackageGraphOptions } from '../../../src/workspace/metadata/index.js';
import { cargoMetadataArgs, firstCargoError } from '../../../src/workspace/metadata/run-cargo.js';
import type { PackageGraph } from '../../../src/workspace/package-graph.js';
import { graphOptions, tempDir } from './fixtures.js';

const cargoMissing = spawnSync('cargo', ['--version']).status !== 0 ? 'cargo is not on PATH' : false;

function writeTree(files: Record<string, string>): string {
  const dir = path.join(tempDir('sentinel-cargo-'), 'shop');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const crate = (dir: string, extra = ''): Record<string, string> => ({
  [`${dir}/Cargo.toml`]: `[package]\nname = "${path.basename(dir)}"\nversion = "0.1.0"\nedition = "2021"\nlicense = "MIT"\n${extra}`,
  [`${dir}/src/lib.rs`]: '',
});

/** A workspace with every kind of edge, a proc-macro, a build script, an optional feature and a non-member path crate. */
const SHOP = {
  'Cargo.toml': '[workspace]\nmembers = ["app", "helper", "macros", "buildtool", "testkit", "winonly"]\nexclude = ["vendor"]\nresolver = "2"\n\n[workspace.package]\nlicense = "MIT OR Apache-2.0"\n',
  'app/Cargo.toml': [
    '[package]', 'name = "app"', 'version = "0.1.0"', 'edition = "2021"', 'license.workspace = true', '',
    '[features]', 'default = ["fancy"]', 'fancy = ["dep:fancy"]', '',
    '[dependencies]', 'helper = { path = "../helper" }', 'macros = { path = "../macros" }', 'fancy = { path = "../vendor/fancy", optional = true }', '',
    "[target.'cfg(windows)'.dependencies]", 'winonly = { path = "../winonly" }', '',
    '[build-dependencies]', 'buildtool = { path = "../buildtool" }', '',
    '[dev-dependencies]', 'testkit = { path = "../testkit" }', '',
  ].join('\n'),
  'app/src/main.rs': 'fn main() {}\n',
  'app/build.rs': 'fn main() {}\n',
  ...crate('helper', 'license-file = "LICENSE"\npublish = false\n'),
  'helper/LICENSE': 'All rights reserved.\n',
  ...crate('macros', '\n[lib]\nproc-macro = true\n'),
  ...crate('buildtool'),
  ...crate('testkit'),
  ...crate('winonly'),
  ...crate('vendor/fancy'),
};

const cargoOptions = (dir: string, overrides: Partial<PackageGraphOptions> = {}): PackageGraphOptions =>
  graphOptions('shop', { manifestPath: path.join(dir, 'Cargo.toml'), useCargo: true, env: { ...process.env }, ...overrides });

const edgeSummary = (graph: PackageGraph, id: string): string[] =>
  (graph.dependencies.get(id) ?? []).map((e) => `${e.to} ${e.kinds.map((k) => `${k.kind}${k.target ? ` ${k.target}` : ''}`).join(',')}`).sort();

describe('running cargo metadata', { skip: cargoMissing }, () => {
  it('a path-only workspace: ids, lock lines, licenses, targets, features and edge kinds', async () => {
    const dir = writeTree(SHOP);
    const graph = await loadPackageGraph(cargoOptions(dir));
    assert.equal(graph.origin, 'cargo-metadata');
    assert.deepEqual(graph.warnings, []);
    assert.deepEqual([...graph.roots].sort(), ['app@0.1.0', 'buildtool@0.1.0', 'helper@0.1.0', 'macros@0.1.0', 'testkit@0.1.0', 'winonly@0.1.0']);
    assert.deepEqual([...graph.packages.keys()].sort(), ['app@0.1.0', 'buildtool@0.1.0', 'fancy@0.1.0', 'helper@0.1.0', 'macros@0.1.0', 'testkit@0.1.0', 'winonly@0.1.0']);
    for (const node of graph.packages.values()) {
      assert.equal(node.lock?.id, node.id, `${node.id} tied to the Cargo.lock cargo wrote`);
      assert.equal(node.isWorkspaceMember, node.name !== 'fancy');
    }
    const app = graph.packages.get('app@0.1.0');
    assert.equal(app?.license, 'MIT OR Apache-2.0');
    assert.equal(app?.hasBuildScript, true);
    assert.equal(app?.buildScript, path.join(dir, 'app', 'build.rs'));
    assert.deepEqual(app?.enabledFeatures, ['default', 'fancy']);
    assert.deepEqual(app?.features, { default: ['fancy'], fancy: ['dep:fancy'] });
    assert.deepEqual(app?.targets?.map((t) => t.kind.join('+')).sort(), ['bin', 'custom-build']);
    assert.deepEqual(app?.dependencies?.find((d) => d.name === 'winonly')?.line, 17);
    assert.deepEqual(edgeSummary(graph, 'app@0.1.0'), [
      'buildtool@0.1.0 build', 'fancy@0.1.0 normal', 'helper@0.1.0 normal', 'macros@0.1.0 normal', 'testkit@0.1.0 dev', 'winonly@0.1.0 normal cfg(windows)',
    ]);
    const helper = graph.packages.get('helper@0.1.0');
    assert.equal(helper?.license, 'MIT');
    assert.equal(helper?.licenseFile, path.join(dir, 'helper', 'LICENSE'));
    assert.deepEqual(helper?.publish, []);
    assert.equal(graph.packages.get('macros@0.1.0')?.isProcMacro, true);

    // The members are roots, so each reaches itself; from app alone the kinds decide.
    const appOnly = await loadPackageGraph(cargoOptions(dir, { manifestPath: path.join(dir, 'app', 'Cargo.toml'), workspace: false }));
    assert.deepEqual(appOnly.roots, ['app@0.1.0']);
    assert.deepEqual(Object.fromEntries([...reachability(appOnly)].sort()), {
      'app@0.1.0': 'normal', 'buildtool@0.1.0': 'build', 'fancy@0.1.0': 'normal', 'helper@0.1.0': 'normal',
      'macros@0.1.0': 'normal', 'testkit@0.1.0': 'dev', 'winonly@0.1.0': 'normal',
    });

    // Cargo.lock and the manifests alone give the same graph, features aside.
    const fromLock = await loadPackageGraph(cargoOptions(dir, { useCargo: false }));
    assert.deepEqual([...fromLock.packages.keys()].sort(), [...graph.packages.keys()].sort());
    for (const [id, node] of graph.packages) {
      const other = fromLock.packages.get(id);
      assert.deepEqual([other?.license, other?.licenseFile, other?.publish, other?.hasBuildScript, other?.buildScript, other?.isProcMacro, other?.features],
        [node.license, node.licenseFile, node.publish, node.hasBuildScript, node.buildScript, node.isProcMacro, node.features], id);
      assert.deepEqual(edgeSummary(fromLock, id), edgeSummary(graph, id), id);
    }
  });

  it('feature flags and --filter-platform reach cargo', async () => {
    const dir = writeTree(SHOP);
    const noDefault = await loadPackageGraph(cargoOptions(dir, { cargoArgs: { offline: true, locked: false, frozen: false, allFeatures: false, noDefaultFeatures: true, features: [] } }));
    assert.ok(!noDefault.packages.has('fancy@0.1.0'));
    assert.deepEqual(noDefault.packages.get('app@0.1.0')?.enabledFeatures, []);
    const linux = await loadPackageGraph(cargoOptions(dir, { targets: ['x86_64-unknown-linux-gnu'] }));
    assert.deepEqual(edgeSummary(linux, 'app@0.1.0').filter((e) => e.startsWith('winonly')), []);
    // winonly stays: it is a workspace member, so a root of its own.
    assert.ok(linux.packages.has('winonly@0.1.0'));
  });

  it('cargo failing on a manifest with a syntax error: an input error carrying its first `error:` line', async () => {
    const dir = writeTree({ 'Cargo.toml': '[package]\nname = "broken"\nversion = "0.1.0\n', 'src/lib.rs': '' });
    try {
      await loadPackageGraph(cargoOptions(dir));
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(isSentinelError(e));
      assert.equal(e.kind, 'input');
      assert.equal(e.message, '`cargo metadata` failed: invalid basic string, expected `"`');
      assert.deepEqual(e.place, { file: path.join(dir, 'Cargo.toml'), line: 3, column: 17 });
      assert.match(String((e.cause as Error).message), /version = "0\.1\.0/);
    }
  });

  it('--locked with a lockfile cargo would have to change fails the same way', async () => {
    const dir = writeTree({ ...crate('solo'), 'Cargo.toml': '[workspace]\nmembers = ["solo"]\n', 'Cargo.lock': 'version = 4\n' });
    await assert.rejects(
      loadPackageGraph(cargoOptions(dir, { cargoArgs: { offline: true, locked: true, frozen: false, allFeatures: false, noDefaultFeatures: false, features: [] } })),
      (e: unknown) => isSentinelError(e) && e.kind === 'input' && /^`cargo metadata` failed: .*--locked/.test(e.message),
    );
  });
});

describe('cargo metadata arguments and output', () => {
  it('cargo not on PATH: Cargo.lock and the manifests, with a warning', async () => {
    const dir = writeTree({
      ...crate('solo'),
      'Cargo.toml': '[workspace]\nmembers = ["solo"]\n',
      'Cargo.lock': 'version = 4\n\n[[package]]\nname = "solo"\nversion = "0.1.0"\n',
    });
    const graph = await loadPackageGraph(cargoOptions(dir, { env: { PATH: path.join(dir, 'no-bin') } }));
    assert.equal(graph.origin, 'lockfile');
    assert.deepEqual(graph.warnings, ['cargo is not on PATH: the graph is read from Cargo.lock and the manifests on disk']);
    assert.deepEqual(graph.roots, ['solo@0.1.0']);
  });

  it('a cargo that hangs is stopped at the time limit; one that prints too much at the output limit', async () => {
    const dir = writeTree({ ...crate('solo'), 'Cargo.toml': '[workspace]\nmembers = ["solo"]\n' });
    const fake = (name: string, script: string): string => {
      const file = path.join(dir, name);
      writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
      return file;
    };
    const slow = cargoOptions(dir, { env: { CARGO: fake('slow-cargo', 'exec sleep 10'), PATH: process.env['PATH'] }, cargoTimeoutMs: 150 });
    await assert.rejects(loadPackageGraph(slow), (e: unknown) => isSentinelError(e) && e.kind === 'operational' && e.message === '`cargo metadata` did not finish within 150 ms');
    const chatty = cargoOptions(dir, { env: { CARGO: fake('chatty-cargo', 'exec head -c 1000000 /dev/zero'), PATH: process.env['PATH'] }, cargoMaxOutputBytes: 1000 });
    await assert.rejects(loadPackageGraph(chatty), (e: unknown) => isSentinelError(e) && e.kind === 'operational' && e.message === '`cargo metadata` printed more than 1000 bytes');
    await assert.rejects(loadPackageGraph(cargoOptions(path.join(dir, 'gone'))), (e: unknown) => isSentinelError(e) && e.message === `manifest not found: ${path.join(dir, 'gone', 'Cargo.toml')}`);
  });

  it('the argument array', () => {
    const c = { offline: true, locked: true, frozen: false, allFeatures: true, noDefaultFeatures: true, features: ['a', 'b/c'] };
    assert.deepEqual(cargoMetadataArgs({ manifestPath: '/w/Cargo.toml', cargoArgs: c, triples: ['x86_64-pc-windows-msvc'] }), [
      'metadata', '--format-version', '1', '--manifest-path', '/w/Cargo.toml', '--offline', '--locked', '--all-features', '--no-default-features',
      '--features', 'a,b/c', '--filter-platform', 'x86_64-pc-windows-msvc',
    ]);
    const plain = { offline: false, locked: false, frozen: true, allFeatures: false, noDefaultFeatures: false, features: [] };
    assert.deepEqual(cargoMetadataArgs({ manifestPath: '/w/Cargo.toml', cargoArgs: plain, triples: ['a', 'b'] }), [
      'metadata', '--format-version', '1', '--manifest-path', '/w/Cargo.toml', '--frozen',
    ]);
  });

  it('the first error line of cargo\'s stderr, and where it points', () => {
    const stderr = 'warning: unused key\n\u001b[1m\u001b[31merror\u001b[0m\u001b[1m:\u001b[0m failed to load manifest\n\nCaused by:\n  error: nested\n';
    assert.deepEqual(firstCargoError(stderr), { message: 'failed to load manifest', at: undefined });
    assert.deepEqual(firstCargoError('error: invalid basic string, expected `"`\n --> crates/a/Cargo.toml:3:17\n  |\n'), {
      message: 'invalid basic string, expected `"`',
      at: { file: 'crates/a/Cargo.toml', line: 3, column: 17 },
    });
    assert.equal(firstCargoError('warning: only\n'), undefined);
  });
});

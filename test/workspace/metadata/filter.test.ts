/**
 * The `[graph]` settings on the recorded workspaces: exclude-dev, exclude
 * specs, exclude-unpublished, a member's graph alone (`workspace` false),
 * targets (built-in, several, unknown).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPackageGraph, reachability, type PackageGraphOptions } from '../../../src/workspace/metadata/index.js';
import type { PackageGraph } from '../../../src/workspace/package-graph.js';
import { graphOptions, materializedMetadata, readmeRows } from './fixtures.js';

const fromMetadata = (workspace: string, overrides: Partial<PackageGraphOptions> = {}): Promise<PackageGraph> =>
  loadPackageGraph(graphOptions(workspace, { metadataPath: materializedMetadata(workspace), ...overrides }));

/** Ids in `all` that `filtered` no longer has. */
const dropped = (all: PackageGraph, filtered: PackageGraph): string[] => [...all.packages.keys()].filter((id) => !filtered.packages.has(id));

const WASM_ONLY = ['bumpalo@3.12.0', 'js-sys@0.3.60', 'wasm-bindgen@0.2.83', 'wasm-bindgen-backend@0.2.83', 'wasm-bindgen-macro@0.2.83', 'wasm-bindgen-macro-support@0.2.83', 'wasm-bindgen-shared@0.2.83', 'web-sys@0.3.60'];

describe('graph filtering', () => {
  it('exclude-dev drops exactly the packages the README marks "dev only", and every dev edge', async () => {
    const all = await fromMetadata('logsift');
    const graph = await fromMetadata('logsift', { excludeDev: true });
    const devOnly = readmeRows('logsift').filter((r) => r.use === 'dev only').map((r) => `${r.crate}@${r.version}`);
    assert.equal(devOnly.length, 47);
    assert.deepEqual(dropped(all, graph).sort(), devOnly.sort());
    assert.ok([...graph.dependencies.values()].flat().every((e) => e.kinds.every((k) => k.kind !== 'dev')));
    assert.deepEqual(new Set(reachability(graph).values()), new Set(['normal', 'build']));
  });

  it('exclude removes a package and what only it brings in; a bad spec is a warning', async () => {
    const all = await fromMetadata('logsift');
    const graph = await fromMetadata('logsift', { exclude: ['criterion', 'not a spec!'] });
    assert.deepEqual(dropped(all, graph), [
      'ahash@0.7.6', 'bstr@0.2.17', 'byteorder@1.4.3', 'cast@0.3.0', 'clap@2.34.0', 'criterion@0.3.6', 'criterion-plot@0.4.5', 'csv@1.1.6', 'csv-core@0.1.6',
      'getrandom@0.2.8', 'half@1.6.0', 'hashbrown@0.12.3', 'itertools@0.10.3', 'num-traits@0.2.15', 'oorandom@11.1.3', 'plotters@0.3.4', 'plotters-backend@0.3.4',
      'plotters-svg@0.3.3', 'regex-automata@0.1.8', 'same-file@1.0.6', 'serde_cbor@0.11.2', 'smawk@0.3.1', 'textwrap@0.16.0', 'tinytemplate@1.2.1',
      'unicode-linebreak@0.1.4', 'unicode-width@0.1.10', 'walkdir@2.3.2',
    ]);
    assert.deepEqual(graph.warnings, ['ignoring the exclude entry `not a spec!`: invalid crate name "not a spec!" in package spec "not a spec!"']);
    // Versions select: `@` is exact, `:` a requirement.
    const clap4 = await fromMetadata('logsift', { exclude: ['clap@4.0.32'] });
    assert.ok(!clap4.packages.has('clap@4.0.32') && clap4.packages.has('clap@2.34.0'));
    const clap2 = await fromMetadata('logsift', { exclude: ['clap:<3'] });
    assert.ok(clap2.packages.has('clap@4.0.32') && !clap2.packages.has('clap@2.34.0'));
    const root = await fromMetadata('logsift', { exclude: ['logsift'] });
    assert.deepEqual([root.roots, root.packages.size], [[], 0]);
  });

  it('exclude-unpublished: a `publish = false` member is no root, and what only it uses goes', async () => {
    const all = await fromMetadata('ledger');
    const graph = await fromMetadata('ledger', { excludeUnpublished: true });
    assert.deepEqual(graph.roots, ['ledger-core@0.3.0', 'ledger-store@0.3.0']);
    assert.deepEqual(dropped(all, graph), [
      'ansi_term@0.12.1', 'anyhow@1.0.69', 'atty@0.2.14', 'byteorder@1.4.3', 'cc@1.0.73', 'clap@4.0.32', 'clap_derive@4.0.21', 'clap_lex@0.3.0',
      'foreign-types@0.3.2', 'foreign-types-shared@0.1.1', 'heck@0.4.0', 'lazy_static@1.4.0', 'ledger-server@0.3.0', 'matchers@0.1.0', 'mio@0.8.4',
      'openssl@0.10.45', 'openssl-macros@0.1.0', 'openssl-sys@0.9.80', 'os_str_bytes@6.0.0', 'proc-macro-error@1.0.3', 'proc-macro-error-attr@1.0.3',
      'regex@1.7.1', 'regex-automata@0.1.8', 'regex-syntax@0.6.27', 'sharded-slab@0.1.4', 'signal-hook-registry@1.4.0', 'socket2@0.4.4', 'strsim@0.10.0',
      'syn-mid@0.5.0', 'termcolor@1.1.2', 'thread_local@1.1.4', 'tokio@1.24.2', 'tokio-macros@1.7.0', 'toml@0.5.11', 'tracing-log@0.1.3',
      'tracing-subscriber@0.3.16', 'utf8-ranges@1.0.4', 'winapi-util@0.1.5',
    ]);
    // acme-metrics stays: ledger-store's `metrics` feature is on in the resolved (workspace-wide) graph.
    assert.ok(graph.packages.has('acme-metrics@1.4.0'));
  });

  it('`workspace` false on a root package: its graph alone, other members only as its dependencies', async () => {
    const all = await fromMetadata('confgen');
    const graph = await fromMetadata('confgen', { workspace: false });
    assert.deepEqual(graph.roots, ['confgen@1.0.0-rc.1']);
    assert.deepEqual(dropped(all, graph), [
      'atty@0.2.14', 'autocfg@1.1.0', 'clap@3.2.23', 'clap_derive@3.2.18', 'hashbrown@0.12.3', 'heck@0.4.0', 'indexmap@1.9.2', 'once_cell@1.17.0',
      'proc-macro-error@1.0.3', 'proc-macro-error-attr@1.0.3', 'same-file@1.0.6', 'strsim@0.10.0', 'syn-mid@0.5.0', 'termcolor@1.1.2', 'textwrap@0.16.0',
      'walkdir@2.3.2', 'winapi@0.3.9', 'winapi-i686-pc-windows-gnu@0.4.0', 'winapi-util@0.1.5', 'winapi-x86_64-pc-windows-gnu@0.4.0', 'xtask@0.0.0',
    ]);
    assert.ok(graph.packages.get('confgen-derive@1.0.0-rc.1')?.isWorkspaceMember);
    // A virtual manifest has no package of its own: all members stay roots.
    assert.equal((await fromMetadata('ledger', { workspace: false })).roots.length, 3);
  });

  it('targets: one, several (cargo-deny\'s own list), and an unknown triple', async () => {
    const all = await fromMetadata('logsift');
    const linux = await fromMetadata('logsift', { targets: ['x86_64-unknown-linux-gnu'] });
    assert.deepEqual(dropped(all, linux), [
      'bumpalo@3.12.0', 'ctor@0.1.26', 'errno@0.2.8', 'js-sys@0.3.60', 'output_vt100@0.1.2', 'redox_syscall@0.2.16', 'wasm-bindgen@0.2.83',
      'wasm-bindgen-backend@0.2.83', 'wasm-bindgen-macro@0.2.83', 'wasm-bindgen-macro-support@0.2.83', 'wasm-bindgen-shared@0.2.83', 'web-sys@0.3.60',
      'winapi@0.3.9', 'winapi-i686-pc-windows-gnu@0.4.0', 'winapi-util@0.1.5', 'winapi-x86_64-pc-windows-gnu@0.4.0',
    ]);
    const several = await fromMetadata('logsift', {
      targets: ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'x86_64-unknown-linux-musl', 'aarch64-apple-darwin', 'x86_64-apple-darwin', { triple: 'x86_64-pc-windows-msvc', features: ['crt-static'] }],
    });
    assert.deepEqual(dropped(all, several).sort(), [...WASM_ONLY, 'redox_syscall@0.2.16', 'winapi-i686-pc-windows-gnu@0.4.0', 'winapi-x86_64-pc-windows-gnu@0.4.0'].sort());
    assert.deepEqual(several.warnings, []);
    const gnu = await fromMetadata('logsift', { targets: ['x86_64-pc-windows-gnu'] });
    assert.ok(gnu.packages.has('winapi-x86_64-pc-windows-gnu@0.4.0') && !gnu.packages.has('winapi-i686-pc-windows-gnu@0.4.0'));

    const custom = await fromMetadata('logsift', { targets: ['x86_64-unknown-linux-gnu-custom'] });
    assert.deepEqual(custom.warnings, [
      'unknown target `x86_64-unknown-linux-gnu-custom`: it is not a built-in rustc target, so only `[target.x86_64-unknown-linux-gnu-custom]` dependency tables match it',
    ]);
    // Nothing under a condition survives: every cfg() is false for a target we know nothing about.
    assert.ok([...custom.dependencies.values()].flat().every((e) => e.kinds.every((k) => k.target === null)));
    assert.equal(dropped(all, custom).length, 22);
  });
});

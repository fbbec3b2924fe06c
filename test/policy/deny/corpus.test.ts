import assert from 'node:assert/strict';
import { describe as group, it } from 'node:test';
import { loadDenyConfig } from '../../../src/policy/deny/load.js';
import { ConfigFileError } from '../../../src/policy/toml-config.js';
import { fixture } from '../../helpers/paths.js';
import { describe, ENV } from './support.js';

const corpus = (project: string) => fixture('corpus', project, 'deny.toml');

group('deny.toml corpus', () => {
  it('cargo-deny: current format, every value where written', async () => {
    const { config, warnings, file } = await loadDenyConfig(corpus('cargo-deny'), ENV);
    assert.equal(file, corpus('cargo-deny'));
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      config.graph.targets.map((t) => t.triple),
      ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'x86_64-unknown-linux-musl', 'aarch64-apple-darwin', 'x86_64-apple-darwin', 'x86_64-pc-windows-msvc'],
    );
    assert.equal(config.graph['all-features'], true);
    assert.equal(config.advisories.unmaintained, 'workspace');
    assert.equal(config.advisories.unsound, 'all');
    assert.deepEqual(config.advisories.ignore, []);
    assert.equal(config.advisories['db-path'], '/opt/cargo/advisory-dbs');
    assert.equal(config.advisories['maximum-db-staleness'], 90);
    assert.equal(config.bans['multiple-versions'], 'deny');
    assert.equal(config.bans.wildcards, 'deny');
    assert.deepEqual(
      config.bans.deny.map((d) => [d.spec.name, d['use-instead']]),
      [['git2', 'gix'], ['openssl', 'rustls'], ['openssl-sys', 'rustls'], ['libssh2-sys', undefined], ['cmake', 'cc'], ['windows', 'ideally inline bindings, practically, windows-sys']],
    );
    assert.deepEqual(config.bans.skip.map((s) => [s.spec.text, s.reason]), [
      ['getrandom@0.2.17', 'ring uses this old version'],
      ['hashbrown@0.15.5', 'petgraph uses this old version'],
    ]);
    assert.equal(config.sources['unknown-registry'], 'deny');
    assert.equal(config.sources['unknown-git'], 'deny');
    assert.deepEqual(config.sources['allow-registry'].map((a) => a.text), ['https://github.com/rust-lang/crates.io-index']);
    assert.equal(config.licenses['confidence-threshold'], 0.93);
    assert.equal(config.output['feature-depth'], 1);
  });

  it('wasmtime: loads; the old name form of specs is reported as deprecated', async () => {
    const { config, warnings } = await loadDenyConfig(corpus('wasmtime'), ENV);
    assert.deepEqual(config.graph.targets, [
      { triple: 'x86_64-unknown-linux-gnu', features: [] },
      { triple: 'x86_64-apple-darwin', features: [] },
      { triple: 'x86_64-pc-windows-msvc', features: [] },
      { triple: 'aarch64-linux-android', features: [] },
    ]);
    assert.deepEqual(config.bans['skip-tree'].map((s) => [s.spec.name, s.depth]), [
      ['rand', undefined],
      ['witx', 20],
      ['file-per-thread-logger', undefined],
      ['region', undefined],
    ]);
    assert.equal(config.licenses.clarify[0]?.spec.name, 'ring');
    assert.equal(config.bans.wildcards, 'allow');
    assert.deepEqual(describe(warnings), [
      '26:1 `licenses.clarify[0]`: `name` is deprecated; write `crate = "ring"` instead',
      '39:5 `bans.skip[0]`: `name` is deprecated; write `crate = "cpufeatures"` instead',
      '40:5 `bans.skip[1]`: `name` is deprecated; write `crate = "hashbrown"` instead',
      '41:5 `bans.skip[2]`: `name` is deprecated; write `crate = "gimli"` instead',
      '42:5 `bans.skip[3]`: `name` is deprecated; write `crate = "io-lifetimes"` instead',
      '45:5 `bans.skip-tree[0]`: `name` is deprecated; write `crate = "rand"` instead',
      '46:5 `bans.skip-tree[1]`: `name` is deprecated; write `crate = "witx"` instead',
      '47:5 `bans.skip-tree[2]`: `name` is deprecated; write `crate = "file-per-thread-logger"` instead',
      '48:5 `bans.skip-tree[3]`: `name` is deprecated; write `crate = "region"` instead',
    ]);
  });

  it('uv/crates/uv-build: only [bans]; every other section has its defaults', async () => {
    const { config, warnings } = await loadDenyConfig(corpus('uv/crates/uv-build'), ENV);
    assert.deepEqual(warnings, []);
    assert.equal(config.bans['multiple-versions'], 'allow');
    assert.deepEqual(
      config.bans.deny.map((d) => d.spec.name),
      ['rustls', 'openssl', 'reqwest', 'schemars'],
    );
    assert.equal(config.bans.deny[3]?.reason, 'JSON Schema generation is a development feature, not a runtime feature');
    assert.equal(config.advisories.unmaintained, 'all');
    assert.equal(config.advisories.unsound, 'workspace');
    assert.equal(config.advisories.yanked, 'warn');
    assert.deepEqual(config.graph.targets, []);
    assert.equal(config.sources['unknown-git'], 'warn');
    assert.deepEqual(config.licenses.allow, []);
  });

  it('cargo-deny-2021: exactly the removed keys and old scope values are errors; moved keys and old specs are warnings', async () => {
    const file = corpus('cargo-deny-2021');
    const error = await loadDenyConfig(file, ENV).then(
      () => assert.fail('expected the 2021 config to be rejected'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigFileError);
    assert.equal(error.kind, 'config');
    assert.equal(error.message, `7 problems in ${file}`);
    assert.ok(error.problems.every((p) => p.place?.file === file));
    const scope = (what: string) =>
      `"deny" is a lint level, but this key now takes a scope saying which ${what} advisories are reported: ` +
      '"all" (every crate), "workspace" (crates a workspace member depends on directly), ' +
      '"transitive" (crates no workspace member depends on directly) or "none"';
    assert.deepEqual(describe(error.problems), [
      '10:1 `advisories.vulnerability` has been removed: vulnerabilities are always errors; to accept one, add its id to `advisories.ignore`',
      `11:1 \`advisories.unmaintained\`: ${scope('unmaintained')}`,
      '12:1 `advisories.notice` has been removed: notice advisories are always errors; to accept one, add its id to `advisories.ignore`',
      `13:1 \`advisories.unsound\`: ${scope('unsound')}`,
      '46:1 `licenses.unlicensed` has been removed: unlicensed crates are always an error now; give the crate a license with `[[licenses.clarify]]` or an `exceptions` entry',
      '47:1 `licenses.allow-osi-fsf-free` has been removed: licenses are no longer allowed by category; list each one in `licenses.allow`',
      '48:1 `licenses.copyleft` has been removed: licenses are no longer allowed by category; list each one in `licenses.allow`',
    ]);
    assert.deepEqual(describe(error.warnings), [
      '2:1 `targets` is deprecated: use `graph.targets` instead',
      '28:5 `bans.skip[0]`: `name` and `version` are deprecated; write `crate = "ansi_term@0.11.0"` instead',
      '30:5 `bans.skip[1]`: `name` and `version` are deprecated; write `crate = "cfg-if@0.1.10"` instead',
      '32:5 `bans.skip[2]`: `name` and `version` are deprecated; write `crate = "hex@0.3.2"` instead',
      '34:5 `bans.skip[3]`: `name` and `version` are deprecated; write `crate = "rand_core@0.5.1"` instead',
      '36:5 `bans.skip[4]`: `name` and `version` are deprecated; write `crate = "semver@0.10.0"` instead',
      '37:5 `bans.skip[5]`: `name` and `version` are deprecated; write `crate = "semver-parser@0.7.0"` instead',
      '59:5 `licenses.exceptions[0]`: `name` is deprecated; write `crate = "tinyvec"` instead',
      '60:5 `licenses.exceptions[1]`: `name` is deprecated; write `crate = "crossbeam-queue"` instead',
    ]);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSentinelError } from '../../src/errors.js';
import { parseManifest } from '../../src/workspace/manifest.js';
import { fixture } from '../helpers/paths.js';

const FILE = '/ws/Cargo.toml';

describe('Cargo.toml', () => {
  it('reads Cargo\'s own keys only: nested metadata tables are other tools\' business', () => {
    const file = fixture('corpus', 'alacritty-2019', 'alacritty', 'Cargo.toml');
    const manifest = parseManifest(readFileSync(file, 'utf8'), file);
    assert.deepEqual(manifest.package, { name: 'alacritty', version: '0.3.2', inheritsVersion: false, line: 1 });
    assert.equal(manifest.workspace, undefined);
    assert.equal(manifest.dependencies.length, 11);
  });

  it('every dependency table Cargo reads, old underscore spellings and renames included', () => {
    const manifest = parseManifest(
      [
        '[package]', 'name = "a"', '',
        '[dependencies]', 'rand08 = { package = "rand", version = "0.8", optional = true }', 'local = { path = "../local" }', '',
        '[dev_dependencies]', 'tempfile = "3"', '',
        '[build_dependencies.cc]', 'version = "1"', '',
        '[target."x86_64-pc-windows-gnu".build-dependencies]', 'winres = { git = "https://github.com/x/winres", branch = "main" }', '',
        '[patch.crates-io]', 'serde = { path = "vendor/serde" }', 'rand = { git = "https://github.com/x/rand" }', '',
        '[replace]', '"log:0.4.0" = { path = "vendor/log" }',
      ].join('\n'),
      FILE,
    );
    assert.equal(manifest.package?.version, undefined);
    const summary = manifest.dependencies.map((d) => [d.name, d.kind, d.target, d.line, d.spec.packageName, d.spec.req, d.spec.path, d.spec.git, d.spec.optional]);
    assert.deepEqual(summary, [
      ['rand08', 'normal', undefined, 5, 'rand', '0.8', undefined, undefined, true],
      ['local', 'normal', undefined, 6, undefined, undefined, '/local', undefined, false],
      ['tempfile', 'dev', undefined, 9, undefined, '3', undefined, undefined, false],
      ['cc', 'build', undefined, 11, undefined, '1', undefined, undefined, false],
      ['winres', 'build', 'x86_64-pc-windows-gnu', 15, undefined, undefined, undefined, 'https://github.com/x/winres', false],
    ]);
    assert.deepEqual(manifest.patchPaths, ['/ws/vendor/serde', '/ws/vendor/log']);
  });

  it('the workspace table', () => {
    const manifest = parseManifest(
      [
        '[workspace]', 'members = ["crates/*", "tools/x"]', 'exclude = ["crates/old"]', 'default-members = ["tools/x"]', '',
        '[workspace.package]', 'version = "2.1.0"', '',
        '[workspace.dependencies]', 'core = { path = "crates/core", version = "2.1.0" }', 'serde = "1"',
      ].join('\n'),
      FILE,
    );
    assert.equal(manifest.package, undefined);
    const ws = manifest.workspace;
    assert.deepEqual([ws?.members, ws?.exclude, ws?.defaultMembers, ws?.packageVersion], [['crates/*', 'tools/x'], ['crates/old'], ['tools/x'], '2.1.0']);
    assert.deepEqual(ws?.dependencies.get('core'), {
      line: 10,
      spec: { packageName: undefined, req: '2.1.0', path: '/ws/crates/core', git: undefined, registry: undefined, optional: false, inherited: false },
    });
  });

  it('type errors point at the key', () => {
    const fails = (text: string, message: string, line: number) =>
      assert.throws(() => parseManifest(text, FILE), (e: unknown) => isSentinelError(e) && e.message === message && e.place?.line === line && e.place.file === FILE);
    fails('[package]\nname = 5\n', '`package.name` must be a non-empty string', 2);
    fails('[package]\nversion = "1.0.0"\n', '`package.name` must be a non-empty string', 1);
    fails('[package]\nname = "a"\nversion = { git = true }\n', '`package.version` must be a string or `{ workspace = true }`', 3);
    fails('[package]\nname = "a"\n[dependencies]\nx = { workspace = false }\n', '`dependencies.x.workspace` cannot be false', 4);
    fails('[package]\nname = "a"\n[dependencies]\nx = { version = 1 }\n', '`dependencies.x.version` must be a string', 4);
    fails('[package]\nname = "a"\n[dependencies]\nx = { optional = "yes" }\n', '`dependencies.x.optional` must be true or false', 4);
    fails('[package]\nname = "a"\n[target]\nunix = 1\n', '`target.unix` must be a table', 4);
    fails('dependencies = ["x"]\n[package]\nname = "a"\n', '`dependencies` must be a table', 1);
    fails('[workspace]\nexclude = [1]\n', '`workspace.exclude` must be an array of strings', 2);
  });

  it('mutated real manifests parse or fail with an input error, nothing else', () => {
    const file = fixture('corpus', 'nushell', 'Cargo.toml');
    const original = readFileSync(file, 'utf8');
    const edit = fc.record({
      at: fc.nat({ max: original.length }),
      cut: fc.nat({ max: 80 }),
      text: fc.string({ unit: fc.constantFrom('"', "'", '[', ']', '{', '}', '=', '.', '#', '\\', '\n', ' ', 'x', '1', 'true'), maxLength: 10 }),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const text = edits.reduce((t, e) => t.slice(0, e.at) + e.text + t.slice(e.at + e.cut), original);
        try {
          parseManifest(text, file);
        } catch (e) {
          if (!isSentinelError(e) || e.kind !== 'input') throw e;
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});

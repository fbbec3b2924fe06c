/**
 * Inputs that are not what they should be: each one an input error that
 * names the file and says what is wrong, with the line and column when the
 * problem has one.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isSentinelError, type SentinelError } from '../../../src/errors.js';
import { loadPackageGraph, type PackageGraphOptions } from '../../../src/workspace/metadata/index.js';
import { findJsonFault } from '../../../src/workspace/metadata/json-text.js';
import { graphOptions, materializedMetadata, tempDir } from './fixtures.js';

async function fails(options: PackageGraphOptions): Promise<SentinelError> {
  try {
    await loadPackageGraph(options);
  } catch (e) {
    assert.ok(isSentinelError(e), `expected a SentinelError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

function metadataFile(text: string): string {
  const file = path.join(tempDir(), 'metadata.json');
  writeFileSync(file, text);
  return file;
}

const withMetadata = (text: string): PackageGraphOptions => graphOptions('confgen', { metadataPath: metadataFile(text) });

describe('bad metadata files', () => {
  it('not JSON: the line and column of the first fault', async () => {
    const cases: Array<[string, string, number, number]> = [
      ['{\n  "packages": [\n    {"name": "a",}\n  ]\n}\n', 'invalid JSON: expected a property name in double quotes, found `}`', 3, 18],
      ['{"packages": [1, 2\n', 'invalid JSON: expected `,` or `]`, found the end of the file', 2, 1],
      ['   \n warning: unused manifest key\n{}', 'invalid JSON: expected a value, found `w`', 2, 2],
      ['{"a": "tab\there"}', 'invalid JSON: control character in a string', 1, 11],
      ['{"a": 1} {"b": 2}', 'invalid JSON: unexpected `{` after the JSON value', 1, 10],
    ];
    for (const [text, message, line, column] of cases) {
      const options = withMetadata(text);
      const error = await fails(options);
      assert.equal(error.kind, 'input');
      assert.equal(error.message, message, JSON.stringify(text));
      assert.deepEqual(error.place, { file: options.metadataPath, line, column }, JSON.stringify(text));
    }
    const empty = await fails(withMetadata('\n'));
    assert.equal(empty.message, 'invalid JSON: the file is empty');
  });

  it('the fault finder agrees with JSON.parse on what is valid', () => {
    for (const text of ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,{"b":"\\u00e9\\n"}]}', ' "x" ', '0']) {
      assert.equal(findJsonFault(text), undefined, text);
      JSON.parse(text);
    }
  });

  it('JSON that is not cargo metadata', async () => {
    const cases: Array<[string, string]> = [
      ['{"name": "confgen", "version": "1.0.0"}', 'not cargo metadata output: missing `packages` array'],
      ['[{"packages": []}]', 'not cargo metadata output: the JSON is an array, not an object'],
      ['"packages"', 'not cargo metadata output: the JSON is a string, not an object'],
      ['{"packages": [], "workspace_members": [], "resolve": null, "workspace_root": "/x", "version": 2}', 'unsupported cargo metadata format version 2 (supported: 1, from `--format-version 1`)'],
      ['{"packages": {}, "workspace_members": [], "resolve": null, "workspace_root": "/x", "version": 1}', 'malformed cargo metadata: `packages` must be an array'],
      ['{"packages": [], "workspace_members": [], "resolve": null, "version": 1}', 'not cargo metadata output: missing `workspace_root` (string)'],
      ['{"packages": [], "workspace_members": [], "resolve": null, "workspace_root": "/x", "version": 1}', 'cargo metadata has no `resolve` graph (was it made with `--no-deps`?); the dependency graph needs it'],
    ];
    for (const [text, message] of cases) {
      const options = withMetadata(text);
      const error = await fails(options);
      assert.equal(error.kind, 'input');
      assert.equal(error.message, message, text);
      assert.deepEqual(error.place, { file: options.metadataPath });
    }
  });

  it('a package whose fields have the wrong type, named by its JSON path', async () => {
    const file = materializedMetadata('confgen', 'metadata', (json) => json.replace('"name":"atty","version":"0.2.14"', '"name":"atty","version":0.2'));
    const error = await fails(graphOptions('confgen', { metadataPath: file }));
    assert.equal(error.message, 'malformed cargo metadata: `packages[0].version` must be a string');
  });

  it('a package id that does not parse, or that names another package', async () => {
    const garbled = materializedMetadata('confgen', 'metadata', (json) => json.replaceAll('registry+https://github.com/rust-lang/crates.io-index#atty@0.2.14', 'atty-0.2.14'));
    assert.equal((await fails(graphOptions('confgen', { metadataPath: garbled }))).message, 'package id `atty-0.2.14` is neither `source#name@version` nor `name version (source)`');
    const mismatch = materializedMetadata('confgen', 'metadata', (json) => json.replace('"id":"registry+https://github.com/rust-lang/crates.io-index#atty@0.2.14"', '"id":"registry+https://github.com/rust-lang/crates.io-index#atty@0.2.15"'));
    assert.equal(
      (await fails(graphOptions('confgen', { metadataPath: mismatch }))).message,
      'package id `registry+https://github.com/rust-lang/crates.io-index#atty@0.2.15` names `atty 0.2.15`, but the package is `atty 0.2.14`',
    );
    const dangling = materializedMetadata('confgen', 'metadata', (json) => json.replace('"pkg":"registry+https://github.com/rust-lang/crates.io-index#atty@0.2.14"', '"pkg":"registry+https://github.com/rust-lang/crates.io-index#atty@9.9.9"'));
    assert.match((await fails(graphOptions('confgen', { metadataPath: dangling }))).message, /^dependency of `registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index#clap@3\.2\.23` `registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index#atty@9\.9\.9` is not in `packages`$/);
  });

  it('a metadata file that does not exist', async () => {
    const file = path.join(tempDir(), 'missing.json');
    const error = await fails(graphOptions('confgen', { metadataPath: file }));
    assert.equal(error.message, `metadata file not found: ${file}`);
  });
});

describe('bad projects without cargo', () => {
  it('no Cargo.lock anywhere above the manifest', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'Cargo.toml'), '[package]\nname = "a"\nversion = "0.1.0"\n');
    const error = await fails(graphOptions('confgen', { manifestPath: path.join(dir, 'Cargo.toml') }));
    assert.equal(error.kind, 'input');
    assert.match(error.message, /^no Cargo\.lock next to .*Cargo\.toml \(or in a directory above it\): reading the graph without `cargo metadata` needs one; `cargo generate-lockfile` writes it$/);
  });

  it('a manifest outside the workspace whose Cargo.lock sits above it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'Cargo.toml'), '[package]\nname = "a"\nversion = "0.1.0"\n');
    writeFileSync(path.join(dir, 'Cargo.lock'), 'version = 4\n\n[[package]]\nname = "a"\nversion = "0.1.0"\n');
    mkdirSync(path.join(dir, 'stray'));
    writeFileSync(path.join(dir, 'stray', 'Cargo.toml'), '[package]\nname = "stray"\nversion = "0.1.0"\n');
    const error = await fails(graphOptions('confgen', { manifestPath: path.join(dir, 'stray', 'Cargo.toml'), workspace: false }));
    assert.equal(error.message, `${path.join(dir, 'stray', 'Cargo.toml')} is not a member of the workspace at ${path.join(dir, 'Cargo.toml')}`);
  });

  it('a broken manifest in the cache is a warning and an unknown, not a failure', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'Cargo.toml'), '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nfoo = "1"\n');
    writeFileSync(
      path.join(dir, 'Cargo.lock'),
      'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "foo",\n]\n\n[[package]]\nname = "foo"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
    );
    const cache = tempDir();
    mkdirSync(path.join(cache, 'foo-1.0.0'));
    writeFileSync(path.join(cache, 'foo-1.0.0', 'Cargo.toml'), '[package\nname = "foo"\n');
    const graph = await loadPackageGraph(graphOptions('confgen', { manifestPath: path.join(dir, 'Cargo.toml'), cacheDirs: { registrySrc: [cache], gitCheckouts: [] } }));
    assert.deepEqual(graph.unknowns.manifestsMissing, ['foo@1.0.0']);
    assert.equal(graph.warnings?.length, 1);
    assert.match(graph.warnings?.[0] ?? '', /^cannot read .*foo-1\.0\.0\/Cargo\.toml: .*foo-1\.0\.0\/Cargo\.toml:1:\d+: invalid TOML: /);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLockfile } from '../../src/workspace/lockfile.js';
import { scanCargoLayout } from '../../src/workspace/lock-scan.js';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const ACME = 'sparse+https://cargo.acme.example/index/';
const SUM = 'c982642fa9e8606056828ee9a8505737230110bb1099153c79efe865c59d12ba';

const summary = (text: string) =>
  parseLockfile(text, 'Cargo.lock').packages.map((p) => ({ id: p.id, line: p.line, dependencies: p.dependencies, checksum: p.checksum }));

describe('lockfile forms', () => {
  it('v1: fully qualified references, path references without a source, [metadata] checksums', () => {
    const text = [
      '[[package]]', 'name = "app"', 'version = "0.1.0"', 'dependencies = [',
      ` "lib 0.1.0",`, ` "log 0.4.6 (${CRATES_IO})",`, ']',
      '',
      '[[package]]', 'name = "lib"', 'version = "0.1.0"',
      '',
      '[[package]]', 'name = "log"', 'version = "0.4.6"', `source = "${CRATES_IO}"`,
      '',
      '[metadata]',
      `"checksum log 0.4.6 (${CRATES_IO})" = "${SUM}"`,
      // Cargo ignores checksums of packages that are not in the file.
      `"checksum gone 1.0.0 (${CRATES_IO})" = "${SUM}"`,
      '',
    ].join('\n');
    const lockfile = parseLockfile(text, 'Cargo.lock');
    assert.equal(lockfile.version, 1);
    assert.equal(lockfile.metadataChecksums, 2);
    assert.deepEqual(summary(text), [
      { id: 'app@0.1.0', line: 1, dependencies: ['lib@0.1.0', 'log@0.4.6'], checksum: undefined },
      { id: 'lib@0.1.0', line: 9, dependencies: [], checksum: undefined },
      { id: 'log@0.4.6', line: 13, dependencies: [], checksum: SUM },
    ]);
  });

  it('v2 without a version key; name-only, name+version and full references', () => {
    const text = [
      '[[package]]', 'name = "app"', 'version = "0.1.0"', 'dependencies = [',
      ' "cfg-if",', ' "log 0.3.9",', ` "log 0.4.20 (${CRATES_IO})",`, ` "log 0.4.20 (${ACME})",`, ']',
      '',
      '[[package]]', 'name = "cfg-if"', 'version = "1.0.0"', `source = "${CRATES_IO}"`, `checksum = "${SUM}"`,
      '',
      '[[package]]', 'name = "log"', 'version = "0.3.9"', `source = "${CRATES_IO}"`,
      '',
      '[[package]]', 'name = "log"', 'version = "0.4.20"', `source = "${CRATES_IO}"`,
      '',
      '[[package]]', 'name = "log"', 'version = "0.4.20"', `source = "${ACME}"`,
      '',
    ].join('\n');
    const lockfile = parseLockfile(text, 'Cargo.lock');
    assert.equal(lockfile.version, 2);
    assert.deepEqual(
      lockfile.packages.map((p) => p.id),
      ['app@0.1.0', 'cfg-if@1.0.0', 'log@0.3.9', `log@0.4.20 (${CRATES_IO})`, `log@0.4.20 (${ACME})`],
    );
    assert.deepEqual(lockfile.byId.get('app@0.1.0')?.dependencies, [
      'cfg-if@1.0.0', 'log@0.3.9', `log@0.4.20 (${CRATES_IO})`, `log@0.4.20 (${ACME})`,
    ]);
    assert.equal(lockfile.byId.get('cfg-if@1.0.0')?.checksum, SUM);
  });

  it('a reference without a source prefers the one path package, as Cargo does', () => {
    const text = [
      'version = 3', '',
      '[[package]]', 'name = "app"', 'version = "0.1.0"', 'dependencies = [', ' "url 2.0.0",', ` "url 2.0.0 (${CRATES_IO})",`, ']', '',
      '[[package]]', 'name = "url"', 'version = "2.0.0"', '',
      '[[package]]', 'name = "url"', 'version = "2.0.0"', `source = "${CRATES_IO}"`, '',
    ].join('\n');
    assert.deepEqual(parseLockfile(text, 'Cargo.lock').packages[0]?.dependencies, ['url@2.0.0 (path)', `url@2.0.0 (${CRATES_IO})`]);
  });

  it('v4: two revisions of one git repository, references without the commit, URL-encoded branch', () => {
    const repo = 'git+https://github.com/acme/tool';
    const text = [
      'version = 4', '',
      '[[package]]', 'name = "app"', 'version = "0.1.0"', 'dependencies = [',
      ` "tool 0.1.0 (${repo}?rev=aaaa)",`, ` "tool 0.1.0 (${repo}?rev=bbbb)",`, ' "other",', ']', '',
      '[[package]]', 'name = "other"', 'version = "1.0.0"', `source = "${repo}?branch=feat%2Fx#cccc"`, '',
      '[[package]]', 'name = "tool"', 'version = "0.1.0"', `source = "${repo}?rev=aaaa#aaaa1111"`, '',
      '[[package]]', 'name = "tool"', 'version = "0.1.0"', `source = "${repo}?rev=bbbb#bbbb2222"`, '',
    ].join('\n');
    const lockfile = parseLockfile(text, 'Cargo.lock');
    assert.deepEqual(lockfile.packages[0]?.dependencies, [
      `tool@0.1.0 (${repo}?rev=aaaa#aaaa1111)`, `tool@0.1.0 (${repo}?rev=bbbb#bbbb2222)`, 'other@1.0.0',
    ]);
    const other = lockfile.byId.get('other@1.0.0')?.source;
    assert.deepEqual(other?.kind === 'git' && other.reference, { kind: 'branch', value: 'feat/x' });
  });

  it('CRLF line ends, comments and blank lines keep the fast path and the lines', () => {
    const text = ['# generated', 'version = 4', '', '  # indented comment', '[[package]]', 'name = "a"', 'version = "1.0.0"', 'dependencies = [', ' "b",', ']', '', '[[package]]', 'name = "b"', 'version = "2.0.0-rc.1+build.5"', ''].join('\r\n');
    assert.ok(scanCargoLayout(text));
    assert.deepEqual(summary(text), [
      { id: 'a@1.0.0', line: 5, dependencies: ['b@2.0.0-rc.1+build.5'], checksum: undefined },
      { id: 'b@2.0.0-rc.1+build.5', line: 12, dependencies: [], checksum: undefined },
    ]);
  });

  it('a hand-formatted file goes through the full TOML parser with the same meaning and real lines', () => {
    const text = [
      'version=4',
      '[[ package ]]   # the app',
      "name = 'a'",
      'version = "1.0.0"',
      'dependencies = [ "b" ]',
      'description = """',
      '[[package]]',
      'a multi-line string holding a header-like line',
      '"""',
      '[["package"]]',
      'name = "b"',
      'version = "1.0.0"',
    ].join('\n');
    assert.equal(scanCargoLayout(text), undefined);
    assert.deepEqual(summary(text), [
      { id: 'a@1.0.0', line: 2, dependencies: ['b@1.0.0'], checksum: undefined },
      { id: 'b@1.0.0', line: 10, dependencies: [], checksum: undefined },
    ]);
  });

  it('very old lockfiles: the [root] package comes first', () => {
    const text = ['[root]', 'name = "app"', 'version = "0.1.0"', 'dependencies = [', ' "b 1.0.0",', ']', '', '[[package]]', 'name = "b"', 'version = "1.0.0"', ''].join('\n');
    assert.deepEqual(summary(text), [
      { id: 'app@0.1.0', line: 1, dependencies: ['b@1.0.0'], checksum: undefined },
      { id: 'b@1.0.0', line: 8, dependencies: [], checksum: undefined },
    ]);
  });

  it('unknown keys and [[patch.unused]] tables are ignored', () => {
    const text = ['version = 3', '', '[[package]]', 'name = "a"', 'version = "1.0.0"', 'replace = "b 1.0.0"', '', '[[patch.unused]]', 'name = "c"', 'version = "1.0.0"', ''].join('\n');
    assert.deepEqual(summary(text), [{ id: 'a@1.0.0', line: 3, dependencies: [], checksum: undefined }]);
  });
});

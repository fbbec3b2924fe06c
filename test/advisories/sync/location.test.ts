import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DATABASE_URL, dbDirectoryFor, defaultDbRoot, xxh64Hex } from '../../../src/advisories/sync/index.js';
import { isSentinelError } from '../../../src/errors.js';

test('xxh64 matches the reference vectors of xxHash and python-xxhash', () => {
  assert.equal(xxh64Hex(''), 'ef46db3751d8e999');
  assert.equal(xxh64Hex('a'), 'd24ec4f1a98c6e5b');
  assert.equal(xxh64Hex('abc'), '44bc2cf5ad770999');
  assert.equal(xxh64Hex('xxhash'), '32dd38952c4bc720');
  assert.equal(xxh64Hex('xxhash', 20141025n), 'b559b98d844e0635');
  // 39 bytes: one 32-byte stripe, then the 4-byte and 1-byte tails.
  assert.equal(xxh64Hex('Nobody inspects the spammish repetition'), 'fbcea83c8a378bf1');
});

test('the default RustSec URL maps to the directory cargo-deny uses', () => {
  assert.equal(dbDirectoryFor(DEFAULT_DATABASE_URL, '/cargo/advisory-dbs'), '/cargo/advisory-dbs/advisory-db-3157b0e258782691');
  // cargo-deny lower-cases before hashing, so its own default spelling is the same directory.
  assert.equal(
    dbDirectoryFor('https://github.com/RustSec/advisory-db', '/cargo/advisory-dbs'),
    '/cargo/advisory-dbs/advisory-db-3157b0e258782691',
  );
  // cargo-deny's second test database (46 bytes: stripe, 8-, 4- and 1-byte tails).
  assert.equal(dbDirectoryFor('https://github.com/EmbarkStudios/test-advisory-db', '/r'), '/r/test-advisory-db-c27873b782cceedc');
});

test('no normalisation beyond lower-casing, as in cargo-deny', () => {
  assert.equal(dbDirectoryFor('https://github.com/rustsec/advisory-db.git', '/r'), '/r/advisory-db.git-ec6cac7151e04d4b');
  assert.equal(dbDirectoryFor('https://github.com/rustsec/advisory-db/', '/r'), '/r/-a4901529771e07b1');
});

test('local paths and bundles are named after the file and hashed by absolute path', () => {
  const fromRelative = dbDirectoryFor('fixtures/advisory-db.bundle', '/r', '/work/main');
  assert.equal(fromRelative, dbDirectoryFor('/work/main/fixtures/advisory-db.bundle', '/r'));
  assert.match(fromRelative, /^\/r\/advisory-db\.bundle-[0-9a-f]{16}$/);
  assert.match(dbDirectoryFor('/srv/mirror/advisory-db.git/', '/r'), /^\/r\/advisory-db\.git-[0-9a-f]{16}$/);
  assert.match(dbDirectoryFor('git@github.com:rustsec/advisory-db.git', '/r'), /^\/r\/advisory-db\.git-[0-9a-f]{16}$/);
});

test('a relative root is resolved against cwd', () => {
  assert.equal(dbDirectoryFor(DEFAULT_DATABASE_URL, '.demo', '/work/main'), '/work/main/.demo/advisory-db-3157b0e258782691');
});

test('dbDirectoryFor refuses the URLs sync refuses', () => {
  assert.throws(() => dbDirectoryFor('ext::sh -c id', '/r'), (e) => isSentinelError(e) && e.kind === 'config');
});

test('defaultDbRoot is $CARGO_HOME/advisory-dbs, with ~/.cargo when CARGO_HOME is unset or empty', () => {
  assert.equal(defaultDbRoot({ CARGO_HOME: '/opt/cargo' }, '/home/u'), '/opt/cargo/advisory-dbs');
  assert.equal(defaultDbRoot({}, '/home/u'), '/home/u/.cargo/advisory-dbs');
  assert.equal(defaultDbRoot({ CARGO_HOME: '' }, '/home/u'), '/home/u/.cargo/advisory-dbs');
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { checkYanked, type YankedCheckOptions } from '../../../src/advisories/yanked/index.js';
import { tempDir } from '../../helpers/git-fixtures.js';
import { cargoCacheBytes, cratesIoPackage, fixtureLines, withIndexServer, writeFileAt } from './helpers.js';

const pins = (packages: { name: string; version: string }[]) => packages.map((p) => `${p.name} ${p.version}`);

// Directory names cargo has really used for crates.io: the sparse index before and after
// Rust 1.85 changed the hash (rustsec #1333), and the git index.
const SPARSE_NEW = 'index.crates.io-1949cf8c6b5b557f';
const SPARSE_OLD = 'index.crates.io-6f17d22bba15001f';
const GIT = 'github.com-1ecc6299db9ec823';

const OLDER = 1_700_000_000;
const NEWER = 1_750_000_000;

const cacheFile = (cargoHome: string, dir: string, relative: string) => path.join(cargoHome, 'registry', 'index', dir, '.cache', relative);

/** serde's index file as it was before 1.0.95 was yanked: the same lines with that one flag cleared. */
const serdeBeforeYank = () => fixtureLines('se/rd/serde').map((l) => (l.includes('"vers":"1.0.95"') ? l.replace('"yanked":true', '"yanked":false') : l));

async function cargoHomeWithCaches(): Promise<string> {
  const home = tempDir('sentinel-cargo-home-');
  await writeFileAt(cacheFile(home, SPARSE_NEW, 'se/rd/serde'), cargoCacheBytes('etag: "W/1"', fixtureLines('se/rd/serde')), NEWER);
  await writeFileAt(cacheFile(home, SPARSE_OLD, 'se/rd/serde'), cargoCacheBytes('etag: "W/0"', serdeBeforeYank()), OLDER);
  await writeFileAt(cacheFile(home, GIT, 'cf/g-/cfg-if'), cargoCacheBytes('8c0b6a3b1f4bd0e1b54cdee4f0b2bd0e5a7b6c9d', fixtureLines('cf/g-/cfg-if')), OLDER);
  // A cache format this reader does not know (version 1 had no schema field).
  await writeFileAt(cacheFile(home, SPARSE_NEW, 'an/yh/anyhow'), cargoCacheBytes('etag: "x"', fixtureLines('an/yh/anyhow'), 1), NEWER);
  // Another registry's cache is not crates.io and must not answer for it.
  await writeFileAt(cacheFile(home, 'my-registry-0123456789abcdef', 'me/mc/memchr'), cargoCacheBytes('etag: "y"', fixtureLines('me/mc/memchr')), NEWER);
  return home;
}

const packages = [
  cratesIoPackage('serde', '1.0.95'),
  cratesIoPackage('serde', '1.0.228'),
  cratesIoPackage('serde', '9.9.9'),
  cratesIoPackage('cfg-if', '1.0.2'),
  cratesIoPackage('cfg-if', '1.0.4'),
  cratesIoPackage('once_cell', '1.20.0'),
  cratesIoPackage('once_cell', '1.21.3'),
  cratesIoPackage('anyhow', '1.0.104'),
  cratesIoPackage('memchr', '2.8.0'),
];

test('fetch off: cargo caches (sparse, old sparse hash, git) and our cache answer, newest first, with no request made', async () => {
  await withIndexServer({}, async (server) => {
    const cargoHome = await cargoHomeWithCaches();
    const cacheDir = tempDir('sentinel-yank-cache-');
    await writeFileAt(path.join(cacheDir, 'sparse-index', 'on', 'ce', 'once_cell'), fixtureLines('on/ce/once_cell').join('\n') + '\n', OLDER);
    const options: YankedCheckOptions = { cargoHome, cacheDir, fetch: false, indexUrl: server.url };
    const result = await checkYanked(packages, options);

    assert.deepEqual(pins(result.yanked), ['cfg-if 1.0.2', 'once_cell 1.20.0', 'serde 1.0.95']);
    const anyhowCache = cacheFile(cargoHome, SPARSE_NEW, 'an/yh/anyhow');
    assert.deepEqual(result.errors, [
      {
        name: 'anyhow',
        version: undefined,
        reason: 'invalid-index-file',
        message: `couldn't check if the package is yanked: no readable local index cache for anyhow: ${anyhowCache}: unknown cache format version 1`,
      },
      {
        name: 'memchr',
        version: undefined,
        reason: 'not-cached',
        message: "couldn't check if the package is yanked: not found: memchr is in no local index cache, and fetching is off",
      },
      {
        name: 'serde',
        version: '9.9.9',
        reason: 'version-not-in-index',
        message: `couldn't check if the package is yanked: serde 9.9.9 is not listed in ${cacheFile(cargoHome, SPARSE_NEW, 'se/rd/serde')}, ${cacheFile(cargoHome, SPARSE_OLD, 'se/rd/serde')}`,
      },
    ]);
    assert.deepEqual(result.warnings, []);
    assert.equal(server.requests.length, 0);
  });
});

test('fetch off: the newer file decides, whichever directory it is in', async () => {
  // Now the copy from before the yank is the newer file, and it sits under the old hash.
  const cargoHome = tempDir('sentinel-cargo-home-');
  await writeFileAt(cacheFile(cargoHome, SPARSE_NEW, 'se/rd/serde'), cargoCacheBytes('etag: "W/1"', fixtureLines('se/rd/serde')), OLDER);
  await writeFileAt(cacheFile(cargoHome, SPARSE_OLD, 'se/rd/serde'), cargoCacheBytes('etag: "W/0"', serdeBeforeYank()), NEWER);
  const result = await checkYanked([cratesIoPackage('serde', '1.0.95')], { cargoHome, cacheDir: undefined, fetch: false });
  assert.deepEqual(result.yanked, []);
  assert.deepEqual(result.errors, []);
});

test('fetch off: with no caches at all, every crate is an error, never a pass', async () => {
  const result = await checkYanked(packages, { cargoHome: tempDir('sentinel-empty-home-'), cacheDir: tempDir('sentinel-empty-cache-'), fetch: false });
  assert.deepEqual(result.yanked, []);
  assert.deepEqual(
    result.errors.map((e) => [e.name, e.reason]),
    ['anyhow', 'cfg-if', 'memchr', 'once_cell', 'serde'].map((n) => [n, 'not-cached']),
  );
});

test('fetch off: malformed entries in a cargo cache are skipped with a counted warning', async () => {
  const cargoHome = tempDir('sentinel-cargo-home-');
  const lines = fixtureLines('cf/g-/cfg-if');
  const broken = [...lines.slice(0, 5), '{"name":"cfg-if","vers":', '<html>', ...lines.slice(5)];
  const file = cacheFile(cargoHome, SPARSE_NEW, 'cf/g-/cfg-if');
  await writeFileAt(file, cargoCacheBytes('etag: "e"', broken), NEWER);
  const result = await checkYanked([cratesIoPackage('cfg-if', '1.0.2')], { cargoHome, cacheDir: undefined, fetch: false });
  assert.deepEqual(pins(result.yanked), ['cfg-if 1.0.2']);
  assert.equal(result.warnings.length, 1);
  assert.equal(result.warnings[0]?.name, 'cfg-if');
  assert.match(result.warnings[0]?.message ?? '', new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: skipped 2 malformed entries \\(first: entry 6: `));
});

test('fetch on, then off: what the first run cached answers the offline run', async () => {
  const cacheDir = tempDir('sentinel-yank-cache-');
  const wanted = [cratesIoPackage('bitflags', '2.12.0'), cratesIoPackage('bitflags', '1.3.2'), cratesIoPackage('crossbeam-utils', '0.8.21')];
  const online = await withIndexServer({}, (server) => checkYanked(wanted, { cargoHome: undefined, cacheDir, fetch: true, indexUrl: server.url }));
  // The server is gone now: only the cache can answer.
  const offline = await checkYanked(wanted, { cargoHome: undefined, cacheDir, fetch: false });
  assert.deepEqual(pins(online.yanked), ['bitflags 2.12.0']);
  assert.deepEqual(offline, online);
});

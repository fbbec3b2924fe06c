/**
 * The launcher's V8 code cache: used when valid, replaced when V8 rejects it,
 * ignored when it cannot be trusted, and never able to change a run's result.
 * A tiny CommonJS "bundle" stands in for dist/bundle/main.cjs; the last test
 * runs the real executable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Launched } from '../../src/launch/launch.js';
import { codeCacheDir, codeCacheFile, commandOf, decodeCodeCache, encodeCodeCache, readCodeCache, writeCodeCache } from '../../src/launch/code-cache.js';
import { tempDir } from '../helpers/git-fixtures.js';
import { fixture, repoRoot } from '../helpers/paths.js';

/** A bundle whose main() does some work (so V8 has functions to cache) and returns `code`. */
function writeBundle(dir: string, code: number, name = 'main.cjs'): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `'use strict';
function work(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; }
exports.main = async function main(argv) { work(1000); return /^[0-9]+$/.test(argv[0] ?? '') ? Number(argv[0]) : ${code}; };
`,
  );
  return file;
}

const launcher = fileURLToPath(new URL('../../src/launch/launch.js', import.meta.url));

/**
 * Runs the launcher in a fresh Node, as each real run is: within one process
 * V8 keeps compiled scripts in memory and would not look at the cache file.
 */
async function launch(argv: string[], bundle: string, env: Record<string, string>): Promise<Launched> {
  const script = `import(${JSON.stringify(launcher)}).then(async ({ launch }) => process.stdout.write(JSON.stringify(await launch(${JSON.stringify(argv)}, ${JSON.stringify(bundle)}))))`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Launched;
}

/** A temp dir holding a bundle returning `code`, and the launcher's environment with a cache inside it. */
function bundleWithCache(code: number): { dir: string; bundle: string; cache: string; env: Record<string, string> } {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  return { dir, bundle: writeBundle(dir, code), cache, env: { CARGO_SENTINEL_CODE_CACHE: cache } };
}

const cacheFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.v8')) : []);

test('first run writes the cache, the next uses it; the exit code is the bundle\'s either way', async () => {
  const { bundle, cache, env } = bundleWithCache(7);
  assert.deepEqual(await launch([], bundle, env), { code: 7, cache: 'written' });
  assert.equal(cacheFiles(cache).length, 1);
  assert.equal(statSync(cache).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(cache, cacheFiles(cache)[0]!)).mode & 0o777, 0o600);
  assert.deepEqual(await launch([], bundle, env), { code: 7, cache: 'used' });
  assert.deepEqual(await launch(['3'], bundle, env), { code: 3, cache: 'used' });
});

test('the first run of another command extends the cache to cover it, once', async () => {
  const { bundle, env } = bundleWithCache(0);
  assert.equal((await launch(['--version'], bundle, env)).cache, 'written');
  assert.equal((await launch(['--offline', '-L', 'info', 'check'], bundle, env)).cache, 'extended');
  assert.equal((await launch(['check', 'bans'], bundle, env)).cache, 'used');
  assert.equal((await launch(['-V'], bundle, env)).cache, 'used');
  assert.equal((await launch(['audit', '--file', 'check'], bundle, env)).cache, 'extended');
  assert.equal((await launch(['audit'], bundle, env)).cache, 'used');
});

test('commandOf skips global flags and their values', () => {
  assert.equal(commandOf(['--offline', '-L', 'info', '--manifest-path', 'x/Cargo.toml', 'check', 'licenses']), 'check');
  assert.equal(commandOf(['sentinel', 'audit', '--file', 'Cargo.lock']), 'audit');
  assert.equal(commandOf(['--version']), '--version');
  assert.equal(commandOf([]), '-');
});

test('cache files of another layout are not handed to V8', () => {
  const data = Buffer.from('v8 bytes');
  assert.deepEqual(decodeCodeCache(encodeCodeCache({ covers: ['check'], data })), { covers: ['check'], data });
  for (const bad of [Buffer.alloc(0), Buffer.from('SCC1'), Buffer.from('XXXX\u0002\u0000\u0000\u0000{}data'), Buffer.from('SCC1\u00ff\u0000\u0000\u0000{}'), Buffer.from('SCC1\u0002\u0000\u0000\u0000[]data')]) {
    assert.equal(decodeCodeCache(bad), undefined, JSON.stringify(bad.toString('latin1')));
  }
});

test('a changed bundle gets its own cache; the old one stays until unused for a week', async () => {
  const { dir, bundle, cache, env } = bundleWithCache(1);
  await launch([], bundle, env);
  const [first] = cacheFiles(cache);
  // Same length, different text: V8 alone would accept the old bytecode (it checks lengths).
  await new Promise((resolve) => setTimeout(resolve, 5));
  writeBundle(dir, 2);
  assert.deepEqual(await launch([], bundle, env), { code: 2, cache: 'written' });
  const after = cacheFiles(cache);
  assert.equal(after.length, 2, 'two installs used in turn keep both caches');
  assert.ok(after.includes(first!));
  // A week later the old build's cache goes when the next one is written.
  const old = path.join(cache, first!);
  const weekAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
  utimesSync(old, weekAgo, weekAgo);
  assert.equal(writeCodeCache(path.join(cache, 'bundle-newer.v8'), Buffer.from('x')), true);
  assert.ok(!existsSync(old));
  // ...and no more than eight are kept.
  for (let i = 0; i < 12; i++) writeCodeCache(path.join(cache, `bundle-n${i}.v8`), Buffer.from('x'));
  assert.equal(cacheFiles(cache).length, 8);
  assert.ok(cacheFiles(cache).includes('bundle-n11.v8'));
});

test('a corrupt cache file is rejected by V8 and replaced; the run is unaffected', async () => {
  const { bundle, cache, env } = bundleWithCache(5);
  await launch([], bundle, env);
  const file = path.join(cache, cacheFiles(cache)[0]!);
  // Our header, V8 data that is not V8's: V8 rejects it.
  writeFileSync(file, encodeCodeCache({ covers: ['-'], data: Buffer.alloc(4096, 0xab) }));
  assert.deepEqual(await launch([], bundle, env), { code: 5, cache: 'replaced' });
  assert.deepEqual(await launch([], bundle, env), { code: 5, cache: 'used' });
  // Not even our header: never handed to V8, written afresh.
  writeFileSync(file, Buffer.alloc(4096, 0xab));
  assert.deepEqual(await launch([], bundle, env), { code: 5, cache: 'written' });
  assert.deepEqual(await launch([], bundle, env), { code: 5, cache: 'used' });
});

test('a cache directory others can write to is not trusted: nothing is read from or written to it', async () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  mkdirSync(cache);
  chmodSync(cache, 0o777);
  const bundle = writeBundle(dir, 4);
  assert.deepEqual(await launch([], bundle, { CARGO_SENTINEL_CODE_CACHE: cache }), { code: 4, cache: 'unwritable' });
  assert.deepEqual(cacheFiles(cache), []);
  // Bytecode planted there is never read.
  const planted = codeCacheFile(cache, 'unbundled', bundle, statSync(bundle));
  writeFileSync(planted, Buffer.alloc(64, 1));
  assert.equal(readCodeCache(planted), undefined);
});

test('a symlinked cache file is not followed', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  mkdirSync(cache, { mode: 0o700 });
  const elsewhere = path.join(dir, 'elsewhere.v8');
  writeFileSync(elsewhere, Buffer.alloc(64, 1));
  const file = path.join(cache, 'bundle-x.v8');
  symlinkSync(elsewhere, file);
  assert.equal(readCodeCache(file), undefined);
  // A real file in the same place is read.
  const real = path.join(cache, 'bundle-y.v8');
  assert.equal(writeCodeCache(real, Buffer.from('bytes')), true);
  assert.deepEqual(readCodeCache(real), Buffer.from('bytes'));
});

test('turned off, nothing is written', async () => {
  const dir = tempDir();
  const bundle = writeBundle(dir, 0);
  for (const off of ['0', 'off', 'OFF', 'false', 'no']) {
    assert.deepEqual(await launch([], bundle, { CARGO_SENTINEL_CODE_CACHE: off }), { code: 0, cache: 'off' });
  }
  assert.deepEqual(readdirSync(dir), ['main.cjs']);
});

test('where the cache lives by default', () => {
  assert.equal(codeCacheDir({}, 'linux', '/home/u'), '/home/u/.cache/cargo-sentinel/code-cache');
  assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u'), '/xdg/cargo-sentinel/code-cache');
  // A relative XDG_CACHE_HOME is invalid by the XDG spec and ignored.
  assert.equal(codeCacheDir({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/u'), '/home/u/.cache/cargo-sentinel/code-cache');
  assert.equal(codeCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), path.join('C:\\Users\\u\\AppData\\Local', 'cargo-sentinel', 'code-cache'));
  assert.equal(codeCacheDir({ CARGO_SENTINEL_CODE_CACHE: '/tmp/cc' }, 'linux', '/home/u'), '/tmp/cc');
  assert.equal(codeCacheDir({}, 'linux', ''), undefined);
});

test('the real executable gives the same output with and without its cache', () => {
  const bin = path.join(repoRoot, 'bin', 'cargo-sentinel.cjs');
  const cache = path.join(tempDir(), 'cache');
  const args = [bin, '--offline', '--lockfile-only', '--manifest-path', fixture('corpus/ripgrep/Cargo.toml'), 'check', 'bans', 'sources'];
  const run = (setting: string) =>
    spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CARGO_SENTINEL_CODE_CACHE: setting } });
  const off = run('off');
  const first = run(cache);
  assert.equal(cacheFiles(cache).length, 1, 'the first run wrote the cache');
  const second = run(cache);
  assert.equal(off.status, 0, off.stderr);
  for (const r of [first, second]) {
    assert.equal(r.status, off.status);
    assert.equal(r.stdout, off.stdout);
    assert.equal(r.stderr, off.stderr);
  }
});

test('the bytecode is serialised only when the directory can take it', () => {
  const dir = tempDir();
  const notADirectory = path.join(dir, 'file');
  writeFileSync(notADirectory, 'x');
  let asked = 0;
  const data = (): Buffer => {
    asked++;
    return Buffer.from('bytes');
  };
  assert.equal(writeCodeCache(path.join(notADirectory, 'bundle-x.v8'), data), false);
  const open = path.join(dir, 'open');
  mkdirSync(open, { mode: 0o777 });
  chmodSync(open, 0o777);
  assert.equal(writeCodeCache(path.join(open, 'bundle-x.v8'), data), false, 'others can write there');
  assert.equal(asked, 0);
  assert.equal(writeCodeCache(path.join(dir, 'mine', 'bundle-x.v8'), data), true);
  assert.equal(asked, 1);
});

/**
 * The cache of parsed Cargo.lock and Cargo.toml files: a warm run reads the
 * same results back, any edit misses, and nothing wrong in the store can
 * change a result or fail a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readLockfile } from '../../src/workspace/lockfile.js';
import { parseManifest } from '../../src/workspace/manifest.js';
import { isPlainJson, ParsedCache } from '../../src/workspace/parsed-cache.js';
import { readWorkspaceInfo } from '../../src/workspace/workspace.js';
import { tempDir } from '../helpers/git-fixtures.js';
import { fixture } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

const BUILD = 'test-build';

/** A copy of the nushell corpus project (44 manifests, 836 packages) to edit. */
function nushellCopy(): string {
  const dir = path.join(tempDir(), 'nushell');
  cpSync(fixture('corpus/nushell'), dir, { recursive: true });
  return dir;
}

const storeFile = (cacheDir: string): string => {
  const dir = path.join(cacheDir, 'parsed');
  const [name] = readdirSync(dir);
  return path.join(dir, name!);
};
const storeKeys = (cacheDir: string): string[] => Object.keys((JSON.parse(readFileSync(storeFile(cacheDir), 'utf8')) as { entries: object }).entries).sort();

/** What the workspace model holds, in a form deepEqual compares by value. */
async function readAll(root: string, cache: ParsedCache | undefined) {
  const lockfile = await readLockfile(path.join(root, 'Cargo.lock'), cache);
  const ws = await readWorkspaceInfo(path.join(root, 'Cargo.toml'), lockfile, cache);
  cache?.save();
  return JSON.parse(JSON.stringify({ ...lockfile, byId: [...lockfile.byId.keys()], ws: { ...ws, directDependencies: [...ws.directDependencies], membersById: [...ws.membersById] } })) as unknown;
}

test('a warm run reads back exactly what parsing gives, lockfile and all 44 manifests', async () => {
  const root = nushellCopy();
  const cacheDir = tempDir();
  const fresh = await readAll(root, undefined);
  assert.deepEqual(await readAll(root, ParsedCache.open(cacheDir, path.join(root, 'Cargo.toml'), BUILD)), fresh);
  const keys = storeKeys(cacheDir);
  assert.equal(keys.filter((k) => k.startsWith('lockfile:')).length, 1);
  assert.equal(keys.filter((k) => k.startsWith('toml:')).length, 44);
  // The second run is served from the store.
  const before = readFileSync(storeFile(cacheDir), 'utf8');
  assert.deepEqual(await readAll(root, ParsedCache.open(cacheDir, path.join(root, 'Cargo.toml'), BUILD)), fresh);
  assert.equal(readFileSync(storeFile(cacheDir), 'utf8'), before, 'nothing new to write');
});

test('an edited manifest misses, and the store then holds only what the last run used', async () => {
  const root = nushellCopy();
  const cacheDir = tempDir();
  const open = () => ParsedCache.open(cacheDir, path.join(root, 'Cargo.toml'), BUILD);
  await readAll(root, open());
  const member = path.join(root, 'crates', 'nu-cli', 'Cargo.toml');
  const text = readFileSync(member, 'utf8');
  assert.match(text, /^rstest = .*\n/m);
  writeFileSync(member, text.replace(/^rstest = .*\n/m, ''));
  const keysBefore = storeKeys(cacheDir);
  const warm = (await readAll(root, open())) as { ws: { membersById: Array<[string, { name: string; dependencies: Array<{ name: string; kind: string }> }]> } };
  assert.deepEqual(warm, await readAll(root, undefined));
  const cli = warm.ws.membersById.find(([, m]) => m.name === 'nu-cli')![1];
  assert.ok(!cli.dependencies.some((d) => d.name === 'rstest'));
  assert.ok(cli.dependencies.some((d) => d.name === 'nu-test-support' && d.kind === 'dev'));
  const keysAfter = storeKeys(cacheDir);
  assert.equal(keysAfter.length, keysBefore.length, 'the old entry was dropped, the new one added');
  assert.equal(keysAfter.filter((k) => !keysBefore.includes(k)).length, 1);
});

test('a corrupt, foreign or wrongly shaped store is a miss, never an error or a wrong result', async () => {
  const root = nushellCopy();
  const fresh = await readAll(root, undefined);
  const manifest = path.join(root, 'Cargo.toml');
  const cacheDir = tempDir();
  await readAll(root, ParsedCache.open(cacheDir, manifest, BUILD));
  const file = storeFile(cacheDir);
  const good = JSON.parse(readFileSync(file, 'utf8')) as { format: number; build: string; entries: Record<string, string> };
  const variants: Array<[string, string]> = [
    ['not JSON', '{"format":1,'],
    ['JSON of another kind', '[1,2,3]'],
    ['written by another build', JSON.stringify({ ...good, build: 'other' })],
    ['another format', JSON.stringify({ ...good, format: 99 })],
    ['entries that are not parse results', JSON.stringify({ ...good, entries: Object.fromEntries(Object.keys(good.entries).map((k) => [k, '{"packages":7}'])) })],
    ['entries that are not JSON', JSON.stringify({ ...good, entries: Object.fromEntries(Object.keys(good.entries).map((k) => [k, '{'])) })],
    [
      'a lockfile entry whose dependency points nowhere',
      JSON.stringify({
        ...good,
        entries: Object.fromEntries(
          Object.entries(good.entries).map(([k, v]) => {
            if (!k.startsWith('lockfile:')) return [k, v];
            const lock = JSON.parse(v) as { packages: Array<{ dependencies: string[] }> };
            lock.packages[0]!.dependencies.push('nowhere@1.0.0');
            return [k, JSON.stringify(lock)];
          }),
        ),
      }),
    ],
  ];
  for (const [what, text] of variants) {
    writeFileSync(file, text);
    assert.deepEqual(await readAll(root, ParsedCache.open(cacheDir, manifest, BUILD)), fresh, what);
    // ...and the run put a good store back.
    assert.equal(storeKeys(cacheDir).length, 45, what);
  }
});

test('documents JSON cannot hold (TOML dates, inf, nan) are parsed every time', () => {
  const cacheDir = tempDir();
  const file = path.join(tempDir(), 'Cargo.toml');
  const text = '[package]\nname = "dated"\nversion = "1.0.0"\n\n[package.metadata.x]\nreleased = 2024-01-02\nratio = inf\n';
  const cache = ParsedCache.open(cacheDir, file, BUILD);
  const first = parseManifest(text, file, cache);
  cache.save();
  assert.ok((first.document.package as { metadata: { x: { released: unknown } } }).metadata.x.released instanceof Date);
  const again = parseManifest(text, file, ParsedCache.open(cacheDir, file, BUILD));
  assert.ok((again.document.package as { metadata: { x: { released: unknown } } }).metadata.x.released instanceof Date);
  assert.equal(again.package?.name, 'dated');
});

test('tables read back keep no prototype, so a key named like an Object method is not inherited', () => {
  const cacheDir = tempDir();
  const file = path.join(tempDir(), 'Cargo.toml');
  const text = '[package]\nname = "p"\nversion = "1.0.0"\n\n[dependencies]\nserde = "1"\n';
  const cache = ParsedCache.open(cacheDir, file, BUILD);
  parseManifest(text, file, cache);
  cache.save();
  const warm = parseManifest(text, file, ParsedCache.open(cacheDir, file, BUILD));
  assert.equal(Object.getPrototypeOf(warm.document), null);
  assert.equal(Object.getPrototypeOf(warm.document.dependencies), null);
  assert.equal((warm.document.dependencies as Record<string, unknown>).toString, undefined);
  assert.equal(warm.lines.lineOf('dependencies', 'serde'), 6);
});

test('isPlainJson: what survives a JSON round trip', () => {
  assert.equal(isPlainJson({ a: [1, 'x', true, null, { b: undefined }] }), true);
  assert.equal(isPlainJson(Object.create(null) as object), true);
  for (const bad of [new Date(0), Number.NaN, Infinity, [undefined], 1n, () => 0, new Map(), JSON.parse('{"__proto__": 1}') as object]) {
    assert.equal(isPlainJson({ v: bad }), false, String(bad));
  }
});

test('check reads the same through the cache as without it (real CLI, nushell lockfile-only)', async () => {
  const root = nushellCopy();
  const args = (cacheDir: string) => ['--offline', '--lockfile-only', '--cache-dir', cacheDir, '--manifest-path', path.join(root, 'Cargo.toml'), 'check', 'bans', 'licenses', 'sources'];
  const cacheDir = tempDir();
  const cold = await runCli(args(cacheDir), { env: { NO_COLOR: '1' } });
  const warm = await runCli(args(cacheDir), { env: { NO_COLOR: '1' } });
  assert.equal(storeKeys(cacheDir).length, 45);
  assert.deepEqual(warm, cold);
  assert.equal(cold.code, 4, cold.stderr);
});

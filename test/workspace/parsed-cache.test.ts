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
/** The store's header and entries, `[key, text bytes as Latin-1, json]`, read as Latin-1 (see parsed-cache.ts for the format). */
function readStoreText(data: string): { header: string; entries: Array<[string, string, string]> } {
  let at = data.indexOf('\n');
  const header = data.slice(0, at);
  const entries: Array<[string, string, string]> = [];
  while (at + 1 < data.length) {
    const lineEnd = data.indexOf('\n', at + 1);
    const [key, textLength, jsonLength] = data.slice(at + 1, lineEnd).split('\t');
    const textEnd = lineEnd + 1 + Number(textLength);
    const jsonEnd = textEnd + Number(jsonLength);
    entries.push([JSON.parse(key!) as string, data.slice(lineEnd + 1, textEnd), data.slice(textEnd, jsonEnd)]);
    at = jsonEnd;
  }
  return { header, entries };
}
const writeStoreText = (header: string, entries: Array<[string, string, string]>): string =>
  `${header}\n${entries.map(([k, t, j]) => `${JSON.stringify(k)}\t${t.length}\t${j.length}\n${t}${j}\n`).join('')}`;
const readStore = (cacheDir: string) => readStoreText(readFileSync(storeFile(cacheDir), 'latin1'));
const storeKeys = (cacheDir: string): string[] => readStore(cacheDir).entries.map(([k]) => k).sort();

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
  assert.deepEqual(storeKeys(cacheDir), keysBefore, 'one entry per file');
  const stored = readStore(cacheDir).entries.find(([k]) => k === `toml:${member}`)!;
  assert.equal(stored[1], readFileSync(member, 'latin1'), 'the entry now holds the edited text (its bytes)');
});

test('a corrupt, foreign or wrongly shaped store is a miss, never an error or a wrong result', async () => {
  const root = nushellCopy();
  const fresh = await readAll(root, undefined);
  const manifest = path.join(root, 'Cargo.toml');
  const cacheDir = tempDir();
  await readAll(root, ParsedCache.open(cacheDir, manifest, BUILD));
  const file = storeFile(cacheDir);
  const good = readStore(cacheDir);
  const header = JSON.parse(good.header) as { format: number; build: string };
  const withEntries = (map: (key: string, json: string) => string) => writeStoreText(good.header, good.entries.map(([k, t, j]) => [k, t, map(k, j)]));
  const variants: Array<[string, string]> = [
    ['empty', ''],
    ['a header that is not JSON', writeStoreText('{"format":4,', good.entries)],
    ['a header of another kind', writeStoreText('[1,2,3]', good.entries)],
    ['written by another build', writeStoreText(JSON.stringify({ ...header, build: 'other' }), good.entries)],
    ['another format', writeStoreText(JSON.stringify({ ...header, format: 99 }), good.entries)],
    ['cut off in the middle of an entry', writeStoreText(good.header, good.entries).slice(0, -20)],
    ['lengths that do not match', writeStoreText(good.header, good.entries).replace(/\t(\d+)\n/, (_m, n: string) => `\t${Number(n) + 3}\n`)],
    ['texts that are not the files\' texts', writeStoreText(good.header, good.entries.map(([k, t, j]) => [k, `${t} `, j]))],
    ['entries that are not parse results', withEntries(() => '{"packages":7}')],
    ['entries that are not JSON', withEntries(() => '{')],
    [
      'a lockfile entry whose dependency points nowhere',
      withEntries((k, v) => {
        if (!k.startsWith('lockfile:')) return v;
        const lock = JSON.parse(v) as { packages: Array<{ dependencies: string[] }> };
        lock.packages[0]!.dependencies.push('nowhere@1.0.0');
        return JSON.stringify(lock);
      }),
    ],
  ];
  for (const [what, text] of variants) {
    writeFileSync(file, text, 'latin1');
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

test('texts and values beyond ASCII are stored as their bytes and read back exactly; a changed character misses', () => {
  const cacheDir = tempDir();
  const file = path.join(tempDir(), 'Cargo.toml');
  const text = (who: string) => `[package]\nname = "intl"\nversion = "1.0.0"\nauthors = ["${who}"]\ndescription = "naïve 😀 crate"\n`;
  const first = ParsedCache.open(cacheDir, file, BUILD);
  parseManifest(text('José'), file, first);
  first.save();
  const [[, bytes, json]] = readStore(cacheDir).entries as [[string, string, string]];
  assert.equal(Buffer.from(bytes, 'latin1').toString('utf8'), text('José'), 'the text, as its UTF-8 bytes');
  assert.doesNotMatch(json, /[^\x00-\x7e]/, 'the result is ASCII JSON');
  const warm = parseManifest(text('José'), file, ParsedCache.open(cacheDir, file, BUILD));
  assert.deepEqual((warm.document.package as { authors: string[]; description: string }).authors, ['José']);
  assert.equal((warm.document.package as { description: string }).description, 'naïve 😀 crate');
  // Same length in UTF-16, different bytes: parsed again.
  const changed = parseManifest(text('Josè'), file, ParsedCache.open(cacheDir, file, BUILD));
  assert.deepEqual((changed.document.package as { authors: string[] }).authors, ['Josè']);
});

/**
 * A hostile advisory database (see hostile-db.ts), loaded directly, through
 * the compiled index, and through `audit --no-fetch`: every hostile file is
 * skipped with one printable warning, within a time bound; nothing outside
 * the checkout is read (links to valid advisories yield no finding); and the
 * real advisories and the 5,000 generated ones still match exactly.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATABASE_LIMITS, loadDatabase } from '../../src/advisories/database.js';
import { loadDatabaseCached } from '../../src/advisories/index-cache.js';
import { findAdvisories } from '../../src/advisories/match.js';
import type { AdvisoryDatabase, DatabaseInfo } from '../../src/advisories/types.js';
import { isSentinelError } from '../../src/errors.js';
import { parseLockfile } from '../../src/workspace/lockfile.js';
import { git, tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { FLOOD, floodId, hostileDatabase, hostileLockText, hostileLockfile, REAL_ADVISORIES, type HostileDb } from './hostile-db.js';

/** Today's real database (1,225 advisories) loads in ~0.15 s; 5,000 more and the hostile files must stay far below this. */
const LOAD_BOUND_MS = 10_000;

const EXPECTED_WARNINGS = [
  ['crates/\\x1b]0;title\\x07evil/RUSTSEC-2099-0013.md', 'malformed advisory: package "evil" does not match its directory "\\x1b]0;title\\x07evil"'],
  ['crates/base64/RUSTSEC-2099-0001.md', 'file is over the 262144-byte limit'],
  ['crates/base64/RUSTSEC-2099-0002.md', 'symbolic link not followed'],
  ['crates/base64/RUSTSEC-2099-0003.md', 'symbolic link not followed'],
  ['crates/base64/RUSTSEC-2099-0005.md', 'line 10: malformed advisory: invalid TOML: document contains excessively nested structures. aborting.'],
  ['crates/base64/RUSTSEC-2099-0006.md', 'line 10: malformed advisory: invalid TOML: document contains excessively nested structures. aborting.'],
  [
    'crates/base64/RUSTSEC-2099-0008\\x1b[2J\\x1b[31m.md',
    'malformed advisory: id "RUSTSEC-2099-0008" does not match the file name "RUSTSEC-2099-0008\\x1b[2J\\x1b[31m.md"',
  ],
  [
    'crates/base64/RUSTSEC-2099-0009\\nwarning: the database is clean.md',
    'malformed advisory: id "RUSTSEC-2099-0009" does not match the file name "RUSTSEC-2099-0009\\nwarning: the database is clean.md"',
  ],
  ['crates/base64/RUSTSEC-2099-0010.md', 'line 13: malformed advisory: control character U+001B in the file'],
  ['crates/base64/RUSTSEC-2099-0011.md', 'line 11: malformed advisory: control character U+202E in the file'],
  ['crates/base64/RUSTSEC-2099-0012.md', 'malformed advisory: `keywords` holds the control character U+001B'],
  ['crates/base64/RUSTSEC-2099-0014.md', 'not valid UTF-8 text'],
  ['crates/base64/RUSTSEC-2099-0016.md', 'not a regular file'],
  ['crates/base64/RUSTSEC-2099-\\xff.md', 'the file name is not valid UTF-8; skipped'],
  ['crates/base64/X\\x1b[31m.md', 'malformed advisory: `id` holds the control character U+001B'],
  ['crates/etc', 'symbolic link not followed'],
  ['crates/hijack/RUSTSEC-2099-0007.md', 'malformed advisory: package "base64" does not match its directory "hijack"'],
  ['crates/smuggled', 'symbolic link not followed'],
  ['crates/zzz-copycat/RUSTSEC-2017-0004.md', 'duplicate id RUSTSEC-2017-0004, already in crates/base64/RUSTSEC-2017-0004.md'],
  ['rust/linked-std', 'symbolic link not followed'],
].map(([p, message]) => ({ path: p, message }));

/** Ids only reachable through links out of the checkout, or from a directory that is not their crate's. */
const NEVER_LOADED = ['RUSTSEC-2099-0003', 'RUSTSEC-2099-0004', 'CVE-2099-0005', 'RUSTSEC-2099-0007'];

const realIds = ['CVE-2015-20001', 'RUSTSEC-2017-0004', 'RUSTSEC-2023-0044', 'RUSTSEC-2026-0118'];

let hostile: HostileDb;
let db: AdvisoryDatabase;
let loadMs: number;
const infoFor = (dir: string, commit: string | null = null): DatabaseInfo => ({ path: dir, commit, commitDate: null });

before(async () => {
  hostile = hostileDatabase();
  const start = performance.now();
  db = await loadDatabase(hostile.dir, infoFor(hostile.dir));
  loadMs = performance.now() - start;
});

// Thousands of files per run: not left behind in the temp dir like the small fixtures.
after(() => {
  rmSync(hostile.dir, { recursive: true, force: true });
  rmSync(hostile.outside, { recursive: true, force: true });
});

test('every hostile file costs one printable warning; the load stays bounded', () => {
  assert.deepEqual(db.warnings, EXPECTED_WARNINGS);
  assert.ok(loadMs < LOAD_BOUND_MS, `loading took ${Math.round(loadMs)} ms`);
  for (const w of db.warnings) assert.doesNotMatch(`${w.path} ${w.message}`, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
});

test('the real advisories and the 5,000 generated ones load; nothing from outside the checkout does', () => {
  const ids = db.advisories.map((a) => a.metadata.id);
  assert.equal(ids.length, REAL_ADVISORIES.length + FLOOD);
  assert.deepEqual(ids.filter((id) => !id.startsWith('RUSTSEC-2098-')), realIds);
  for (const id of NEVER_LOADED) assert.ok(!ids.includes(id), id);
  assert.equal(db.byPackage.get('smuggled'), undefined);
  assert.deepEqual(db.byPackage.get('base64')?.map((a) => a.path), ['crates/base64/RUSTSEC-2017-0004.md']);
  // The duplicate id changed nothing: the real base64 advisory (patched >= 0.5.2) is the one kept.
  assert.deepEqual(db.byPackage.get('base64')?.[0]?.versions.patched, ['>= 0.5.2']);
});

test('each of the 5,000 advisories for one crate affects exactly its own version, and matches it', () => {
  const flood = db.byPackage.get('flood') ?? [];
  assert.equal(flood.length, FLOOD);
  flood.forEach((advisory, i) => {
    assert.equal(advisory.metadata.id, floodId(i + 1));
    assert.deepEqual(advisory.ranges, [{ introduced: `0.${i + 1}.0`, fixed: `0.${i + 1}.1` }]);
  });
  // Matching every version against all 5,000 takes seconds; one version in ten, and both ends, shows the same.
  const sampled = Array.from({ length: FLOOD + 1 }, (_, i) => i + 1).filter((n) => n % 10 === 3 || n === 1 || n >= FLOOD);
  const lock = parseLockfile(hostileLockText(sampled.map((n) => `0.${n}.0`)), 'Cargo.lock');
  const findings = findAdvisories(lock.packages, db).filter((f) => f.package.name === 'flood');
  assert.deepEqual(
    findings.map((f) => `${f.package.version} ${f.advisory.metadata.id}`),
    sampled.filter((n) => n <= FLOOD).map((n) => `0.${n}.0 ${floodId(n)}`),
  );
});

test('the compiled index keeps the same advisories and the same escaped warnings', async () => {
  const commit = git(['rev-parse', 'HEAD'], hostile.dir);
  const cacheDir = tempDir('sentinel-hostile-index-');
  const built = await loadDatabaseCached({ dir: hostile.dir, info: infoFor(hostile.dir, commit), cacheDir });
  const cached = await loadDatabaseCached({ dir: hostile.dir, info: infoFor(hostile.dir, commit), cacheDir });
  assert.deepEqual([built.fromCache, cached.fromCache], [false, true]);
  assert.deepEqual(cached.warnings, EXPECTED_WARNINGS);
  assert.deepEqual(
    cached.advisories.map((a) => a.metadata.id),
    db.advisories.map((a) => a.metadata.id),
  );
});

const audit = (dir: string, ...extra: string[]) =>
  runCli(['audit', '--no-fetch', '--stale', '--no-yanked', '--color', 'never', '--db', dir, '--cache-dir', tempDir('sentinel-cache-'), ...extra]);

test('audit --no-fetch on the hostile database: exact findings, every warning printed escaped', async () => {
  const lock = hostileLockfile();
  const json = await audit(hostile.dir, '--json', '--file', lock);
  assert.equal(json.code, 1);
  const found = (JSON.parse(json.stdout) as { vulnerabilities: { list: { advisory: { id: string }; package: { name: string; version: string } }[] } })
    .vulnerabilities.list.map((v) => `${v.advisory.id} ${v.package.name}@${v.package.version}`);
  assert.deepEqual(found, [
    'RUSTSEC-2017-0004 base64@0.5.0',
    'RUSTSEC-2026-0118 hickory-proto@0.25.0',
    'RUSTSEC-2098-0007 flood@0.7.0',
    'RUSTSEC-2098-1234 flood@0.1234.0',
    'RUSTSEC-2098-4999 flood@0.4999.0',
  ]);

  const human = await audit(hostile.dir, '--file', lock);
  assert.equal(human.code, 1);
  for (const w of EXPECTED_WARNINGS) assert.ok(human.stderr.includes(`warning: skipped advisory ${w.path}: ${w.message}\n`), w.path);
  // No escape sequence, bell or bidi control reaches the terminal, and no forged line starts.
  assert.doesNotMatch(human.stderr + human.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.doesNotMatch(human.stderr, /^warning: the database is clean/m);
  assert.match(human.stdout, /Loaded 5003 security advisories/);
});

test('a checkout far larger than the real database is refused whole (exit 3), not loaded in part', async () => {
  const dir = tempDir('sentinel-huge-db-');
  mkdirSync(path.join(dir, 'crates/many'), { recursive: true });
  git(['init', '--quiet'], dir);
  for (let i = 0; i <= DATABASE_LIMITS.entries; i++) writeFileSync(path.join(dir, `crates/many/${i}.md`), '');
  git(['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '--quiet', '--allow-empty', '-m', 'empty'], dir);
  const r = await audit(dir, '--file', hostileLockfile());
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 3);
  assert.ok(r.stderr.includes(`error: ${dir}: the advisory database is not loaded: its advisories hold more than ${DATABASE_LIMITS.entries} files and directories`), r.stderr);
});

test('the total size bound refuses a database too, naming it', async () => {
  await assert.rejects(loadDatabase(hostile.dir, infoFor(hostile.dir), { ...DATABASE_LIMITS, totalBytes: 100_000 }), (e: unknown) => {
    assert.ok(isSentinelError(e));
    assert.equal(e.kind, 'operational');
    assert.equal(e.place?.file, hostile.dir);
    assert.match(e.message, /^the advisory database is not loaded: its advisories hold more than 100000 bytes/);
    return true;
  });
});

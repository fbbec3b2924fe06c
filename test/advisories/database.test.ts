import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadDatabase, MAX_ADVISORY_BYTES } from '../../src/advisories/database.js';
import type { AdvisoryDatabase, DatabaseInfo } from '../../src/advisories/types.js';
import { isSentinelError } from '../../src/errors.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { DB_HEAD } from '../helpers/paths.js';
import { smallDatabase } from './small-db.js';

const infoFor = (dir: string): DatabaseInfo => ({ path: dir, commit: null, commitDate: null });

const count = <T>(items: readonly T[], keep: (x: T) => boolean): number => items.filter(keep).length;

describe('loadDatabase on the real advisory-db', () => {
  let dir: string;
  let db: AdvisoryDatabase;
  before(async () => {
    dir = sharedCheckout();
    db = await loadDatabase(dir, { path: dir, commit: DB_HEAD, commitDate: '2026-08-21T08:28:40+02:00' });
  });

  it('loads every advisory without a warning', () => {
    assert.deepEqual(db.warnings, []);
    assert.equal(db.advisories.length, 1225);
    assert.equal(count(db.advisories, (a) => a.metadata.collection === 'crates'), 1205);
    assert.equal(count(db.advisories, (a) => a.metadata.collection === 'rust'), 20);
    assert.deepEqual(db.info, { path: dir, commit: DB_HEAD, commitDate: '2026-08-21T08:28:40+02:00' });
  });

  it('counts the informational kinds and the withdrawn advisories', () => {
    const kinds = (k: string): number => count(db.advisories, (a) => a.metadata.informational === k);
    assert.deepEqual([kinds('unmaintained'), kinds('unsound'), kinds('notice')], [267, 203, 6]);
    assert.equal(count(db.advisories, (a) => a.metadata.informational === null), 749);
    // 14 files mention "withdrawn"; one is only a commented-out template line, one says it in prose.
    const files = db.advisories.map((a) => readFileSync(path.join(dir, a.path), 'utf8'));
    assert.equal(count(files, (text) => text.includes('withdrawn')), 14);
    const withdrawn = db.advisories.filter((a) => a.metadata.withdrawn !== null).map((a) => [a.metadata.id, a.metadata.withdrawn]);
    assert.deepEqual(withdrawn, [
      ['RUSTSEC-2019-0031', '2020-10-08'], ['RUSTSEC-2020-0053', '2021-04-19'], ['RUSTSEC-2020-0054', '2021-04-19'],
      ['RUSTSEC-2020-0055', '2020-10-22'], ['RUSTSEC-2021-0135', '2022-08-14'], ['RUSTSEC-2021-0147', '2023-02-19'],
      ['RUSTSEC-2022-0044', '2025-04-28'], ['RUSTSEC-2022-0048', '2023-05-04'], ['RUSTSEC-2023-0002', '2023-01-13'],
      ['RUSTSEC-2025-0007', '2025-02-22'], ['RUSTSEC-2025-0014', '2025-03-12'], ['RUSTSEC-2025-0120', '2025-11-29'],
      ['RUSTSEC-2026-0132', '2026-05-17'],
    ]);
  });

  it('sorts by id and indexes only the crates collection by package', () => {
    const ids = db.advisories.map((a) => a.metadata.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(db.byPackage.size, 908);
    assert.equal(db.byPackage.get('std'), undefined);
    assert.deepEqual(db.byPackage.get('hickory-proto')?.map((a) => a.metadata.id), ['RUSTSEC-2025-0006', 'RUSTSEC-2026-0118', 'RUSTSEC-2026-0119']);
    const indexed = [...db.byPackage.values()].reduce((n, list) => n + list.length, 0);
    assert.equal(indexed, 1205);
  });

  it('scores every CVSS vector', () => {
    const scored = db.advisories.filter((a) => a.severity !== null);
    assert.equal(scored.length, 420);
    assert.deepEqual(
      ['3.0', '3.1', '4.0'].map((v) => count(scored, (a) => a.severity?.version === v)),
      [33, 330, 57],
    );
  });
});

const ids = (db: AdvisoryDatabase): string[] => db.advisories.map((a) => a.metadata.id);

describe('loadDatabase on a damaged database', () => {
  it('skips a malformed advisory with a warning naming its file', async () => {
    const dir = smallDatabase();
    const good = readFileSync(path.join(dir, 'crates/base64/RUSTSEC-2017-0004.md'), 'utf8');
    mkdirSync(path.join(dir, 'crates/broken'));
    writeFileSync(path.join(dir, 'crates/broken/RUSTSEC-2017-0004.md'), good.replace('```toml', '```yaml'));
    writeFileSync(path.join(dir, 'crates/base64/RUSTSEC-2099-0001.md'), good.replace('RUSTSEC-2017-0004', 'RUSTSEC-2099-0001').replace('>= 0.5.2', '1.*'));
    writeFileSync(path.join(dir, 'crates/base64/RUSTSEC-2099-0002.md'), good.replace('RUSTSEC-2017-0004', 'RUSTSEC-2099-0002').replace('date = "2017-05-03"', 'date = "2017-05-03'));
    const db = await loadDatabase(dir, infoFor(dir));
    assert.deepEqual(ids(db), ['CVE-2015-20001', 'RUSTSEC-2017-0004', 'RUSTSEC-2026-0118']);
    assert.deepEqual(db.warnings, [
      { path: 'crates/base64/RUSTSEC-2099-0001.md', message: 'malformed advisory: invalid version requirement "1.*": wildcards are not supported in advisories' },
      { path: 'crates/base64/RUSTSEC-2099-0002.md', message: 'line 7: malformed advisory: invalid TOML: control characters are not allowed in strings' },
      { path: 'crates/broken/RUSTSEC-2017-0004.md', message: 'line 1: malformed advisory: the file must start with ```toml' },
    ]);
  });

  it('keeps the first of two advisories with the same id, in path order', async () => {
    const dir = smallDatabase();
    const text = readFileSync(path.join(dir, 'crates/base64/RUSTSEC-2017-0004.md'), 'utf8');
    mkdirSync(path.join(dir, 'crates/aaa'));
    writeFileSync(path.join(dir, 'crates/aaa/RUSTSEC-2017-0004.md'), text.replace('package = "base64"', 'package = "aaa"'));
    const db = await loadDatabase(dir, infoFor(dir));
    assert.equal(db.advisories.find((a) => a.metadata.id === 'RUSTSEC-2017-0004')?.path, 'crates/aaa/RUSTSEC-2017-0004.md');
    assert.equal(db.byPackage.get('base64'), undefined);
    assert.deepEqual(db.warnings, [
      { path: 'crates/base64/RUSTSEC-2017-0004.md', message: 'duplicate id RUSTSEC-2017-0004, already in crates/aaa/RUSTSEC-2017-0004.md' },
    ]);
  });

  it('never follows symlinks, skips dotfiles, drafts, other extensions and oversized files', async () => {
    const dir = smallDatabase();
    const outside = tempDir('sentinel-outside-');
    const text = readFileSync(path.join(dir, 'crates/base64/RUSTSEC-2017-0004.md'), 'utf8');
    mkdirSync(path.join(outside, 'evil'));
    writeFileSync(path.join(outside, 'evil/RUSTSEC-2099-0003.md'), text.replace('RUSTSEC-2017-0004', 'RUSTSEC-2099-0003').replace('"base64"', '"evil"'));
    symlinkSync(path.join(outside, 'evil'), path.join(dir, 'crates/evil'));
    symlinkSync(path.join(outside, 'evil/RUSTSEC-2099-0003.md'), path.join(dir, 'crates/base64/RUSTSEC-2099-0003.md'));
    writeFileSync(path.join(dir, 'crates/base64/.RUSTSEC-2099-0004.md.swp'), 'junk');
    mkdirSync(path.join(dir, 'crates/.git-like'));
    writeFileSync(path.join(dir, 'crates/.git-like/x.md'), 'junk');
    writeFileSync(path.join(dir, 'crates/README.md'), 'not a package directory');
    writeFileSync(path.join(dir, 'crates/base64/RUSTSEC-2099-0005.toml'), 'legacy');
    writeFileSync(path.join(dir, 'crates/base64/RUSTSEC-0000-0000.md'), text);
    const big = text.replace('RUSTSEC-2017-0004', 'RUSTSEC-2099-0006') + 'x'.repeat(MAX_ADVISORY_BYTES);
    writeFileSync(path.join(dir, 'crates/base64/RUSTSEC-2099-0006.md'), big);
    mkdirSync(path.join(dir, 'crates/base64/nested'));

    const db = await loadDatabase(dir, infoFor(dir));
    assert.deepEqual(ids(db), ['CVE-2015-20001', 'RUSTSEC-2017-0004', 'RUSTSEC-2026-0118']);
    assert.deepEqual(db.warnings, [
      { path: 'crates/base64/RUSTSEC-2099-0003.md', message: 'symbolic link not followed' },
      { path: 'crates/base64/RUSTSEC-2099-0005.toml', message: 'unexpected file extension (advisories are .md files)' },
      { path: 'crates/base64/RUSTSEC-2099-0006.md', message: `file is over the ${MAX_ADVISORY_BYTES}-byte limit` },
      { path: 'crates/base64/nested', message: 'not a regular file' },
      { path: 'crates/evil', message: 'symbolic link not followed' },
    ]);
  });

  it('loads without rust/, refuses a directory without crates/', async () => {
    const dir = smallDatabase();
    const withoutRust = tempDir('sentinel-db-');
    cpSync(path.join(dir, 'crates'), path.join(withoutRust, 'crates'), { recursive: true });
    assert.deepEqual(ids(await loadDatabase(withoutRust, infoFor(withoutRust))), ['RUSTSEC-2017-0004', 'RUSTSEC-2026-0118']);

    const empty = tempDir('sentinel-db-');
    await assert.rejects(loadDatabase(empty, infoFor(empty)), (e: unknown) => {
      assert.ok(isSentinelError(e));
      assert.equal(e.kind, 'operational');
      assert.equal(e.message, `${empty} is not an advisory database: it has no crates/ directory`);
      return true;
    });

    const linked = tempDir('sentinel-db-');
    symlinkSync(path.join(dir, 'crates'), path.join(linked, 'crates'));
    await assert.rejects(loadDatabase(linked, infoFor(linked)), {
      message: `${path.join(linked, 'crates')} must be a directory, not a symbolic link`,
    });
    assert.deepEqual(readdirSync(linked), ['crates']);
  });
});

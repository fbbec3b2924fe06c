import assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadDatabase } from '../../src/advisories/database.js';
import { indexFileName, loadDatabaseCached } from '../../src/advisories/index-cache.js';
import { INDEX_FORMAT } from '../../src/advisories/index-format.js';
import type { AdvisoryDatabase, DatabaseInfo } from '../../src/advisories/types.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD } from '../helpers/paths.js';
import { smallDatabase } from './small-db.js';

const DATE = '2026-08-21T08:28:40+02:00';

/** Everything a reporter can read, as plain data (the cached objects load fields lazily). */
const plain = (db: AdvisoryDatabase): unknown =>
  JSON.parse(JSON.stringify({ advisories: db.advisories, warnings: db.warnings, byPackage: [...db.byPackage] }));

/** With one bad file, so that warnings are part of what the index must keep. */
function damagedDatabase(): string {
  const dir = smallDatabase();
  writeFileSync(path.join(dir, 'crates/base64/RUSTSEC-2099-0001.md'), 'not an advisory');
  return dir;
}

const info = (dir: string, commit: string | null, commitDate: string | null = null): DatabaseInfo => ({ path: dir, commit, commitDate });

describe('loadDatabaseCached', () => {
  it('builds the index on a miss and gives back the same database from it', async () => {
    const dir = sharedCheckout();
    const cacheDir = tempDir('sentinel-cache-');
    const fresh = await loadDatabase(dir, info(dir, DB_HEAD, DATE));
    const miss = await loadDatabaseCached({ dir, info: info(dir, DB_HEAD, DATE), cacheDir });
    assert.equal(miss.fromCache, false);
    assert.deepEqual(readdirSync(cacheDir), [`advisory-index-v${INDEX_FORMAT}-${DB_HEAD}.bin`]);

    const hit = await loadDatabaseCached({ dir, info: info(dir, DB_HEAD, DATE), cacheDir });
    assert.equal(hit.fromCache, true);
    assert.deepEqual(plain(hit), plain(fresh));
    assert.deepEqual(hit.info, fresh.info);
    const base64 = hit.byPackage.get('base64')?.[0];
    assert.equal(base64?.metadata.title, 'Integer overflow leads to heap-based buffer overflow in encode_config_buf');
    assert.deepEqual(base64?.versions, { patched: ['>= 0.5.2'], unaffected: [] });
    assert.deepEqual(base64?.ranges, [{ introduced: undefined, fixed: '0.5.2' }]);
    assert.equal(base64?.path, 'crates/base64/RUSTSEC-2017-0004.md');
  });

  it('keeps warnings, and the commit date for callers that did not ask git', async () => {
    const dir = damagedDatabase();
    const cacheDir = tempDir('sentinel-cache-');
    const miss = await loadDatabaseCached({ dir, info: info(dir, DB_OLD, '2026-02-21T02:48:10+01:00'), cacheDir });
    assert.deepEqual(miss.warnings, [{ path: 'crates/base64/RUSTSEC-2099-0001.md', message: 'line 1: malformed advisory: the file must start with ```toml' }]);
    const hit = await loadDatabaseCached({ dir, info: info(dir, DB_OLD), cacheDir });
    assert.equal(hit.fromCache, true);
    assert.deepEqual(hit.warnings, miss.warnings);
    assert.deepEqual(hit.info, info(dir, DB_OLD, '2026-02-21T02:48:10+01:00'));
    assert.deepEqual(plain(hit), plain(miss));
  });

  it('does not cache a database that is not a git checkout, or an odd commit id', async () => {
    const dir = damagedDatabase();
    const cacheDir = tempDir('sentinel-cache-');
    for (const commit of [null, '../../escape', 'HEAD']) {
      const db = await loadDatabaseCached({ dir, info: info(dir, commit), cacheDir });
      assert.equal(db.fromCache, false);
      assert.equal(db.advisories.length, 3);
    }
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  it('rebuilds a truncated, garbled or other-format index', async () => {
    const dir = damagedDatabase();
    const cacheDir = tempDir('sentinel-cache-');
    const file = path.join(cacheDir, indexFileName(DB_HEAD));
    const expected = plain(await loadDatabaseCached({ dir, info: info(dir, DB_HEAD), cacheDir }));
    const good = readFileSync(file);
    const header = JSON.parse(good.toString('utf8', 0, good.indexOf(0x0a))) as Record<string, unknown>;
    const withHeader = (h: Record<string, unknown>): Buffer =>
      Buffer.concat([Buffer.from(JSON.stringify(h)), good.subarray(good.indexOf(0x0a))]);
    const damaged: [string, Buffer][] = [
      ['truncated', good.subarray(0, good.length - 10)],
      ['empty', Buffer.alloc(0)],
      ['garbage', Buffer.from('garbage\nmore garbage\n')],
      ['other format', withHeader({ ...header, format: INDEX_FORMAT + 1 })],
      ['other commit', withHeader({ ...header, commit: DB_OLD })],
      ['garbled index', Buffer.from(good.toString('latin1').replace('"entries":[', '"entries":{'), 'latin1')],
      ['wrong count', withHeader({ ...header, advisoryCount: 2 })],
    ];
    for (const [what, bytes] of damaged) {
      writeFileSync(file, bytes);
      const db = await loadDatabaseCached({ dir, info: info(dir, DB_HEAD), cacheDir });
      assert.equal(db.fromCache, false, what);
      assert.deepEqual(plain(db), expected, what);
      assert.deepEqual(readFileSync(file), good, what);
    }
  });

  it('deletes the index files of other commits and formats, abandoned temp files, and nothing else', async () => {
    const dir = damagedDatabase();
    const cacheDir = tempDir('sentinel-cache-');
    const abandoned = `${indexFileName(DB_OLD)}.4242.1700000000000.tmp`;
    const inProgress = `${indexFileName(DB_OLD)}.4343.1700000000000.tmp`;
    for (const name of [indexFileName(DB_OLD), `advisory-index-v0-${DB_OLD}.bin`, 'notes.txt', abandoned, inProgress]) {
      writeFileSync(path.join(cacheDir, name), 'x');
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(path.join(cacheDir, abandoned), twoHoursAgo, twoHoursAgo);
    await loadDatabaseCached({ dir, info: info(dir, DB_HEAD), cacheDir });
    assert.deepEqual(readdirSync(cacheDir).sort(), [indexFileName(DB_HEAD), inProgress, 'notes.txt'].sort());
  });

  it('still loads when the index cannot be written', async () => {
    const dir = damagedDatabase();
    const notADirectory = path.join(tempDir('sentinel-cache-'), 'file');
    writeFileSync(notADirectory, '');
    for (let run = 0; run < 2; run++) {
      const db = await loadDatabaseCached({ dir, info: info(dir, DB_HEAD), cacheDir: notADirectory });
      assert.equal(db.fromCache, false);
      assert.equal(db.advisories.length, 3);
    }
  });
});

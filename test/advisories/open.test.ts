/** A run over several projects opens each advisory database once: reusingOpener, on a real checkout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openAdvisoryDatabase, reusingOpener, type DatabaseHooks, type OpenDatabaseOptions } from '../../src/advisories/open.js';
import { isSentinelError } from '../../src/errors.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { DB_HEAD, fixture } from '../helpers/paths.js';

const hooks: DatabaseHooks = { status: () => {}, warn: () => {}, now: new Date('2026-09-01T00:00:00Z') };

test('reusingOpener: the same options open the database once; other options, or another database, open their own', async () => {
  const opened: string[] = [];
  const open = reusingOpener((options, h) => {
    opened.push(`${path.basename(options.dir)} ${options.maxStalenessDays ?? '-'}`);
    return openAdvisoryDatabase(options, h);
  });
  const dir = sharedCheckout();
  const options: OpenDatabaseOptions = { url: fixture('advisory-db.bundle'), dir, fetch: false, allowStale: true, cacheDir: tempDir() };

  const first = await open(options, hooks);
  assert.equal(first.synced.commit, DB_HEAD);
  assert.equal(first.db.advisories.length, 1225);
  assert.equal(await open({ ...options }, hooks), first, 'the same database object, not a copy');
  assert.equal(await open({ ...options, dir: `${dir}/` }, hooks), first, 'the same directory spelt differently');

  const strict = await open({ ...options, maxStalenessDays: 30 }, hooks);
  assert.notEqual(strict, first);
  assert.equal(strict.db.advisories.length, 1225);

  const missing = path.join(tempDir(), 'advisory-db');
  const notFound = (e: unknown) => isSentinelError(e) && e.kind === 'operational' && e.message.startsWith(`advisory database not found at ${missing}`);
  await assert.rejects(open({ ...options, dir: missing }, hooks), notFound);
  await assert.rejects(open({ ...options, dir: missing }, hooks), notFound, 'a failure is not retried');

  assert.deepEqual(opened, [`${path.basename(dir)} -`, `${path.basename(dir)} 30`, 'advisory-db -']);
});

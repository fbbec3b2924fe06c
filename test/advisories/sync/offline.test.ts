import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stalenessWarning, syncDatabase } from '../../../src/advisories/sync/index.js';
import { isSentinelError } from '../../../src/errors.js';
import { DB_HEAD } from '../../helpers/paths.js';
import { BUNDLE, NOW, freshDbDir, siblings } from './support.js';

// DB_HEAD is 2026-08-21T08:28:40+02:00; 92 days later it is past the 90-day limit.
const LATER = new Date('2026-11-21T12:00:00Z');
const UNREACHABLE = 'http://127.0.0.1:1/none.git';

let dir: string;
before(async () => {
  dir = freshDbDir().dir;
  await syncDatabase({ url: BUNDLE, dir, fetch: true, now: NOW });
});

const isOperational = (pattern: RegExp) => (e: unknown) =>
  isSentinelError(e) && e.kind === 'operational' && pattern.test(e.message);

test('offline: uses the checkout as it is, without contacting the remote', async () => {
  const result = await syncDatabase({ url: UNREACHABLE, dir, fetch: false, now: NOW });
  assert.deepEqual(result, {
    path: dir,
    commit: DB_HEAD,
    commitDate: '2026-08-21T08:28:40+02:00',
    fetched: false,
    cloned: false,
    ageDays: 8,
    stale: false,
  });
  assert.equal(stalenessWarning(result), undefined);
  assert.deepEqual(siblings(dir), ['advisory-db'], 'lock released');
});

test('offline with a database older than 90 days: a stale error naming date and age', async () => {
  await assert.rejects(
    syncDatabase({ url: UNREACHABLE, dir, fetch: false, now: LATER }),
    isOperational(
      /^advisory database is stale: last commit 2026-08-21T08:28:40\+02:00 \(92 days ago\); pass --stale to use it anyway$/,
    ),
  );
  assert.deepEqual(siblings(dir), ['advisory-db'], 'lock released after the error');
});

test('offline with allowStale: works, and the warning names the age', async () => {
  const result = await syncDatabase({ url: UNREACHABLE, dir, fetch: false, now: LATER, allowStale: true });
  assert.equal(result.commit, DB_HEAD);
  assert.equal(result.ageDays, 92);
  assert.equal(result.stale, true);
  assert.equal(
    stalenessWarning(result),
    'advisory database is stale: last commit 2026-08-21T08:28:40+02:00 (92 days ago); findings may be missing',
  );
});

test('maxStalenessDays moves the limit', async () => {
  const result = await syncDatabase({ url: UNREACHABLE, dir, fetch: false, now: LATER, maxStalenessDays: 100 });
  assert.equal(result.stale, false);
  await assert.rejects(
    syncDatabase({ url: UNREACHABLE, dir, fetch: false, now: NOW, maxStalenessDays: 7 }),
    isOperational(/\(8 days ago\)/),
  );
});

test('offline without a database: says it is missing and how to get it, creates nothing', async () => {
  const { root, dir: missing } = freshDbDir();
  await assert.rejects(
    syncDatabase({ url: 'https://github.com/rustsec/advisory-db', dir: missing, fetch: false, now: NOW }),
    isOperational(/^advisory database not found at .*advisory-db \(fetching is disabled\); run once without --no-fetch to clone it from https:\/\/github\.com\/rustsec\/advisory-db$/),
  );
  assert.deepEqual(readdirSync(root), []);
});

test('offline on a copy without .git (as cargo-audit allows): no commit, age unknown', async () => {
  const { dir: plain } = freshDbDir();
  mkdirSync(plain);
  cpSync(path.join(dir, 'crates'), path.join(plain, 'crates'), { recursive: true });
  const result = await syncDatabase({ url: UNREACHABLE, dir: plain, fetch: false, now: LATER });
  assert.equal(result.commit, null);
  assert.equal(result.commitDate, null);
  assert.equal(result.ageDays, null);
  assert.equal(stalenessWarning(result), `advisory database at ${plain} is not a git checkout, so its age is unknown`);
  rmSync(plain, { recursive: true });
  assert.ok(!existsSync(`${plain}.lock`));
});

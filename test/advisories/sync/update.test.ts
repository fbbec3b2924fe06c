import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { syncDatabase, type SyncOptions } from '../../../src/advisories/sync/index.js';
import { git } from '../../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD } from '../../helpers/paths.js';
import { NOW, countAdvisories, freshDbDir, headOf, makeOldOnlyRemote, remoteAt, siblings } from './support.js';

// DB_OLD is six months older than NOW; these tests are about moving, not age.
const sync = (url: string, dir: string, extra: Partial<SyncOptions> = {}) =>
  syncDatabase({ url, dir, fetch: true, now: NOW, allowStale: true, ...extra });

test('the remote moves from DB_OLD to DB_HEAD (ref only): the next sync fetches it', async () => {
  const remote = remoteAt(DB_OLD);
  const url = `file://${remote}`;
  const { dir } = freshDbDir();

  const first = await sync(url, dir);
  assert.equal(first.commit, DB_OLD);
  assert.equal(first.stale, true);
  assert.equal(first.ageDays, 189);
  assert.equal(countAdvisories(dir), 906);

  git(['update-ref', 'refs/heads/main', DB_HEAD], remote);
  const second = await sync(url, dir);
  assert.equal(second.commit, DB_HEAD);
  assert.equal(second.fetched, true);
  assert.equal(second.cloned, false);
  assert.equal(second.stale, false);
  assert.equal(headOf(dir), DB_HEAD);
  assert.equal(countAdvisories(dir), 1205);
  assert.equal(git(['status', '--porcelain'], dir), '');
  assert.equal(git(['rev-parse', '--is-shallow-repository'], dir), 'true', 'a shallow clone stays shallow');

  // Force-pushed back (history rewritten from our point of view): we follow the remote.
  git(['update-ref', 'refs/heads/main', DB_OLD], remote);
  const third = await sync(url, dir);
  assert.equal(third.commit, DB_OLD);
  assert.equal(third.cloned, false);
  assert.equal(countAdvisories(dir), 906);
  assert.deepEqual(siblings(dir), ['advisory-db']);
});

test('the remote really lacks the new objects until it fetches them', async () => {
  const { remote, catchUp } = makeOldOnlyRemote();
  const viaPath = freshDbDir().dir;
  const viaFileUrl = freshDbDir().dir;
  assert.equal((await sync(remote, viaPath)).commit, DB_OLD);
  assert.equal((await sync(`file://${remote}`, viaFileUrl)).commit, DB_OLD);
  assert.equal(countAdvisories(viaPath), 906);
  assert.equal(countAdvisories(viaFileUrl), 906);

  catchUp();
  for (const [url, dir] of [[remote, viaPath], [`file://${remote}`, viaFileUrl]] as const) {
    const after = await sync(url, dir);
    assert.equal(after.commit, DB_HEAD);
    assert.equal(after.cloned, false);
    assert.equal(countAdvisories(dir), 1205);
  }
  assert.equal(git(['rev-list', '--count', 'HEAD'], viaPath), '3156');
  assert.equal(git(['rev-list', '--count', 'HEAD'], viaFileUrl), '1', 'fetched with --depth 1');
});

test('a fetch undoes hand edits: changed, deleted and added files', async () => {
  const remote = remoteAt();
  const { dir } = freshDbDir();
  await sync(remote, dir);
  const [first, second] = git(['ls-files', 'crates/'], dir).split('\n');
  appendFileSync(path.join(dir, first!), '\ntampered\n');
  rmSync(path.join(dir, path.dirname(second!)), { recursive: true, force: true });
  mkdirSync(path.join(dir, 'crates', 'made-up'), { recursive: true });
  writeFileSync(path.join(dir, 'crates', 'made-up', 'RUSTSEC-2099-0001.md'), '```toml\n```\n');
  writeFileSync(path.join(dir, 'crates', 'made-up', 'RUSTSEC-2099-0002.md'), '```toml\n```\n');
  writeFileSync(path.join(dir, 'crates', 'made-up', 'RUSTSEC-2099-0003.md'), '```toml\n```\n');
  assert.notEqual(git(['status', '--porcelain'], dir), '');

  const result = await sync(remote, dir);
  assert.equal(result.commit, DB_HEAD);
  assert.equal(result.cloned, false);
  assert.equal(countAdvisories(dir), 1205);
  assert.equal(git(['status', '--porcelain', '--ignored', '--untracked-files=all'], dir), '');
});

test('a second sync with nothing new is a cheap no-op', async () => {
  const remote = remoteAt();
  const { dir } = freshDbDir();
  await sync(remote, dir);
  const started = Date.now();
  const again = await sync(remote, dir);
  assert.equal(again.commit, DB_HEAD);
  assert.equal(again.cloned, false);
  assert.ok(Date.now() - started < 5_000);
});

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { syncDatabase } from '../../../src/advisories/sync/index.js';
import { isSentinelError } from '../../../src/errors.js';
import { git } from '../../helpers/git-fixtures.js';
import { DB_HEAD } from '../../helpers/paths.js';
import { NOW, countAdvisories, freshDbDir, headOf, remoteAt, scratchDir, siblings } from './support.js';

let remote: string;
before(() => {
  remote = remoteAt();
});

/** A good checkout, damaged by `damage`, then synced; returns the result and the log. */
async function damagedThenSynced(damage: (dir: string) => void) {
  const { dir } = freshDbDir();
  await syncDatabase({ url: remote, dir, fetch: true, now: NOW });
  damage(dir);
  const log: string[] = [];
  const result = await syncDatabase({ url: remote, dir, fetch: true, now: NOW, log: (m) => log.push(m) });
  assert.equal(result.commit, DB_HEAD);
  assert.equal(headOf(dir), DB_HEAD);
  assert.equal(countAdvisories(dir), 1205);
  assert.equal(git(['fsck', '--no-dangling', '--no-progress'], dir), '');
  assert.deepEqual(siblings(dir), ['advisory-db'], 'old checkout, staging dir and lock all gone');
  return { result, log };
}

test('garbage in .git/HEAD: re-cloned, with a message saying why', async () => {
  const { result, log } = await damagedThenSynced((dir) => writeFileSync(path.join(dir, '.git', 'HEAD'), 'garbage\n'));
  assert.equal(result.cloned, true);
  assert.equal(log.length, 1);
  assert.match(log[0]!, /^advisory database at .*advisory-db is unusable \(git cannot open it: not a git repository.*\); cloning it again from /);
});

test('objects deleted: re-cloned', async () => {
  const { result, log } = await damagedThenSynced((dir) => {
    const objects = path.join(dir, '.git', 'objects');
    for (const entry of readdirSync(objects)) {
      if (entry !== 'info') rmSync(path.join(objects, entry), { recursive: true, force: true });
    }
    mkdirSync(path.join(objects, 'pack'));
  });
  assert.equal(result.cloned, true);
  // With the commit-graph kept, git may still resolve HEAD and only miss its tree.
  assert.match(log.join('\n'), /unusable \((HEAD does not name a commit|objects of the HEAD commit are missing)\)/);
});

test('a leftover .git/index.lock (git killed during a reset): removed under the lock, no re-clone', async () => {
  const { result, log } = await damagedThenSynced((dir) => writeFileSync(path.join(dir, '.git', 'index.lock'), ''));
  assert.equal(result.cloned, false);
  assert.equal(log.length, 1);
  assert.match(log[0]!, /^removed git lock files that an interrupted run left in .*advisory-db\/\.git: index\.lock$/);
});

test('a clone of another URL (foreign origin): replaced by a clone of ours', async () => {
  const elsewhere = path.join(scratchDir(), 'elsewhere.git');
  const { log } = await damagedThenSynced((dir) => git(['remote', 'set-url', 'origin', elsewhere], dir));
  assert.match(log.join('\n'), new RegExp(`it is a clone of ${elsewhere}, not of ${remote}`));
});

test('a plain directory holding a copy of the advisories (no .git): replaced by a clone', async () => {
  const { result, log } = await damagedThenSynced((dir) => rmSync(path.join(dir, '.git'), { recursive: true }));
  assert.equal(result.cloned, true);
  assert.match(log.join('\n'), /unusable \(it is not a git checkout\)/);
});

test('a checkout missing crates/: re-cloned', async () => {
  const { log } = await damagedThenSynced((dir) => rmSync(path.join(dir, 'crates'), { recursive: true }));
  assert.match(log.join('\n'), /unusable \(it has no crates\/ directory\)/);
});

test('a directory that is not a database at all is never deleted', async () => {
  const { dir } = freshDbDir();
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'thesis.tex'), 'years of work');
  await assert.rejects(syncDatabase({ url: remote, dir, fetch: true, now: NOW }), (e: unknown) => {
    assert.ok(isSentinelError(e));
    assert.equal(e.kind, 'operational');
    assert.match(e.message, /exists but is not an advisory database \(it is not a git checkout\); refusing to delete it/);
    return true;
  });
  assert.equal(readFileSync(path.join(dir, 'thesis.tex'), 'utf8'), 'years of work');

  // Nor is someone's own repository that happens to sit at that path.
  rmSync(dir, { recursive: true });
  git(['init', '--quiet', dir]);
  git(['remote', 'add', 'origin', 'https://example.com/me/project.git'], dir);
  writeFileSync(path.join(dir, 'main.rs'), 'fn main() {}');
  await assert.rejects(syncDatabase({ url: remote, dir, fetch: true, now: NOW }), /refusing to delete it/);
  assert.ok(existsSync(path.join(dir, 'main.rs')));
  assert.deepEqual(siblings(dir), ['advisory-db']);
});

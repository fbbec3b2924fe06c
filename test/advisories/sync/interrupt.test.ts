import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { syncDatabase } from '../../../src/advisories/sync/index.js';
import { git } from '../../helpers/git-fixtures.js';
import { DB_HEAD } from '../../helpers/paths.js';
import { BUNDLE, NOW, countAdvisories, freshDbDir, runChild, siblings } from './support.js';

test('a clone killed midway leaves no half database, and the next sync recovers and cleans up', async () => {
  const { root, dir } = freshDbDir();
  const killed = await runChild({ url: BUNDLE, dir, fetch: true, now: NOW.toISOString(), killDuringClone: true });
  assert.equal(killed.signal, 'SIGKILL', `the child should have been killed; it said: ${killed.stdout}${killed.stderr}`);

  assert.ok(!existsSync(dir), 'nothing at the database path');
  const left = siblings(dir);
  assert.equal(left.length, 2, `expected a lock and a staging directory, found ${left.join(', ')}`);
  assert.equal(left[0], 'advisory-db.lock');
  assert.match(left[1]!, /^advisory-db\.tmp-\d+-[0-9a-f]{8}$/);

  const holder = (JSON.parse(readFileSync(`${dir}.lock`, 'utf8')) as { pid: number }).pid;
  const log: string[] = [];
  const result = await syncDatabase({ url: BUNDLE, dir, fetch: true, now: NOW, log: (m) => log.push(m) });
  assert.equal(result.commit, DB_HEAD);
  assert.equal(result.cloned, true);
  assert.equal(countAdvisories(dir), 1205);
  assert.equal(git(['fsck', '--no-dangling', '--no-progress'], dir), '');
  assert.deepEqual(siblings(dir), ['advisory-db']);
  assert.deepEqual(log, [
    `removed stale lock ${root}/advisory-db.lock: process ${holder} no longer exists`,
    `removed 1 leftover(s) of interrupted runs next to ${dir}`,
  ]);
});

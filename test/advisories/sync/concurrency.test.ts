import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { git } from '../../helpers/git-fixtures.js';
import { DB_HEAD } from '../../helpers/paths.js';
import { NOW, countAdvisories, freshDbDir, remoteAt, runChild, siblings } from './support.js';

test('eight runs at once on one empty directory: one clones, all end at DB_HEAD, nothing left over', async () => {
  const remote = remoteAt();
  const { dir } = freshDbDir();
  const runs = await Promise.all(
    Array.from({ length: 8 }, () => runChild({ url: remote, dir, fetch: true, now: NOW.toISOString() })),
  );
  const results = runs.map((run) => {
    assert.equal(run.code, 0, `a run failed: ${run.stdout} ${run.stderr}`);
    return JSON.parse(run.stdout) as { commit: string; cloned: boolean; fetched: boolean };
  });
  assert.deepEqual(results.map((r) => r.commit), Array(8).fill(DB_HEAD));
  assert.equal(results.filter((r) => r.cloned).length, 1, 'exactly one run cloned; the others fetched into its checkout');
  assert.ok(results.every((r) => r.fetched));
  assert.equal(git(['fsck', '--full', '--no-dangling', '--no-progress'], dir), '');
  assert.equal(git(['status', '--porcelain'], dir), '');
  assert.equal(countAdvisories(dir), 1205);
  assert.deepEqual(siblings(dir), ['advisory-db'], 'one checkout, no staging directories, lock released');
  assert.ok(!existsSync(`${dir}.lock`));
});

/**
 * Fault 7: sixteen runs at once on one database directory while its remote
 * moves forward. Twelve fetch (serialised by the lock), four read offline
 * (the lock-free path), again and again while the fetches last, so that they
 * race the reset to the new commit; the remote's `main` moves
 * from DB_OLD to DB_HEAD as soon as the first fetching run is done. Every run
 * reports the findings of the commit it names (DB_OLD's or DB_HEAD's), and the
 * directory ends whole: git fsck clean, no leftovers, the lock released.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { DB_HEAD, DB_OLD } from '../helpers/paths.js';
import {
  assertConsistentRun,
  assertFindingsAt,
  assertWholeCheckout,
  audit,
  auditArgs,
  cachedIndexes,
  indexName,
  moveRemote,
  remoteAt,
  runTool,
  workspace,
  type ToolRun,
} from './support.js';

test('sixteen runs at once while the remote moves from DB_OLD to DB_HEAD: each consistent, the directory whole', { timeout: 90_000 }, async (t) => {
  const w = workspace(remoteAt(DB_OLD));
  assertFindingsAt(await audit(w), DB_OLD);

  // Twelve fetching runs, and four offline ones that start again as soon as they end,
  // until the fetching runs are done, so that offline reads meet the reset to DB_HEAD.
  const fetching = Array.from({ length: 12 }, () => runTool(auditArgs(w), { cwd: w.cwd, limitMs: 60_000 }));
  let fetchingDone = false;
  const offline = Array.from({ length: 4 }, async () => {
    const results: ToolRun[] = [];
    do results.push(await runTool(auditArgs(w, '--no-fetch'), { cwd: w.cwd, limitMs: 60_000 }));
    while (!fetchingDone);
    return results;
  });
  await Promise.race(fetching);
  moveRemote(w.remote, DB_HEAD);
  const fetched = await Promise.all(fetching);
  fetchingDone = true;
  const read = (await Promise.all(offline)).flat();

  const tally = (results: ToolRun[]): Record<string, number> => {
    const seen: Record<string, number> = { [DB_OLD]: 0, [DB_HEAD]: 0 };
    for (const result of results) {
      seen[assertConsistentRun(result)]! += 1;
      // Nothing to repair, no edits: only the age of the database and the wait for the lock are worth a word.
      const unexpected = result.stderr.split('\n').filter((l) => l !== '' && !/^warning: (advisory database is stale: |waiting for lock on )/.test(l));
      assert.deepEqual(unexpected, []);
    }
    return seen;
  };
  const seenFetching = tally(fetched);
  const seenOffline = tally(read);
  t.diagnostic(
    `fetching runs saw ${JSON.stringify(seenFetching)}; ${read.length} offline runs saw ${JSON.stringify(seenOffline)}; ` +
      `slowest run ${Math.max(...[...fetched, ...read].map((r) => r.ms))} ms`,
  );
  assert.ok(seenFetching[DB_OLD]! >= 1, 'the first fetching run saw DB_OLD');
  assert.ok(seenFetching[DB_HEAD]! >= 1, 'runs that fetched after the move saw DB_HEAD');

  assertWholeCheckout(w.dir, DB_HEAD);
  assert.ok(!existsSync(`${w.dir}.lock`));
  assert.deepEqual(cachedIndexes(w), [indexName(DB_HEAD)]);
  assertFindingsAt(await audit(w, '--no-fetch'), DB_HEAD);
});

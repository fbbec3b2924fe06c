/**
 * Fault 6: the tool killed at any point of a sync. A real `audit` (node
 * bin/cargo-sentinel.cjs, the bundle) against a local remote whose `main` is
 * moved between DB_OLD and DB_HEAD, killed with SIGKILL after a seeded random
 * delay of 0 to 1.5 s (most of them short): its whole process group (node and git, like a power
 * cut) or node alone (git finishes orphaned; we wait for it). Sometimes the
 * checkout or the cache is deleted first, so that clones and index builds are
 * killed too. After each kill an offline run reports a consistent database
 * (or says there is none), and a fetching run reports exactly the remote's
 * commit and its findings for fd. 20 kills by default, SENTINEL_FAULT_RUNS=50
 * for more; SENTINEL_FAULT_SEED replays a sequence.
 *
 * First, deterministically, what a killed git leaves inside the checkout: its
 * lock files, and a work tree half one commit, half another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git } from '../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD } from '../helpers/paths.js';
import {
  assertConsistentRun,
  assertFindingsAt,
  assertOperationalFailure,
  assertWholeCheckout,
  audit,
  auditArgs,
  awaitGroupGone,
  cachedIndexes,
  countAdvisories,
  faultRuns,
  gitLockFiles,
  indexName,
  moveRemote,
  remoteAt,
  runTool,
  scratchDir,
  seededRandom,
  siblings,
  workspace,
  type Workspace,
} from './support.js';

const lockMessage = (dir: string, locks: string) =>
  new RegExp(`^warning: removed git lock files that an interrupted run left in ${dir}/\\.git: ${locks.replaceAll('.', '\\.')}$`, 'm');

test('a fetch killed while updating refs leaves ref, shallow and maintenance locks: the next run removes them and fetches, no re-clone', { timeout: 60_000 }, async () => {
  const remote = remoteAt(DB_OLD);
  const w = workspace(`file://${remote}`);
  assertFindingsAt(await audit(w), DB_OLD);
  moveRemote(remote, DB_HEAD);
  // A fetch takes the ref and shallow locks, then runs `git maintenance run --auto`, which takes its own.
  for (const lock of ['refs/remotes/origin/main.lock', 'shallow.lock', 'objects/maintenance.lock']) writeFileSync(path.join(w.dir, '.git', lock), '');
  const gitDirBefore = git(['rev-parse', '--absolute-git-dir'], w.dir);

  const run = await audit(w);
  assertFindingsAt(run, DB_HEAD);
  assert.match(run.stderr, lockMessage(w.dir, 'objects/maintenance.lock, refs/remotes/origin/main.lock, shallow.lock'));
  assert.doesNotMatch(run.stderr, /cloning it again/);
  assert.equal(git(['rev-parse', '--absolute-git-dir'], w.dir), gitDirBefore);
  assertWholeCheckout(w.dir, DB_HEAD);
});

test('a reset killed midway (index.lock, half the new files): offline it is restored to HEAD, a fetch completes it', { timeout: 60_000 }, async () => {
  const w = workspace(remoteAt(DB_OLD));
  assertFindingsAt(await audit(w), DB_OLD);
  moveRemote(w.remote, DB_HEAD);
  assertFindingsAt(await audit(w, '--no-fetch'), DB_OLD);
  // What `git reset --hard DB_HEAD` killed midway leaves: HEAD and the index at
  // DB_OLD, index.lock, and some of DB_HEAD's files written (the vulnerability among them).
  git(['fetch', '--quiet', w.remote, 'main'], w.dir);
  const scratchIndex = path.join(scratchDir('sentinel-fault-index-'), 'index');
  execFileSync('git', ['checkout', DB_HEAD, '--', 'crates/c*'], { cwd: w.dir, env: { ...process.env, GIT_INDEX_FILE: scratchIndex }, stdio: 'ignore' });
  writeFileSync(path.join(w.dir, '.git', 'index.lock'), '');
  assert.ok(countAdvisories(w.dir) > 906);

  // Without the index of DB_OLD cached, the offline run has to read the checkout.
  const fresh = { ...w, cache: path.join(scratchDir('sentinel-fault-cache-'), 'cache') };
  const offline = await audit(fresh, '--no-fetch');
  assertFindingsAt(offline, DB_OLD);
  assert.match(offline.stderr, lockMessage(w.dir, 'index.lock'));
  assert.match(offline.stderr, new RegExp(`^warning: restored ${w.dir} to its HEAD commit after an interrupted update$`, 'm'));
  assert.doesNotMatch(offline.stderr, /local change/);
  assertWholeCheckout(w.dir, DB_OLD);
  assert.deepEqual(cachedIndexes(fresh), [indexName(DB_OLD)]);

  assertFindingsAt(await audit(fresh), DB_HEAD);
  assertWholeCheckout(w.dir, DB_HEAD);
});

/** What a killed run left behind, before the next run cleans it up. */
function leftovers(w: Workspace, target: string): string[] {
  const found: string[] = [];
  if (!existsSync(w.dir)) found.push('no checkout');
  for (const name of siblings(w.dir)) {
    if (name.endsWith('.lock')) found.push('our lock');
    else if (name.includes('.tmp-')) found.push('staging clone');
    else if (name.includes('.old-')) found.push('aside checkout');
  }
  const gitLocks = gitLockFiles(w.dir);
  if (gitLocks.length > 0) found.push(`git locks (${gitLocks.join(', ')})`);
  if (existsSync(path.join(w.dir, '.git'))) {
    if (git(['rev-parse', 'HEAD'], w.dir) !== target) found.push('behind the remote');
    if (git(['status', '--porcelain', '--untracked-files=all'], w.dir) !== '') found.push('work tree differs from HEAD');
  }
  if (cachedIndexes(w).some((name) => name.endsWith('.tmp'))) found.push('index temp file');
  return found;
}

test('killed at random points of a sync, again and again: every next run is consistent and correct', { timeout: 240_000 }, async (t) => {
  const runs = faultRuns(20);
  const seed = Number(process.env['SENTINEL_FAULT_SEED'] ?? 20260821);
  const random = seededRandom(seed);
  const w = workspace(remoteAt(DB_HEAD));
  const tally = { completed: 0, killedGroup: 0, killedNode: 0, offlineFailed: 0 };
  const seen = new Map<string, number>();
  let target = DB_HEAD;
  const started = Date.now();

  for (let i = 0; i < runs; i += 1) {
    target = random() < 0.5 ? DB_OLD : DB_HEAD;
    moveRemote(w.remote, target);
    if (random() < 0.25) rmSync(w.dir, { recursive: true, force: true });
    if (random() < 0.25) rmSync(w.cache, { recursive: true, force: true });
    // Squared: up to 1.5 s, but mostly early, where a warm fetch (~0.4 s) does its work.
    const delay = Math.floor(random() ** 2 * 1500);
    const kill = random() < 0.25 ? 'node' : 'group';
    const step = `run ${i} (seed ${seed}, kill ${kill} after ${delay} ms, remote at ${target.slice(0, 8)})`;

    const killed = await runTool(auditArgs(w), { cwd: w.cwd, killAfterMs: delay, kill, limitMs: 30_000 });
    if (killed.signal === null) {
      tally.completed += 1;
      assertFindingsAt(killed, target);
    } else {
      assert.equal(killed.signal, 'SIGKILL', step);
      if (kill === 'node') {
        tally.killedNode += 1;
        await awaitGroupGone(killed.pid);
      } else {
        tally.killedGroup += 1;
      }
      for (const left of leftovers(w, target)) seen.set(left, (seen.get(left) ?? 0) + 1);
    }

    // Offline: whatever commit the checkout is at, its own findings (or no database at all).
    const offline = await audit(w, '--no-fetch');
    if (offline.code === 3) {
      tally.offlineFailed += 1;
      assertOperationalFailure(offline, new RegExp(`^error: advisory database not found at ${w.dir} \\(fetching is disabled\\)`));
    } else {
      assert.doesNotThrow(() => assertConsistentRun(offline), step);
    }

    const next = await audit(w);
    assert.doesNotThrow(() => assertFindingsAt(next, target), step);
    assert.equal(git(['status', '--porcelain', '--ignored', '--untracked-files=all'], w.dir), '', step);
    assert.deepEqual(siblings(w.dir), [path.basename(w.dir)], step);
    assert.deepEqual(gitLockFiles(w.dir), [], step);
  }

  assertWholeCheckout(w.dir, target);
  assert.deepEqual(cachedIndexes(w), [indexName(target)], 'the index of the head, and no temp file of a killed writer');
  t.diagnostic(`seed ${seed}, ${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(tally)}`);
  t.diagnostic(`left behind by kills: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
  assert.ok(tally.killedGroup + tally.killedNode >= runs / 2, 'most runs were killed, not completed');
  assert.deepEqual(readdirSync(path.dirname(w.dir)), [path.basename(w.dir)]);
});

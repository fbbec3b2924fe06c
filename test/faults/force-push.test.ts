/**
 * Fault 4: the remote's history is rewritten. `main` is force-pushed to a
 * commit made on top of DB_OLD (one advisory added), which does not descend
 * from the checkout's DB_HEAD; the next sync ends exactly at the remote head,
 * for a full clone (local path) and a shallow one (file://) whose remote has
 * pruned the old history; and back again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { git } from '../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD } from '../helpers/paths.js';
import {
  assertFindingsAt,
  assertWholeCheckout,
  audit,
  cachedIndexes,
  indexName,
  madeUpAdvisory,
  moveRemote,
  remoteAt,
  scratchDir,
  workspace,
  type Findings,
} from './support.js';

/** fd's findings at the rewritten commit: DB_OLD's (none) plus the added advisory. */
const REWRITTEN_FINDINGS: Findings = { advisoryCount: 907, vulnerabilities: ['RUSTSEC-2099-0001'], warnings: {}, exit: 1 };

/** A commit on top of DB_OLD that adds one advisory for crossbeam-epoch, made in `remote` with plumbing. */
function rewrittenCommit(remote: string): string {
  const index = path.join(scratchDir('sentinel-fault-index-'), 'index');
  const env = {
    ...process.env,
    GIT_INDEX_FILE: index,
    GIT_AUTHOR_NAME: 'Fault Test', GIT_AUTHOR_EMAIL: 'fault@example.invalid', GIT_AUTHOR_DATE: '2026-08-25T10:00:00+00:00',
    GIT_COMMITTER_NAME: 'Fault Test', GIT_COMMITTER_EMAIL: 'fault@example.invalid', GIT_COMMITTER_DATE: '2026-08-25T10:00:00+00:00',
  };
  const run = (args: string[], input?: string): string =>
    execFileSync('git', args, { cwd: remote, env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
  run(['read-tree', DB_OLD]);
  const blob = run(['hash-object', '-w', '--stdin'], madeUpAdvisory('RUSTSEC-2099-0001', 'crossbeam-epoch'));
  run(['update-index', '--add', '--cacheinfo', `100644,${blob},crates/crossbeam-epoch/RUSTSEC-2099-0001.md`]);
  const tree = run(['write-tree']);
  rmSync(index);
  return run(['commit-tree', tree, '-p', DB_OLD, '-m', 'Rewrite history: a branch off DB_OLD']);
}

test('force-pushed remote (full clone, local path): the next sync is exactly the new head, and back again', { timeout: 60_000 }, async () => {
  const w = workspace(remoteAt(DB_HEAD));
  assertFindingsAt(await audit(w), DB_HEAD);
  const rewritten = rewrittenCommit(w.remote);
  assert.throws(() => git(['merge-base', '--is-ancestor', DB_HEAD, rewritten], w.remote), 'not a fast-forward from DB_HEAD');
  moveRemote(w.remote, rewritten);

  assertFindingsAt(await audit(w), rewritten, REWRITTEN_FINDINGS);
  assertWholeCheckout(w.dir, rewritten, 907);
  assert.deepEqual(cachedIndexes(w), [indexName(rewritten)]);
  assertFindingsAt(await audit(w, '--no-fetch'), rewritten, REWRITTEN_FINDINGS);

  moveRemote(w.remote, DB_HEAD);
  assertFindingsAt(await audit(w), DB_HEAD);
  assertWholeCheckout(w.dir, DB_HEAD);
});

test('force-pushed remote (shallow clone, file://) whose old history is pruned: exactly the new head, still shallow', { timeout: 60_000 }, async () => {
  const remote = remoteAt(DB_HEAD);
  const w = workspace(`file://${remote}`);
  assertFindingsAt(await audit(w), DB_HEAD);
  assert.equal(git(['rev-list', '--count', 'HEAD'], w.dir), '1');
  const rewritten = rewrittenCommit(remote);
  moveRemote(remote, rewritten);
  git(['reflog', 'expire', '--expire=now', '--all'], remote);
  git(['gc', '--quiet', '--prune=now'], remote);
  assert.throws(() => git(['cat-file', '-e', DB_HEAD], remote), 'the remote no longer has DB_HEAD');

  assertFindingsAt(await audit(w), rewritten, REWRITTEN_FINDINGS);
  assertWholeCheckout(w.dir, rewritten, 907);
  assert.equal(git(['rev-parse', '--is-shallow-repository'], w.dir), 'true');
  assert.equal(git(['rev-list', '--count', 'HEAD'], w.dir), '1');
});

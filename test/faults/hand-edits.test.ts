/**
 * Fault 5: a checkout edited by hand under crates/ (a file changed, one
 * deleted, one added). With fetching, the next run restores the remote's
 * state exactly. Offline, the compiled index is keyed by commit:
 * - when the index of HEAD is cached, the run reads nothing but HEAD and the
 *   index, so the edits are not seen (noticing them would mean a stat of every
 *   advisory file, ~18 ms, a third of a warm run's own time);
 * - when it is not, the edited files are what there is: they are used, with a
 *   warning, and never compiled into the index of the commit, where they would
 *   outlive the fetch that undoes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DB_HEAD } from '../helpers/paths.js';
import {
  assertFindingsAt,
  assertWholeCheckout,
  audit,
  cachedIndexes,
  indexName,
  madeUpAdvisory,
  scratchDir,
  workspace,
  type Findings,
  type Workspace,
} from './support.js';

/** fd's findings once the edits below are made to DB_HEAD's checkout. */
const EDITED: Findings = {
  advisoryCount: 1205,
  vulnerabilities: ['RUSTSEC-2026-0173', 'RUSTSEC-2099-0002'],
  warnings: {},
  exit: 1,
};

function editByHand(dir: string): void {
  // Deleted: fd's one vulnerability.
  rmSync(path.join(dir, 'crates', 'crossbeam-epoch', 'RUSTSEC-2026-0204.md'));
  // Changed: the unmaintained notice becomes a vulnerability.
  const notice = path.join(dir, 'crates', 'proc-macro-error2', 'RUSTSEC-2026-0173.md');
  writeFileSync(notice, readFileSync(notice, 'utf8').replace('informational = "unmaintained"\n', ''));
  appendFileSync(notice, '\nEdited by hand.\n');
  // Added: an advisory of our own.
  writeFileSync(path.join(dir, 'crates', 'crossbeam-epoch', 'RUSTSEC-2099-0002.md'), madeUpAdvisory('RUSTSEC-2099-0002', 'crossbeam-epoch'));
}

const withCache = (w: Workspace, cache: string): Workspace => ({ ...w, cache });

test('hand edits: ignored offline while the index of HEAD is cached, used (uncached, with a warning) when it is not, undone by a fetch', { timeout: 60_000 }, async () => {
  const w = workspace();
  assertFindingsAt(await audit(w), DB_HEAD);
  assert.deepEqual(cachedIndexes(w), [indexName(DB_HEAD)]);
  editByHand(w.dir);

  // The index of DB_HEAD is cached: the offline fast path reads HEAD and the index only.
  const cachedRun = await audit(w, '--no-fetch');
  assertFindingsAt(cachedRun, DB_HEAD);
  assert.doesNotMatch(cachedRun.stderr, /local change/);

  // Nothing cached: the edited files are all there is. They are used and said to be
  // edits, and they are not compiled into DB_HEAD's index.
  const fresh = withCache(w, path.join(scratchDir('sentinel-fault-cache-'), 'cache'));
  for (let run = 0; run < 2; run += 1) {
    const edited = await audit(fresh, '--no-fetch');
    assertFindingsAt(edited, DB_HEAD, EDITED);
    assert.match(
      edited.stderr,
      new RegExp(`^warning: advisory database at ${w.dir} has 3 local changes under crates/ or rust/ \\(not in commit ${DB_HEAD.slice(0, 12)}\\); they are used as they are, not cached, and the next fetch undoes them$`, 'm'),
    );
    assert.deepEqual(cachedIndexes(fresh), [], 'an edited checkout is never compiled into the index of its commit');
  }

  // A fetch undoes the edits: the remote's state, through either cache.
  assertFindingsAt(await audit(fresh), DB_HEAD);
  assertWholeCheckout(w.dir, DB_HEAD);
  assert.deepEqual(cachedIndexes(fresh), [indexName(DB_HEAD)]);
  assertFindingsAt(await audit(fresh, '--no-fetch'), DB_HEAD);
  assertFindingsAt(await audit(w), DB_HEAD);
});

test('a clean checkout offline without a cached index: parsed once, compiled, no warning', { timeout: 60_000 }, async () => {
  const w = workspace();
  assertFindingsAt(await audit(w), DB_HEAD);
  const fresh = withCache(w, path.join(scratchDir('sentinel-fault-cache-'), 'cache'));
  const first = await audit(fresh, '--no-fetch');
  assertFindingsAt(first, DB_HEAD);
  assert.doesNotMatch(first.stderr, /local change/);
  assert.deepEqual(cachedIndexes(fresh), [indexName(DB_HEAD)]);
});

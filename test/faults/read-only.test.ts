/**
 * Fault 2: the database cannot be written. Offline runs still work, from the
 * cached index or by parsing the checkout; a run that would fetch fails with
 * one clear operational error (exit 3, or 64 for `check`) and leaves it as it was.
 *
 * How "cannot be written" is made: `chmod -R a-w` on the checkout, its parent
 * and the cache. The tests run as root, for whom permission bits do not bind,
 * so as root every run is a child process started as `nobody` (uid 65534),
 * and the files are given to nobody first (git refuses a repository owned by
 * another user, and that is not the fault under test). As any other user the
 * runs are children started as that user. A read-only mount would be the other
 * way, but it needs privileges a container rarely has.
 * Then a file in place of the database's parent directory, for root too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, tempDir } from '../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD, repoRoot } from '../helpers/paths.js';
import { dbDirectoryFor } from '../../src/advisories/sync/location.js';
import {
  FD_LOCK,
  assertFindingsAt,
  assertOperationalFailure,
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
  type Workspace,
} from './support.js';

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Each entry under `dir`, and `dir` itself, made `mode(current)`. */
function chmodTree(dir: string, mode: (current: number) => number): void {
  const entries = [dir, ...(readdirSync(dir, { recursive: true }) as string[]).map((p) => path.join(dir, p))];
  for (const p of entries) {
    const info = statSync(p, { throwIfNoEntry: false });
    if (info && !info.isSymbolicLink()) chmodSync(p, mode(info.mode & 0o7777));
  }
}

function chownTree(dir: string, uid: number): void {
  const entries = [dir, ...(readdirSync(dir, { recursive: true }) as string[]).map((p) => path.join(dir, p))];
  for (const p of entries) chownSync(p, uid, uid);
}

const readOnly = (dir: string): void => chmodTree(dir, (m) => m & ~0o222);
const writable = (dir: string): void => chmodTree(dir, (m) => m | 0o200);

/**
 * This checkout as `nobody` can read it. The checkout may lie below a
 * directory only root can enter (a clone in a `mktemp -d`), so as root the
 * runs use a copy of what they read from it: the executable, the bundle,
 * package.json, the one package the bundle loads from node_modules on these
 * paths, and the fd project they audit. `inCopy` maps a path of the checkout
 * to its place in the copy.
 */
let copyRoot: string | undefined;
function checkoutForNobody(): { bin: string; inCopy: (p: string) => string } {
  if (copyRoot === undefined) {
    const dir = tempDir('sentinel-installed-');
    for (const part of ['bin', 'dist/bundle', 'package.json', 'node_modules/ae-cvss-calculator', path.relative(repoRoot, path.dirname(FD_LOCK))]) {
      cpSync(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
    }
    chmodTree(dir, (m) => m | 0o755);
    copyRoot = dir;
  }
  const root = copyRoot;
  return {
    bin: path.join(root, 'bin', 'cargo-sentinel.cjs'),
    inCopy: (p) => (p.startsWith(repoRoot + path.sep) ? path.join(root, path.relative(repoRoot, p)) : p),
  };
}

interface ReadOnly {
  w: Workspace;
  /** Starts a run that cannot write the database. */
  run(args: string[]): Promise<ToolRun>;
  /** A copy of the checkout where the cargo-deny face looks for it (`--db-path <parent>`), as read-only. */
  denyDir: string;
  /** Gives everything back to the test's user, writable, to be inspected with git and removed. */
  restore(): void;
}

/**
 * A workspace whose checkout is DB_OLD with its index cached, whose remote has
 * moved on to DB_HEAD, and whose database directory (checkout and parent) and
 * cache cannot be written by the runs.
 */
async function readOnlyWorkspace(): Promise<ReadOnly> {
  const w = workspace(remoteAt(DB_OLD));
  assertFindingsAt(await audit(w), DB_OLD);
  assert.deepEqual(cachedIndexes(w), [indexName(DB_OLD)]);
  moveRemote(w.remote, DB_HEAD);
  const denyDir = dbDirectoryFor(w.remote, path.join(w.root, 'deny-dbs'));
  cpSync(w.dir, denyDir, { recursive: true });
  const owned = [w.root, path.dirname(w.remote)];
  if (asRoot) {
    for (const dir of owned) chownTree(dir, NOBODY);
    // mkdtemp made both 0700.
    for (const dir of owned) chmodSync(dir, 0o755);
  }
  readOnly(path.dirname(w.dir));
  readOnly(path.dirname(denyDir));
  readOnly(w.cache);
  return {
    w,
    denyDir,
    run: (args) => {
      if (!asRoot) return runTool(args, { cwd: w.cwd });
      const { bin, inCopy } = checkoutForNobody();
      return runTool(args.map(inCopy), { cwd: w.cwd, uid: NOBODY, gid: NOBODY, bin });
    },
    restore() {
      for (const dir of owned) {
        writable(dir);
        if (asRoot) chownTree(dir, 0);
      }
    },
  };
}

test('read-only database: offline works from the cached index, and by parsing the checkout without one', { timeout: 60_000 }, async () => {
  const { w, run, restore } = await readOnlyWorkspace();
  try {
    const cached = await run(auditArgs(w, '--no-fetch'));
    assertFindingsAt(cached, DB_OLD);
    // One line: the fast path tried no lock.
    assert.match(cached.stderr, /^warning: advisory database is stale: last commit 2026-02-21T02:48:10\+01:00 \(\d+ days ago\); findings may be missing\n$/);

    // A read-only cache without the index: parsed, used, nothing can be written.
    const emptyCache = path.join(w.root, 'empty-cache');
    mkdirSync(emptyCache);
    if (asRoot) chownSync(emptyCache, NOBODY, NOBODY);
    readOnly(emptyCache);
    const parsed = await run(auditArgs({ ...w, cache: emptyCache }, '--no-fetch'));
    assertFindingsAt(parsed, DB_OLD);
    assert.deepEqual(parsed.stderr.trimEnd().split('\n').map((l) => l.replace(/\(\d+ days ago\)/, '(N days ago)')), [
      `warning: cannot create a lock file next to ${w.dir} (EACCES); using the database without a lock`,
      'warning: advisory database is stale: last commit 2026-02-21T02:48:10+01:00 (N days ago); findings may be missing',
    ]);
    assert.deepEqual(readdirSync(emptyCache), []);
  } finally {
    restore();
  }
  assertWholeCheckout(w.dir, DB_OLD);
});

test('read-only database: a fetch fails with one operational error, for both faces, and leaves the checkout as it was', { timeout: 60_000 }, async () => {
  const { w, run, denyDir, restore } = await readOnlyWorkspace();
  try {
    const fetched = await run(auditArgs(w));
    assertOperationalFailure(
      fetched,
      new RegExp(
        `^error: cannot update the advisory database at ${w.dir}: cannot create the lock file ${w.dir}\\.lock: EACCES: permission denied, open '${w.dir}\\.lock'; ` +
          'to use it as it is, run without fetching \\(audit --no-fetch, check --offline\\)$',
      ),
    );

    const checkArgs = (...extra: string[]) => [
      '--lockfile-only', '--manifest-path', path.join(path.dirname(FD_LOCK), 'Cargo.toml'), '--config', denyToml(w),
      '--db-url', w.remote, '--db-path', path.dirname(denyDir), '--cache-dir', w.cache, ...extra, 'check', 'advisories',
    ];
    const check = await run(checkArgs());
    assert.equal(check.code, 64, check.stderr);
    assert.match(check.stderr, new RegExp(`^error: cannot update the advisory database at ${denyDir}: cannot create the lock file`, 'm'));
    const offline = await run(checkArgs('--offline', '--stale'));
    assert.equal(offline.code, 0, offline.stderr);
  } finally {
    restore();
  }
  assertWholeCheckout(w.dir, DB_OLD);
  assert.equal(git(['rev-parse', 'HEAD'], denyDir), DB_OLD);
});

test('a file where the database directory\'s parent should be: both directions fail with exit 3, nothing is created', { timeout: 30_000 }, async () => {
  const w = workspace();
  const blocker = path.dirname(w.dir);
  writeFileSync(blocker, 'not a directory\n');
  assertOperationalFailure(
    await audit(w),
    new RegExp(`^error: cannot update the advisory database at ${w.dir}: cannot create the lock file ${w.dir}\\.lock: ENOTDIR: not a directory, open '${w.dir}\\.lock'; `),
  );
  assertOperationalFailure(await audit(w, '--no-fetch'), new RegExp(`^error: advisory database not found at ${w.dir} \\(fetching is disabled\\)`));
  assert.deepEqual(readdirSync(w.root).sort(), ['cwd', 'dbs']);
});

function denyToml(w: Workspace): string {
  const file = path.join(w.cwd, 'deny.toml');
  writeFileSync(file, '[advisories]\ndisable-yank-checking = true\n');
  return file;
}

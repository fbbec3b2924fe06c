/**
 * Fault 3: the database lock, through the command line. A lock left by a
 * process that died is taken over with a message; a lock held by a live
 * process is waited for, with a message, for CARGO_SENTINEL_LOCK_TIMEOUT_MS,
 * then the run fails with an operational error (exit 3, 64 for `check`); a
 * holder that finishes within the bound lets the waiter through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DB_HEAD } from '../helpers/paths.js';
import { dbDirectoryFor } from '../../src/advisories/sync/location.js';
import {
  FD_LOCK,
  assertFindingsAt,
  assertOperationalFailure,
  assertWholeCheckout,
  audit,
  auditArgs,
  runTool,
  scratchDir,
  workspace,
  type Workspace,
} from './support.js';

const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

/** A lock file as a run of ours writes it, owned by `pid`, last refreshed `ageMs` ago. */
function writeLock(dir: string, pid: number, ageMs = 0): string {
  const lockPath = `${dir}.lock`;
  const at = new Date(Date.now() - ageMs);
  writeFileSync(lockPath, `${JSON.stringify({ pid, hostname: os.hostname(), startedAt: at.toISOString(), token: 'fault-test' })}\n`);
  utimesSync(lockPath, at, at);
  return lockPath;
}

/** A live process standing in for another run; it deletes `releases` after `afterMs` if given. */
function holder(releases?: string, afterMs = 0): ChildProcess {
  const script = releases === undefined
    ? 'setTimeout(() => {}, 60000)'
    : `setTimeout(() => { require('fs').unlinkSync(${JSON.stringify(releases)}); process.exit(0); }, ${afterMs})`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

async function clonedWorkspace(): Promise<Workspace> {
  const w = workspace();
  assertFindingsAt(await audit(w), DB_HEAD);
  return w;
}

test('a lock left by a dead run: taken over with a message, fetching and offline', { timeout: 60_000 }, async () => {
  const w = await clonedWorkspace();
  const pid = deadPid();
  writeLock(w.dir, pid);
  const fetched = await audit(w);
  assertFindingsAt(fetched, DB_HEAD);
  assert.match(fetched.stderr, new RegExp(`^warning: removed stale lock ${w.dir}\\.lock: process ${pid} no longer exists$`, 'm'));
  assertWholeCheckout(w.dir, DB_HEAD);

  // Offline without a cached index takes the lock too (offline with one takes none).
  writeLock(w.dir, pid);
  const offline = await audit({ ...w, cache: path.join(scratchDir('sentinel-fault-cache-'), 'cache') }, '--no-fetch');
  assertFindingsAt(offline, DB_HEAD);
  assert.match(offline.stderr, new RegExp(`^warning: removed stale lock ${w.dir}\\.lock: process ${pid} no longer exists$`, 'm'));
  assertWholeCheckout(w.dir, DB_HEAD);

  // A run killed between creating its lock file and writing it leaves an empty one.
  writeFileSync(`${w.dir}.lock`, '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${w.dir}.lock`, old, old);
  const afterEmpty = await audit(w);
  assertFindingsAt(afterEmpty, DB_HEAD);
  assert.match(afterEmpty.stderr, new RegExp(`^warning: removed stale lock ${w.dir}\\.lock: its content is unreadable$`, 'm'));
  assertWholeCheckout(w.dir, DB_HEAD);
});

test('a lock held by a live process: waited for with a message, then exit 3 after CARGO_SENTINEL_LOCK_TIMEOUT_MS', { timeout: 60_000 }, async () => {
  const w = await clonedWorkspace();
  const live = holder();
  try {
    const lockPath = writeLock(w.dir, live.pid!);
    const before = readFileSync(lockPath, 'utf8');
    const env = { CARGO_SENTINEL_LOCK_TIMEOUT_MS: '1500' };
    const waited = await runTool(auditArgs(w), { cwd: w.cwd, env, limitMs: 20_000 });
    assertOperationalFailure(
      waited,
      new RegExp(`^error: timed out after 1\\.5 s waiting for the lock ${lockPath}, held by pid ${live.pid} \\(since [^)]+\\); if no other cargo-sentinel run is using that database, delete the lock file$`),
    );
    const warnings = waited.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    assert.equal(warnings.length, 1, waited.stderr);
    assert.match(warnings[0]!, new RegExp(`^warning: waiting for lock on ${lockPath} held by pid ${live.pid} \\(since [^)]+\\)$`));
    assert.ok(waited.stderr.indexOf('warning: waiting') < waited.stderr.indexOf('error: '), 'the wait is announced before the failure');
    assert.ok(waited.ms >= 1500 && waited.ms < 10_000, `waited ${waited.ms} ms`);
    assert.equal(readFileSync(lockPath, 'utf8'), before, 'the live lock is left alone');

    // The cargo-deny face: its own operational code.
    const denyToml = path.join(w.cwd, 'deny.toml');
    writeFileSync(denyToml, '[advisories]\ndisable-yank-checking = true\n');
    const denyRoot = scratchDir('sentinel-fault-deny-');
    const checkArgs = [
      '--lockfile-only', '--manifest-path', path.join(path.dirname(FD_LOCK), 'Cargo.toml'), '--config', denyToml,
      '--db-url', w.remote, '--db-path', denyRoot, '--cache-dir', w.cache, 'check', 'advisories',
    ];
    const denyLock = writeLock(dbDirectoryFor(w.remote, denyRoot), live.pid!);
    const check = await runTool(checkArgs, { cwd: w.cwd, env: { CARGO_SENTINEL_LOCK_TIMEOUT_MS: '300' }, limitMs: 20_000 });
    assert.equal(check.code, 64, check.stderr);
    assert.match(check.stderr, new RegExp(`^error: timed out after 0\\.3 s waiting for the lock ${denyLock}, held by pid ${live.pid} `, 'm'));

    // Offline with the index of HEAD cached needs no lock at all.
    assertFindingsAt(await runTool(auditArgs(w, '--no-fetch'), { cwd: w.cwd, env, limitMs: 20_000 }), DB_HEAD);

    // The holder dies without releasing: the next run takes over.
    live.kill('SIGKILL');
    await new Promise((resolve) => live.once('exit', resolve));
    const after = await runTool(auditArgs(w), { cwd: w.cwd, env, limitMs: 20_000 });
    assertFindingsAt(after, DB_HEAD);
    assert.match(after.stderr, new RegExp(`^warning: removed stale lock ${lockPath}: process ${live.pid} no longer exists$`, 'm'));
    assertWholeCheckout(w.dir, DB_HEAD);
  } finally {
    live.kill('SIGKILL');
  }
});

test('a holder that releases within the bound lets the waiting run through', { timeout: 60_000 }, async () => {
  const w = await clonedWorkspace();
  const lockPath = `${w.dir}.lock`;
  const releasing = holder(lockPath, 800);
  writeLock(w.dir, releasing.pid!);
  const run = await runTool(auditArgs(w), { cwd: w.cwd, env: { CARGO_SENTINEL_LOCK_TIMEOUT_MS: '10000' }, limitMs: 20_000 });
  assertFindingsAt(run, DB_HEAD);
  assert.match(run.stderr, new RegExp(`^warning: waiting for lock on ${lockPath} held by pid ${releasing.pid} `, 'm'));
  assert.ok(run.ms >= 700, `the run waited (${run.ms} ms)`);
  assertWholeCheckout(w.dir, DB_HEAD);
  assert.ok(!existsSync(lockPath));
});

test('CARGO_SENTINEL_LOCK_TIMEOUT_MS that is not a number of milliseconds is a configuration error', { timeout: 30_000 }, async () => {
  const w = workspace();
  const run = await runTool(auditArgs(w), { cwd: w.cwd, env: { CARGO_SENTINEL_LOCK_TIMEOUT_MS: '2s' }, limitMs: 20_000 });
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stderr, 'error: CARGO_SENTINEL_LOCK_TIMEOUT_MS must be a whole number of milliseconds, not "2s"\n');
  assert.ok(!existsSync(w.dir));
});

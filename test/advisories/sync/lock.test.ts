import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { lockPathFor, syncDatabase, withDatabaseLock } from '../../../src/advisories/sync/index.js';
import { acquireLock } from '../../../src/advisories/sync/lock.js';
import { isSentinelError } from '../../../src/errors.js';
import { DB_HEAD } from '../../helpers/paths.js';
import { NOW, freshDbDir, remoteAt, siblings } from './support.js';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(dir: string, owner: { pid: number; hostname?: string }, ageMs = 0): string {
  const lockPath = lockPathFor(dir);
  const startedAt = new Date(Date.now() - ageMs);
  writeFileSync(lockPath, JSON.stringify({ hostname: os.hostname(), startedAt: startedAt.toISOString(), token: 'other', ...owner }));
  utimesSync(lockPath, startedAt, startedAt);
  return lockPath;
}

test('a lock left by a dead process is removed with a message, and the sync proceeds', async () => {
  const remote = remoteAt();
  const { root, dir } = freshDbDir();
  const pid = deadPid();
  writeLock(dir, { pid });
  const log: string[] = [];
  const result = await syncDatabase({ url: remote, dir, fetch: true, now: NOW, log: (m) => log.push(m) });
  assert.equal(result.commit, DB_HEAD);
  assert.deepEqual(log, [`removed stale lock ${root}/advisory-db.lock: process ${pid} no longer exists`]);
  assert.deepEqual(siblings(dir), ['advisory-db']);
});

test('a live lock is waited for, then a timeout error names the holder; the lock is left alone', async () => {
  const { dir } = freshDbDir();
  mkdirSync(dir);
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    const lockPath = writeLock(dir, { pid: sleeper.pid! });
    const before = readFileSync(lockPath, 'utf8');
    const log: string[] = [];
    let ran = false;
    const started = Date.now();
    await assert.rejects(
      withDatabaseLock(dir, () => (ran = true), { timeoutMs: 400, log: (m) => log.push(m) }),
      (e: unknown) => {
        assert.ok(isSentinelError(e));
        assert.equal(e.kind, 'operational');
        assert.match(e.message, new RegExp(`^timed out after 0\\.4 s waiting for the lock ${lockPath}, held by pid ${sleeper.pid} \\(since `));
        assert.match(e.message, /delete the lock file$/);
        return true;
      },
    );
    assert.ok(Date.now() - started >= 400);
    assert.equal(ran, false);
    assert.equal(log.length, 1, 'the wait is announced once');
    assert.match(log[0]!, new RegExp(`^waiting for lock on ${lockPath} held by pid ${sleeper.pid} \\(since `));
    assert.equal(readFileSync(lockPath, 'utf8'), before);
  } finally {
    sleeper.kill();
  }
});

test('the sync itself reports a lock timeout as an operational error', async () => {
  const { dir } = freshDbDir();
  mkdirSync(dir);
  writeLock(dir, { pid: process.pid });
  await assert.rejects(
    syncDatabase({ url: '/nonexistent', dir, fetch: true, now: NOW, lockTimeoutMs: 100 }),
    (e: unknown) => isSentinelError(e) && e.kind === 'operational' && /^timed out after 0\.1 s waiting for the lock/.test(e.message),
  );
});

test('a lock from another host is trusted while refreshed, and broken once it is not', async () => {
  const { root, dir } = freshDbDir();
  writeLock(dir, { pid: 1, hostname: 'build-agent-7' });
  await assert.rejects(withDatabaseLock(dir, () => {}, { timeoutMs: 150 }), /held by pid 1 on build-agent-7/);

  writeLock(dir, { pid: 1, hostname: 'build-agent-7' }, 10 * 60_000);
  const log: string[] = [];
  assert.equal(await withDatabaseLock(dir, () => 'ran', { log: (m) => log.push(m) }), 'ran');
  assert.equal(log.length, 1);
  assert.match(log[0]!, new RegExp(`^removed stale lock ${root}/advisory-db.lock: pid 1 on build-agent-7 .* has not refreshed it for 600 s$`));
});

test('an empty lock file (writer crashed before writing) is stale once it is a few seconds old', async () => {
  const { dir } = freshDbDir();
  const lockPath = lockPathFor(dir);
  writeFileSync(lockPath, '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lockPath, old, old);
  assert.equal(await withDatabaseLock(dir, () => 'ran'), 'ran');
  assert.ok(!existsSync(lockPath));
});

test('the lock is released when the work throws, and runs in one process are serialised', async () => {
  const { dir } = freshDbDir();
  await assert.rejects(withDatabaseLock(dir, () => Promise.reject(new Error('boom'))), /boom/);
  assert.ok(!existsSync(lockPathFor(dir)));

  const events: string[] = [];
  const work = (name: string) => async () => {
    events.push(`${name} in`);
    await new Promise((r) => setTimeout(r, 50));
    events.push(`${name} out`);
  };
  await Promise.all([withDatabaseLock(dir, work('a')), withDatabaseLock(dir, work('b'))]);
  assert.deepEqual(events.map((e) => e.split(' ')[1]), ['in', 'out', 'in', 'out']);
  assert.ok(!existsSync(lockPathFor(dir)));
});

test('the holder keeps its lock fresh while it works', async () => {
  const { dir } = freshDbDir();
  const lockPath = lockPathFor(dir);
  const lock = await acquireLock(lockPath, { refreshMs: 20 });
  const old = new Date(Date.now() - 60_000);
  utimesSync(lockPath, old, old);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(Date.now() - statSync(lockPath).mtimeMs < 1_000);
  await lock.release();
  assert.ok(!existsSync(lockPath));
});

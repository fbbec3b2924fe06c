/**
 * Fault 1: the remote vanishes in the middle of a fetch or clone. The run
 * fails with an operational error (exit 3) or is killed; either way the
 * checkout is the old commit, whole, or absent; never half updated. Runs
 * against the missing remote fail the same way and keep the checkout; once
 * the remote is back, the next run reaches its head.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from '../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { dbDirectoryFor } from '../../src/advisories/sync/location.js';
import {
  FD_LOCK,
  assertFindingsAt,
  assertOperationalFailure,
  assertWholeCheckout,
  audit,
  makeOldOnlyRemote,
  recreateRemote,
  remoteAt,
  workspace,
  type Workspace,
} from './support.js';
import type { VanishRequest } from './vanish-child.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vanish-child.js');

interface VanishRun {
  signal: NodeJS.Signals | null;
  /** undefined when the run was killed. */
  result?: { code: number; stdout: string; stderr: string; vanished?: { servers: number } };
}

function runVanishing(request: VanishRequest): Promise<VanishRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(request)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CARGO_HOME: path.join(request.cwd, '.cargo-home') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const limit = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(limit);
      if (signal !== null) resolve({ signal });
      else if (out === '') reject(new Error(`the child printed nothing: ${err}`));
      else resolve({ signal, result: JSON.parse(out) as VanishRun['result'] });
    });
  });
}

/** The audit without --json, so that the CLI draws git's progress (it does so only for a terminal). */
const terminalArgs = (w: Workspace, url: string): string[] => [
  'audit', '--no-yanked', '--stale', '--url', url, '--db', w.dir, '--cache-dir', w.cache, '--file', FD_LOCK,
];

/** A workspace whose checkout is DB_OLD, cloned from a remote that then gains DB_HEAD's objects. */
async function checkoutBehind(): Promise<Workspace> {
  const { remote, catchUp } = makeOldOnlyRemote();
  const w = workspace(remote);
  assertFindingsAt(await audit(w), DB_OLD);
  catchUp();
  return w;
}

test('the remote is deleted while a fetch is counting objects: exit 3, the checkout stays DB_OLD, recovery once it is back', { timeout: 60_000 }, async () => {
  const w = await checkoutBehind();
  const run = await runVanishing({ args: terminalArgs(w, w.remote), cwd: w.cwd, remote: w.remote, how: 'delete', then: 'continue' });
  const result = run.result!;
  assert.ok(result.vanished, `the fault fired; stderr: ${result.stderr}`);
  assert.ok(result.vanished.servers >= 1, 'git upload-pack was still serving when the remote vanished');
  assertOperationalFailure(result, new RegExp(`^error: cannot fetch the advisory database from ${w.remote}: `));
  assertWholeCheckout(w.dir, DB_OLD);
  assert.equal(git(['rev-parse', 'refs/remotes/origin/main'], w.dir), DB_OLD, 'the remote-tracking ref did not move');

  // The remote stays away: each run fails the same way and costs nothing.
  const gone = await audit(w);
  assertOperationalFailure(gone, new RegExp(`^error: cannot fetch the advisory database from ${w.remote}: '${w.remote}' does not appear to be a git repository$`));
  assertWholeCheckout(w.dir, DB_OLD);
  assertFindingsAt(await audit(w, '--no-fetch'), DB_OLD);

  // The cargo-deny face fails with its own operational code.
  const root = path.join(w.root, 'deny-dbs');
  const check = await runCli(
    ['--lockfile-only', '--manifest-path', path.join(path.dirname(FD_LOCK), 'Cargo.toml'), '--db-url', w.remote, '--db-path', root, '--cache-dir', w.cache, 'check', 'advisories'],
    { cwd: w.cwd },
  );
  assert.equal(check.code, 64, check.stderr);
  assert.match(check.stderr, new RegExp(`^error: cannot clone the advisory database from ${w.remote}: `, 'm'));
  assert.ok(!existsSync(dbDirectoryFor(w.remote, root)));

  recreateRemote(w.remote, DB_HEAD);
  assertFindingsAt(await audit(w), DB_HEAD);
  assertWholeCheckout(w.dir, DB_HEAD);
});

test('the remote is renamed away mid-fetch and the tool is killed: DB_OLD intact, the next runs recover', { timeout: 60_000 }, async () => {
  const w = await checkoutBehind();
  const run = await runVanishing({ args: terminalArgs(w, w.remote), cwd: w.cwd, remote: w.remote, how: 'rename', then: 'kill' });
  assert.equal(run.signal, 'SIGKILL');
  // Killed inside `git fetch`: nothing after it ran, and git had received nothing.
  assert.equal(git(['rev-parse', 'HEAD'], w.dir), DB_OLD);
  assert.equal(git(['rev-parse', 'refs/remotes/origin/main'], w.dir), DB_OLD);
  assert.equal(git(['status', '--porcelain', '--ignored', '--untracked-files=all'], w.dir), '');
  assert.equal(git(['fsck', '--no-dangling', '--no-progress'], w.dir), '');
  assert.ok(existsSync(`${w.dir}.lock`), 'the dead run left its lock');

  const gone = await audit(w);
  assertOperationalFailure(gone, /does not appear to be a git repository$/);
  assert.match(gone.stderr, new RegExp(`^warning: removed stale lock ${w.dir}\\.lock: process \\d+ no longer exists$`, 'm'));
  assertWholeCheckout(w.dir, DB_OLD);

  renameSync(`${w.remote}.gone`, w.remote);
  assertFindingsAt(await audit(w), DB_HEAD);
  assertWholeCheckout(w.dir, DB_HEAD);
});

test('the remote is deleted during the first clone (file://, a real transport): exit 3, nothing at the database path', { timeout: 60_000 }, async () => {
  const remote = remoteAt(DB_HEAD);
  const url = `file://${remote}`;
  const w = workspace(url);
  const run = await runVanishing({ args: terminalArgs(w, url), cwd: w.cwd, remote, how: 'delete', then: 'continue' });
  const result = run.result!;
  assert.ok(result.vanished && result.vanished.servers >= 1, `the fault fired during the transfer; stderr: ${result.stderr}`);
  assertOperationalFailure(result, new RegExp(`^error: cannot clone the advisory database from ${url}: `));
  assert.deepEqual(readdirSync(path.dirname(w.dir)), [], 'no checkout, staging directory or lock');

  recreateRemote(remote, DB_HEAD);
  assertFindingsAt(await audit(w), DB_HEAD);
  assertWholeCheckout(w.dir, DB_HEAD);
  assert.equal(git(['rev-parse', '--is-shallow-repository'], w.dir), 'true');
});

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { syncDatabase } from '../../../src/advisories/sync/index.js';
import { isSentinelError, type SentinelError } from '../../../src/errors.js';
import { git } from '../../helpers/git-fixtures.js';
import { DB_HEAD } from '../../helpers/paths.js';
import { BUNDLE, NOW, countAdvisories, freshDbDir, headOf, remoteAt, scratchDir, siblings } from './support.js';

let remote: string;
before(() => {
  remote = remoteAt();
});

const operational = (pattern: RegExp) => (e: unknown) => {
  assert.ok(isSentinelError(e), `expected a SentinelError, got ${String(e)}`);
  assert.equal(e.kind, 'operational');
  assert.match(e.message, pattern);
  assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
  return true;
};

test('first sync from a bare remote path clones main into place', async () => {
  const { dir } = freshDbDir();
  const result = await syncDatabase({ url: remote, dir, fetch: true, now: NOW });
  assert.deepEqual(result, {
    path: dir,
    commit: DB_HEAD,
    commitDate: '2026-08-21T08:28:40+02:00',
    fetched: true,
    cloned: true,
    ageDays: 8,
    stale: false,
  });
  assert.equal(headOf(dir), DB_HEAD);
  assert.equal(countAdvisories(dir), 1205);
  assert.equal(git(['symbolic-ref', 'HEAD'], dir), 'refs/heads/main');
  assert.equal(git(['config', 'remote.origin.url'], dir), remote);
  assert.deepEqual(siblings(dir), ['advisory-db'], 'no lock or staging directory left');
});

test('first sync from a file:// URL makes a shallow clone', async () => {
  const { dir } = freshDbDir();
  const url = `file://${remote}`;
  const result = await syncDatabase({ url, dir, fetch: true, now: NOW });
  assert.equal(result.commit, DB_HEAD);
  assert.equal(countAdvisories(dir), 1205);
  assert.equal(git(['rev-parse', '--is-shallow-repository'], dir), 'true');
  assert.equal(git(['rev-list', '--count', 'HEAD'], dir), '1');
  assert.equal(git(['config', 'remote.origin.url'], dir), url);
});

test('first sync straight from the bundle file, given as a relative path', async () => {
  const { dir } = freshDbDir();
  const stages = new Set<string>();
  const result = await syncDatabase({
    url: path.relative(path.dirname(BUNDLE), BUNDLE),
    cwd: path.dirname(BUNDLE),
    dir,
    fetch: true,
    now: NOW,
    onProgress: (e) => stages.add(e.stage),
  });
  // git reports `updating` (files) only when checkout takes long enough to print it: timing, not behaviour.
  assert.deepEqual([...stages].filter((st) => st !== 'updating').sort(), ['receiving', 'resolving'], "git's progress is passed through");
  assert.equal(result.commit, DB_HEAD);
  assert.equal(result.cloned, true);
  assert.equal(countAdvisories(dir), 1205);
  assert.equal(git(['config', 'remote.origin.url'], dir), BUNDLE);
});

test('an empty directory counts as missing', async () => {
  const { dir } = freshDbDir();
  git(['init', '--quiet', path.join(dir, '..', 'unrelated')]); // a neighbour that must survive
  mkdirSync(dir);
  const result = await syncDatabase({ url: remote, dir, fetch: true, now: NOW });
  assert.equal(result.cloned, true);
  assert.equal(headOf(dir), DB_HEAD);
  assert.deepEqual(siblings(dir), ['advisory-db', 'unrelated']);
});

test('a remote path that does not exist: operational error, nothing left behind', async () => {
  const { root, dir } = freshDbDir();
  await assert.rejects(
    syncDatabase({ url: path.join(root, 'no', 'such', 'remote.git'), dir, fetch: true, now: NOW }),
    operational(/^cannot clone the advisory database from .*remote\.git: repository '.*' does not exist$/),
  );
  assert.deepEqual(readdirSync(root), []);
});

test('an unreachable http remote: operational error, nothing left behind', async () => {
  const { root, dir } = freshDbDir();
  await assert.rejects(
    syncDatabase({ url: 'http://127.0.0.1:1/none.git', dir, fetch: true, now: NOW }),
    operational(/^cannot clone the advisory database from http:\/\/127\.0\.0\.1:1\/none\.git: unable to access .*(connect|Connection refused)/i),
  );
  assert.deepEqual(readdirSync(root), []);
});

test('an unreachable remote does not cost the checkout already there', async () => {
  const { dir } = freshDbDir();
  await syncDatabase({ url: remote, dir, fetch: true, now: NOW });
  git(['remote', 'set-url', 'origin', 'http://127.0.0.1:1/none.git'], dir);
  await assert.rejects(
    syncDatabase({ url: 'http://127.0.0.1:1/none.git', dir, fetch: true, now: NOW }),
    operational(/^cannot fetch the advisory database from http:\/\/127\.0\.0\.1:1\/none\.git: /),
  );
  assert.equal(headOf(dir), DB_HEAD);
  assert.equal(countAdvisories(dir), 1205);
  assert.deepEqual(siblings(dir), ['advisory-db']);
});

test('a remote that is not an advisory database is refused and not kept', async () => {
  const { root, dir } = freshDbDir();
  const other = path.join(scratchDir(), 'other');
  git(['init', '--quiet', '--initial-branch=main', other]);
  git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '--allow-empty', '-m', 'empty'], other);
  await assert.rejects(
    syncDatabase({ url: other, dir, fetch: true, now: NOW }),
    operational(/is not an advisory database: branch main has no crates\/ directory/),
  );
  assert.deepEqual(readdirSync(root), []);
});

test('without git on PATH: an operational error that says git is required', async () => {
  const { root, dir } = freshDbDir();
  await assert.rejects(
    syncDatabase({ url: remote, dir, fetch: true, now: NOW, env: { PATH: path.join(root, 'empty-bin') } }),
    operational(/^git is required to fetch the advisory database but was not found on PATH/),
  );
  assert.deepEqual(readdirSync(root), []);
});

test('GIT_DIR inherited from a git hook cannot redirect the sync into another repository', async () => {
  const { dir } = freshDbDir();
  const victim = path.join(scratchDir(), 'victim');
  git(['init', '--quiet', '--initial-branch=main', victim]);
  git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '--allow-empty', '-m', 'mine'], victim);
  const victimHead = headOf(victim);
  const env = { ...process.env, GIT_DIR: path.join(victim, '.git'), GIT_WORK_TREE: victim };
  await syncDatabase({ url: remote, dir, fetch: true, now: NOW, env });
  await syncDatabase({ url: remote, dir, fetch: true, now: NOW, env });
  assert.equal(headOf(dir), DB_HEAD);
  assert.equal(headOf(victim), victimHead);
  assert.equal(git(['remote'], victim), '');
  assert.ok(statSync(path.join(dir, '.git')).isDirectory());
  assert.ok(!existsSync(path.join(victim, 'crates')));
});

test('an invalid branch name is a config error', async () => {
  const { root, dir } = freshDbDir();
  await assert.rejects(
    syncDatabase({ url: remote, dir, fetch: true, branch: '--upload-pack=x', now: NOW }),
    (e: unknown) => isSentinelError(e) && (e as SentinelError).kind === 'config',
  );
  assert.deepEqual(readdirSync(root), []);
});

test('a remote that accepts the connection and then says nothing: git is stopped after gitTimeoutMs', async () => {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const { root, dir } = freshDbDir();
  try {
    const started = Date.now();
    await assert.rejects(
      syncDatabase({ url: `http://127.0.0.1:${port}/silent.git`, dir, fetch: true, now: NOW, gitTimeoutMs: 500 }),
      operational(/^cannot clone the advisory database from http:\/\/127\.0\.0\.1:\d+\/silent\.git: git printed nothing for 0\.5 s and was stopped$/),
    );
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual(readdirSync(root), []);
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});

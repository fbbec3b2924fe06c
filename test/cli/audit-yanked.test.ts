/**
 * Yanked crates through the audit command, against a local sparse-index
 * server holding real crates.io entries (fixtures/sparse-index).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeRemote, tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { startIndexServer } from '../advisories/yanked/helpers.js';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const dir = tempDir();
const lockfile = path.join(dir, 'Cargo.lock');
writeFileSync(
  lockfile,
  `version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "bitflags",
 "cfg-if",
 "once_cell",
]

[[package]]
name = "bitflags"
version = "2.12.0"
source = "${CRATES_IO}"

[[package]]
name = "cfg-if"
version = "1.0.4"
source = "${CRATES_IO}"

[[package]]
name = "once_cell"
version = "1.20.0"
source = "${CRATES_IO}"
`,
);

const server = await startIndexServer();
after(() => server.close());
const remote = makeRemote();
const db = path.join(tempDir(), 'db');
const argsFor = (indexUrl: string): string[] => [
  'audit', '--json', '--stale', '--url', remote, '--db', db, '--index-url', indexUrl, '--cache-dir', tempDir(), '--file', lockfile,
];
const args = argsFor(server.url);

interface Json {
  warnings: { yanked?: { kind: string; advisory: null; package: { name: string; version: string } }[] };
}

test('yanked versions are warnings (exit 0), exactly the yanked ones', async () => {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  const yanked = (JSON.parse(r.stdout) as Json).warnings.yanked ?? [];
  assert.deepEqual(yanked.map((w) => `${w.package.name} ${w.package.version}`), ['bitflags 2.12.0', 'once_cell 1.20.0']);
  assert.ok(yanked.every((w) => w.kind === 'yanked' && w.advisory === null));
});

test('--deny yanked fails the run', async () => {
  const r = await runCli([...args, '--deny', 'yanked']);
  assert.equal(r.code, 1);
});

test('--no-yanked skips the check: no request reaches the index', async () => {
  const before = server.requests.length;
  const r = await runCli([...args, '--no-yanked']);
  assert.equal(r.code, 0);
  assert.equal((JSON.parse(r.stdout) as Json).warnings.yanked, undefined);
  assert.equal(server.requests.length, before);
});

test('an index that cannot answer is reported, never taken as "not yanked"', async () => {
  const down = await startIndexServer({ routes: { '/on/ce/once_cell': (_req, res) => res.writeHead(503).end() } });
  try {
    const r = await runCli(argsFor(down.url));
    assert.equal(r.code, 0);
    assert.match(r.stderr, /couldn't check if the package is yanked: .*once_cell/);
  } finally {
    await down.close();
  }
});

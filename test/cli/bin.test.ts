/** The real executable, as a user or cargo starts it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/git-fixtures.js';
import { VERSION } from '../../src/cli/version.js';

const bin = path.join(repoRoot, 'bin', 'cargo-sentinel.cjs');

test('--version matches package.json', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
  const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('bad input through the real binary: exit 2, one line, no stack trace', () => {
  const missing = path.join(tempDir(), 'Cargo.lock');
  const r = spawnSync(process.execPath, [bin, 'sentinel', 'audit', '--no-fetch', '--file', missing], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `error: lockfile not found: ${missing}\n`);
  assert.equal(r.stdout, '');
});

/** The real executable, as a user or cargo starts it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, repoRoot } from '../helpers/paths.js';
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

test('a reader that goes away (`| head`) ends the output, not the run: same exit code, no stack trace', () => {
  const args = [bin, '--offline', '--lockfile-only', '--manifest-path', fixture('corpus/nushell/Cargo.toml'), 'check', 'bans', 'licenses', 'sources'];
  const env = { ...process.env, NO_COLOR: '1', CARGO_HOME: path.join(tempDir(), 'cargo-home') };
  const whole = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  assert.ok(Buffer.byteLength(whole.stderr) > 2 * 65536, 'more output than a pipe holds');
  // stderr into a pipe whose reader takes one byte and exits; the shell reports node's own exit status.
  const quoted = [process.execPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} 2>&1 >/dev/null | head -c 1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8', env });
  assert.equal(r.stdout.trim(), `status=${whole.status}`);
  assert.doesNotMatch(r.stderr, /internal error|EPIPE|at .*\.cjs/);
});

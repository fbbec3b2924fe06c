/**
 * Bad input through the real command line: each case gets one clear message
 * naming the file (and line where there is one) and the documented exit code,
 * never a stack trace and never a silent pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/paths.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const db = sharedCheckout();
const offline = ['--no-fetch', '--stale', '--no-yanked', '--db', db];

function lockfileWith(content: string | Buffer): string {
  const dir = tempDir('sentinel-bad-');
  const file = path.join(dir, 'Cargo.lock');
  writeFileSync(file, content);
  return file;
}

const noStack = (text: string): void => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?\n/);

test('missing lockfile: exit 2, names the file', async () => {
  const file = path.join(tempDir(), 'Cargo.lock');
  const r = await runCli(['audit', ...offline, '--file', file]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `error: lockfile not found: ${file}\n`);
  assert.ok(r.stderr.includes(file));
  noStack(r.stderr);
});

test('empty lockfile: exit 2', async () => {
  const file = lockfileWith('');
  const r = await runCli(['audit', ...offline, '--file', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /empty/);
  assert.ok(r.stderr.includes(file));
});

test('truncated lockfile: exit 2 with a line number', async () => {
  const text = readFileSync(fixture('corpus/fd/Cargo.lock'), 'utf8');
  const file = lockfileWith(text.slice(0, text.indexOf('checksum = "', 4000) + 20));
  const r = await runCli(['audit', ...offline, '--file', file]);
  assert.equal(r.code, 2);
  assert.ok(r.stderr.startsWith(`error: ${file}:`), r.stderr);
  assert.match(r.stderr, /Cargo\.lock:\d+(:\d+)?: /);
  noStack(r.stderr);
});

test('binary lockfile: exit 2', async () => {
  const file = lockfileWith(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe]));
  const r = await runCli(['audit', ...offline, '--file', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /binary|not text|UTF-8/i);
});

test('duplicate package: exit 2, names both lines', async () => {
  const file = lockfileWith(`version = 4

[[package]]
name = "a"
version = "1.0.0"

[[package]]
name = "a"
version = "1.0.0"
`);
  const r = await runCli(['audit', ...offline, '--file', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /duplicate/i);
  assert.match(r.stderr, /:7\b/);
  assert.match(r.stderr, /\b3\b/);
});

test('dangling dependency reference: exit 2, names the reference and the line', async () => {
  const file = lockfileWith(`version = 4

[[package]]
name = "a"
version = "1.0.0"
dependencies = [
 "missing-crate",
]
`);
  const r = await runCli(['audit', ...offline, '--file', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing-crate/);
  assert.match(r.stderr, /Cargo\.lock:3\b/);
});

test('unknown lockfile version: exit 2', async () => {
  const file = lockfileWith('version = 5\n\n[[package]]\nname = "a"\nversion = "1.0.0"\n');
  const r = await runCli(['audit', ...offline, '--file', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unsupported lockfile version 5/);
  assert.match(r.stderr, /Cargo\.lock:1\b/);
});

test('malformed audit.toml: exit 2, every problem with its line and column', async () => {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, '.cargo'));
  writeFileSync(
    path.join(cwd, '.cargo', 'audit.toml'),
    '[advisories]\nignroe = ["RUSTSEC-2020-0001"]\nignore = ["not-an-id"]\n\n[output]\nquiet = "yes"\n',
  );
  const r = await runCli(['audit', ...offline, '--file', fixture('corpus/fd/Cargo.lock')], { cwd });
  assert.equal(r.code, 2);
  const config = path.join(cwd, '.cargo', 'audit.toml');
  assert.equal(
    r.stderr,
    `error: ${config}: 3 problems in ${config}\n` +
      `  ${config}:2:1: unknown key \`advisories.ignroe\`\n` +
      `  ${config}:3:11: \`advisories.ignore[0]\`: expected an advisory id such as RUSTSEC-2023-0071, CVE-2023-1234 or GHSA-xxxx-xxxx-xxxx\n` +
      `  ${config}:6:1: \`output.quiet\`: expected boolean\n`,
  );
});

test('audit.toml with a TOML syntax error: exit 2 with line and column', async () => {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, '.cargo'));
  writeFileSync(path.join(cwd, '.cargo', 'audit.toml'), '[advisories]\nignore = [\n');
  const r = await runCli(['audit', ...offline, '--file', fixture('corpus/fd/Cargo.lock')], { cwd });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /audit\.toml:3:1: invalid TOML/);
});

test('unreachable remote: exit 3 (operational), no half database left', async () => {
  const dir = path.join(tempDir(), 'db');
  const r = await runCli(['audit', '--no-yanked', '--url', path.join(tempDir(), 'nothing-here.git'), '--db', dir, '--file', fixture('corpus/fd/Cargo.lock')]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^error: /m);
  noStack(r.stderr);
});

test('ext:: URL is refused before git runs: exit 2', async () => {
  const dir = path.join(tempDir(), 'db');
  const marker = path.join(tempDir(), 'pwned');
  const r = await runCli(['audit', '--no-yanked', '--url', `ext::sh -c touch% ${marker}`, '--db', dir, '--file', fixture('corpus/fd/Cargo.lock')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ext::/);
  assert.throws(() => readFileSync(marker));
});

test('unknown flag and bad flag values: exit 2', async () => {
  assert.equal((await runCli(['audit', '--frobnicate'])).code, 2);
  const r = await runCli(['audit', ...offline, '--deny', 'everything', '--file', fixture('corpus/fd/Cargo.lock')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid value 'everything' for --deny/);
  const r2 = await runCli(['audit', ...offline, '--ignore', 'RUSTSEC-nope', '--file', fixture('corpus/fd/Cargo.lock')]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /invalid value 'RUSTSEC-nope' for --ignore/);
});

test('stale database without --stale: exit 3 naming the age', async () => {
  const r = await runCli(['audit', '--no-fetch', '--no-yanked', '--db', db, '--file', fixture('corpus/fd/Cargo.lock')], {
    now: new Date('2026-12-01T00:00:00Z'),
  });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /stale/);
  assert.match(r.stderr, /--stale/);
});

/**
 * The cargo-deny face end to end: real workspaces (recorded cargo metadata),
 * real corpus deny.toml files, exact diagnostics, exit bits and bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { materializedMetadata } from '../workspace/metadata/fixtures.js';

const ledger = fixture('workspaces', 'ledger');
const ledgerMetadata = materializedMetadata('ledger');
const policyDir = tempDir('sentinel-policy-');

function denyToml(text: string): string {
  const file = path.join(policyDir, `deny-${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(file, text);
  return file;
}

const STRICT = denyToml(`[licenses]
allow = ["MIT", "Apache-2.0"]

[bans]
multiple-versions = "deny"
deny = [{ crate = "openssl", wrappers = ["ledger-store"], reason = "we use rustls" }]

[sources]
unknown-git = "deny"
`);

interface JsonLine {
  type: string;
  fields: {
    severity?: string;
    code?: string;
    message?: string;
    labels?: { line: number; span: string; message: string }[];
    graphs?: unknown[];
    [k: string]: unknown;
  };
}

const jsonLines = (stderr: string): JsonLine[] => stderr.trim().split('\n').map((l) => JSON.parse(l) as JsonLine);
const brief = (lines: JsonLine[]): string[] =>
  lines.filter((l) => l.type === 'diagnostic').map((l) => `${l.fields.severity} ${l.fields.code} ${(l.fields.labels ?? []).map((x) => x.line).join(',')}`);

test('ledger under a strict policy: exact diagnostics, lines in the real files, exit bits bans|licenses|sources', async () => {
  const r = await runCli(['-f', 'json', '--metadata-path', ledgerMetadata, '--config', STRICT, 'check', 'bans', 'licenses', 'sources'], { cwd: ledger });
  assert.equal(r.code, 2 | 4 | 8);
  const lines = jsonLines(r.stderr);
  assert.deepEqual(brief(lines), [
    'error rejected 5,26,2',
    'warning no-license-field 1',
    'error unlicensed 1',
    'warning unmatched-wrapper 373,274,6',
    'error banned 373,6',
    'warning unused-wrapper 6',
    'error duplicate 572,581',
    'warning source-not-allowed 5',
    'error source-not-allowed 265',
  ]);
  const banned = lines.find((l) => l.fields.code === 'banned')!;
  assert.equal(banned.fields.message, "crate 'openssl = 0.10.45' is explicitly banned");
  assert.deepEqual(banned.fields.labels!.map((l) => [l.span, l.message]), [['[[package]]', 'banned crate'], ['crate', 'we use rustls']]);
  // The real Cargo.lock line of openssl's [[package]] entry.
  const lock = readFileSync(path.join(ledger, 'Cargo.lock'), 'utf8').split('\n');
  assert.equal(lock[373], 'name = "openssl"');
  assert.deepEqual(banned.fields.graphs, [{ Krate: { name: 'openssl', version: '0.10.45' }, parents: [{ Krate: { name: 'ledger-server', version: '0.3.0' } }] }]);
  assert.deepEqual(lines.at(-1), {
    type: 'summary',
    fields: {
      bans: { errors: 2, warnings: 2, notes: 0, helps: 0 },
      licenses: { errors: 2, warnings: 1, notes: 0, helps: 83 },
      sources: { errors: 1, warnings: 1, notes: 0, helps: 0 },
    },
  });
});

test('human format: rustc-style diagnostics on stderr, the one-line summary on stdout', async () => {
  const r = await runCli(['--metadata-path', ledgerMetadata, '--config', STRICT, 'check', 'bans', 'licenses', 'sources'], { cwd: ledger, env: { NO_COLOR: '1' } });
  assert.equal(r.stdout, 'bans FAILED, licenses FAILED, sources FAILED\n');
  assert.ok(
    r.stderr.includes(
      [
        "error[banned]: crate 'openssl = 0.10.45' is explicitly banned",
        '   --> Cargo.lock:373:1',
        '    |',
        '373 | [[package]]',
        '    | ^^^^^^^^^^^ banned crate',
        '374 | name = "openssl"',
        '375 | version = "0.10.45"',
      ].join('\n'),
    ),
    r.stderr,
  );
  assert.match(r.stderr, /= openssl v0\.10\.45\n {6}└── ledger-server v0\.3\.0\n/);
});

test('-A / -D overrides: a code lowered to a note, warnings raised to errors', async () => {
  const allowed = await runCli(['-f', 'json', '--metadata-path', ledgerMetadata, '--config', STRICT, 'check', 'bans', '-A', 'duplicate', '-A', 'banned'], { cwd: ledger });
  assert.equal(allowed.code, 0);
  const denied = await runCli(['-f', 'json', '--metadata-path', ledgerMetadata, '--config', STRICT, 'check', 'sources', '-D', 'warnings'], { cwd: ledger });
  assert.equal(denied.code, 8);
  assert.deepEqual(brief(jsonLines(denied.stderr)), ['error source-not-allowed 5', 'error source-not-allowed 265']);
  const twice = await runCli(['--metadata-path', ledgerMetadata, '--config', STRICT, 'check', '-A', 'duplicate', '-D', 'duplicate'], { cwd: ledger });
  assert.equal(twice.code, 32);
});

test("a cargo-deny command line works unchanged: global flags before the subcommand, -L debug shows help", async () => {
  const r = await runCli(
    ['-L', 'debug', '-f', 'json', '--manifest-path', path.join(ledger, 'Cargo.toml'), '--metadata-path', ledgerMetadata, '--config', STRICT, 'check', 'licenses'],
    { cwd: tempDir() },
  );
  assert.equal(r.code, 4);
  const accepted = jsonLines(r.stderr).filter((l) => l.fields.code === 'accepted');
  assert.equal(accepted.length, 83);
  assert.ok(accepted.every((l) => l.fields.severity === 'help'));
});

test('the build check: a build script and a proc-macro outside the allow-lists', async () => {
  const confgen = fixture('workspaces', 'confgen');
  const deny = denyToml('[bans.build]\nallow-build-scripts = ["proc-macro2", "quote", "syn"]\nallow-proc-macros = ["clap_derive", "proc-macro-error-attr"]\n');
  const r = await runCli(['-f', 'json', '--metadata-path', materializedMetadata('confgen'), '--config', deny, 'check', 'build'], { cwd: confgen });
  assert.equal(r.code, 16);
  const errors = jsonLines(r.stderr).filter((l) => l.fields.severity === 'error').map((l) => l.fields.message);
  assert.ok(errors.includes("crate 'confgen-derive = 1.0.0-rc.1' is a proc-macro but is not allowed to be one"), errors.join('\n'));
  assert.ok(errors.some((m) => /^crate 'typenum = 1\.16\.0' has a build script but is not allowed to have one/.test(m!)), errors.join('\n'));
});

// Crates reached only through members' dev-dependencies (or pruned by [graph] targets) are out of
// the licenses check's scope (include-dev = false), so fewer are unknown than the lockfile holds.
for (const [project, config, unknownLicenses] of [
  ['cargo-deny', 'deny.toml', 167],
  ['wasmtime', 'deny.toml', 369],
  ['uv', 'crates/uv-build/deny.toml', 653],
] as const) {
  test(`corpus ${project}: its own deny.toml checked against its lockfile in lockfile-only mode`, async () => {
    const dir = fixture('corpus', project);
    const r = await runCli(
      ['-f', 'json', '--lockfile-only', '--manifest-path', path.join(dir, 'Cargo.toml'), '--config', path.join(dir, config), 'check', 'bans', 'licenses', 'sources'],
      { cwd: tempDir() },
    );
    const lines = jsonLines(r.stderr);
    const unknown = lines.find((l) => l.fields.code === 'license-unknown');
    // What the lockfile cannot say is reported as unknown, not guessed.
    assert.equal(unknown?.fields.message, `licenses unknown for ${unknownLicenses} crates whose sources are not in the cargo cache`);
    assert.equal(unknown?.fields.severity, 'warning');
    // No registry crate is judged without its manifest: every rejected or unlicensed crate is a local one.
    const lock = readFileSync(path.join(dir, 'Cargo.lock'), 'utf8');
    for (const l of lines.filter((x) => x.fields.code === 'rejected' || x.fields.code === 'unlicensed')) {
      assert.ok(!(l.fields.labels ?? []).some((label) => lock.split('\n')[label.line] === undefined), 'labels point into real files');
    }
    assert.ok(r.code < 32, `exit ${r.code}: ${r.stderr.slice(0, 500)}`);
  });
}

test('cargo-deny-2021: the removed keys are errors with their lines, exit 32', async () => {
  const dir = fixture('corpus', 'cargo-deny-2021');
  const r = await runCli(['--lockfile-only', '--manifest-path', path.join(dir, 'Cargo.toml'), '--config', path.join(dir, 'deny.toml'), 'check'], { cwd: tempDir() });
  assert.equal(r.code, 32);
  const problems = r.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.replace(/^.*deny\.toml:/, ''));
  assert.deepEqual(
    problems.map((p) => /^(\d+:\d+): (`[a-z.-]+`)/.exec(p)!.slice(1).join(' ')),
    ['10:1 `advisories.vulnerability`', '11:1 `advisories.unmaintained`', '12:1 `advisories.notice`', '13:1 `advisories.unsound`', '46:1 `licenses.unlicensed`', '47:1 `licenses.allow-osi-fsf-free`', '48:1 `licenses.copyleft`'],
  );
  assert.match(r.stderr, /10:1: `advisories\.vulnerability` has been removed: vulnerabilities are always errors/);
});

test('bad input: each a clear message with file, line and column, exit 32, nothing checked', async () => {
  const cases: [string, string[], RegExp][] = [
    ['malformed TOML', ['--config', denyToml('[bans\nx = 1\n')], /deny-[a-z0-9]+\.toml:1:\d+: invalid TOML/],
    ['wrong type', ['--config', denyToml('[bans]\nmultiple-versions = 3\n')], /deny-[a-z0-9]+\.toml:2:1: `bans\.multiple-versions`: expected one of "allow", "warn", "deny"/],
    ['unknown key', ['--config', denyToml('[licenses]\nallow = []\nalow = []\n')], /deny-[a-z0-9]+\.toml:3:1: unknown key `licenses\.alow`/],
    ['invalid SPDX in allow', ['--config', denyToml('[licenses]\nallow = ["MIT", "Apache 2.0"]\n')], /deny-[a-z0-9]+\.toml:2:17: `licenses\.allow\[1\]`: invalid licensee "Apache 2\.0"/],
    ['bad package spec', ['--config', denyToml('[bans]\ndeny = ["openssl@x.y"]\n')], /deny-[a-z0-9]+\.toml:2:9: `bans\.deny\[0\]`: invalid version "x\.y" in package spec "openssl@x\.y"/],
    ['unknown check', ['--config', STRICT, 'check', 'everything'], /unknown check 'everything'/],
  ];
  for (const [name, args, message] of cases) {
    const full = args.includes('check') ? args : [...args, 'check', 'bans', 'licenses'];
    const r = await runCli(['--metadata-path', ledgerMetadata, ...full], { cwd: ledger });
    assert.equal(r.code, 32, `${name}: ${r.stderr}`);
    assert.match(r.stderr, message, name);
    assert.equal(r.stdout, '', `${name}: nothing checked`);
  }
});

test('paths that must stay inside a crate: absolute or with `..`, each a config error at its place, exit 32, nothing checked', async () => {
  const policy = denyToml(`[licenses]
allow = ["MIT", "Apache-2.0"]

[[licenses.clarify]]
crate = "ring"
expression = "MIT AND ISC AND OpenSSL"
license-files = [{ path = "/etc/passwd", hash = 0xbd0eed23 }, { path = "LICENSE", hash = 0xbd0eed23 }, { path = "a/../../x", hash = 0 }]

[[bans.build.bypass]]
crate = "ring"
allow = [{ path = "../x" }]
`);
  const r = await runCli(['--metadata-path', ledgerMetadata, '--config', policy, 'check'], { cwd: ledger });
  assert.equal(r.code, 32, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    [
      `error: ${policy}: 3 problems in ${policy}`,
      `  ${policy}:7:20: \`licenses.clarify[0].license-files[0].path\`: "/etc/passwd" is absolute; give a path relative to the crate's root`,
      `  ${policy}:7:106: \`licenses.clarify[0].license-files[2].path\`: "a/../../x" has a \`..\` component; give a path relative to the crate's root, without \`..\``,
      `  ${policy}:11:12: \`bans.build.bypass[0].allow[0].path\`: "../x" has a \`..\` component; give a path relative to the crate's root, without \`..\``,
      '',
    ].join('\n'),
  );
});

test('a --metadata-path file that is not cargo metadata: exit 32', async () => {
  const notMetadata = path.join(tempDir(), 'metadata.json');
  writeFileSync(notMetadata, '{"name": "x"}\n');
  const r = await runCli(['--metadata-path', notMetadata, '--config', STRICT, 'check', 'bans'], { cwd: ledger });
  assert.equal(r.code, 32);
  assert.match(r.stderr, /metadata\.json/);
  assert.match(r.stderr, /packages/);
});

test('init writes a template that loads, and refuses to overwrite', async () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'sub'));
  const first = await runCli(['init'], { cwd: dir });
  assert.equal(first.code, 0);
  assert.ok(existsSync(path.join(dir, 'deny.toml')));
  const again = await runCli(['init'], { cwd: dir });
  assert.equal(again.code, 32);
  assert.match(again.stderr, /already exists/);
  const r = await runCli(['--metadata-path', ledgerMetadata, '--config', path.join(dir, 'deny.toml'), 'check', 'bans', 'sources'], { cwd: ledger });
  assert.ok(r.code < 32, r.stderr);
});

test('list: licenses in use by license, from recorded metadata', async () => {
  // --workspace: every member is a root (confgen's manifest is itself a package, so without it only confgen is).
  const r = await runCli(['--workspace', '--metadata-path', materializedMetadata('confgen'), 'list', '--format', 'json'], { cwd: fixture('workspaces', 'confgen') });
  assert.equal(r.code, 0);
  const listing = JSON.parse(r.stdout) as { licenses: [string, string[]][]; unlicensed: string[] };
  assert.ok(listing.licenses.some(([id, crates]) => id === 'CC0-1.0' && crates.some((c) => c.startsWith('tiny-keccak 2.0.2'))));
  assert.ok(listing.unlicensed.some((c) => c.startsWith('xtask')), JSON.stringify(listing.unlicensed));
});

test('lints read but not run yet are not a silent pass: a warning at each configured key, nothing else changes', async () => {
  const withLints = denyToml(`[bans]
multiple-versions = "allow"

[bans.workspace-dependencies]
duplicates = "deny"

[bans.std-replacements]
level = "deny"
`);
  const r = await runCli(['-f', 'json', '--metadata-path', ledgerMetadata, '--config', withLints, 'check', 'bans'], { cwd: ledger });
  const warnings = jsonLines(r.stderr).filter((l) => l.type === 'diagnostic' && l.fields.code === 'config-warning');
  assert.deepEqual(
    warnings.map((l) => [l.fields.message, (l.fields.labels ?? []).map((x) => x.line)]),
    [
      ['`bans.workspace-dependencies` is not checked by cargo-sentinel yet: its findings (workspace-duplicate and unused-workspace-dependency) are not reported', [4]],
      ['`bans.std-replacements` is not checked by cargo-sentinel yet: its findings (replaced-in-std) are not reported', [7]],
    ],
  );
  // Without the two tables, the same run has neither warning and the same exit code.
  const without = await runCli(['-f', 'json', '--metadata-path', ledgerMetadata, '--config', denyToml('[bans]\nmultiple-versions = "allow"\n'), 'check', 'bans'], { cwd: ledger });
  assert.equal(jsonLines(without.stderr).filter((l) => l.fields.code === 'config-warning').length, 0);
  assert.equal(r.code, without.code);
});

/**
 * The audit face's behaviour beyond the corpus findings: ignores (ids,
 * aliases, reasons, expiry), --deny, severity thresholds, the terminal and
 * SARIF layouts, and running as a cargo subcommand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/paths.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const db = sharedCheckout();
const cacheDir = tempDir('sentinel-cache-');
const offline = ['--no-fetch', '--stale', '--no-yanked', '--db', db, '--cache-dir', cacheDir];
const lock = (project: string): string => fixture('corpus', project, 'Cargo.lock');

function cwdWithAuditToml(toml: string): string {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, '.cargo'));
  writeFileSync(path.join(cwd, '.cargo', 'audit.toml'), toml);
  return cwd;
}

const json = (stdout: string) => JSON.parse(stdout) as {
  vulnerabilities: { count: number; list: { advisory: { id: string } }[] };
  warnings: Record<string, unknown[]>;
  settings: Record<string, unknown>;
};

test('rustup is vulnerable to RUSTSEC-2026-0258 (h2): exit 1', async () => {
  const r = await runCli(['audit', ...offline, '--json', '--file', lock('rustup')]);
  assert.equal(r.code, 1);
  assert.deepEqual(json(r.stdout).vulnerabilities.list.map((v) => v.advisory.id), ['RUSTSEC-2026-0258']);
});

test('--ignore by RUSTSEC id and by GHSA alias both silence it: exit 0', async () => {
  for (const id of ['RUSTSEC-2026-0258', 'GHSA-q83h-524g-xf6h']) {
    const r = await runCli(['audit', ...offline, '--json', '--ignore', id, '--file', lock('rustup')]);
    assert.equal(r.code, 0, id);
    assert.equal(json(r.stdout).vulnerabilities.count, 0);
    assert.deepEqual(json(r.stdout).settings.ignore, [id]);
  }
});

test('an ignore with a future expiry holds; after it, the advisory is back with a note', async () => {
  const cwd = cwdWithAuditToml(
    '[advisories]\nignore = [{ id = "GHSA-q83h-524g-xf6h", reason = "h2 only talks to our own proxy", expires = 2026-10-01 }]\n',
  );
  const before = await runCli(['audit', ...offline, '--file', lock('rustup')], { cwd, now: new Date('2026-10-01T12:00:00Z') });
  assert.equal(before.code, 0);
  const after = await runCli(['audit', ...offline, '--file', lock('rustup')], { cwd, now: new Date('2026-10-02T00:00:00Z') });
  assert.equal(after.code, 1);
  const config = path.join(cwd, '.cargo', 'audit.toml');
  assert.match(after.stdout, new RegExp(`Note:      the ignore of GHSA-q83h-524g-xf6h in ${config.replace(/[.]/g, '\\.')} expired on 2026-10-01 \\(reason: h2 only talks to our own proxy\\)`));
  assert.match(after.stderr, /expired on 2026-10-01: RUSTSEC-2026-0258 is reported again/);
});

test("bat's own audit.toml: its ignore applies, the unused one is pointed out", async () => {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, '.cargo'));
  writeFileSync(path.join(cwd, '.cargo', 'audit.toml'), readFileSync(fixture('corpus/bat/.cargo/audit.toml')));
  const r = await runCli(['audit', ...offline, '--json', '--file', lock('bat')], { cwd });
  assert.equal(r.code, 0);
  const warnings = json(r.stdout).warnings as Record<string, { advisory: { id: string } }[]>;
  assert.deepEqual(warnings.unmaintained!.map((w) => w.advisory.id), ['RUSTSEC-2025-0141', 'RUSTSEC-2026-0173']);
  assert.match(r.stderr, /ignored advisory RUSTSEC-2024-0421 .* matched no package/);
});

test('--deny warnings and --deny unmaintained fail on bat; unsound alone does not', async () => {
  assert.equal((await runCli(['audit', ...offline, '--file', lock('bat')])).code, 0);
  assert.equal((await runCli(['audit', ...offline, '-D', 'warnings', '--file', lock('bat')])).code, 1);
  assert.equal((await runCli(['audit', ...offline, '--deny', 'unmaintained', '--file', lock('bat')])).code, 1);
  assert.equal((await runCli(['audit', ...offline, '--deny', 'unsound', '--file', lock('bat')])).code, 0);
  const denied = await runCli(['audit', ...offline, '-D', 'warnings', '--file', lock('bat')]);
  assert.match(denied.stderr, /error: 3 denied warnings found!/);
});

test('severity_threshold = "critical" drops every advisory whose CVSS is below it, keeps those without CVSS', async () => {
  const cwd = cwdWithAuditToml('[advisories]\nseverity_threshold = "critical"\n');
  const all = json((await runCli(['audit', ...offline, '--json', '--file', lock('tauri')])).stdout);
  const critical = json((await runCli(['audit', ...offline, '--json', '--file', lock('tauri')], { cwd })).stdout);
  assert.equal(all.vulnerabilities.count, 30);
  // tauri's 10 vulnerabilities with a CVSS vector (3.1 and 4.0) are all below critical.
  assert.equal(critical.vulnerabilities.count, 20);
  assert.equal(critical.settings.severity, 'critical');
});

test('terminal output matches cargo-audit layout (golden, rustup)', async () => {
  const r = await runCli(['audit', ...offline, '--file', lock('rustup')], { env: { NO_COLOR: '1' } });
  const golden = readFileSync(fixture('golden/audit-rustup.txt'), 'utf8').replaceAll('<DB>', db);
  assert.equal(r.stdout, golden);
  assert.match(r.stderr, /^error: 1 vulnerability found!$/m);
});

test('-q hides status lines and trees; --color always colours', async () => {
  const quiet = await runCli(['audit', ...offline, '-q', '--file', lock('rustup')]);
  assert.doesNotMatch(quiet.stdout, /Loaded|Dependency tree/);
  assert.match(quiet.stdout, /^ID:        RUSTSEC-2026-0258$/m);
  const colour = await runCli(['audit', ...offline, '--color', 'always', '--file', lock('rustup')]);
  assert.match(colour.stdout, /\u001b\[/);
  const noColour = await runCli(['audit', ...offline, '--file', lock('rustup')], { tty: true, env: { NO_COLOR: '1' } });
  assert.doesNotMatch(noColour.stdout, /\u001b\[/);
});

test('SARIF points at the real Cargo.lock line and still exits 1', async () => {
  const r = await runCli(['audit', ...offline, '--format', 'sarif', '--file', lock('rustup')]);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout);
  const result = sarif.runs[0].results[0];
  assert.equal(result.ruleId, 'RUSTSEC-2026-0258');
  const lines = readFileSync(lock('rustup'), 'utf8').split('\n');
  const line = result.locations[0].physicalLocation.region.startLine;
  assert.equal(lines[line - 1], '[[package]]');
  assert.equal(lines[line], 'name = "h2"');
  assert.equal(result.partialFingerprints['cargo-sentinel/advisory/v1'], 'RUSTSEC-2026-0258:h2:0.4.15');
});

test('runs as `cargo sentinel audit` (cargo passes "sentinel" first)', async () => {
  const r = await runCli(['sentinel', 'audit', ...offline, '--json', '--file', lock('fd')]);
  assert.equal(r.code, 1);
  assert.deepEqual(json(r.stdout).vulnerabilities.list.map((v) => v.advisory.id), ['RUSTSEC-2026-0204']);
});

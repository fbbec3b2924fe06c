/** The audit report model of two real projects, counted exactly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildReportModel, reportDate, SEVERITY_BUCKETS, type AuditReportModel } from '../../../src/report/audit-report/index.js';
import { isSentinelError } from '../../../src/errors.js';
import { DB_HEAD } from '../../helpers/paths.js';
import { ledgerDir, REPORT_DATE, reportModelOf } from './setup.js';

// One after the other: both clone the database into the same directory.
const ledger = reportModelOf('ledger');
const nushell = ledger.then(() => reportModelOf('nushell'));

const names = (crates: ReadonlyArray<{ name: string; version: string }>): string[] => crates.map((c) => `${c.name} ${c.version}`);

function assertConsistent(m: AuditReportModel): void {
  const inv = m.inventory;
  const s = inv.bySource;
  assert.equal(s.cratesIo + s.otherRegistries + s.git + s.path, inv.total, 'every package has one source kind');
  assert.equal(inv.workspaceMembers + inv.direct + inv.transitive, inv.total, 'every package is a member, direct or transitive');
  assert.equal(SEVERITY_BUCKETS.reduce((n, b) => n + m.advisories.counts[b], 0), m.advisories.open);
  assert.equal(m.advisories.findings.length, m.advisories.open + m.advisories.ignored);
}

test('ledger (recorded cargo metadata): inventory by source and reach, the semver duplicate', async () => {
  const { model: m } = await ledger;
  assert.equal(m.project.name, 'ledger', 'a virtual workspace is named after its directory');
  assert.deepEqual(names(m.project.members), ['ledger-core 0.3.0', 'ledger-server 0.3.0', 'ledger-store 0.3.0']);
  assert.equal(m.project.graphOrigin, 'metadata-file');
  assert.equal(m.project.manifestsMissing, 0);
  assert.equal(m.generatedAt, '2026-09-01T00:00:00Z');
  assert.equal(m.policyFile, 'deny.toml');
  const inv = m.inventory;
  assert.equal(inv.total, 98);
  assert.deepEqual(inv.bySource, { cratesIo: 93, otherRegistries: 1, git: 1, path: 3 });
  assert.deepEqual(inv.otherRegistries, [{ url: 'sparse+https://cargo.acme.example/index/', packages: 1 }]);
  assert.deepEqual(inv.gitRepositories, [{ url: 'https://git.example.com/acme/ledger-proto.git', packages: 1 }]);
  assert.deepEqual([inv.workspaceMembers, inv.direct, inv.transitive], [3, 19, 76]);
  assert.deepEqual(inv.duplicates, [{ name: 'semver', versions: ['0.9.0', '1.0.14'] }]);
  assertConsistent(m);
});

test('ledger: the sources agree with Cargo.lock itself', async () => {
  const { model: m } = await ledger;
  const lock = readFileSync(path.join(ledgerDir, 'Cargo.lock'), 'utf8');
  const count = (re: RegExp): number => lock.match(re)?.length ?? 0;
  assert.equal(count(/^\[\[package\]\]$/gm), m.inventory.total);
  assert.equal(count(/^source = "registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index"$/gm), m.inventory.bySource.cratesIo);
  assert.equal(count(/^source = "git\+/gm), m.inventory.bySource.git);
  assert.equal(count(/^source = "sparse\+/gm), m.inventory.bySource.otherRegistries);
});

test('ledger: advisories by severity, ignored and expired ignores, fixes', async () => {
  const { model: m } = await ledger;
  const a = m.advisories;
  assert.equal(a.checked, true);
  assert.deepEqual(a.counts, { critical: 0, high: 0, medium: 0, low: 0, none: 10, informational: 5 });
  assert.deepEqual([a.open, a.ignored], [15, 2]);
  // The ignore that expired on 2026-03-01 no longer applies: ansi_term is open again.
  const ansi = a.findings.find((f) => f.id === 'RUSTSEC-2021-0139')!;
  assert.deepEqual([ansi.package.name, ansi.kind, ansi.severity, ansi.ignored], ['ansi_term', 'unmaintained', 'informational', false]);
  assert.equal(ansi.solution, 'No fixed upgrade is available!');
  assert.deepEqual(
    a.findings.filter((f) => f.ignored).map((f) => `${f.id} ${f.package.name}`),
    ['RUSTSEC-2023-0018 remove_dir_all', 'RUSTSEC-2024-0375 atty'],
  );
  const openssl = a.findings.filter((f) => f.package.name === 'openssl' && f.kind === 'vulnerability');
  assert.equal(openssl.length, 7);
  const x509 = a.findings.find((f) => f.id === 'RUSTSEC-2023-0022')!;
  assert.equal(x509.solution, 'Upgrade to >=0.10.48 (patched)');
  assert.equal(x509.url, 'https://rustsec.org/advisories/RUSTSEC-2023-0022');
  assert.deepEqual(x509.aliases, ['GHSA-3gxf-9r58-2ghg']);
  assert.equal(x509.cvss, null);
  // Most severe first; within a bucket the ignored ones last.
  const ranks = a.findings.map((f) => SEVERITY_BUCKETS.indexOf(f.severity) * 2 + (f.ignored ? 1 : 0));
  assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y));
  assert.deepEqual(a.yanked, []);
});

test('ledger: licenses per id, the unlicensed member, build-time code', async () => {
  const { model: m } = await ledger;
  assert.deepEqual(m.licenses.byLicense, [
    { license: 'MIT', crates: 92 },
    { license: 'Apache-2.0', crates: 71 },
    { license: 'Unlicense', crates: 5 },
    { license: 'BSL-1.0', crates: 1 },
    { license: 'LicenseRef-Acme-Proprietary', crates: 1 },
  ]);
  assert.deepEqual(names(m.licenses.unlicensed), ['ledger-server 0.3.0']);
  assert.deepEqual([m.licenses.licenseFileOnly, m.licenses.unparsable, m.licenses.unknown], [[], [], 0]);
  const b = m.buildTimeCode;
  assert.equal(b.buildScripts.length, 28);
  assert.deepEqual(
    b.buildScripts.filter((s) => s.links !== null).map((s) => `${s.name} ${s.links}`),
    ['libsqlite3-sys sqlite3', 'openssl-sys openssl', 'rayon-core rayon-core'],
  );
  assert.ok(b.buildScripts.some((s) => s.name === 'ledger-proto'), 'the git crate has a build script');
  assert.deepEqual(
    b.procMacros.map((p) => p.name),
    ['clap_derive', 'openssl-macros', 'proc-macro-error-attr', 'serde_derive', 'thiserror-impl', 'tokio-macros', 'tracing-attributes'],
  );
  assert.equal(b.unknown, 0);
  assert.equal(b.crates, 33, 'serde_derive and proc-macro-error-attr are proc-macros with build scripts');
});

test('ledger: policy exceptions with reasons and expiry; failing checks summarised per check', async () => {
  const { model: m } = await ledger;
  const e = m.exceptions;
  assert.deepEqual(e.advisoryIgnores, [
    { id: 'RUSTSEC-2023-0018', reason: 'remove_dir_all is only used by tests', expires: '2027-01-31', expired: false },
    { id: 'RUSTSEC-2021-0139', reason: 'ansi_term only colours log output', expires: '2026-03-01', expired: true },
    { id: 'RUSTSEC-2024-0375', reason: null, expires: null, expired: false },
  ]);
  assert.deepEqual(e.bansSkip, [{ crate: 'semver@0.9.0', reason: 'ledger-proto pins semver 0.9' }]);
  assert.deepEqual(e.bansSkipTree, [
    { crate: 'ledger-proto', reason: 'vendored protocol crate', depth: 1 },
    { crate: 'tempfile', reason: null, depth: null },
  ]);
  assert.deepEqual(e.licenseExceptions, [{ crate: 'acme-metrics', allow: ['LicenseRef-Acme-Proprietary'], reason: 'internal crate under the company licence' }]);
  assert.deepEqual(e.licenseClarifications, [{ crate: 'ledger-server', expression: 'MIT', reason: 'unpublished member; the workspace licence applies' }]);
  assert.equal(e.yankedIgnores.length, 0);
  assert.equal(e.total, 8);

  const byCheck = Object.fromEntries(m.checks.map((c) => [c.check, c]));
  assert.deepEqual(Object.keys(byCheck), ['advisories', 'bans', 'licenses', 'sources', 'build']);
  assert.deepEqual(byCheck.advisories, {
    check: 'advisories',
    verdict: 'failed',
    errors: 15,
    warnings: 1,
    notes: 4,
    codes: [
      { code: 'vulnerability', severity: 'error', count: 10 },
      { code: 'unsound', severity: 'error', count: 3 },
      { code: 'unmaintained', severity: 'error', count: 2 },
      { code: 'ignore-expired', severity: 'warning', count: 1 },
    ],
  });
  assert.equal(byCheck.bans!.verdict, 'ok', 'the semver duplicate is skipped');
  assert.equal(byCheck.build!.verdict, 'off', 'no [bans.build] table');
});

test('ledger: the database snapshot', async () => {
  const { model: m } = await ledger;
  assert.deepEqual(m.databases, [{ commit: DB_HEAD, commitDate: '2026-08-21T08:28:40+02:00', ageDays: 10, advisoryCount: 1225 }]);
});

test('nushell (--lockfile-only): what the lockfile says is counted, the rest is unknown', async () => {
  const { model: m } = await nushell;
  assert.equal(m.project.name, 'nu', 'named after the root manifest’s package');
  assert.equal(m.project.graphOrigin, 'lockfile');
  assert.equal(m.project.manifestsMissing, 803);
  const inv = m.inventory;
  assert.equal(inv.total, 836);
  assert.deepEqual(inv.bySource, { cratesIo: 802, otherRegistries: 0, git: 1, path: 33 });
  assert.deepEqual(inv.gitRepositories, [{ url: 'https://github.com/nushell/reedline', packages: 1 }]);
  assert.deepEqual([inv.workspaceMembers, inv.direct, inv.transitive], [33, 184, 619]);
  assert.equal(inv.duplicates.length, 63);
  assert.deepEqual(inv.duplicates.find((d) => d.name === 'windows-sys')?.versions, ['0.45.0', '0.48.0', '0.52.0', '0.59.0', '0.60.2', '0.61.2']);
  assert.deepEqual(inv.duplicates.find((d) => d.name === 'notify')?.versions, ['8.2.0', '9.0.0-rc.4'], 'pre-releases sort before releases');
  assert.equal(inv.duplicates.reduce((n, d) => n + d.versions.length, 0), 155);
  assertConsistent(m);
});

test('nushell: advisories by severity from the real advisory-db', async () => {
  const { model: m } = await nushell;
  assert.deepEqual(m.advisories.counts, { critical: 0, high: 2, medium: 0, low: 0, none: 1, informational: 5 });
  assert.deepEqual(
    m.advisories.findings.map((f) => `${f.severity} ${f.id} ${f.package.name} ${f.package.version}`),
    [
      'high RUSTSEC-2026-0194 quick-xml 0.39.4',
      'high RUSTSEC-2026-0195 quick-xml 0.39.4',
      'none RUSTSEC-2026-0258 h2 0.4.13',
      'informational RUSTSEC-2024-0320 yaml-rust 0.4.5',
      'informational RUSTSEC-2025-0141 bincode 1.3.3',
      'informational RUSTSEC-2026-0173 proc-macro-error2 2.0.1',
      'informational RUSTSEC-2026-0190 anyhow 1.0.102',
      'informational RUSTSEC-2026-0253 lru 0.18.0',
    ],
  );
  const quick = m.advisories.findings[0]!;
  assert.deepEqual(quick.cvss, { version: '3.1', score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' });
  assert.equal(quick.solution, 'Upgrade to >=0.41.0 (patched)');
});

test('nushell: licenses, build scripts and proc-macros known only for the workspace members', async () => {
  const { model: m } = await nushell;
  assert.deepEqual(m.licenses.byLicense, [
    { license: 'MIT', crates: 33 },
    { license: 'Apache-2.0', crates: 1 },
  ]);
  assert.equal(m.licenses.unknown, 803);
  assert.deepEqual(names(m.buildTimeCode.buildScripts), ['nu 0.114.2', 'nu-cmd-lang 0.114.2']);
  assert.deepEqual(names(m.buildTimeCode.procMacros), ['nu-derive-value 0.114.2', 'nu-test-support-macros 0.114.2']);
  assert.equal(m.buildTimeCode.unknown, 803);
  assert.equal(m.buildTimeCode.crates, 4);
  assert.equal(m.exceptions.total, 0);
});

test('the model is a pure function of the outcome: same input, same JSON; the outcome is not changed', async () => {
  const { outcome, model } = await ledger;
  const before = outcome.diagnostics.length;
  const again = buildReportModel({ outcome, checks: model.checks.map((c) => c.check), generatedAt: REPORT_DATE, toolVersion: model.tool.version });
  assert.equal(JSON.stringify(again), JSON.stringify(model));
  assert.equal(outcome.diagnostics.length, before);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(model)));
  assert.ok(!JSON.stringify(model).includes(ledgerDir), 'no absolute path of this machine in the report');
});

test('reportDate: SOURCE_DATE_EPOCH when set, else now; a malformed value is a config error', () => {
  const now = new Date('2030-01-02T03:04:05Z');
  assert.equal(reportDate({}, now), now);
  assert.equal(reportDate({ SOURCE_DATE_EPOCH: '' }, now), now);
  assert.equal(reportDate({ SOURCE_DATE_EPOCH: '1788220800' }, now).toISOString(), '2026-09-01T00:00:00.000Z');
  for (const bad of ['yesterday', '-5', '1.5', '1e9']) {
    assert.throws(() => reportDate({ SOURCE_DATE_EPOCH: bad }, now), (e) => isSentinelError(e) && e.kind === 'config' && e.message.includes(bad));
  }
});

/**
 * The two real projects the audit report is tested on, run through the real
 * check pipeline: ledger from its recorded cargo metadata with a policy that
 * grants every kind of exception, and nushell from Cargo.lock alone. The
 * advisory database is cloned from fixtures/advisory-db.bundle (no network:
 * yank checking is off in both policies).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_CHECKS, runCheck, type CheckOutcome } from '../../../src/check/run.js';
import { settingsFrom } from '../../../src/cli/check.js';
import type { GlobalFlags } from '../../../src/cli/global-flags.js';
import type { Io } from '../../../src/cli/main.js';
import { VERSION } from '../../../src/cli/version.js';
import { buildReportModel, type AuditReportModel } from '../../../src/report/audit-report/index.js';
import { tempDir } from '../../helpers/git-fixtures.js';
import { fixture } from '../../helpers/paths.js';
import { materializedMetadata } from '../../workspace/metadata/fixtures.js';

/** The report date of every test: 2026-09-01T00:00:00Z, ten days after the bundle's head. */
export const REPORT_DATE = new Date('2026-09-01T00:00:00Z');
export const SOURCE_DATE_EPOCH = String(REPORT_DATE.getTime() / 1000);

export const LEDGER_DENY_TOML = `
[advisories]
disable-yank-checking = true
ignore = [
  { id = "RUSTSEC-2023-0018", reason = "remove_dir_all is only used by tests", expires = 2027-01-31 },
  { id = "RUSTSEC-2021-0139", reason = "ansi_term only colours log output", expires = 2026-03-01 },
  "RUSTSEC-2024-0375",
]

[licenses]
allow = ["MIT", "Apache-2.0", "Unicode-DFS-2016", "BSD-3-Clause"]
exceptions = [
  { crate = "acme-metrics", allow = ["LicenseRef-Acme-Proprietary"], reason = "internal crate under the company licence" },
]

[[licenses.clarify]]
crate = "ledger-server"
expression = "MIT"
reason = "unpublished member; the workspace licence applies"

[bans]
multiple-versions = "deny"
skip = [{ crate = "semver@0.9.0", reason = "ledger-proto pins semver 0.9" }]
skip-tree = [{ crate = "ledger-proto", depth = 1, reason = "vendored protocol crate" }, "tempfile"]
`;

export const NUSHELL_DENY_TOML = `
[advisories]
disable-yank-checking = true
`;

export const ledgerDir = fixture('workspaces', 'ledger');
export const nushellDir = fixture('corpus', 'nushell');
export const bundle = fixture('advisory-db.bundle');

/** One database clone and one index cache per test process. */
const dbPath = tempDir('sentinel-report-dbs-');
const cacheDir = tempDir('sentinel-report-cache-');

export function configFile(text: string): string {
  const file = path.join(tempDir('sentinel-report-config-'), 'deny.toml');
  writeFileSync(file, text);
  return file;
}

/** The global flags of `cargo-sentinel <flags> report`, as the CLI tests pass them. */
export function ledgerArgs(): string[] {
  return [
    '--metadata-path', materializedMetadata('ledger'),
    '--manifest-path', path.join(ledgerDir, 'Cargo.toml'),
    '--config', configFile(LEDGER_DENY_TOML),
    ...dbArgs(),
  ];
}

export function nushellArgs(): string[] {
  return ['--lockfile-only', '--manifest-path', path.join(nushellDir, 'Cargo.toml'), '--config', configFile(NUSHELL_DENY_TOML), ...dbArgs()];
}

const dbArgs = (): string[] => ['--db-url', bundle, '--db-path', dbPath, '--stale', '--cache-dir', cacheDir];

/** Environment of every run: an empty CARGO_HOME, so nothing of this machine's cargo caches leaks in. */
export function testEnv(cwd: string): NodeJS.ProcessEnv {
  return { CARGO_HOME: path.join(cwd, '.cargo-home'), PATH: process.env.PATH, HOME: process.env.HOME };
}

/** The check outcome and report model of `ledger` or `nushell`, straight from the pipeline. */
export async function reportModelOf(project: 'ledger' | 'nushell'): Promise<{ outcome: CheckOutcome; model: AuditReportModel }> {
  const cwd = tempDir('sentinel-report-cwd-');
  const flags: GlobalFlags =
    project === 'ledger'
      ? { metadataPath: materializedMetadata('ledger'), manifestPath: path.join(ledgerDir, 'Cargo.toml'), config: configFile(LEDGER_DENY_TOML) }
      : { lockfileOnly: true, manifestPath: path.join(nushellDir, 'Cargo.toml'), config: configFile(NUSHELL_DENY_TOML) };
  const io: Io = {
    stdout: () => {},
    stderr: () => {},
    stdoutIsTty: false,
    stderrIsTty: false,
    env: testEnv(cwd),
    cwd,
    now: () => REPORT_DATE,
  };
  const checks = [...ALL_CHECKS];
  const settings = settingsFrom(checks, { ...flags, dbUrl: [bundle], dbPath, stale: true, cacheDir }, io);
  const outcome = await runCheck(settings, { status: () => {}, warn: () => {}, now: REPORT_DATE });
  return { outcome, model: buildReportModel({ outcome, checks, generatedAt: REPORT_DATE, toolVersion: VERSION }) };
}

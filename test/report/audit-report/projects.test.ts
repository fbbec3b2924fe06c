/**
 * `report` over several projects opens the advisory database once for all of
 * them: once the first project has loaded it, both the remote it was fetched
 * from and the checkout it was cloned into are deleted, and every project is
 * still checked against it, with exactly the findings it gets in a report of
 * its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { main, type Io } from '../../../src/cli/main.js';
import type { AuditReportModel, AuditReportSet } from '../../../src/report/audit-report/index.js';
import { makeRemote, tempDir } from '../../helpers/git-fixtures.js';
import { DB_HEAD, fixture } from '../../helpers/paths.js';
import { configFile, NUSHELL_DENY_TOML, REPORT_DATE, SOURCE_DATE_EPOCH, testEnv } from './setup.js';

const PROJECTS = ['fd', 'rustup', 'wasmtime'] as const;
const manifestOf = (project: string): string => fixture('corpus', project, 'Cargo.toml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `cargo-sentinel -L info <flags> report --format json`, the database fetched
 * (not opened offline) from `remote` into `dbPath`; `onStderr` sees each
 * line of stderr as it is written.
 */
async function reportJson(remote: string, dbPath: string, manifests: readonly string[], onStderr: (text: string) => void = () => {}): Promise<Run> {
  const cwd = tempDir('sentinel-report-cwd-');
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: (t) => {
      stderr += t;
      onStderr(t);
    },
    stdoutIsTty: false,
    stderrIsTty: false,
    env: { ...testEnv(cwd), SOURCE_DATE_EPOCH },
    cwd,
    now: () => REPORT_DATE,
  };
  const args = [
    '-L', 'info', '--lockfile-only', '--stale', '--config', configFile(NUSHELL_DENY_TOML),
    '--db-url', remote, '--db-path', dbPath, '--cache-dir', tempDir('sentinel-report-cache-'),
    ...manifests.flatMap((m) => ['--manifest-path', m]),
    'report', '--format', 'json',
  ];
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const findings = (m: AuditReportModel | null): string[] => (m?.advisories.findings ?? []).map((f) => `${f.id} ${f.kind} ${f.package.name} ${f.package.version}`);

test('report over three projects: the database is fetched and loaded once, then its remote and checkout may vanish', async () => {
  const remote = makeRemote();
  const dbPath = tempDir('sentinel-report-dbs-');
  let removed = false;
  const r = await reportJson(remote, dbPath, PROJECTS.map(manifestOf), (text) => {
    if (!removed && /^info: loaded \d+ advisories from /.test(text)) {
      rmSync(remote, { recursive: true, force: true });
      rmSync(dbPath, { recursive: true, force: true });
      removed = true;
    }
  });
  assert.ok(removed, 'the first project loaded the database');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.match(/^info: fetching advisory database from /gm)?.length, 1, r.stderr);
  const set = JSON.parse(r.stdout) as AuditReportSet;
  assert.deepEqual(set.projects.map((p) => [p.manifest, p.report?.project.name, p.report?.inventory.total, p.error]), [
    [manifestOf('fd'), 'fd-find', 130, null],
    [manifestOf('rustup'), 'rustup', 346, null],
    [manifestOf('wasmtime'), 'wasmtime-cli', 478, null],
  ]);
  assert.deepEqual(set.projects.map((p) => findings(p.report)), [
    ['RUSTSEC-2026-0204 vulnerability crossbeam-epoch 0.9.18', 'RUSTSEC-2026-0173 unmaintained proc-macro-error2 2.0.1'],
    ['RUSTSEC-2026-0258 vulnerability h2 0.4.15'],
    [],
  ]);
  for (const p of set.projects) {
    assert.deepEqual(p.report?.databases, [{ commit: DB_HEAD, commitDate: '2026-08-21T08:28:40+02:00', ageDays: 10, advisoryCount: 1225 }], p.manifest);
  }
  assert.deepEqual([set.total.projects, set.total.failed, set.total.open, set.total.withOpenFindings, set.total.packages], [3, 0, 3, 2, 954]);
});

test('each project\'s part of the several-project report is its own one-project report, exactly', async () => {
  const remote = makeRemote();
  const together = await reportJson(remote, tempDir('sentinel-report-dbs-'), PROJECTS.map(manifestOf));
  assert.equal(together.code, 0, together.stderr);
  const set = JSON.parse(together.stdout) as AuditReportSet;
  for (const [i, project] of PROJECTS.entries()) {
    const alone = await reportJson(remote, tempDir('sentinel-report-dbs-'), [manifestOf(project)]);
    assert.equal(alone.code, 0, alone.stderr);
    assert.deepEqual(set.projects[i]!.report, JSON.parse(alone.stdout) as AuditReportModel, project);
  }
});

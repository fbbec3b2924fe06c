/** The advisories check of the cargo-deny face, against the real advisory-db (cloned from the bundle). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { materializedMetadata } from '../workspace/metadata/fixtures.js';

const ledger = fixture('workspaces', 'ledger');
const metadata = materializedMetadata('ledger');
const dbPath = tempDir('sentinel-dbs-');
const base = ['-f', 'json', '--metadata-path', metadata, '--db-url', fixture('advisory-db.bundle'), '--db-path', dbPath];

function config(text: string): string {
  const file = path.join(tempDir(), 'deny.toml');
  writeFileSync(file, `[advisories]\ndisable-yank-checking = true\n${text}`);
  return file;
}

interface Line {
  type: string;
  fields: { code?: string; severity?: string; message?: string; notes?: string[]; advisory?: { id: string }; labels?: { line: number }[] };
}
const diags = (stderr: string): Line[] =>
  stderr.trim().split('\n').map((l) => JSON.parse(l) as Line).filter((l) => l.type === 'diagnostic');
const ids = (lines: Line[], code: string): string[] => lines.filter((l) => l.fields.code === code).map((l) => l.fields.advisory!.id).sort();

test('vulnerabilities fail the advisories bit; unmaintained follows its scope', async () => {
  const all = await runCli([...base, '--config', config('unmaintained = "all"\n'), 'check', 'advisories'], { cwd: ledger });
  assert.equal(all.code, 1, all.stderr);
  const lines = diags(all.stderr);
  // The same vulnerabilities as the audit face finds in the same Cargo.lock (every package is in the graph).
  const audit = await runCli(['audit', '--json', '--no-yanked', '--stale', '--url', fixture('advisory-db.bundle'), '--db', path.join(dbPath, 'audit-db'), '--file', path.join(ledger, 'Cargo.lock')]);
  const auditIds = (JSON.parse(audit.stdout) as { vulnerabilities: { list: { advisory: { id: string } }[] } }).vulnerabilities.list.map((v) => v.advisory.id).sort();
  assert.deepEqual(ids(lines, 'vulnerability'), auditIds);
  assert.ok(auditIds.length >= 5);
  const unmaintainedAll = ids(lines, 'unmaintained');
  assert.ok(unmaintainedAll.includes('RUSTSEC-2021-0139'), 'ansi_term is transitive and unmaintained');
  const none = diags((await runCli([...base, '--config', config('unmaintained = "none"\n'), 'check', 'advisories'], { cwd: ledger })).stderr);
  assert.deepEqual(ids(none, 'unmaintained'), []);
  const workspace = diags((await runCli([...base, '--config', config('unmaintained = "workspace"\n'), 'check', 'advisories'], { cwd: ledger })).stderr);
  // ansi_term comes in through tracing-subscriber: not a direct dependency of a member.
  assert.ok(!ids(workspace, 'unmaintained').includes('RUSTSEC-2021-0139'));
  // Every advisory diagnostic points at its package's [[package]] line in the real Cargo.lock.
  for (const l of lines.filter((x) => x.fields.advisory)) assert.ok((l.fields.labels?.[0]?.line ?? 0) > 1);
});

test('ignores by id and by alias silence an advisory (note advisory-ignored); an expired one does not', async () => {
  const first = diags((await runCli([...base, '--config', config(''), 'check', 'advisories'], { cwd: ledger })).stderr);
  const vuln = first.find((l) => l.fields.code === 'vulnerability')!;
  const id = vuln.fields.advisory!.id;
  const ignored = await runCli([...base, '--config', config(`ignore = [{ id = "${id}", reason = "not reachable" }]\n`), 'check', 'advisories'], { cwd: ledger });
  const after = diags(ignored.stderr);
  assert.ok(!after.some((l) => l.fields.code === 'vulnerability' && l.fields.advisory!.id === id));
  const expired = await runCli(
    [...base, '--config', config(`ignore = [{ id = "${id}", reason = "until the upgrade", expires = 2020-01-01 }]\n`), 'check', 'advisories'],
    { cwd: ledger },
  );
  const back = diags(expired.stderr);
  assert.ok(back.some((l) => l.fields.code === 'vulnerability' && l.fields.advisory!.id === id));
  assert.ok(back.some((l) => l.fields.code === 'ignore-expired'));
  const unused = diags((await runCli([...base, '--config', config('ignore = ["RUSTSEC-2020-0001"]\n'), 'check', 'advisories'], { cwd: ledger })).stderr);
  assert.ok(unused.some((l) => l.fields.code === 'advisory-not-detected' && l.fields.severity === 'warning'));
});

test('offline with a stale database is a fatal error (exit 64) unless --stale', async () => {
  await runCli([...base, '--config', config(''), 'check', 'advisories'], { cwd: ledger }); // make sure it is cloned
  const stale = await runCli([...base, '--offline', '--config', config('maximum-db-staleness = "P5D"\n'), 'check', 'advisories'], { cwd: ledger });
  assert.equal(stale.code, 64);
  assert.match(stale.stderr, /stale/);
  const allowed = await runCli([...base, '--offline', '--stale', '--config', config('maximum-db-staleness = "P5D"\n'), 'check', 'advisories'], { cwd: ledger });
  assert.equal(allowed.code, 1);
});

/**
 * Acceptance: for every corpus project, `audit --json --no-yanked` against the
 * advisory-db at bf5c0d24 reports exactly the RustSec reference's findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusProjects, fixture } from '../helpers/paths.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';

interface Expected {
  id: string;
  kind: string;
  package: string;
  version: string;
}

interface AuditJson {
  database: { 'advisory-count': number; 'last-commit': string };
  lockfile: { 'dependency-count': number };
  vulnerabilities: { found: boolean; count: number; list: { advisory: { id: string }; package: { name: string; version: string } }[] };
  warnings: Record<string, { kind: string; advisory: { id: string } | null; package: { name: string; version: string } }[]>;
}

const byKey = (a: Expected, b: Expected): number =>
  a.id.localeCompare(b.id) || a.package.localeCompare(b.package) || a.version.localeCompare(b.version) || a.kind.localeCompare(b.kind);

const db = sharedCheckout();
const cacheDir = tempDir('sentinel-cache-');

for (const project of corpusProjects) {
  test(`audit ${project}: exactly the reference findings`, async () => {
    const expected = (JSON.parse(readFileSync(fixture('expected/advisories', `${project}.json`), 'utf8')) as Expected[])
      .filter((e) => e.kind !== 'withdrawn-skipped')
      .sort(byKey);
    const lockfile = fixture('corpus', project, 'Cargo.lock');
    const r = await runCli(['audit', '--json', '--no-yanked', '--no-fetch', '--stale', '--db', db, '--cache-dir', cacheDir, '--file', lockfile]);
    const report = JSON.parse(r.stdout) as AuditJson;
    const found: Expected[] = [
      ...report.vulnerabilities.list.map((v) => ({ id: v.advisory.id, kind: 'vulnerability', package: v.package.name, version: v.package.version })),
      ...Object.entries(report.warnings).flatMap(([kind, list]) =>
        list.map((w) => ({ id: w.advisory!.id, kind, package: w.package.name, version: w.package.version })),
      ),
    ].sort(byKey);
    assert.deepEqual(found, expected);
    assert.equal(report.vulnerabilities.count, expected.filter((e) => e.kind === 'vulnerability').length);
    assert.equal(report.vulnerabilities.found, report.vulnerabilities.count > 0);
    assert.equal(report.database['last-commit'], 'bf5c0d245a92671908518d7e765914d437954ed6');
    assert.equal(report.database['advisory-count'], 1205);
    // Vulnerabilities fail the run; warnings alone do not (cargo-audit's defaults).
    assert.equal(r.code, report.vulnerabilities.count > 0 ? 1 : 0);
  });
}

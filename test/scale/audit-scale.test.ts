/**
 * `audit --json` on a generated 10,000-package lockfile, in-process: exactly
 * the RustSec reference's findings for the corpus crates it holds, nothing for
 * the git forks of vulnerable crates, and in a time far below the generous
 * bound (the benchmark has the real figures).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { referenceFindings, writeGeneratedProject, type ReferenceFinding } from './generate.js';

interface AuditJson {
  lockfile: { 'dependency-count': number };
  vulnerabilities: { count: number; list: { advisory: { id: string }; package: { name: string; version: string; source: string | null } }[] };
  warnings: Record<string, { advisory: { id: string } | null; package: { name: string; version: string } }[]>;
}

const key = (f: ReferenceFinding): string => `${f.id} ${f.kind} ${f.package} ${f.version}`;

test('audit --json of 10,000 packages: exactly the reference findings, exit 1, within 20 s', async () => {
  const db = sharedCheckout();
  const dir = tempDir('sentinel-scale-audit-');
  const lock = writeGeneratedProject(dir, { packages: 10_000, seed: 1 });
  const expected = referenceFindings(lock).map(key).sort();

  const started = performance.now();
  const r = await runCli(['audit', '--json', '--no-fetch', '--stale', '--no-yanked', '--db', db, '--cache-dir', tempDir('sentinel-cache-'), '--file', path.join(dir, 'Cargo.lock')]);
  const ms = performance.now() - started;

  const report = JSON.parse(r.stdout) as AuditJson;
  assert.equal(report.lockfile['dependency-count'], 10_000);
  const found = [
    ...report.vulnerabilities.list.map((v) => key({ id: v.advisory.id, kind: 'vulnerability', package: v.package.name, version: v.package.version })),
    ...Object.entries(report.warnings).flatMap(([kind, list]) => list.map((w) => key({ id: w.advisory!.id, kind, package: w.package.name, version: w.package.version }))),
  ].sort();
  assert.deepEqual(found, expected);
  assert.equal(expected.length, 219);
  assert.ok(report.vulnerabilities.list.every((v) => v.package.source?.startsWith('registry+')), 'the git forks of h2 and crossbeam-epoch are not matched');
  assert.equal(r.code, 1);
  // Generous: about a second on a laptop (a cold index build included); the bound only catches a blow-up.
  assert.ok(ms < 20_000, `took ${ms.toFixed(0)} ms`);
});

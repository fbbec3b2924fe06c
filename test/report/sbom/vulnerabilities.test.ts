/**
 * `--with-vulnerabilities` against the real advisory-db (the bundle at its
 * HEAD): the CycloneDX `vulnerabilities` of each corpus project are exactly
 * the RustSec reference's findings (fixtures/expected/advisories), with the
 * advisory's details, ratings and `affects` pointing at the components.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tempDir } from '../../helpers/git-fixtures.js';
import { corpusProjects, fixture } from '../../helpers/paths.js';
import { cyclonedxValidator, runSbom, schemaErrors, spdxValidator, type CdxDocument, type SpdxDocument } from './helpers.js';

const dbPath = tempDir('sentinel-sbom-dbs-');
const cacheDir = tempDir('sentinel-sbom-cache-');
const dbFlags = ['--db-url', fixture('advisory-db.bundle'), '--db-path', dbPath, '--stale', '--cache-dir', cacheDir];
const projectFlags = (project: string): string[] => ['--manifest-path', fixture('corpus', project, 'Cargo.toml'), '--lockfile-only', ...dbFlags];

async function withVulnerabilities(project: string, args: string[] = []): Promise<CdxDocument> {
  const r = await runSbom(projectFlags(project), ['--with-vulnerabilities', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CdxDocument;
}

test('rustup: RUSTSEC-2026-0258 affects h2 0.4.15, with RustSec as source and the GHSA alias', async () => {
  const doc = await withVulnerabilities('rustup');
  assert.equal(schemaErrors(cyclonedxValidator('1.6'), doc), '');
  assert.deepEqual(doc.vulnerabilities?.map((v) => v.id), ['RUSTSEC-2026-0258']);
  const v = doc.vulnerabilities![0]!;
  assert.equal(v['bom-ref'], 'vulnerability:RUSTSEC-2026-0258');
  assert.deepEqual(v.source, { name: 'RustSec', url: 'https://rustsec.org/advisories/RUSTSEC-2026-0258' });
  assert.deepEqual(v.references, [{ id: 'GHSA-q83h-524g-xf6h', source: { name: 'GitHub', url: 'https://github.com/advisories/GHSA-q83h-524g-xf6h' } }]);
  assert.equal(v.description, 'h2 unbounded empty DATA frames');
  assert.match(v.detail ?? '', /accept and queue empty DATA frames without limit/);
  assert.equal(v.recommendation, 'Upgrade to >=0.4.16 (patched)');
  assert.equal(v.published, '2026-08-17T00:00:00.000Z');
  assert.equal(v.ratings, undefined, 'the advisory has no CVSS vector');
  assert.ok(v.advisories?.some((a) => a.url === 'https://rustsec.org/advisories/RUSTSEC-2026-0258'));
  assert.deepEqual(v.affects, [{ ref: 'pkg:cargo/h2@0.4.15', versions: [{ version: '0.4.15', status: 'affected' }] }]);
  assert.ok(doc.components.some((c) => c['bom-ref'] === 'pkg:cargo/h2@0.4.15'));

  const v15 = await withVulnerabilities('rustup', ['--spec-version', '1.5']);
  assert.equal(schemaErrors(cyclonedxValidator('1.5'), v15), '');
  assert.deepEqual(v15.vulnerabilities, doc.vulnerabilities);
});

test('tauri: one entry per advisory affecting every matched version, and CVSS 3.1 ratings', async () => {
  const doc = await withVulnerabilities('tauri');
  assert.equal(schemaErrors(cyclonedxValidator('1.6'), doc), '');
  const h2 = doc.vulnerabilities?.find((v) => v.id === 'RUSTSEC-2026-0258');
  assert.deepEqual(h2?.affects.map((a) => a.ref), ['pkg:cargo/h2@0.3.26', 'pkg:cargo/h2@0.4.6']);
  const rsa = doc.vulnerabilities?.find((v) => v.id === 'RUSTSEC-2023-0071');
  assert.deepEqual(rsa?.ratings, [
    { source: { name: 'RustSec' }, score: 5.9, severity: 'medium', method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N' },
  ]);
  assert.ok(rsa?.references?.some((r) => r.id.startsWith('CVE-') && r.source.name === 'NVD'));
});

test('SPDX: affected packages carry SECURITY advisory references', async () => {
  const r = await runSbom(projectFlags('rustup'), ['--format', 'spdx', '--with-vulnerabilities']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as SpdxDocument;
  assert.equal(schemaErrors(spdxValidator(), doc), '');
  const h2 = doc.packages.find((p) => p.name === 'h2');
  assert.deepEqual(h2?.externalRefs, [
    { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:cargo/h2@0.4.15' },
    {
      referenceCategory: 'SECURITY',
      referenceType: 'advisory',
      referenceLocator: 'https://rustsec.org/advisories/RUSTSEC-2026-0258',
      comment: 'RUSTSEC-2026-0258: h2 unbounded empty DATA frames',
    },
  ]);
  assert.equal(doc.packages.filter((p) => p.externalRefs?.some((e) => e.referenceCategory === 'SECURITY')).length, 1);
});

interface Expected {
  id: string;
  kind: string;
  package: string;
  version: string;
}

test('every corpus project: the vulnerabilities are the RustSec reference findings, no informational or withdrawn ones', async () => {
  for (const project of corpusProjects) {
    const expected = (JSON.parse(readFileSync(fixture('expected', 'advisories', `${project}.json`), 'utf8')) as Expected[])
      .filter((e) => e.kind === 'vulnerability')
      .map((e) => `${e.id} pkg:cargo/${e.package}@${e.version.replaceAll('+', '%2B')}`)
      .sort();
    const doc = await withVulnerabilities(project);
    assert.equal(schemaErrors(cyclonedxValidator('1.6'), doc), '', project);
    const found = (doc.vulnerabilities ?? []).flatMap((v) => v.affects.map((a) => `${v.id} ${a.ref}`)).sort();
    assert.deepEqual(found, expected, project);
  }
});

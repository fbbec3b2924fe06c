/**
 * The 13 corpus projects, read from Cargo.lock and the manifests alone (an
 * empty CARGO_HOME): each document validates against the official schema,
 * lists exactly the lockfile's packages, and is the same bytes when made twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusProjects, fixture } from '../../helpers/paths.js';
import {
  cdxPackages,
  cyclonedxValidator,
  EPOCH,
  lockfilePackages,
  runSbom,
  schemaErrors,
  spdxValidator,
  type CdxDocument,
  type SpdxDocument,
} from './helpers.js';

const FORMATS: { label: string; args: string[]; cyclonedx?: string }[] = [
  { label: 'CycloneDX 1.6', args: ['--format', 'cyclonedx'], cyclonedx: '1.6' },
  { label: 'CycloneDX 1.5', args: ['--format', 'cyclonedx', '--spec-version', '1.5'], cyclonedx: '1.5' },
  { label: 'SPDX 2.3', args: ['--format', 'spdx'] },
];

const sorted = (xs: string[]): string[] => [...xs].sort();

for (const project of corpusProjects) {
  test(`${project}: CycloneDX 1.6 and 1.5 and SPDX 2.3 are valid, complete and reproducible`, async () => {
    const global = ['--manifest-path', fixture('corpus', project, 'Cargo.toml'), '--lockfile-only'];
    const expected = lockfilePackages(fixture('corpus', project, 'Cargo.lock'));
    for (const format of FORMATS) {
      const first = await runSbom(global, format.args);
      assert.equal(first.code, 0, `${format.label}: ${first.stderr}`);
      const second = await runSbom(global, format.args);
      assert.ok(first.stdout === second.stdout, `${format.label}: two runs with SOURCE_DATE_EPOCH=${EPOCH} differ`);

      if (format.cyclonedx === undefined) {
        const doc = JSON.parse(first.stdout) as SpdxDocument;
        assert.equal(schemaErrors(spdxValidator(), doc), '', format.label);
        assert.deepEqual(sorted(doc.packages.map((p) => `${p.name}@${p.versionInfo}`)), expected, format.label);
        assert.equal(doc.creationInfo.created, '2023-11-14T22:13:20Z');
        assert.equal(new Set(doc.packages.map((p) => p.SPDXID)).size, doc.packages.length, 'SPDX ids are unique');
      } else {
        const doc = JSON.parse(first.stdout) as CdxDocument;
        const version = format.cyclonedx;
        assert.equal(doc.specVersion, version);
        assert.equal(schemaErrors(cyclonedxValidator(version), doc), '', format.label);
        const packages = cdxPackages(doc);
        assert.deepEqual(sorted(packages.map((c) => `${c.name}@${c.version ?? ''}`)), expected, format.label);
        assert.equal(doc.metadata.timestamp, '2023-11-14T22:13:20.000Z');
        // Every ref was ours: the library's random fallback (`BomRef.…`) never shows.
        assert.ok(!first.stdout.includes('"BomRef.'), 'no generated bom-ref');
        assert.equal(new Set(packages.map((c) => c['bom-ref'])).size, packages.length, 'bom-refs are unique');
      }
    }
  });
}

/** The SBOM building blocks on their own: purls, declared licenses, the reproducible time and UUIDs, and the schemas' teeth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cargoPurl, cratesIoDownloadUrl, gitLocation } from '../../../src/report/sbom/purl.js';
import { declaredLicense } from '../../../src/report/sbom/license.js';
import { contentUuid, creationTime, utcSeconds } from '../../../src/report/sbom/reproducible.js';
import { cyclonedxValidator, schemaErrors, spdxValidator } from './helpers.js';

test('purls: build metadata is percent-encoded, qualifiers keep URLs readable, path crates have none', () => {
  assert.equal(cargoPurl('wasi', '0.11.0+wasi-snapshot-preview1', { kind: 'crates-io' }), 'pkg:cargo/wasi@0.11.0%2Bwasi-snapshot-preview1');
  assert.equal(cargoPurl('serde', '1.0.152', { kind: 'crates-io' }), 'pkg:cargo/serde@1.0.152');
  assert.equal(
    cargoPurl('acme-metrics', '1.4.0', { kind: 'registry', indexUrl: 'https://cargo.acme.example/index/' }),
    'pkg:cargo/acme-metrics@1.4.0?repository_url=https://cargo.acme.example/index/',
  );
  assert.equal(
    cargoPurl('reedline', '0.43.0', { kind: 'git', url: 'https://github.com/nushell/reedline', commit: 'e4fe8edfb28440614e58a8c9dba78d128783f70f' }),
    'pkg:cargo/reedline@0.43.0?vcs_url=git%2Bhttps://github.com/nushell/reedline@e4fe8edfb28440614e58a8c9dba78d128783f70f',
  );
  assert.equal(cargoPurl('grep-cli', '0.1.12', { kind: 'path', dir: 'crates/cli' }), undefined);
  assert.equal(gitLocation({ kind: 'git', url: 'https://example.com/x.git', commit: undefined }), 'git+https://example.com/x.git');
  assert.equal(cratesIoDownloadUrl('wasi', '0.11.0+wasi-snapshot-preview1'), 'https://crates.io/api/v1/crates/wasi/0.11.0%2Bwasi-snapshot-preview1/download');
});

test('declared licenses: canonical expressions, LicenseRefs listed, text kept when it is no expression', () => {
  assert.deepEqual(declaredLicense({ license: 'MIT/Apache-2.0', licenseFile: null }), { kind: 'expression', expression: 'MIT OR Apache-2.0', refs: [] });
  assert.deepEqual(declaredLicense({ license: 'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT', licenseFile: null }), {
    kind: 'expression',
    expression: 'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT',
    refs: [],
  });
  assert.deepEqual(declaredLicense({ license: '(Apache-2.0 OR MIT) AND BSD-3-Clause', licenseFile: null }), {
    kind: 'expression',
    expression: '(Apache-2.0 OR MIT) AND BSD-3-Clause',
    refs: [],
  });
  assert.deepEqual(declaredLicense({ license: 'MIT AND LicenseRef-Acme', licenseFile: null }), { kind: 'expression', expression: 'MIT AND LicenseRef-Acme', refs: ['LicenseRef-Acme'] });
  // The licenses check's lax reading: a well-known name in place of its id.
  assert.deepEqual(declaredLicense({ license: 'MIT or Apache 2.0', licenseFile: null }), { kind: 'expression', expression: 'MIT OR Apache-2.0', refs: [] });
  assert.deepEqual(declaredLicense({ license: 'see the file', licenseFile: null }), { kind: 'unparsed', text: 'see the file' });
  assert.deepEqual(declaredLicense({ license: null, licenseFile: '/x/LICENSE' }), { kind: 'none', licenseFile: true });
  assert.deepEqual(declaredLicense({ license: null, licenseFile: null }), { kind: 'none', licenseFile: false });
  assert.deepEqual(declaredLicense({ license: undefined, licenseFile: undefined }), { kind: 'unknown' });
});

test('SOURCE_DATE_EPOCH decides the time; the clock is read only without it', () => {
  let read = 0;
  const clock = (): Date => {
    read++;
    return new Date('2026-09-01T12:34:56.789Z');
  };
  assert.equal(creationTime({ SOURCE_DATE_EPOCH: '0' }, clock).toISOString(), '1970-01-01T00:00:00.000Z');
  assert.equal(creationTime({ SOURCE_DATE_EPOCH: '1700000000' }, clock).toISOString(), '2023-11-14T22:13:20.000Z');
  assert.equal(read, 0);
  assert.equal(utcSeconds(creationTime({}, clock)), '2026-09-01T12:34:56Z');
  assert.equal(utcSeconds(creationTime({ SOURCE_DATE_EPOCH: '' }, clock)), '2026-09-01T12:34:56Z');
  assert.equal(read, 2);
  for (const bad of ['-1', '1.5', '17e8', 'now']) assert.throws(() => creationTime({ SOURCE_DATE_EPOCH: bad }, clock), /invalid SOURCE_DATE_EPOCH/, bad);
});

test('content UUIDs are RFC 9562 version 5, stable, and differ with the content', () => {
  const a = contentUuid('{"a":1}');
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(contentUuid('{"a":1}'), a);
  assert.notEqual(contentUuid('{"a":2}'), a);
});

test('the schema validators reject what the specifications forbid (they are not vacuous)', () => {
  const cdx = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'x' }] };
  assert.equal(schemaErrors(cyclonedxValidator('1.6'), cdx), '');
  assert.notEqual(schemaErrors(cyclonedxValidator('1.6'), { ...cdx, bomFormat: 'SPDX' }), '');
  assert.notEqual(schemaErrors(cyclonedxValidator('1.6'), { ...cdx, components: [{ type: 'library', name: 'x', hashes: [{ alg: 'SHA-256', content: 'zz' }] }] }), '');
  assert.notEqual(schemaErrors(cyclonedxValidator('1.5'), { ...cdx, specVersion: '1.5', components: [{ type: 'library', name: 'x', scope: 'dev' }] }), '');
  // The references into spdx.schema.json resolve: an unknown license id is refused.
  assert.notEqual(schemaErrors(cyclonedxValidator('1.6'), { ...cdx, components: [{ type: 'library', name: 'x', licenses: [{ license: { id: 'Not-A-License' } }] }] }), '');
  assert.notEqual(schemaErrors(cyclonedxValidator('1.6'), { ...cdx, components: [{ type: 'library', name: 'x', externalReferences: [{ type: 'vcs', url: 'not a url' }] }] }), '');

  const spdx = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'x',
    documentNamespace: 'https://example.com/x',
    creationInfo: { created: '2023-11-14T22:13:20Z', creators: ['Tool: x'] },
    packages: [{ SPDXID: 'SPDXRef-Package-x', name: 'x', downloadLocation: 'NOASSERTION' }],
  };
  assert.equal(schemaErrors(spdxValidator(), spdx), '');
  assert.notEqual(schemaErrors(spdxValidator(), { ...spdx, packages: [{ SPDXID: 'SPDXRef-Package-x', name: 'x' }] }), '');
  assert.notEqual(schemaErrors(spdxValidator(), { ...spdx, creationInfo: { created: '2023-11-14T22:13:20Z', creators: [] } }), '');
});

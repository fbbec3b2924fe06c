/**
 * The ledger workspace with its recorded `cargo metadata` (fixtures/workspaces):
 * a virtual workspace with a git dependency, an alternate-registry crate under
 * a LicenseRef, dev-only and build-only crates, and unix-only crates. Expected
 * values come from the fixture's Cargo.lock and README, not from the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from '../../helpers/paths.js';
import { materializedMetadata, readmeRows } from '../../workspace/metadata/fixtures.js';
import { cdxPackages, cyclonedxValidator, runSbom, schemaErrors, spdxValidator, type CdxDocument, type SpdxDocument } from './helpers.js';

const ledger = fixture('workspaces', 'ledger');
const global = ['--manifest-path', `${ledger}/Cargo.toml`, '--metadata-path', materializedMetadata('ledger')];
const rows = readmeRows('ledger');

async function cyclonedx(extra: string[] = [], args: string[] = []): Promise<CdxDocument> {
  const r = await runSbom([...global, ...extra], args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CdxDocument;
}

async function spdx(extra: string[] = []): Promise<SpdxDocument> {
  const r = await runSbom([...global, ...extra], ['--format', 'spdx']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as SpdxDocument;
}

/** name@version -> checksum, read from the fixture's Cargo.lock. */
function lockChecksums(): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const block of readFileSync(`${ledger}/Cargo.lock`, 'utf8').split(/^\[\[package\]\]$/m).slice(1)) {
    const field = (key: string): string | undefined => new RegExp(`^${key} = "([^"]+)"$`, 'm').exec(block)?.[1];
    out.set(`${field('name')}@${field('version')}`, field('checksum'));
  }
  return out;
}

const byName = (doc: CdxDocument, name: string) => {
  const c = doc.components.find((x) => x.name === name);
  assert.ok(c, `no component ${name}`);
  return c;
};

test('purls: crates.io plain, the alternate registry with repository_url, git with vcs_url and commit, none for path crates', async () => {
  const doc = await cyclonedx();
  assert.equal(schemaErrors(cyclonedxValidator('1.6'), doc), '');
  assert.equal(byName(doc, 'serde').purl, 'pkg:cargo/serde@1.0.152');
  assert.equal(byName(doc, 'acme-metrics').purl, 'pkg:cargo/acme-metrics@1.4.0?repository_url=https://cargo.acme.example/index/');
  assert.equal(
    byName(doc, 'ledger-proto').purl,
    'pkg:cargo/ledger-proto@0.7.0?vcs_url=git%2Bhttps://git.example.com/acme/ledger-proto.git@2be5e7a5c65c3f074b5bfa45c92d45754b65fdde',
  );
  assert.deepEqual(byName(doc, 'ledger-proto').externalReferences, [{ type: 'vcs', url: 'https://git.example.com/acme/ledger-proto.git' }]);
  assert.deepEqual(byName(doc, 'serde').externalReferences, [{ type: 'distribution', url: 'https://crates.io/api/v1/crates/serde/1.0.152/download' }]);
  for (const member of ['ledger-core', 'ledger-store', 'ledger-server']) {
    const c = byName(doc, member);
    assert.equal(c.purl, undefined, member);
    assert.deepEqual(c.properties, [{ name: 'cargo-sentinel:path', value: `crates/${member}` }]);
    assert.equal(c['bom-ref'], `path+crates/${member}#${member}@0.3.0`);
  }
  // The bom-ref of a registry or git package is its purl.
  for (const c of doc.components) if (c.purl) assert.equal(c['bom-ref'], c.purl);
});

test('the virtual workspace is described by an application depending on its three members', async () => {
  const doc = await cyclonedx();
  assert.deepEqual(doc.metadata.component, { type: 'application', name: 'ledger', 'bom-ref': 'workspace:ledger' });
  assert.deepEqual(doc.dependencies.find((d) => d.ref === 'workspace:ledger')?.dependsOn, [
    'path+crates/ledger-core#ledger-core@0.3.0',
    'path+crates/ledger-server#ledger-server@0.3.0',
    'path+crates/ledger-store#ledger-store@0.3.0',
  ]);
  assert.equal(byName(doc, 'ledger-server').type, 'application', 'it has a binary');
  assert.equal(byName(doc, 'ledger-core').type, 'library');
  assert.deepEqual(doc.metadata.tools.components, [{ type: 'application', name: 'cargo-sentinel', version: '0.1.0' }]);
  // ledger-store -> ledger-core (path) and acme-metrics; dev-dependency tempfile is listed too.
  const store = doc.dependencies.find((d) => d.ref === 'path+crates/ledger-store#ledger-store@0.3.0')?.dependsOn ?? [];
  for (const ref of ['path+crates/ledger-core#ledger-core@0.3.0', 'pkg:cargo/tempfile@3.3.0', 'pkg:cargo/rusqlite@0.28.0']) assert.ok(store.includes(ref), ref);
});

test('every package, with scope excluded exactly for the dev-only and build-time-only ones of the README', async () => {
  const doc = await cyclonedx();
  const packages = cdxPackages(doc);
  assert.deepEqual(packages.map((c) => `${c.name}@${c.version}`).sort(), rows.map((r) => `${r.crate}@${r.version}`).sort());
  for (const row of rows) {
    const c = packages.find((x) => x.name === row.crate && x.version === row.version);
    const expected = row.use === 'dev only' || row.use === 'build-time only' ? 'excluded' : 'required';
    assert.equal(c?.scope, expected, `${row.crate} (${row.use})`);
  }
  assert.equal(byName(doc, 'tempfile').scope, 'excluded');
  assert.equal(byName(doc, 'autocfg').scope, 'excluded');
  assert.equal(byName(doc, 'serde_json').scope, 'required', 'a dev-dependency of ledger-core, but a normal one of ledger-store');
});

test('SHA-256 hashes are the Cargo.lock checksums; packages without one (path, git) have none', async () => {
  const doc = await cyclonedx();
  const checksums = lockChecksums();
  let hashed = 0;
  for (const c of cdxPackages(doc)) {
    const checksum = checksums.get(`${c.name}@${c.version}`);
    if (checksum === undefined) assert.equal(c.hashes, undefined, c.name);
    else {
      assert.deepEqual(c.hashes, [{ alg: 'SHA-256', content: checksum }], c.name);
      hashed++;
    }
  }
  assert.equal(hashed, 94);
  assert.equal(byName(doc, 'ledger-proto').hashes, undefined);
});

test('licenses: the manifest expression, slash form as OR, LicenseRef kept, nothing for a member without one', async () => {
  const doc = await cyclonedx();
  for (const row of rows) {
    const c = cdxPackages(doc).find((x) => x.name === row.crate && x.version === row.version);
    const expected = row.license === 'none' ? undefined : [{ expression: row.license.replaceAll('/', ' OR ') }];
    assert.deepEqual(c?.licenses, expected, row.crate);
  }
  assert.deepEqual(byName(doc, 'acme-metrics').licenses, [{ expression: 'LicenseRef-Acme-Proprietary' }]);
  assert.deepEqual(byName(doc, 'bitflags').licenses, [{ expression: 'MIT OR Apache-2.0' }], 'written MIT/Apache-2.0');

  const s = await spdx();
  const pkg = (name: string) => s.packages.find((p) => p.name === name)!;
  assert.equal(pkg('acme-metrics').licenseDeclared, 'LicenseRef-Acme-Proprietary');
  assert.equal(pkg('bitflags').licenseDeclared, 'MIT OR Apache-2.0');
  assert.equal(pkg('ledger-server').licenseDeclared, 'NONE');
  assert.deepEqual(s.hasExtractedLicensingInfos?.map((l) => l.licenseId), ['LicenseRef-Acme-Proprietary']);
  assert.ok(s.packages.every((p) => p.licenseConcluded === 'NOASSERTION'));
});

test('SPDX: valid, download locations, purls, checksums and the relationships of each dependency kind', async () => {
  const s = await spdx();
  assert.equal(schemaErrors(spdxValidator(), s), '');
  assert.equal(s.name, 'ledger');
  assert.match(s.documentNamespace, /^https:\/\/spdx\.org\/spdxdocs\/cargo-sentinel\/ledger-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(s.creationInfo, { created: '2023-11-14T22:13:20Z', creators: ['Tool: cargo-sentinel-0.1.0'] });
  const pkg = (name: string) => s.packages.find((p) => p.name === name)!;
  assert.equal(pkg('serde').downloadLocation, 'https://crates.io/api/v1/crates/serde/1.0.152/download');
  assert.equal(pkg('ledger-proto').downloadLocation, 'git+https://git.example.com/acme/ledger-proto.git@2be5e7a5c65c3f074b5bfa45c92d45754b65fdde');
  assert.equal(pkg('acme-metrics').downloadLocation, 'NOASSERTION');
  assert.equal(pkg('ledger-core').downloadLocation, 'NOASSERTION');
  assert.deepEqual(pkg('serde').externalRefs, [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:cargo/serde@1.0.152' }]);
  assert.equal(pkg('ledger-core').externalRefs, undefined);
  assert.deepEqual(pkg('serde').checksums, [{ algorithm: 'SHA256', checksumValue: lockChecksums().get('serde@1.0.152') }]);
  assert.equal(pkg('ledger-server').primaryPackagePurpose, 'APPLICATION');
  assert.equal(pkg('serde').SPDXID, 'SPDXRef-Package-serde-1.0.152');
  assert.equal(pkg('serde_json').SPDXID, 'SPDXRef-Package-serde-json-1.0.87');

  const id = (name: string): string => pkg(name).SPDXID;
  const has = (a: string, type: string, b: string): boolean =>
    s.relationships.some((r) => r.spdxElementId === a && r.relationshipType === type && r.relatedSpdxElement === b);
  for (const member of ['ledger-core', 'ledger-store', 'ledger-server']) assert.ok(has('SPDXRef-DOCUMENT', 'DESCRIBES', id(member)), member);
  assert.equal(s.relationships.filter((r) => r.relationshipType === 'DESCRIBES').length, 3);
  assert.ok(has(id('ledger-server'), 'DEPENDS_ON', id('ledger-store')));
  assert.ok(has(id('ledger-core'), 'DEPENDS_ON', id('ledger-proto')));
  assert.ok(has(id('tempfile'), 'DEV_DEPENDENCY_OF', id('ledger-store')));
  assert.ok(!has(id('ledger-store'), 'DEPENDS_ON', id('tempfile')), 'a dev-dependency is not a plain dependency');
  assert.ok(has(id('serde_json'), 'DEV_DEPENDENCY_OF', id('ledger-core')));
  assert.ok(has(id('ledger-store'), 'DEPENDS_ON', id('serde_json')));
  assert.ok(has(id('autocfg'), 'BUILD_DEPENDENCY_OF', id('tokio')));
  assert.ok(has(id('pkg-config'), 'BUILD_DEPENDENCY_OF', id('libsqlite3-sys')));
});

test('--target x86_64-pc-windows-msvc drops the unix-only and the other targets\' crates, in both formats', async () => {
  const all = await cyclonedx();
  const windows = await cyclonedx(['--target', 'x86_64-pc-windows-msvc']);
  assert.equal(schemaErrors(cyclonedxValidator('1.6'), windows), '');
  const names = (doc: CdxDocument): string[] => cdxPackages(doc).map((c) => `${c.name}@${c.version}`).sort();
  assert.deepEqual(names(windows), rows.filter((r) => r.windows).map((r) => `${r.crate}@${r.version}`).sort());
  assert.ok(names(all).includes('signal-hook-registry@1.4.0'));
  assert.ok(!names(windows).includes('signal-hook-registry@1.4.0'), 'only under cfg(unix)');
  assert.deepEqual(
    windows.metadata.properties?.filter((p) => p.name === 'cargo-sentinel:target'),
    [{ name: 'cargo-sentinel:target', value: 'x86_64-pc-windows-msvc' }],
  );
  // No dependency edge points at a dropped package.
  const refs = new Set(cdxPackages(windows).map((c) => c['bom-ref']));
  for (const d of windows.dependencies) for (const to of d.dependsOn ?? []) assert.ok(refs.has(to), to);

  const s = await spdx(['--target', 'x86_64-pc-windows-msvc']);
  assert.equal(schemaErrors(spdxValidator(), s), '');
  assert.ok(!s.packages.some((p) => p.name === 'signal-hook-registry'));
  assert.equal(s.packages.length, rows.filter((r) => r.windows).length);
});

test('CycloneDX 1.5 of the same workspace is valid and says the same', async () => {
  const v15 = await cyclonedx([], ['--spec-version', '1.5']);
  const v16 = await cyclonedx();
  assert.equal(v15.specVersion, '1.5');
  assert.equal(schemaErrors(cyclonedxValidator('1.5'), v15), '');
  assert.deepEqual(v15.components, v16.components);
  assert.deepEqual(v15.dependencies, v16.dependencies);
  assert.notEqual(v15.serialNumber, v16.serialNumber, 'two documents, two serial numbers');
});

test('SPDX: a LicenseRef takes its text from the license-file of the package declaring it', async () => {
  const withFile = materializedMetadata('ledger', 'metadata', (json) => {
    const metadata = JSON.parse(json) as { packages: { name: string; license_file: string | null }[] };
    const acme = metadata.packages.find((p) => p.name === 'acme-metrics')!;
    acme.license_file = 'LICENSE.txt';
    return JSON.stringify(metadata);
  });
  const r = await runSbom(['--manifest-path', `${ledger}/Cargo.toml`, '--metadata-path', withFile], ['--format', 'spdx']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as SpdxDocument;
  assert.equal(schemaErrors(spdxValidator(), s), '');
  const text = readFileSync(fixture('workspaces', 'registry-src-acme', 'acme-metrics-1.4.0', 'LICENSE.txt'), 'utf8');
  assert.deepEqual(s.hasExtractedLicensingInfos, [
    {
      licenseId: 'LicenseRef-Acme-Proprietary',
      extractedText: text,
      name: 'Acme-Proprietary',
      comment: 'Declared in the Cargo.toml license field of acme-metrics 1.4.0.',
    },
  ]);
  // Without the license-file, the document says the text was not available rather than leave the id undefined.
  const without = await spdx();
  assert.match(without.hasExtractedLicensingInfos?.[0]?.extractedText ?? '', /^The text of LicenseRef-Acme-Proprietary was not available/);
});

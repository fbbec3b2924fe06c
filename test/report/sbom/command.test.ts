/** The command's edges: bad flags, the output file, SOURCE_DATE_EPOCH, and the time when it is unset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/git-fixtures.js';
import { fixture } from '../../helpers/paths.js';
import { runCli } from '../../helpers/run-cli.js';
import { runSbom, type CdxDocument, type SpdxDocument } from './helpers.js';

const ripgrep = ['--manifest-path', fixture('corpus', 'ripgrep', 'Cargo.toml'), '--lockfile-only'];

test('an unknown --format or --spec-version is bad input (exit 32) naming the flag', async () => {
  const format = await runSbom(ripgrep, ['--format', 'xml']);
  assert.equal(format.code, 32);
  assert.equal(format.stdout, '');
  assert.match(format.stderr, /^error: invalid value 'xml' for --format: expected cyclonedx or spdx$/m);
  const version = await runSbom(ripgrep, ['--spec-version', '1.4']);
  assert.equal(version.code, 32);
  assert.match(version.stderr, /^error: invalid value '1\.4' for --spec-version: expected 1\.6 or 1\.5$/m);
});

test('-o writes the document to the file and nothing to stdout', async () => {
  const dir = tempDir('sentinel-sbom-out-');
  const relative = await runSbom(ripgrep, ['--format', 'spdx', '-o', 'sbom.spdx.json'], { cwd: dir });
  assert.equal(relative.code, 0, relative.stderr);
  assert.equal(relative.stdout, '');
  const onStdout = await runSbom(ripgrep, ['--format', 'spdx']);
  assert.equal(readFileSync(path.join(dir, 'sbom.spdx.json'), 'utf8'), onStdout.stdout);
  assert.equal((JSON.parse(onStdout.stdout) as SpdxDocument).spdxVersion, 'SPDX-2.3');
});

test('an output that cannot be written is a clear bad-input error', async () => {
  const dir = tempDir('sentinel-sbom-out-');
  const missing = await runSbom(ripgrep, ['-o', path.join(dir, 'no-such-dir', 'sbom.json')]);
  assert.equal(missing.code, 32);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /^error: cannot write the SBOM to .*no-such-dir\/sbom\.json: its directory does not exist$/m);
  const directory = await runSbom(ripgrep, ['-o', dir]);
  assert.equal(directory.code, 32);
  assert.match(directory.stderr, /: it is a directory$/m);
  if (process.getuid?.() !== 0) {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const denied = await runSbom(ripgrep, ['-o', path.join(locked, 'sbom.json')]);
    assert.equal(denied.code, 32);
    assert.match(denied.stderr, /: permission denied$/m);
  }
});

test('a malformed SOURCE_DATE_EPOCH is refused rather than replaced by the clock', async () => {
  const r = await runSbom(ripgrep, [], { env: { SOURCE_DATE_EPOCH: 'yesterday' } });
  assert.equal(r.code, 32);
  assert.match(r.stderr, /^error: invalid SOURCE_DATE_EPOCH 'yesterday'/m);
});

test('without SOURCE_DATE_EPOCH the time is the run\'s; the serial number follows the content', async () => {
  const now = new Date('2026-09-01T00:00:00Z');
  const a = await runCli([...ripgrep, 'sbom'], { now });
  assert.equal(a.code, 0, a.stderr);
  const doc = JSON.parse(a.stdout) as CdxDocument;
  assert.equal(doc.metadata.timestamp, '2026-09-01T00:00:00.000Z');
  assert.match(doc.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const again = await runCli([...ripgrep, 'sbom'], { now });
  assert.equal(again.stdout, a.stdout, 'same input, same instant: the same document');
  const later = JSON.parse((await runCli([...ripgrep, 'sbom'], { now: new Date('2026-09-02T00:00:00Z') })).stdout) as CdxDocument;
  assert.notEqual(later.serialNumber, doc.serialNumber);

  const spdx = JSON.parse((await runCli([...ripgrep, 'sbom', '--format', 'spdx'], { now })).stdout) as SpdxDocument;
  assert.equal(spdx.creationInfo.created, '2026-09-01T00:00:00Z');
});

test('the root package describes a workspace with one; the other members are components', async () => {
  const r = await runSbom(ripgrep, []);
  const doc = JSON.parse(r.stdout) as CdxDocument;
  assert.equal(doc.metadata.component.name, 'ripgrep');
  assert.equal(doc.metadata.component.type, 'application');
  assert.equal(doc.metadata.component['bom-ref'], 'path+.#ripgrep@15.2.0');
  assert.equal(doc.metadata.component.scope, undefined);
  const members = doc.components.filter((c) => c['bom-ref']?.startsWith('path+')).map((c) => c.name).sort();
  assert.deepEqual(members, ['globset', 'grep', 'grep-cli', 'grep-index', 'grep-matcher', 'grep-pcre2', 'grep-printer', 'grep-regex', 'grep-searcher', 'ignore']);
  // Unread crates.io manifests: no license is made up for them, and the run says so.
  assert.equal(doc.components.find((c) => c.name === 'memchr')?.licenses, undefined);
  assert.match(r.stderr, /the manifests of 52 packages were not found/);
  const spdx = JSON.parse((await runSbom(ripgrep, ['--format', 'spdx'])).stdout) as SpdxDocument;
  assert.equal(spdx.name, 'ripgrep');
  assert.equal(spdx.packages.find((p) => p.name === 'memchr')?.licenseDeclared, 'NOASSERTION');
  assert.equal(spdx.packages.find((p) => p.name === 'grep-index')?.licenseDeclared, 'Unlicense OR MIT', 'written Unlicense/MIT');
  assert.equal(spdx.relationships.filter((x) => x.relationshipType === 'DESCRIBES').length, 11);
});

test('--exclude-dev leaves out exactly the crates only dev-dependencies bring in', async () => {
  const all = JSON.parse((await runSbom(ripgrep, [])).stdout) as CdxDocument;
  const excluded = all.components.filter((c) => c.scope === 'excluded').map((c) => c.name).sort();
  assert.deepEqual(excluded, ['crossbeam-channel', 'glob', 'regex']);
  const withoutDev = JSON.parse((await runSbom([...ripgrep, '--exclude-dev'], [])).stdout) as CdxDocument;
  assert.deepEqual(
    withoutDev.components.map((c) => c.name).sort(),
    all.components.filter((c) => c.scope !== 'excluded').map((c) => c.name).sort(),
  );
});

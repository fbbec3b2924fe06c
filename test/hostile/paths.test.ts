/**
 * Paths from a policy and from cargo metadata never lead a check outside the
 * place they belong to: a clarification's license files and a bypass path are
 * refused by the config when absolute or with `..`, and are confined again
 * when read (a workspace package's may reach the workspace), a license-file
 * or build script named by metadata stays in its package, and a package
 * directory that is a link out of the workspace is not read at all. Each case
 * runs `check` end to end (but one, which hands the license gathering what
 * the config refuses) on a scratch copy of the recorded logsift workspace,
 * with a valid license text just outside it: had it been read, the
 * clarification carrying its hash would have applied.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { licensesSection } from '../../src/checks/licenses/config.js';
import { gatherLicenses } from '../../src/checks/licenses/gather.js';
import { licenseTextHash } from '../../src/checks/licenses/xxh32.js';
import { loadPackageGraph } from '../../src/workspace/metadata/index.js';
import { fixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { graphOptions } from '../workspace/metadata/fixtures.js';
import { denyToml, editedMetadata, logsiftCopy, SECRET_TEXT, type WorkspaceCopy } from './workspace-copy.js';

interface Diagnostic {
  code: string;
  severity: string;
  message: string;
  notes: string[];
  graphs?: { Krate: { name: string } }[];
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

let copy: WorkspaceCopy;
let secretHash: string;
let passwdHash: string;

before(() => {
  copy = logsiftCopy();
  symlinkSync('../outside/secret', path.join(copy.ws, 'LICENSE-LINK'));
  secretHash = hex(licenseTextHash(SECRET_TEXT));
  passwdHash = hex(licenseTextHash(readFileSync('/etc/passwd', 'utf8')));
});

async function check(metadata: string, policy: string, ...which: string[]): Promise<{ code: number; diagnostics: Diagnostic[]; stderr: string }> {
  const r = await runCli(['-L', 'debug', '-f', 'json', '--metadata-path', metadata, '--config', policy, 'check', ...which], { cwd: copy.ws });
  const diagnostics = r.stderr
    .trim()
    .split('\n')
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as { type: string; fields: Diagnostic };
        return parsed.type === 'diagnostic' ? [{ ...parsed.fields, notes: parsed.fields.notes ?? [] }] : [];
      } catch {
        return [];
      }
    });
  return { code: r.code, diagnostics, stderr: r.stderr };
}

/** The diagnostics of `code` about `crate` (the first crate of their inclusion graph). */
const about = (diagnostics: Diagnostic[], code: string, crate: string): Diagnostic[] =>
  diagnostics.filter((d) => d.code === code && d.graphs?.[0]?.Krate.name === crate);

test('[[licenses.clarify]] license-files: a link out of the workspace is refused on the entry, never read', async () => {
  const webpkiHash = hex(licenseTextHash(readFileSync(fixture('workspaces/registry-src/webpki-0.22.0/LICENSE'), 'utf8')));
  const policy = denyToml(`[licenses]
allow = ["MIT", "ISC"]

[[licenses.clarify]]
crate = "logsift"
expression = "MIT"
license-files = [{ path = "LICENSE-LINK", hash = ${secretHash} }]

[[licenses.clarify]]
crate = "webpki"
expression = "ISC"
license-files = [{ path = "LICENSE", hash = ${webpkiHash} }]
`);
  const { diagnostics } = await check(editedMetadata(copy), policy, 'licenses');
  const refused = diagnostics.filter((d) => d.code === 'missing-clarification-file').map((d) => d.message);
  assert.deepEqual(refused, [
    `license file 'LICENSE-LINK' of the clarification for crate 'logsift = 0.4.2' could not be read: it leads outside the workspace (to ${path.join(copy.outside, 'secret')}); not read`,
  ]);
  // The clarification whose file lies inside its crate applies; logsift falls back on its manifest.
  const from = (crate: string): (string | undefined)[] => about(diagnostics, 'accepted', crate).map((d) => d.notes[0]);
  assert.deepEqual(from('webpki'), ['license expression `ISC` (from `[[licenses.clarify]]` entry 2)']);
  assert.deepEqual(from('logsift'), ["license expression `MIT OR Apache-2.0` (from the manifest's `license` field)"]);
});

test('[[licenses.clarify]] license-files: absolute and climbing paths are refused by the config (exit 32)', async () => {
  const cases: [string, string][] = [
    ['/etc/passwd', '"/etc/passwd" is absolute; give a path relative to the crate\'s root'],
    ['../outside/secret', '"../outside/secret" has a `..` component; give a path relative to the crate\'s root, without `..`'],
    [`${'../'.repeat(12)}etc/passwd`, `"${'../'.repeat(12)}etc/passwd" has a \`..\` component; give a path relative to the crate's root, without \`..\``],
    ['C:\\\\Windows\\\\win.ini', '"C:\\\\Windows\\\\win.ini" is absolute; give a path relative to the crate\'s root'],
  ];
  for (const [written, message] of cases) {
    const policy = denyToml(`[[licenses.clarify]]\ncrate = "ring"\nexpression = "MIT"\nlicense-files = [{ path = "${written}", hash = ${passwdHash} }]\n`);
    const r = await check(editedMetadata(copy), policy, 'licenses');
    assert.equal(r.code, 32, written);
    assert.equal(r.stderr, `error: ${policy}:4:20: \`licenses.clarify[0].license-files[0].path\`: ${message}\n`);
  }
});

test('defence in depth: a clarification path that got past the config is still confined when read', async () => {
  // What the schema refuses, put straight into a validated config: as a bug in validation would hand it over.
  const entries: Array<[crate: string, written: string, hash: string]> = [
    ['logsift', '../outside/secret', secretHash],
    ['memchr', `${'../'.repeat(12)}etc/passwd`, passwdHash],
    ['ring', '/etc/passwd', passwdHash],
  ];
  const config = licensesSection.parse({
    allow: ['MIT'],
    clarify: entries.map(([crate, , hash]) => ({ crate, expression: 'MIT', 'license-files': [{ path: 'LICENSE', hash: Number(hash) }] })),
  });
  config.clarify.forEach((c, i) => (c.licenseFiles[0]!.path = entries[i]![1]));
  const graph = await loadPackageGraph(graphOptions('logsift', { manifestPath: path.join(copy.ws, 'Cargo.toml'), metadataPath: editedMetadata(copy) }));
  const gathered = await gatherLicenses(graph, config);
  const files = entries.map(([crate]) => {
    const node = [...graph.packages.values()].find((n) => n.name === crate)!;
    return gathered.packages.get(node.id)?.clarification?.files;
  });
  assert.deepEqual(files, [
    [{ path: '../outside/secret', hash: undefined, error: 'the path leads outside the workspace; not read' }],
    [{ path: `${'../'.repeat(12)}etc/passwd`, hash: undefined, error: "the path leads outside the package's directory; not read" }],
    [{ path: '/etc/passwd', hash: undefined, error: "the path must be relative to the crate's root directory; not read" }],
  ]);
});

test('a license-file in cargo metadata outside its package is dropped with a warning and never read', async () => {
  const metadata = editedMetadata(copy, (find) => {
    const logsift = find('logsift');
    logsift.license = null;
    logsift.license_file = '../outside/secret';
    find('ring').license_file = `${'../'.repeat(6)}etc/passwd`;
  });
  const { diagnostics, stderr } = await check(metadata, denyToml('[licenses]\nallow = ["MIT"]\n'), 'licenses');
  assert.deepEqual(
    diagnostics.filter((d) => d.code === 'graph-warning').map((d) => d.message),
    [
      '`logsift 0.4.2`: its license-file `../outside/secret` is outside the workspace; it is not read',
      // Six levels up from the crate, wherever the checkout lies (not necessarily /etc/passwd).
      `\`ring 0.16.20\`: its license-file \`${'../'.repeat(6)}etc/passwd\` is outside the package's directory; it is not read`,
    ],
  );
  assert.deepEqual(about(diagnostics, 'unlicensed', 'logsift')[0]?.notes, [
    'no license field and no license files: ask the authors to add a license, or state it with `[[licenses.clarify]]`',
  ]);
  // The secret's hash would show in a suggested clarification had the file been read.
  assert.ok(!stderr.includes(secretHash) && !stderr.includes(passwdHash));
});

test('a workspace package whose directory is a link out of the workspace is neither walked nor read', async () => {
  const linked = path.join(copy.outside, 'crate');
  mkdirSync(linked);
  cpSync(path.join(copy.ws, 'Cargo.toml'), path.join(linked, 'Cargo.toml'));
  writeFileSync(path.join(linked, 'build.rs'), 'fn main() {}\n');
  writeFileSync(path.join(linked, 'tool'), ELF);
  symlinkSync(linked, path.join(copy.ws, 'linked'));
  const metadata = editedMetadata(copy, (find) => {
    const logsift = find('logsift');
    logsift.manifest_path = path.join(copy.ws, 'linked', 'Cargo.toml');
    for (const t of logsift.targets) t.src_path = t.src_path.replace(copy.ws, path.join(copy.ws, 'linked'));
  });
  const cargoToml = hex(licenseTextHash(readFileSync(path.join(linked, 'Cargo.toml'), 'utf8')));
  const policy = denyToml(`[bans.build]
include-workspace = true

[licenses]
allow = ["MIT"]

[[licenses.clarify]]
crate = "logsift"
expression = "MIT"
license-files = [{ path = "Cargo.toml", hash = ${cargoToml} }]
`);
  const { diagnostics } = await check(metadata, policy, 'build', 'licenses');
  const outside = `it leads outside the workspace (to ${linked}); not read`;
  assert.deepEqual(
    diagnostics.filter((d) => d.code === 'non-root-path').map((d) => d.notes),
    [["path = '$crate/.'", `error = the crate's directory: ${outside}`]],
  );
  assert.deepEqual(diagnostics.filter((d) => d.code === 'detected-executable'), []);
  assert.deepEqual(
    about(diagnostics, 'missing-clarification-file', 'logsift').map((d) => d.message),
    [`license file 'Cargo.toml' of the clarification for crate 'logsift = 0.4.2' could not be read: the crate's directory cannot be read: ${outside}`],
  );
});

test('a build script that metadata places outside its package is not hashed, and is reported when the crate is scanned', async () => {
  const metadata = editedMetadata(copy, (find) => {
    for (const t of find('logsift').targets) if (t.kind.includes('custom-build')) t.src_path = '/etc/passwd';
  });
  const noted = await check(metadata, denyToml('[bans.build]\n'), 'build');
  assert.equal(noted.code, 0);
  assert.deepEqual(about(noted.diagnostics, 'build-time-code', 'logsift')[0]?.notes, [
    "build-script = '/etc/passwd'",
    'sha256 = unknown (it leads outside the workspace (to /etc/passwd); not read)',
  ]);
  const scanned = await check(metadata, denyToml('[bans.build]\ninclude-workspace = true\n'), 'build');
  assert.equal(scanned.code, 16);
  assert.deepEqual(
    scanned.diagnostics.filter((d) => d.code === 'non-root-path' && d.notes[0] === "path = '/etc/passwd'").map((d) => d.notes[1]),
    ['error = the build script: it leads outside the workspace (to /etc/passwd); not read'],
  );
});

test('[[bans.build.bypass]] allow paths: absolute and climbing paths are refused by the config (exit 32)', async () => {
  const cases: [string, string][] = [
    ['/etc/passwd', '"/etc/passwd" is absolute; give a path relative to the crate\'s root'],
    ['../../etc/passwd', '"../../etc/passwd" has a `..` component; give a path relative to the crate\'s root, without `..`'],
    ['src/../../../etc/passwd', '"src/../../../etc/passwd" has a `..` component; give a path relative to the crate\'s root, without `..`'],
    ['C:\\\\Windows\\\\win.ini', '"C:\\\\Windows\\\\win.ini" is absolute; give a path relative to the crate\'s root'],
  ];
  for (const [written, message] of cases) {
    const policy = denyToml(`[bans.build]\nbypass = [{ crate = "ring", allow = [{ path = "${written}", checksum = "${'0'.repeat(64)}" }] }]\n`);
    const r = await check(editedMetadata(copy), policy, 'build');
    assert.equal(r.code, 32, written);
    assert.equal(r.stderr, `error: ${policy}:2:40: \`bans.build.bypass[0].allow[0].path\`: ${message}\n`);
  }
});

test('db-path with `..` is the user\'s choice: kept, and resolved against the working directory', async () => {
  const cwd = path.join(tempDir('sentinel-dbpath-'), 'project', 'sub');
  mkdirSync(cwd, { recursive: true });
  const policy = path.join(cwd, 'deny.toml');
  writeFileSync(policy, '[advisories]\ndb-path = "../../dbs"\ndisable-yank-checking = true\n');
  const r = await runCli(['-f', 'json', '--metadata-path', editedMetadata(copy), '--db-url', fixture('advisory-db.bundle'), '--config', policy, 'check', 'advisories'], { cwd });
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(existsSync(path.resolve(cwd, '../../dbs')), 'the database is cloned where db-path says');
});

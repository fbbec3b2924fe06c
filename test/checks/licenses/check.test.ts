/**
 * The licenses check on the real fixture workspaces (licenses as listed in
 * fixtures/workspaces/README.md): exact verdicts under strict policies,
 * exceptions, clarifications (the real hash of ring's LICENSE, then a wrong
 * one), LicenseRefs and `private`, include-dev / include-build, unused
 * entries, and labels pointing at the real Cargo.lock, Cargo.toml and
 * deny.toml positions.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkLicenses } from '../../../src/checks/licenses/check.js';
import { licensesCodes } from '../../../src/checks/licenses/codes.js';
import { gatherLicenses } from '../../../src/checks/licenses/gather.js';
import type { Diagnostic, Label } from '../../../src/diagnostics/types.js';
import type { PackageGraph, PackageNode } from '../../../src/workspace/package-graph.js';
import { parseDenyExceptions } from '../../../src/policy/deny/exceptions.js';
import { loadLicenses } from './deny-toml.js';
import { readmeRows } from '../../workspace/metadata/fixtures.js';
import { lockfileGraph, metadataGraph, workspacesDir } from './metadata-graph.js';

async function check(graph: PackageGraph, denyToml: string, extra?: string): Promise<Diagnostic[]> {
  const { config, policy } = loadLicenses(denyToml);
  const gathered = await gatherLicenses(graph, config);
  const extraExceptions = extra === undefined ? undefined : parseDenyExceptions(extra, 'deny.exceptions.toml');
  return checkLicenses({ graph, config, policy, gathered, extraExceptions });
}

const run = async (workspace: string, denyToml: string, extra?: string) => check(await metadataGraph(workspace), denyToml, extra);

/** `severity code crate@version` for everything but the (hidden by default) `accepted` help. */
const findings = (diags: Diagnostic[]) =>
  diags.filter((d) => d.code !== 'accepted').map((d) => `${d.severity} ${d.code}${d.package ? ` ${d.package.name}@${d.package.version}` : ''}`);

const accepted = (diags: Diagnostic[]) => diags.filter((d) => d.code === 'accepted').map((d) => `${d.package!.name}@${d.package!.version}`);

const one = (diags: Diagnostic[], code: string, name?: string): Diagnostic => {
  const found = diags.filter((d) => d.code === code && (name === undefined || d.package?.name === name));
  assert.equal(found.length, 1, `${code} ${name ?? ''}`);
  return found[0]!;
};

const where = (l: Label) => `${path.isAbsolute(l.file) ? path.relative(workspacesDir, l.file) : l.file}:${l.line}:${l.column}+${l.length} ${l.message}${l.primary ? ' (primary)' : ''}`;

/** The line of `name`'s `[[package]]` header in a workspace's real Cargo.lock. */
function lockLine(workspace: string, name: string, version: string): number {
  const lines = readFileSync(path.join(workspacesDir, workspace, 'Cargo.lock'), 'utf8').split('\n');
  const i = lines.findIndex((l, k) => l === `name = "${name}"` && lines[k + 1] === `version = "${version}"`);
  assert.ok(i > 0 && lines[i - 1] === '[[package]]');
  return i;
}

/** The README's table for one workspace: crate@version -> its `use` column. */
const readmeUse = (workspace: string): Map<string, string> => new Map(readmeRows(workspace).map((r) => [`${r.crate}@${r.version}`, r.use]));

const STRICT = '[licenses]\nallow = ["MIT", "Apache-2.0"]\n';

describe('logsift under allow = ["MIT", "Apache-2.0"]', () => {
  it('rejects colored (MPL-2.0) and untrusted (ISC); ring and webpki are unlicensed (license-file only)', async () => {
    const diags = await run('logsift', STRICT);
    assert.deepEqual(findings(diags), [
      'error rejected colored@2.0.0',
      'warning no-license-field ring@0.16.20',
      'warning gather-failure ring@0.16.20',
      'error unlicensed ring@0.16.20',
      'error rejected untrusted@0.7.1',
      'warning no-license-field webpki@0.22.0',
      'warning gather-failure webpki@0.22.0',
      'error unlicensed webpki@0.22.0',
    ]);
    assert.equal(accepted(diags).length, 76);
    assert.ok(accepted(diags).includes('rustls@0.20.8'), 'Apache-2.0/ISC/MIT is satisfied by MIT');
    assert.ok(accepted(diags).includes('ryu@1.0.2'), 'Apache-2.0 OR BSL-1.0 is satisfied by Apache-2.0');
  });

  it('checks exactly the packages the README lists as runtime, build-time or member (not dev-only)', async () => {
    const diags = await run('logsift', STRICT);
    const checked = new Set(diags.filter((d) => ['accepted', 'rejected', 'unlicensed'].includes(d.code)).map((d) => `${d.package!.name}@${d.package!.version}`));
    const expected = [...readmeUse('logsift')].filter(([, use]) => ['runtime', 'build-time only', 'workspace member'].includes(use)).map(([id]) => id);
    assert.deepEqual([...checked].sort(), expected.sort());
    assert.equal(checked.size, 80);
  });

  it("labels the real Cargo.lock entry and each term of the crate's own Cargo.toml", async () => {
    const colored = one(await run('logsift', STRICT), 'rejected', 'colored');
    assert.equal(colored.message, 'failed to satisfy license requirements');
    assert.deepEqual(colored.labels.map(where), [
      `logsift/Cargo.lock:${lockLine('logsift', 'colored', '2.0.0')}:1+11 failed to satisfy license requirements (primary)`,
      'registry-src/colored-2.0.0/Cargo.toml:21:12+7 rejected: license is not explicitly allowed',
      'deny.toml:2:1+0 the allowed licenses',
    ]);
    assert.deepEqual(colored.notes, ["license expression `MPL-2.0` (from the manifest's `license` field)", 'MPL-2.0 - rejected: license is not explicitly allowed']);
  });

  it('labels every term of a slash expression and the allow entries that accepted it', async () => {
    const rustls = (await run('logsift', STRICT)).find((d) => d.package?.name === 'rustls')!;
    assert.equal(rustls.code, 'accepted');
    assert.equal(rustls.severity, 'help');
    assert.deepEqual(rustls.labels.map(where), [
      `logsift/Cargo.lock:${lockLine('logsift', 'rustls', '0.20.8')}:1+11 license requirements satisfied (primary)`,
      'registry-src/rustls-0.20.8/Cargo.toml:6:12+10 accepted: license is explicitly allowed',
      'registry-src/rustls-0.20.8/Cargo.toml:6:23+3 rejected: license is not explicitly allowed',
      'registry-src/rustls-0.20.8/Cargo.toml:6:27+3 accepted: license is explicitly allowed',
      'deny.toml:2:17+12 allowed here',
      'deny.toml:2:10+5 allowed here',
    ]);
  });

  it('says ring has only a license file, that no text detection happens, and gives the clarification to add', async () => {
    const diags = await run('logsift', STRICT);
    const noField = one(diags, 'no-license-field', 'ring');
    assert.equal(noField.message, "license expression was not specified in manifest for crate 'ring = 0.16.20'");
    assert.deepEqual(noField.notes, ['the manifest names a license file instead: `license-file = "LICENSE"`']);
    const gather = one(diags, 'gather-failure', 'ring');
    assert.equal(gather.message, "the license of crate 'ring = 0.16.20' could not be determined from its license files");
    assert.deepEqual(gather.notes, [
      'LICENSE (hash 0xbd0eed23)',
      'license text detection is not implemented: cargo-sentinel does not guess a license from a file',
      'to state the license, add to deny.toml:\n[[licenses.clarify]]\ncrate = "ring@0.16.20"\nexpression = "<the SPDX expression these files state>"\nlicense-files = [{ path = "LICENSE", hash = 0xbd0eed23 }]',
    ]);
    const unlicensed = one(diags, 'unlicensed', 'ring');
    assert.equal(unlicensed.message, 'ring = 0.16.20 is unlicensed');
    assert.deepEqual(unlicensed.labels.map(where), [
      `logsift/Cargo.lock:${lockLine('logsift', 'ring', '0.16.20')}:1+11 a valid license expression could not be retrieved for the crate (primary)`,
    ]);
  });
});

const CLARIFIED = (hash: string, file = 'LICENSE') => `[licenses]
allow = ["MIT", "Apache-2.0"]
exceptions = [
  { crate = "colored", allow = ["MPL-2.0"], reason = "terminal colours only" },
  { crate = "untrusted", allow = ["ISC"] },
  { crate = "ring", allow = ["ISC", "OpenSSL"] },
  { crate = "webpki", allow = ["ISC"] },
]

[[licenses.clarify]]
crate = "ring"
expression = "MIT AND ISC AND OpenSSL"
license-files = [{ path = "${file}", hash = ${hash} }]
`;

describe('logsift with exceptions and a clarification', () => {
  it("accepts ring through the clarification while its LICENSE hash (0xbd0eed23) matches", async () => {
    const diags = await run('logsift', CLARIFIED('0xbd0eed23'));
    assert.deepEqual(findings(diags), [
      'warning no-license-field webpki@0.22.0',
      'warning gather-failure webpki@0.22.0',
      'error unlicensed webpki@0.22.0',
      'warning license-exception-not-encountered',
    ]);
    const ring = diags.find((d) => d.package?.name === 'ring')!;
    assert.equal(ring.code, 'accepted');
    assert.deepEqual(ring.notes, [
      'license expression `MIT AND ISC AND OpenSSL` (from `[[licenses.clarify]]` entry 1)',
      'MIT - accepted: license is explicitly allowed',
      'ISC - accepted: license is explicitly allowed via an exception',
      'OpenSSL - accepted: license is explicitly allowed via an exception',
    ]);
    assert.deepEqual(ring.labels.map(where).slice(1), [
      'deny.toml:12:1+0 license expression retrieved via user override',
      'deny.toml:2:10+5 allowed here',
      'deny.toml:6:3+0 exception for this crate',
    ]);
    const colored = diags.find((d) => d.package?.name === 'colored')!;
    assert.equal(colored.code, 'accepted');
    assert.ok(colored.labels.map(where).includes('deny.toml:4:3+0 exception for this crate: terminal colours only'));
    const unused = one(diags, 'license-exception-not-encountered');
    assert.equal(unused.message, 'license exception was not encountered');
    assert.deepEqual(unused.labels.map(where), ["deny.toml:7:3+0 unmatched license exception for 'webpki' (primary)"]);
  });

  it('ignores the clarification when the hash is wrong, and says why', async () => {
    const diags = await run('logsift', CLARIFIED('0xbd0eed24'));
    assert.deepEqual(findings(diags), [
      'warning no-license-field ring@0.16.20',
      'warning gather-failure ring@0.16.20',
      'error unlicensed ring@0.16.20',
      'warning no-license-field webpki@0.22.0',
      'warning gather-failure webpki@0.22.0',
      'error unlicensed webpki@0.22.0',
      'warning license-exception-not-encountered',
      'warning license-exception-not-encountered',
    ]);
    const ring = one(diags, 'unlicensed', 'ring');
    assert.ok(
      ring.notes.includes("the clarification for 'ring' does not apply: LICENSE hashes to 0xbd0eed23, not 0xbd0eed24 (the file changed; check its license and update the hash)"),
      ring.notes.join('\n'),
    );
  });

  it('reports a clarification file that does not exist at its deny.toml entry', async () => {
    const diags = await run('logsift', CLARIFIED('0xbd0eed23', 'LICENSE-RING'));
    const missing = one(diags, 'missing-clarification-file', 'ring');
    assert.equal(missing.severity, 'warning');
    assert.equal(missing.message, "license file 'LICENSE-RING' of the clarification for crate 'ring = 0.16.20' could not be read: file not found");
    assert.deepEqual(missing.labels.map(where), ['deny.toml:13:18+0 missing license file (primary)']);
    assert.equal(one(diags, 'unlicensed', 'ring').severity, 'error');
  });

  it('takes exceptions from deny.exceptions.toml after deny.toml, never reporting them unused', async () => {
    const diags = await run('logsift', STRICT, 'exceptions = [\n  { crate = "colored", allow = ["MPL-2.0"] },\n  { crate = "openssl", allow = ["OpenSSL"] },\n]\n');
    assert.deepEqual(findings(diags).filter((f) => !/ring|webpki/.test(f)), ['error rejected untrusted@0.7.1']);
    const colored = diags.find((d) => d.package?.name === 'colored')!;
    assert.equal(colored.code, 'accepted');
    assert.ok(colored.labels.map(where).includes('deny.exceptions.toml:2:3+0 exception for this crate'));
  });
});

describe('include-dev and include-build', () => {
  const APACHE_ONLY = (extra: string) => `[licenses]\nallow = ["Apache-2.0", "ISC", "MPL-2.0"]\n${extra}`;

  it('checks dev-only crates only with include-dev', async () => {
    const rejected = (diags: Diagnostic[]) => diags.filter((d) => d.code === 'rejected').map((d) => `${d.package!.name}@${d.package!.version}`);
    const without = rejected(await run('logsift', APACHE_ONLY('')));
    const withDev = rejected(await run('logsift', APACHE_ONLY('include-dev = true\n')));
    const devOnly = withDev.filter((id) => !without.includes(id));
    assert.deepEqual(devOnly, [
      'byteorder@1.4.3', 'clap@2.34.0', 'csv@1.1.6', 'csv-core@0.1.6', 'memoffset@0.6.5', 'oorandom@11.1.3', 'output_vt100@0.1.2', 'plotters@0.3.4',
      'plotters-backend@0.3.4', 'plotters-svg@0.3.3', 'redox_syscall@0.2.16', 'regex-automata@0.1.8', 'same-file@1.0.6', 'smawk@0.3.1', 'textwrap@0.16.0', 'walkdir@2.3.2',
    ]);
    const use = readmeUse('logsift');
    assert.ok(devOnly.every((id) => use.get(id) === 'dev only'));
    assert.ok(without.every((id) => use.get(id) !== 'dev only'));
  });

  it('leaves build-time-only crates out with include-build = false', async () => {
    const checked = async (extra: string) =>
      new Set((await run('logsift', `${STRICT}${extra}`)).filter((d) => ['accepted', 'rejected', 'unlicensed'].includes(d.code)).map((d) => `${d.package!.name}@${d.package!.version}`));
    const all = await checked('');
    const runtime = await checked('include-build = false\n');
    assert.deepEqual([...all].filter((id) => !runtime.has(id)).sort(), ['cc@1.0.73', 'rustc_version@0.4.0', 'semver@1.0.14', 'version_check@0.9.4']);
    assert.equal((await checked('include-dev = true\n')).size, 127);
  });
});

describe('ledger: LicenseRef, private crates, workspace inheritance', () => {
  it('rejects the LicenseRef crate and finds ledger-server unlicensed, at its Cargo.toml', async () => {
    const diags = await run('ledger', STRICT);
    assert.deepEqual(findings(diags), [
      'error rejected acme-metrics@1.4.0',
      'warning no-license-field ledger-server@0.3.0',
      'error unlicensed ledger-server@0.3.0',
    ]);
    assert.deepEqual(one(diags, 'unlicensed', 'ledger-server').labels.map(where), [
      'ledger/crates/ledger-server/Cargo.toml:1:1+9 a valid license expression could not be retrieved for the crate (primary)',
    ]);
    assert.deepEqual(one(diags, 'rejected', 'acme-metrics').labels.map(where).slice(1, 2), [
      'registry-src-acme/acme-metrics-1.4.0/Cargo.toml:26:12+27 rejected: license is not explicitly allowed',
    ]);
  });

  it('accepts a LicenseRef only when allowed by that exact name', async () => {
    const diags = await run('ledger', '[licenses]\nallow = ["MIT", "Apache-2.0", "LicenseRef-Acme-Proprietary"]\n');
    assert.deepEqual(findings(diags), ['warning no-license-field ledger-server@0.3.0', 'error unlicensed ledger-server@0.3.0']);
    const near = await run('ledger', '[licenses]\nallow = ["MIT", "Apache-2.0", "LicenseRef-Acme"]\n');
    assert.ok(findings(near).includes('error rejected acme-metrics@1.4.0'));
    assert.ok(findings(near).includes('warning license-not-encountered'));
  });

  it('skips unpublished crates with private.ignore, and private-registry crates with registries or ignore-sources', async () => {
    assert.deepEqual(findings(await run('ledger', `${STRICT}private = { ignore = true }\n`)), [
      'error rejected acme-metrics@1.4.0',
      'note skipped-private-workspace-crate ledger-server@0.3.0',
    ]);
    const byRegistry = await run('ledger', `${STRICT}private = { ignore = true, registries = ["acme"] }\n`);
    assert.deepEqual(findings(byRegistry), ['note skipped-private-workspace-crate acme-metrics@1.4.0', 'note skipped-private-workspace-crate ledger-server@0.3.0']);
    assert.equal(one(byRegistry, 'skipped-private-workspace-crate', 'acme-metrics').message, "skipping private workspace crate 'acme-metrics = 1.4.0'");
    const bySource = await run('ledger', `${STRICT}private = { ignore = true, ignore-sources = ["sparse+https://cargo.acme.example/index"] }\n`);
    assert.deepEqual(findings(bySource), ['note skipped-private-workspace-crate acme-metrics@1.4.0', 'note skipped-private-workspace-crate ledger-server@0.3.0']);
    assert.deepEqual(findings(await run('ledger', `${STRICT}private = { registries = ["acme"] }\n`)).slice(0, 1), ['error rejected acme-metrics@1.4.0'], 'nothing is skipped without ignore');
  });

  it("points an inherited license at the workspace's value and the member's license.workspace line", async () => {
    const core = (await run('ledger', STRICT)).find((d) => d.package?.name === 'ledger-core')!;
    assert.equal(core.code, 'accepted');
    assert.deepEqual(core.labels.map(where), [
      'ledger/Cargo.toml:9:12+10 license requirements satisfied (primary)',
      'ledger/crates/ledger-core/Cargo.toml:7:1+7 inherited from the workspace',
      'ledger/Cargo.toml:9:12+10 accepted: license is explicitly allowed',
      'deny.toml:2:17+12 allowed here',
    ]);
  });
});

describe('unused entries and unknown licenses', () => {
  it('warns about allowed licenses no checked crate uses, at their deny.toml element', async () => {
    const deny = '[licenses]\nallow = [\n  "MIT",\n  "Apache-2.0",\n  "BSD-3-Clause",\n  "Zlib",\n  "ISC",\n  "MPL-2.0",\n]\n';
    const diags = await run('logsift', deny);
    const unused = diags.filter((d) => d.code === 'license-not-encountered');
    assert.deepEqual(unused.map((d) => [d.severity, d.message, ...d.labels.map(where)]), [
      ['warning', 'license was not encountered', 'deny.toml:5:3+14 unmatched license allowance (primary)'],
    ]);
    const denied = await run('logsift', deny.replace('[licenses]\n', '[licenses]\nunused-allowed-license = "deny"\n'));
    assert.deepEqual(denied.filter((d) => d.code === 'license-not-encountered').map((d) => d.severity), ['error']);
  });

  it('does not check crates whose manifests are not available and says so once', async () => {
    const graph = await lockfileGraph('confgen', []);
    const diags = await check(graph, '[licenses]\nallow = ["MIT", "Apache-2.0", "Zlib"]\n');
    assert.deepEqual(findings(diags), [
      'warning no-license-field xtask@0.0.0',
      'error unlicensed xtask@0.0.0',
      'warning license-unknown',
      // Unused only as far as we can tell: a note while some licenses are unknown.
      'note license-not-encountered',
    ]);
    const unknown = one(diags, 'license-unknown');
    assert.equal(unknown.message, 'licenses unknown for 46 crates whose sources are not in the cargo cache');
    assert.deepEqual(accepted(diags), ['confgen@1.0.0-rc.1', 'confgen-derive@1.0.0-rc.1', 'yaml-rust@0.4.5']);
    assert.ok(diags.filter((d) => d.code === 'license-not-encountered').every((d) => d.notes.includes('46 crates were not checked because their licenses are unknown')));
  });

  it('reads the same verdicts from Cargo.lock and the registry cache as from cargo metadata', async () => {
    const deny = '[licenses]\nallow = ["MIT", "Apache-2.0"]\n';
    const fromLock = await check(await lockfileGraph('confgen', [path.join(workspacesDir, 'registry-src')]), deny);
    const fromMetadata = await run('confgen', deny);
    assert.deepEqual(findings(fromLock), findings(fromMetadata));
    assert.deepEqual(findings(fromMetadata), [
      'error rejected encoding_rs@0.8.31',
      'error rejected subtle@2.4.1',
      'error rejected tiny-keccak@2.0.2',
      'warning no-license-field xtask@0.0.0',
      'error unlicensed xtask@0.0.0',
    ]);
  });
});

describe('license fields that are not clean SPDX', () => {
  async function withLicense(license: string | null, licenseFile: string | null = null): Promise<Diagnostic[]> {
    const graph = await metadataGraph('confgen');
    const packages = new Map(graph.packages);
    const subtle = [...packages.values()].find((p) => p.name === 'subtle')!;
    packages.set(subtle.id, { ...subtle, license, licenseFile } satisfies PackageNode);
    const diags = await check({ ...graph, packages }, '[licenses]\nallow = ["MIT", "Apache-2.0", "BSD-3-Clause", "CC0-1.0", "Unlicense"]\n');
    return diags.filter((d) => d.package?.name === 'subtle');
  }

  it('reads a lax expression with a parse-error warning', async () => {
    const diags = await withLicense('BSD 3-Clause');
    assert.deepEqual(findings(diags), ['warning parse-error subtle@2.4.1']);
    assert.equal(diags[0]!.message, "license expression `BSD 3-Clause` of crate 'subtle = 2.4.1' is not valid SPDX: unknown SPDX license id `BSD`");
    assert.equal(diags[1]!.code, 'accepted');
  });

  it('reports an empty field and an unreadable one, then falls back to the license files', async () => {
    assert.deepEqual(findings(await withLicense('')), ['warning empty-license-field subtle@2.4.1', 'warning gather-failure subtle@2.4.1', 'error unlicensed subtle@2.4.1']);
    const bogus = await withLicense('Bogus-1.0');
    assert.deepEqual(findings(bogus), ['warning parse-error subtle@2.4.1', 'warning gather-failure subtle@2.4.1', 'error unlicensed subtle@2.4.1']);
    assert.deepEqual(bogus[1]!.notes[0], 'LICENSE (hash 0x7bd85b2c)');
  });
});

describe('codes', () => {
  it("pins the licenses check's codes and default severities", () => {
    assert.deepEqual(
      licensesCodes.map((c) => `${c.code}:${c.defaultSeverity}${c.lint ? `(${c.lint})` : ''}`),
      [
        'rejected:error',
        'accepted:help',
        'unlicensed:error',
        'skipped-private-workspace-crate:note',
        'license-not-encountered:lint(licenses.unused-allowed-license)',
        'license-exception-not-encountered:lint(licenses.unused-license-exception)',
        'missing-clarification-file:warning',
        'parse-error:warning',
        'empty-license-field:warning',
        'no-license-field:warning',
        'gather-failure:warning',
        'license-unknown:warning',
      ],
    );
    assert.ok(licensesCodes.every((c) => c.source === 'licenses'));
  });
});

/**
 * `check -f sarif|github|markdown` on real workspaces: the ledger workspace
 * (recorded cargo metadata) under a strict policy that fails bans, licenses
 * and sources, and tauri's Cargo.lock against the advisory database. Exact
 * golden outputs, SARIF validated against the OASIS schema, results at the
 * real `[[package]]` lines, stable fingerprints, and the same exit code as
 * the human format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VERSION } from '../../../src/cli/version.js';
import { fixture, repoRoot } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/git-fixtures.js';
import { runCli } from '../../helpers/run-cli.js';
import { materializedMetadata } from '../../workspace/metadata/fixtures.js';
import { assertGolden, assertValidSarif, packageLines, parseSarif, securitySeverities } from './helpers.js';

const ledger = fixture('workspaces', 'ledger');
const metadata = materializedMetadata('ledger');
const policyDir = tempDir('sentinel-formats-policy-');
const strict = path.join(policyDir, 'deny.toml');
writeFileSync(
  strict,
  `[licenses]
allow = ["MIT", "Apache-2.0"]

[bans]
multiple-versions = "deny"
deny = [{ crate = "openssl", wrappers = ["ledger-store"], reason = "we use rustls" }]

[sources]
unknown-git = "deny"
`,
);

const cargoHome = tempDir('sentinel-formats-home-');
const checkLedger = (format: string, env: NodeJS.ProcessEnv = {}) =>
  runCli(['-f', format, '--metadata-path', metadata, '--config', strict, 'check', 'bans', 'licenses', 'sources'], {
    cwd: ledger,
    env: { CARGO_HOME: cargoHome, NO_COLOR: '1', ...env },
  });

/**
 * The policy lives in a temporary directory and the registry sources under this
 * checkout (both outside the workspace, so shown with absolute paths); the
 * version changes with releases.
 */
const portable = (text: string): string =>
  text
    .replaceAll(pathToFileURL(policyDir).href, 'file:///<POLICY_DIR>')
    .replaceAll(policyDir, '<POLICY_DIR>')
    .replaceAll(repoRoot, '<REPO>')
    .replaceAll(`"version": "${VERSION}"`, '"version": "<VERSION>"')
    .replaceAll(`"semanticVersion": "${VERSION}"`, '"semanticVersion": "<VERSION>"');

test('every format exits as the human format does: 2|4|8 for ledger under the strict policy', async () => {
  const human = await checkLedger('human');
  assert.equal(human.code, 2 | 4 | 8);
  for (const format of ['json', 'sarif', 'github', 'markdown']) {
    const r = await checkLedger(format);
    assert.equal(r.code, human.code, format);
    // The warnings of a run go to stderr; stdout holds the document alone.
    if (format !== 'json') assert.equal(r.stderr, '', format);
  }
});

test('sarif: the golden document, valid SARIF 2.1.0, with the exit code in the invocation', async () => {
  const r = await checkLedger('sarif');
  const doc = parseSarif(r.stdout);
  assertValidSarif(doc);
  assertGolden('check-ledger.sarif.json', portable(r.stdout));
  const run = doc.runs[0]!;
  assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 14, exitCodeDescription: 'failed: bans, licenses, sources' }]);
  assert.deepEqual(
    run.results.map((x) => `${x.level} ${x.ruleId}`),
    [
      'error licenses/rejected',
      'warning licenses/no-license-field',
      'error licenses/unlicensed',
      'warning bans/unmatched-wrapper',
      'error bans/banned',
      'warning bans/unused-wrapper',
      'error bans/duplicate',
      'warning sources/source-not-allowed',
      'error sources/source-not-allowed',
    ],
  );
  // One rule per code, each result pointing at its rule.
  const rules = run.tool.driver.rules;
  assert.deepEqual(new Set(rules.map((x) => x.id)).size, rules.length);
  for (const x of run.results) assert.equal(rules[x.ruleIndex]!.id, x.ruleId);
});

test('sarif: results sit on the real [[package]] lines of Cargo.lock and the real member manifest line', async () => {
  const doc = parseSarif((await checkLedger('sarif')).stdout);
  const lines = packageLines(path.join(ledger, 'Cargo.lock'));
  const places = doc.runs[0]!.results.map((x) => {
    const loc = x.locations[0]!;
    const { uri, uriBaseId } = loc.physicalLocation.artifactLocation;
    return { rule: x.ruleId, pkg: loc.logicalLocations?.[0]?.name, uri, uriBaseId, line: loc.physicalLocation.region.startLine };
  });
  for (const p of places.filter((x) => x.uri === 'Cargo.lock')) {
    assert.equal(p.uriBaseId, '%SRCROOT%');
    // A duplicate is about a crate name, not one package: it sits on the first version's entry.
    assert.equal(p.line, lines.get(p.pkg ?? 'semver@0.9.0'), `${p.rule} ${p.pkg}`);
  }
  assert.deepEqual(
    places.map((p) => `${p.uri}:${p.line}`),
    [
      'Cargo.lock:5',
      'crates/ledger-server/Cargo.toml:1',
      'crates/ledger-server/Cargo.toml:1',
      'Cargo.lock:373',
      'Cargo.lock:373',
      // The policy file is outside the checkout: an absolute file URI, never a made-up line.
      `${pathToFileURL(strict).href}:6`,
      'Cargo.lock:572',
      'Cargo.lock:5',
      'Cargo.lock:265',
    ],
  );
  assert.equal(lines.get('openssl@0.10.45'), 373);
});

test('sarif: fingerprints are identical across runs and unique within one', async () => {
  const first = parseSarif((await checkLedger('sarif')).stdout).runs[0]!.results.map((x) => x.partialFingerprints);
  const second = parseSarif((await checkLedger('sarif')).stdout).runs[0]!.results.map((x) => x.partialFingerprints);
  assert.deepEqual(first, second);
  const keys = first.map((f) => f['cargo-sentinel/v1']);
  assert.equal(new Set(keys).size, keys.length);
  for (const f of first) assert.equal(f.primaryLocationLineHash, f['cargo-sentinel/v1']);
});

test('sarif: paths are relative to $GITHUB_WORKSPACE when the run is inside it', async () => {
  const doc = parseSarif((await checkLedger('sarif', { GITHUB_WORKSPACE: repoRoot })).stdout);
  const uris = doc.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
  assert.equal(uris[0], 'fixtures/workspaces/ledger/Cargo.lock');
  assert.equal(uris[1], 'fixtures/workspaces/ledger/crates/ledger-server/Cargo.toml');
  const github = (await checkLedger('github', { GITHUB_WORKSPACE: repoRoot })).stdout;
  assert.match(github, /^::error file=fixtures\/workspaces\/ledger\/Cargo\.lock,line=373,col=1,title=banned%3A openssl@0\.10\.45::/m);
  // A GITHUB_WORKSPACE the run is not inside is ignored.
  const elsewhere = parseSarif((await checkLedger('sarif', { GITHUB_WORKSPACE: policyDir })).stdout);
  assert.equal(elsewhere.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'Cargo.lock');
});

test('github: one workflow command per diagnostic at its file and line, then the summary', async () => {
  const r = await checkLedger('github');
  assertGolden('check-ledger.github.txt', portable(r.stdout));
  const commands = r.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(commands.length, 9);
  assert.equal(
    r.stdout.split('\n').at(-2),
    'cargo-sentinel check: bans FAILED (2 errors, 2 warnings, 0 notes), licenses FAILED (2 errors, 1 warning, 0 notes), sources FAILED (1 error, 1 warning, 0 notes)',
  );
});

test('markdown: verdict, counts per check, and the failing diagnostics with their locations', async () => {
  const r = await checkLedger('markdown');
  assertGolden('check-ledger.md', portable(r.stdout));
  assert.match(r.stdout, /^\| error \| bans \| `banned` \| openssl 0\.10\.45 \| crate 'openssl = 0\.10\.45' is explicitly banned \| `Cargo\.lock:373` \|$/m);
});

test('a run that passes: exit 0 in every format; SARIF records it, markdown says so', async () => {
  const lenient = path.join(policyDir, 'lenient.toml');
  writeFileSync(lenient, '[bans]\nmultiple-versions = "warn"\n');
  const run = (format: string) =>
    runCli(['-f', format, '--metadata-path', metadata, '--config', lenient, 'check', 'bans'], { cwd: ledger, env: { CARGO_HOME: cargoHome } });
  const sarif = await run('sarif');
  assert.equal(sarif.code, 0);
  const doc = parseSarif(sarif.stdout);
  assertValidSarif(doc);
  assert.equal(doc.runs[0]!.invocations[0]!.exitCode, 0);
  assert.equal(doc.runs[0]!.invocations[0]!.exitCodeDescription, 'no check failed');
  assert.deepEqual(doc.runs[0]!.results.map((x) => `${x.level} ${x.ruleId} ${x.locations[0]!.physicalLocation.region.startLine}`), ['warning bans/duplicate 572']);
  const markdown = await run('markdown');
  assert.equal(markdown.code, 0);
  assert.equal(
    markdown.stdout,
    [
      '## cargo-sentinel check: passed',
      '',
      'The check passed (exit code 0).',
      '',
      '| Check | Result | Errors | Warnings | Notes |',
      '| --- | --- | ---: | ---: | ---: |',
      '| bans | ok | 0 | 1 | 0 |',
      '',
    ].join('\n'),
  );
  const github = await run('github');
  assert.equal(github.code, 0);
  assert.match(github.stdout, /^::warning file=Cargo\.lock,line=572,col=1,title=duplicate%3A found 2 duplicate entries for crate 'semver'::/);
});

test('advisories through check: one rule per advisory id, security-severity from its CVSS score', async () => {
  const tauri = fixture('corpus', 'tauri');
  const config = path.join(policyDir, 'advisories.toml');
  writeFileSync(config, '[advisories]\ndisable-yank-checking = true\n');
  const args = (format: string) => [
    '-f', format, '--lockfile-only', '--manifest-path', path.join(tauri, 'Cargo.toml'),
    '--db-url', fixture('advisory-db.bundle'), '--db-path', tempDir('sentinel-formats-dbs-'), '--config', config, 'check', 'advisories',
  ];
  const env = { CARGO_HOME: tempDir('sentinel-formats-home-') };
  const sarif = await runCli(args('sarif'), { cwd: tauri, env });
  const human = await runCli(args('human'), { cwd: tauri, env });
  assert.equal(sarif.code, 1);
  assert.equal(sarif.code, human.code);
  const doc = parseSarif(sarif.stdout);
  assertValidSarif(doc);
  const run = doc.runs[0]!;
  assert.deepEqual(
    securitySeverities(doc),
    [
      'RUSTSEC-2023-0071 5.9',
      'RUSTSEC-2024-0447 7.5',
      'RUSTSEC-2025-0168 7.3',
      'RUSTSEC-2026-0009 6.8',
      'RUSTSEC-2026-0037 8.7',
      'RUSTSEC-2026-0067 5.1',
      'RUSTSEC-2026-0068 5.1',
      'RUSTSEC-2026-0185 7.5',
      'RUSTSEC-2026-0194 7.5',
      'RUSTSEC-2026-0195 7.5',
    ],
  );
  for (const x of run.tool.driver.rules) assert.ok(x.properties.tags.includes('security'), x.id);
  // Every result of an advisory rule names the advisory, and sits on its package's real line.
  const lines = packageLines(path.join(tauri, 'Cargo.lock'));
  assert.ok(run.results.length > 40);
  for (const x of run.results) {
    assert.match(x.ruleId, /^RUSTSEC-\d{4}-\d{4}$/);
    const loc = x.locations[0]!;
    assert.equal(loc.physicalLocation.artifactLocation.uri, 'Cargo.lock');
    assert.equal(loc.physicalLocation.region.startLine, lines.get(loc.logicalLocations![0]!.name), x.ruleId);
  }
});

test('an unknown format is bad input, with the formats listed', async () => {
  const r = await runCli(['-f', 'xml', '--metadata-path', metadata, '--config', strict, 'check'], { cwd: ledger, env: { CARGO_HOME: cargoHome } });
  assert.equal(r.code, 32);
  assert.match(r.stderr, /invalid value 'xml' for --format: expected one of human, json, sarif, github, markdown/);
});

/**
 * `audit --format sarif|github|markdown` on corpus lockfiles against the
 * advisory database at a pinned commit (offline): exact golden outputs for
 * rustup, SARIF validated against the OASIS schema, results at the real
 * `[[package]]` lines, stable fingerprints, security severities from CVSS,
 * and the exit code of the terminal format whatever the format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolveSettings } from '../../../src/audit/settings.js';
import { runAudit } from '../../../src/audit/run.js';
import { VERSION } from '../../../src/cli/version.js';
import { renderAuditMarkdown } from '../../../src/report/markdown.js';
import { fixture } from '../../helpers/paths.js';
import { sharedCheckout, tempDir } from '../../helpers/git-fixtures.js';
import { runCli } from '../../helpers/run-cli.js';
import { assertGolden, assertValidSarif, packageLines, parseSarif, securitySeverities } from './helpers.js';

const db = sharedCheckout();
const cacheDir = tempDir('sentinel-formats-cache-');
const cargoHome = tempDir('sentinel-formats-home-');

/** Audit a corpus project from its own directory, as CI runs it from the checkout. */
const audit = (project: string, args: string[]) =>
  runCli(['audit', '--no-fetch', '--stale', '--no-yanked', '--db', db, '--cache-dir', cacheDir, '--file', 'Cargo.lock', ...args], {
    cwd: fixture('corpus', project),
    env: { CARGO_HOME: cargoHome, NO_COLOR: '1' },
  });

const portable = (text: string): string =>
  text.replaceAll(`"version": "${VERSION}"`, '"version": "<VERSION>"').replaceAll(`"semanticVersion": "${VERSION}"`, '"semanticVersion": "<VERSION>"');

test('every format exits as the terminal format does (rustup: 1; ignored: 0)', async () => {
  for (const [extra, expected] of [[[], 1], [['--ignore', 'RUSTSEC-2026-0258'], 0]] as const) {
    const terminal = await audit('rustup', [...extra]);
    assert.equal(terminal.code, expected);
    for (const format of ['json', 'sarif', 'github', 'markdown']) {
      const r = await audit('rustup', ['--format', format, ...extra]);
      assert.equal(r.code, terminal.code, `${format} ${extra.join(' ')}`);
      assert.equal(r.stderr, '', format);
    }
  }
});

test('sarif: the golden document for rustup, valid SARIF 2.1.0, at h2’s real [[package]] line', async () => {
  const r = await audit('rustup', ['--format', 'sarif']);
  assertGolden('audit-rustup.sarif.json', portable(r.stdout));
  const doc = parseSarif(r.stdout);
  assertValidSarif(doc);
  const run = doc.runs[0]!;
  assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 1, exitCodeDescription: '1 vulnerability found' }]);
  const result = run.results[0]!;
  const loc = result.locations[0]!.physicalLocation;
  assert.deepEqual(loc.artifactLocation, { uri: 'Cargo.lock', uriBaseId: '%SRCROOT%' });
  assert.equal(loc.region.startLine, packageLines(fixture('corpus', 'rustup', 'Cargo.lock')).get('h2@0.4.15'));
  assert.equal(loc.region.startLine, 813);
});

test('sarif: fingerprints are identical across runs and unique, and keep cargo-audit’s shape too', async () => {
  const first = parseSarif((await audit('tauri', ['--format', 'sarif'])).stdout).runs[0]!.results;
  const second = parseSarif((await audit('tauri', ['--format', 'sarif'])).stdout).runs[0]!.results;
  assert.deepEqual(first.map((x) => x.partialFingerprints), second.map((x) => x.partialFingerprints));
  const hashes = first.map((x) => x.partialFingerprints['cargo-sentinel/v1']);
  assert.equal(new Set(hashes).size, hashes.length);
  for (const x of first) {
    const pkg = x.locations[0]!.logicalLocations![0]!.name;
    assert.equal(x.partialFingerprints['cargo-sentinel/advisory/v1'], `${x.ruleId}:${pkg.replace('@', ':')}`);
  }
});

test('sarif on tauri: every result on its package’s line, security-severity for exactly the advisories with CVSS', async () => {
  const sarif = await audit('tauri', ['--format', 'sarif']);
  const json = JSON.parse((await audit('tauri', ['--json'])).stdout) as {
    vulnerabilities: { list: { advisory: { id: string; cvss: string | null } }[] };
    warnings: Record<string, { advisory: { id: string; cvss: string | null } | null }[]>;
  };
  const doc = parseSarif(sarif.stdout);
  assertValidSarif(doc);
  const run = doc.runs[0]!;
  const lines = packageLines(fixture('corpus', 'tauri', 'Cargo.lock'));
  const expectedCount = json.vulnerabilities.list.length + Object.values(json.warnings).flat().length;
  assert.equal(run.results.length, expectedCount);
  for (const x of run.results) {
    const loc = x.locations[0]!;
    assert.equal(loc.physicalLocation.region.startLine, lines.get(loc.logicalLocations![0]!.name), x.ruleId);
  }
  const advisories = [...json.vulnerabilities.list.map((v) => v.advisory), ...Object.values(json.warnings).flat().map((w) => w.advisory)];
  const withCvss = new Set(advisories.filter((a) => a?.cvss).map((a) => a!.id));
  const scored = securitySeverities(doc);
  assert.deepEqual(new Set(scored.map((s) => s.split(' ')[0])), withCvss);
  assert.deepEqual(
    scored,
    [
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
  // Vulnerabilities are errors; allowed warnings are warnings.
  assert.deepEqual(new Set(run.results.map((x) => `${x.level} ${x.ruleId.startsWith('RUSTSEC-') ? 'advisory' : x.ruleId}`)), new Set(['error advisory', 'warning advisory']));
});

test('github: one workflow command per finding at its Cargo.lock line, then the summary (golden)', async () => {
  const r = await audit('rustup', ['--format', 'github']);
  assertGolden('audit-rustup.github.txt', r.stdout);
  assert.equal(
    r.stdout,
    '::error file=Cargo.lock,line=813,col=1,title=RUSTSEC-2026-0258%3A h2@0.4.15::h2 0.4.15 is vulnerable to RUSTSEC-2026-0258 (h2 unbounded empty DATA frames). Upgrade to >=0.4.16 (patched)\n' +
      'cargo-sentinel audit: 1 vulnerability, 0 denied warnings, 0 allowed warnings in 346 crate dependencies\n',
  );
});

test('markdown: counts per kind and the vulnerabilities with linked advisories (golden)', async () => {
  const r = await audit('rustup', ['--format', 'markdown']);
  assertGolden('audit-rustup.md', r.stdout);
  assert.match(r.stdout, /^\| h2 \| 0\.4\.15 \| \[RUSTSEC-2026-0258\]\(https:\/\/rustsec\.org\/advisories\/RUSTSEC-2026-0258\) \|/m);
});

test('denied warnings fail in every format: bat, with its own audit.toml, and -D warnings', async () => {
  const github = await audit('bat', ['--format', 'github', '-D', 'warnings']);
  const sarif = await audit('bat', ['--format', 'sarif', '-D', 'warnings']);
  const markdown = await audit('bat', ['--format', 'markdown', '-D', 'warnings']);
  assert.deepEqual([github.code, sarif.code, markdown.code], [1, 1, 1]);
  // bat's .cargo/audit.toml ignores a third advisory.
  const commands = github.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(commands.length, 2);
  assert.ok(commands.every((c) => c.startsWith('::error file=Cargo.lock,line=')), commands.join('\n'));
  const doc = parseSarif(sarif.stdout);
  assertValidSarif(doc);
  assert.deepEqual(doc.runs[0]!.results.map((x) => `${x.level} ${x.ruleId}`), ['error RUSTSEC-2025-0141', 'error RUSTSEC-2026-0173']);
  assert.equal(doc.runs[0]!.invocations[0]!.exitCodeDescription, '2 denied warnings found');
  assert.match(markdown.stdout, /^\| unmaintained \| 2 \| \*\*yes\*\* \|$/m);
  // Allowed, the same warnings are warnings and the run passes.
  const allowed = await audit('bat', ['--format', 'github']);
  assert.equal(allowed.code, 0);
  assert.equal(allowed.stdout.split('\n').filter((l) => l.startsWith('::warning file=Cargo.lock,line=')).length, 2);
});

test('a clean audit: SARIF with no results and exit code 0, markdown says so', async () => {
  const sarif = await audit('rustup', ['--format', 'sarif', '--ignore', 'RUSTSEC-2026-0258']);
  const doc = parseSarif(sarif.stdout);
  assertValidSarif(doc);
  assert.deepEqual(doc.runs[0]!.results, []);
  assert.deepEqual(doc.runs[0]!.tool.driver.rules, []);
  assert.equal(doc.runs[0]!.invocations[0]!.exitCode, 0);
  const markdown = await audit('rustup', ['--format', 'markdown', '--ignore', 'RUSTSEC-2026-0258']);
  assert.match(markdown.stdout, /^## cargo-sentinel audit: no vulnerabilities found$/m);
  assert.doesNotMatch(markdown.stdout, /### /);
});

test('an unknown --format is bad input (exit 2), with the formats listed', async () => {
  const r = await audit('rustup', ['--format', 'xml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid value 'xml' for --format: expected one of terminal, json, sarif, github, markdown/);
  assert.equal(r.stdout, '');
});

test('a lockfile outside the working directory: an absolute file URI, never a made-up path', async () => {
  const r = await runCli(
    ['audit', '--no-fetch', '--stale', '--no-yanked', '--db', db, '--cache-dir', cacheDir, '--format', 'sarif', '--file', fixture('corpus', 'rustup', 'Cargo.lock')],
    { cwd: tempDir(), env: { CARGO_HOME: cargoHome } },
  );
  const loc = parseSarif(r.stdout).runs[0]!.results[0]!.locations[0]!.physicalLocation;
  assert.equal(loc.artifactLocation.uri, pathToFileURL(fixture('corpus', 'rustup', 'Cargo.lock')).href);
  assert.equal(loc.artifactLocation.uriBaseId, undefined);
  assert.equal(loc.region.startLine, 813);
  assert.equal(readFileSync(fixture('corpus', 'rustup', 'Cargo.lock'), 'utf8').split('\n')[812], '[[package]]');
});

test('markdown: a long table ends with one "… and N more" row (tauri without its audit.toml: 30 vulnerabilities, 5 shown)', async () => {
  const settings = resolveSettings(
    { file: 'Cargo.lock', db, noFetch: true, stale: true, noYanked: true, cacheDir },
    undefined,
    { CARGO_HOME: cargoHome },
    fixture('corpus', 'tauri'),
  );
  const report = await runAudit(settings, { status: () => {}, warn: () => {}, now: new Date('2026-09-01T00:00:00Z') });
  const text = renderAuditMarkdown(report, { maxRows: 5 });
  const vulnerabilities = text.slice(text.indexOf('### Vulnerabilities (30)'), text.indexOf('### Warnings'));
  const rows = vulnerabilities.split('\n').filter((l) => l.startsWith('| '));
  assert.equal(rows.length, 2 + 5 + 1);
  assert.equal(rows.at(-1), '| … and 25 more |  |  |  |  |  |');
  assert.equal(
    rows[2],
    '| rsa | 0.9.6 | [RUSTSEC-2023-0071](https://rustsec.org/advisories/RUSTSEC-2023-0071) | 5.9 (medium) | Marvin Attack: potential key recovery through timing sidechannels | No fixed upgrade is available! |',
  );
  // An advisory imported under CC-BY-4.0 links to its original page (attribution), as cargo-audit does.
  assert.match(text, /^\| pgp \| 0\.13\.2 \| \[RUSTSEC-2024-0447\]\(https:\/\/github\.com\/rpgp\/rpgp\/security\/advisories\/GHSA-9rmp-2568-59rv\) \| 7\.5 \(high\) \|/m);
  assert.match(text, /^\| … and 30 more \|/m);
});

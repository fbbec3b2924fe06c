/**
 * Hostile input for every parser: real inputs mutated at random (seeded), and
 * random text. The only outcomes allowed are a result or the parser's own,
 * documented error (a SentinelError of the right kind, or the typed error of a
 * pure parser) — never a TypeError, a stack overflow escaping as itself, or a
 * hang. CI runs a few thousand cases in all; `SENTINEL_FUZZ_RUNS=20000` runs more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isSentinelError, type ErrorKind } from '../../src/errors.js';
import { parseLockfile } from '../../src/workspace/lockfile.js';
import { parseManifest } from '../../src/workspace/manifest.js';
import { parseAuditConfig } from '../../src/policy/audit-config.js';
import { parseDenyConfig } from '../../src/policy/deny/index.js';
import { parseAdvisory } from '../../src/advisories/advisory.js';
import { affectedRanges, RequirementError } from '../../src/advisories/version-range.js';
import { parseExpression, parseManifestLicense, SpdxParseError, CONFIG_STRICT } from '../../src/checks/licenses/spdx.js';
import { parseMetadataText } from '../../src/workspace/metadata/metadata-source.js';
import { parseCfg, parsePlatform, CfgParseError } from '../../src/workspace/metadata/cfg.js';
import { parseIndexFile } from '../../src/advisories/yanked/index-entries.js';
import { parsePackageSpec, PackageSpecError } from '../../src/policy/package-spec.js';
import { fixture } from '../helpers/paths.js';
import { sharedCheckout } from '../helpers/git-fixtures.js';

const RUNS = Number(process.env.SENTINEL_FUZZ_RUNS ?? 1500);
/** A single parse of a few hundred KB must stay far below this; more means a hang or blow-up. */
const MAX_MS_PER_CASE = 2_000;

/** Characters that matter to TOML, JSON, Markdown fences, SPDX and semver. */
const SPECIAL = ['"', "'", '[', ']', '{', '}', '=', ',', '\n', '\r', '\0', '\\', '#', '`', '.', '-', '+', '(', ')', ':', '@', '\u00ff', '\ud800'];

type Mutation =
  | { op: 'delete'; at: number; len: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate'; at: number; len: number }
  | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 8 }), fc.constantFrom('[[package]]\n', 'version = 9\n', '"a" = 1\n', 'x'.repeat(10_000))),
  }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  let s = text;
  for (const m of mutations) {
    const at = s.length === 0 ? 0 : m.at % (s.length + 1);
    if (m.op === 'delete') s = s.slice(0, at) + s.slice(at + m.len);
    else if (m.op === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.op === 'duplicate') s = s.slice(0, at + m.len) + s.slice(at, at + m.len) + s.slice(at + m.len);
    else s = s.slice(0, at);
  }
  return s;
}

/** Runs `parse` and accepts only success or an allowed error; returns which, for coverage checks. */
function outcome(parse: () => unknown, allowed: (e: unknown) => boolean): 'ok' | 'error' {
  const started = performance.now();
  try {
    parse();
    return 'ok';
  } catch (e) {
    if (!allowed(e)) throw new Error(`unexpected ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    return 'error';
  } finally {
    const ms = performance.now() - started;
    assert.ok(ms < MAX_MS_PER_CASE, `one parse took ${ms.toFixed(0)} ms`);
  }
}

const sentinel = (kinds: ErrorKind[]) => (e: unknown) => isSentinelError(e) && kinds.includes(e.kind) && e.message.length > 0;

function fuzz(name: string, seeds: string[], parse: (text: string) => unknown, allowed: (e: unknown) => boolean, seed: number): void {
  test(`${name}: mutated real inputs give a result or a clear error`, () => {
    const seen = { ok: 0, error: 0 };
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
        seen[outcome(() => parse(mutate(seeds[i]!, ms)), allowed)]++;
      }),
      { seed, numRuns: RUNS },
    );
    // Both outcomes occur: the mutations reach the parser's error paths, and real inputs still parse.
    assert.ok(seen.error > 0, `${name}: no mutation was rejected`);
    for (const s of seeds) outcome(() => parse(s), () => false);
  });
  test(`${name}: random text gives a result or a clear error`, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        outcome(() => parse(text), allowed);
      }),
      { seed: seed + 1, numRuns: RUNS },
    );
  });
}

const read = (...p: string[]): string => readFileSync(fixture(...p), 'utf8');

fuzz('Cargo.lock', [read('corpus/ripgrep/Cargo.lock'), read('corpus/alacritty-2019/Cargo.lock')], (t) => parseLockfile(t, 'Cargo.lock'), sentinel(['input']), 11);

/** Where the fuzzed manifest claims to live: path dependencies resolve against it, and every error must name it. */
const MANIFEST = '/project/Cargo.toml';
fuzz(
  'Cargo.toml',
  [
    read('corpus/nushell/Cargo.toml'),
    read('corpus/nushell/crates/nu-command/Cargo.toml'),
    read('workspaces/confgen/Cargo.toml'),
    read('workspaces/ledger/Cargo.toml'),
    read('workspaces/logsift/Cargo.toml'),
  ],
  (t) => parseManifest(t, MANIFEST),
  (e) => isSentinelError(e) && e.kind === 'input' && e.message.length > 0 && e.place?.file === MANIFEST,
  16,
);

fuzz('audit.toml', [read('corpus/nushell/.cargo/audit.toml'), '[advisories]\nignore = [{ id = "RUSTSEC-2020-0001", reason = "x", expires = 2026-01-01 }]\n[output]\ndeny = ["warnings"]\n'], (t) => parseAuditConfig(t, 'audit.toml'), sentinel(['config']), 21);

fuzz('deny.toml', [read('corpus/cargo-deny/deny.toml'), read('corpus/wasmtime/deny.toml')], (t) => parseDenyConfig(t, 'deny.toml', { env: {}, home: '/home/u' }), sentinel(['config']), 31);

const db = sharedCheckout();
const advisoryFiles = ['crates/base64/RUSTSEC-2017-0004.md', ...readdirSync(path.join(db, 'crates', 'time')).map((f) => `crates/time/${f}`)];
/** Where a (mutated) advisory claims to live, so the id/file-name rule does not mask deeper problems. */
const claimedPath = (text: string): string =>
  `crates/${/package = "([^"\n]*)"/.exec(text)?.[1] ?? 'x'}/${/id = "([^"\n]*)"/.exec(text)?.[1] ?? 'x'}.md`;
fuzz(
  'advisory front matter',
  advisoryFiles.map((f) => readFileSync(path.join(db, f), 'utf8')),
  (t) => parseAdvisory(t, claimedPath(t)),
  (e) => isSentinelError(e),
  41,
);

const metadata = read('workspaces/confgen/metadata.placeholders.json');
fuzz('cargo metadata JSON', [metadata], (t) => parseMetadataText(t, 'metadata.json'), sentinel(['input']), 51);

fuzz('SPDX expression', ['MIT OR Apache-2.0', '(Apache-2.0 WITH LLVM-exception OR Apache-2.0) AND MIT', 'LicenseRef-Acme-Proprietary', 'GPL-2.0-or-later'], (t) => parseExpression(t, CONFIG_STRICT), (e) => e instanceof SpdxParseError, 61);

fuzz('manifest license field (strict, then lax)', ['MIT/Apache-2.0', 'Apache 2.0', 'MIT OR Apache-2.0'], (t) => parseManifestLicense(t), (e) => e instanceof SpdxParseError, 71);

fuzz('version requirements', ['>= 1.2.3, < 1.3', '^0.4.5', '=0.2.0', '>= 1.0.0-rc.2', '< 0.25.0-alpha.3'], (t) => affectedRanges([t], []), (e) => e instanceof RequirementError, 81);

fuzz('platform conditions (cfg() and triples)', ['cfg(all(target_arch = "aarch64", target_os = "linux"))', 'cfg(not(any(unix, windows)))', 'x86_64-pc-windows-gnu'], (t) => parsePlatform(t), (e) => e instanceof CfgParseError, 91);

fuzz('package specs', ['openssl', 'openssl@0.10.45', 'simple:<=0.1,>0.2'], (t) => parsePackageSpec(t), (e) => e instanceof PackageSpecError, 101);

test('sparse index files: mutated real entries never throw; bad lines are counted, not fatal', () => {
  const dir = fixture('sparse-index');
  const files = ['se/rd/serde', 'cf/g-/cfg-if', 'bi/tf/bitflags'].map((f) => readFileSync(path.join(dir, ...f.split('/')), 'utf8'));
  fc.assert(
    fc.property(fc.nat({ max: files.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
      const parsed = parseIndexFile(Buffer.from(mutate(files[i]!, ms)), 'serde');
      assert.ok(Array.isArray(parsed.entries));
      assert.ok(parsed.skipped >= 0);
    }),
    { seed: 111, numRuns: RUNS },
  );
});

test('deeply nested input does not crash the parsers', () => {
  const deep = `a = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
  outcome(() => parseDenyConfig(deep, 'deny.toml', { env: {}, home: '/h' }), sentinel(['config']));
  outcome(() => parseAuditConfig(deep, 'audit.toml'), sentinel(['config']));
  outcome(() => parseLockfile(deep, 'Cargo.lock'), sentinel(['input']));
  outcome(() => parseManifest(`[package]\nname = "a"\n${deep}`, MANIFEST), sentinel(['input']));
  outcome(() => parseMetadataText(`${'['.repeat(50_000)}${']'.repeat(50_000)}`, 'metadata.json'), sentinel(['input']));
  outcome(() => parseExpression(`${'('.repeat(10_000)}MIT${')'.repeat(10_000)}`, CONFIG_STRICT), (e) => e instanceof SpdxParseError);
  outcome(() => parseCfg(`cfg(${'not('.repeat(10_000)}unix${')'.repeat(10_001)}`), (e) => e instanceof CfgParseError);
});

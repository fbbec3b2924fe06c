import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBansConfig } from '../../../src/checks/bans/config.js';
import { bansCodes } from '../../../src/checks/bans/codes.js';
import { buildCodes } from '../../../src/checks/build/codes.js';
import { isSentinelError } from '../../../src/errors.js';
import { bansPolicy, DENY_TOML } from './policy.js';

function problems(text: string): string[] {
  try {
    bansPolicy(text);
  } catch (e) {
    assert.ok(isSentinelError(e) && e.kind === 'config', String(e));
    const all = e.problems.length > 0 ? e.problems : [{ message: e.message, place: e.place }];
    return all.map((p) => `${p.place?.line}:${p.place?.column} ${p.message}`);
  }
  assert.fail('expected a config error');
}

test("defaults are cargo-deny's (wildcards allow, as its code has it; build check off)", () => {
  assert.deepEqual(defaultBansConfig(), {
    'multiple-versions': 'warn',
    'multiple-versions-include-dev': false,
    wildcards: 'allow',
    'allow-wildcard-paths': false,
    highlight: 'all',
    deny: [],
    allow: [],
    'allow-workspace': false,
    features: [],
    skip: [],
    'skip-tree': [],
  });
  const { config } = bansPolicy('[bans.build]\n');
  assert.deepEqual(config.build, {
    executables: 'deny',
    interpreted: 'allow',
    'enable-builtin-globs': false,
    'include-dependencies': false,
    'include-workspace': false,
    'include-archives': false,
    bypass: [],
  });
});

test('every key of [bans] and [bans.build] is accepted, entries come out in one shape', () => {
  const { config } = bansPolicy(`
[bans]
multiple-versions = "deny"
multiple-versions-include-dev = true
wildcards = "warn"
allow-wildcard-paths = true
highlight = "lowest-version"
deny = ["openssl", { crate = "openssl-sys@0.9", wrappers = ["openssl"], reason = "tls", use-instead = "rustls" }]
allow = []
allow-workspace = true
features = [{ crate = "tokio", allow = ["rt"], deny = ["full"], exact = false, reason = "small" }]
external-default-features = "warn"
workspace-default-features = "allow"
skip = ["semver@0.9.0"]
skip-tree = [{ crate = "criterion", depth = 2, reason = "dev" }]
workspace-dependencies = { duplicates = "warn", include-path-dependencies = false, unused = "allow" }

[bans.build]
allow-build-scripts = ["ring"]
allow-proc-macros = ["serde_derive", { crate = "thiserror-impl", reason = "errors" }]
executables = "warn"
interpreted = "deny"
script-extensions = ["py", "cs"]
enable-builtin-globs = true
include-dependencies = true
include-workspace = true
include-archives = true

[[bans.build.bypass]]
crate = "ring"
build-script = "5392F0E58AD06E089462D93304DFE82337ACBBEFB87A0749A7DC2ED32AF04AF7"
required-features = ["std"]
allow-globs = ["crypto/**/*.pl"]
allow = [{ path = "bin/tool", checksum = "5392f0e58ad06e089462d93304dfe82337acbbefb87a0749a7dc2ed32af04af7" }, { path = "src/x.sh" }]
`);
  assert.deepEqual(config.deny.map((d) => [d.spec.text, d.wrappers, d['deny-multiple-versions'], d.reason, d['use-instead']]), [
    ['openssl', undefined, false, undefined, undefined],
    ['openssl-sys@0.9', ['openssl'], false, 'tls', 'rustls'],
  ]);
  assert.deepEqual(config['skip-tree'].map((s) => [s.spec.name, s.depth, s.reason]), [['criterion', 2, 'dev']]);
  assert.equal(config.build?.bypass[0]?.['build-script'], '5392f0e58ad06e089462d93304dfe82337acbbefb87a0749a7dc2ed32af04af7');
  assert.deepEqual(config.build?.['allow-proc-macros']?.map((e) => [e.spec.name, e.reason]), [['serde_derive', undefined], ['thiserror-impl', 'errors']]);
  assert.equal(config['workspace-dependencies']?.duplicates, 'warn');
});

test('bans.allow-build-scripts moved to bans.build.allow-build-scripts (a warning, still honoured)', () => {
  const { config } = bansPolicy('[bans]\nallow-build-scripts = ["cc"]\n');
  assert.deepEqual(config.build?.['allow-build-scripts']?.map((e) => e.spec.name), ['cc']);
});

test('config errors point at the entry: wrappers with deny-multiple-versions, a feature allowed and denied, bypass paths', () => {
  assert.deepEqual(
    problems(`[bans]
deny = [{ crate = "openssl", wrappers = ["a"], deny-multiple-versions = true }]
features = [{ crate = "x", allow = ["a", "b"], deny = ["b"] }]
[[bans.build.bypass]]
crate = "ring"
allow = [{ path = "../etc/passwd" }, { path = "/bin/sh" }, { path = "C:\\\\tools" }, { path = "ok/but/../no" }]
[[bans.build.bypass]]
crate = "cc"
allow = [{ path = "" }, { path = "src/./gen.sh" }]
`),
    [
      "2:30 `bans.deny[0].wrappers`: crate 'openssl' cannot have both 'wrappers' and 'deny-multiple-versions = true'",
      "3:56 `bans.features[0].deny[0]`: feature 'b' of crate 'x' is both allowed and denied",
      '6:12 `bans.build.bypass[0].allow[0].path`: "../etc/passwd" has a `..` component; give a path relative to the crate\'s root, without `..`',
      '6:40 `bans.build.bypass[0].allow[1].path`: "/bin/sh" is absolute; give a path relative to the crate\'s root',
      '6:62 `bans.build.bypass[0].allow[2].path`: "C:\\\\tools" is absolute; give a path relative to the crate\'s root',
      '6:86 `bans.build.bypass[0].allow[3].path`: "ok/but/../no" has a `..` component; give a path relative to the crate\'s root, without `..`',
      '9:12 `bans.build.bypass[1].allow[0].path`: the path is empty; give a path relative to the crate\'s root',
    ],
  );
});

test('other config errors: unknown keys, bad checksums, bad extensions, a crate both allowed and denied', () => {
  assert.deepEqual(problems('[bans]\nmultiple-version = "warn"\n'), ['2:1 unknown key `bans.multiple-version`']);
  assert.deepEqual(problems('[bans.build]\nscript-extensions = [".py"]\n'), [
    '2:22 `bans.build.script-extensions[0]`: expected an extension of ASCII letters and digits, without the dot',
  ]);
  assert.deepEqual(problems('[[bans.build.bypass]]\ncrate = "ring"\nbuild-script = "abc"\n'), [
    '3:1 `bans.build.bypass[0].build-script`: expected a SHA-256 checksum (64 hexadecimal digits)',
  ]);
  assert.deepEqual(problems('[bans]\ndeny = ["openssl"]\nallow = ["openssl"]\n'), ["3:10 `bans.allow[0]`: crate 'openssl' is both allowed and denied"]);
  assert.deepEqual(problems('[bans]\nwildcards = "forbid"\n'), ['2:1 `bans.wildcards`: expected one of "allow", "warn", "deny"']);
  assert.ok(DENY_TOML.endsWith('deny.toml'));
});

test('the diagnostic codes are pinned: none added or renamed by accident', () => {
  assert.deepEqual(
    bansCodes.map((c) => `${c.code}:${c.defaultSeverity}`),
    [
      'banned:error', 'allowed:note', 'not-allowed:error', 'duplicate:lint', 'skipped:note', 'skipped-by-root:note', 'wildcard:lint',
      'unmatched-skip:warning', 'unnecessary-skip:warning', 'unmatched-skip-root:warning', 'allowed-by-wrapper:note', 'unmatched-wrapper:warning',
      'unused-wrapper:warning', 'exact-features-mismatch:error', 'feature-not-explicitly-allowed:error', 'feature-banned:error', 'unknown-feature:warning',
      'default-feature-enabled:lint', 'features-unknown:note', 'dependency-kinds-unknown:note',
    ],
  );
  assert.deepEqual(
    buildCodes.map((c) => `${c.code}:${c.defaultSeverity}`),
    [
      'build-script-not-allowed:error', 'checksum-match:help', 'checksum-mismatch:error', 'denied-by-extension:error', 'detected-executable:lint',
      'detected-executable-script:lint', 'unable-to-check-path:error', 'path-bypassed:help', 'path-bypassed-by-glob:help', 'features-enabled:note',
      'unmatched-bypass:warning', 'unmatched-path-bypass:warning', 'unmatched-glob:warning', 'non-root-path:error', 'non-utf8-path:warning',
      'proc-macro-not-allowed:error', 'build-time-code:note',
    ],
  );
  assert.ok(bansCodes.every((c) => c.source === 'bans') && buildCodes.every((c) => c.source === 'build'));
});

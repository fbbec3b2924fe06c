import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBans } from '../../../src/checks/bans/check.js';
import type { PackageGraph } from '../../../src/workspace/package-graph.js';
import { loadAll, lockfileGraph, type Workspace } from './graphs.js';
import { bansPolicy } from './policy.js';
import { summarize, type Summary } from './summary.js';

let graphs = new Map<Workspace, PackageGraph>();
before(async () => {
  graphs = await loadAll();
});
const graphOf = (ws: Workspace): PackageGraph => graphs.get(ws)!;

function run(ws: Workspace, toml: string, graph = graphOf(ws)): Summary[] {
  const { config, policy } = bansPolicy(toml);
  return checkBans({ graph, config, policy }).map((d) => summarize(d, { '/policy/': '' }));
}

const codes = (diags: Summary[]): string[] => diags.map((d) => d.code);

test('ledger: openssl banned with its only direct dependent as wrapper is let through', () => {
  const diags = run('ledger', '[bans]\ndeny = [{ crate = "openssl", wrappers = ["ledger-server"] }]\n');
  assert.deepEqual(diags.filter((d) => d.code !== 'duplicate'), [
    {
      code: 'allowed-by-wrapper',
      severity: 'note',
      message: "banned crate 'openssl = 0.10.45' allowed by wrapper 'ledger-server = 0.3.0'",
      labels: ['*ledger/Cargo.lock:373 banned crate', 'deny.toml:2:11 banned here', 'deny.toml:2:42 allowed wrapper'],
    },
  ]);
});

test('ledger: a wrapper that is not the direct parent does not lift the ban', () => {
  const diags = run(
    'ledger',
    '[bans]\ndeny = [\n  { crate = "openssl-sys", wrappers = ["ledger-server"], reason = "we use rustls", use-instead = "rustls" },\n]\n',
  );
  assert.deepEqual(diags.filter((d) => d.code !== 'duplicate'), [
    {
      code: 'unmatched-wrapper',
      severity: 'warning',
      message: "direct parent 'openssl = 0.10.45' of banned crate 'openssl-sys = 0.9.80' was not marked as a wrapper",
      labels: ['*ledger/Cargo.lock:399 banned crate', 'ledger/Cargo.lock:373 direct parent', 'deny.toml:3:5 we use rustls'],
    },
    {
      code: 'banned',
      severity: 'error',
      message: "crate 'openssl-sys = 0.9.80' is explicitly banned",
      labels: ['*ledger/Cargo.lock:399 banned crate', 'deny.toml:3:5 we use rustls', 'deny.toml:3:84 use instead'],
      notes: ["use 'rustls' instead"],
    },
    {
      code: 'unused-wrapper',
      severity: 'warning',
      message: 'wrapper for banned crate was not encountered',
      labels: ["*deny.toml:3:40 unmatched wrapper 'ledger-server'"],
    },
  ]);
});

test('ledger: a plain ban, by exact version and by requirement', () => {
  const diags = run('ledger', '[bans]\ndeny = ["openssl@0.10.45", "libsqlite3-sys:<0.25", "hex"]\n');
  assert.deepEqual(diags.filter((d) => d.code !== 'duplicate'), [
    { code: 'banned', severity: 'error', message: "crate 'hex = 0.4.3' is explicitly banned", labels: ['*ledger/Cargo.lock:234 banned crate', 'deny.toml:2:52 banned here'] },
    { code: 'banned', severity: 'error', message: "crate 'openssl = 0.10.45' is explicitly banned", labels: ['*ledger/Cargo.lock:373 banned crate', 'deny.toml:2:9 banned here'] },
  ]);
});

test('ledger: semver 0.9.0 and 1.0.14 are duplicates, each labelled at its real Cargo.lock entry', () => {
  assert.deepEqual(run('ledger', ''), [
    {
      code: 'duplicate',
      severity: 'warning',
      message: "found 2 duplicate entries for crate 'semver'",
      labels: ['*ledger/Cargo.lock:572 semver = 0.9.0', '*ledger/Cargo.lock:581 semver = 1.0.14'],
    },
  ]);
  assert.equal(run('ledger', '[bans]\nmultiple-versions = "deny"\n')[0]!.severity, 'error');
  assert.deepEqual(run('ledger', '[bans]\nmultiple-versions = "allow"\n'), []);
});

test('ledger: skip takes one version out; skip-tree on the git crate takes its tree out', () => {
  assert.deepEqual(run('ledger', '[bans]\nskip = [{ crate = "semver@0.9.0", reason = "ledger-proto pins it" }, "semver@0.8"]\n'), [
    {
      code: 'skipped',
      severity: 'note',
      message: "crate 'semver = 0.9.0' skipped when checking for duplicates",
      labels: ['*ledger/Cargo.lock:572 skipped crate', 'deny.toml:2:11 ledger-proto pins it'],
    },
    {
      code: 'unmatched-skip',
      severity: 'warning',
      message: "skipped crate 'semver = =0.8' was not encountered",
      labels: ['deny.toml:2:70 unmatched skip configuration'],
    },
  ]);
  const tree = run('ledger', '[bans]\nskip-tree = ["ledger-proto"]\n');
  assert.deepEqual(tree.map((d) => d.message), [
    "skipping crate 'ledger-proto = 0.7.0' due to root skip",
    "skipping crate 'proc-macro2 = 1.0.47' due to root skip",
    "skipping crate 'quote = 1.0.21' due to root skip",
    "skipping crate 'semver = 0.9.0' due to root skip",
    "skipping crate 'semver-parser = 0.7.0' due to root skip",
    "skipping crate 'serde = 1.0.152' due to root skip",
    "skipping crate 'serde_derive = 1.0.152' due to root skip",
    "skipping crate 'syn = 1.0.107' due to root skip",
    "skipping crate 'unicode-ident = 1.0.0' due to root skip",
  ]);
  assert.deepEqual(tree[3]!.labels, ['*ledger/Cargo.lock:572 skipped crate', 'deny.toml:2:14 matched skip root']);
});

test('skip-tree depth: the root is level 1', () => {
  // depth 1 is the git crate alone: semver 0.9.0 still counts.
  assert.deepEqual(codes(run('ledger', '[bans]\nskip-tree = [{ crate = "ledger-proto", depth = 1 }]\n')), ['skipped-by-root', 'duplicate']);
  assert.deepEqual(codes(run('ledger', '[bans]\nskip-tree = [{ crate = "ledger-proto", depth = 2 }]\n')), ['skipped-by-root', 'skipped-by-root', 'skipped-by-root']);
  assert.deepEqual(run('ledger', '[bans]\nskip-tree = [{ crate = "no-such-crate", depth = 2 }]\n')[0], {
    code: 'unmatched-skip-root',
    severity: 'warning',
    message: 'skip tree root was not found in the dependency graph',
    labels: ['deny.toml:2:16 no crate matched these criteria'],
  });
});

test('logsift: clap 2.34.0 comes only through dev-dependencies (criterion), so it is no duplicate unless include-dev', () => {
  assert.deepEqual(run('logsift', '[bans]\nmultiple-versions = "deny"\n'), []);
  assert.deepEqual(run('logsift', '[bans]\nmultiple-versions = "deny"\nmultiple-versions-include-dev = true\n'), [
    {
      code: 'duplicate',
      severity: 'error',
      message: "found 2 duplicate entries for crate 'clap'",
      labels: ['*logsift/Cargo.lock:107 clap = 2.34.0', '*logsift/Cargo.lock:118 clap = 4.0.32'],
    },
  ]);
});

test('logsift: without include-dev a skip of a dev-only crate is never consulted, so it is unmatched', () => {
  assert.deepEqual(run('logsift', '[bans]\nskip = ["clap@2.34.0"]\n'), [
    { code: 'unmatched-skip', severity: 'warning', message: "skipped crate 'clap = =2.34.0' was not encountered", labels: ['deny.toml:2:9 unmatched skip configuration'] },
  ]);
  assert.deepEqual(run('logsift', '[bans]\nmultiple-versions-include-dev = true\nskip = ["clap@2.34.0"]\n'), [
    {
      code: 'skipped',
      severity: 'note',
      message: "crate 'clap = 2.34.0' skipped when checking for duplicates",
      labels: ['*logsift/Cargo.lock:107 skipped crate', 'deny.toml:3:9 skipped here'],
    },
  ]);
});

test('logsift: skip-tree criterion with include-dev: depth 1 leaves clap 2 a duplicate, depth 2 covers it', () => {
  const shallow = run('logsift', '[bans]\nmultiple-versions-include-dev = true\nskip-tree = [{ crate = "criterion", depth = 1 }]\n');
  assert.deepEqual(codes(shallow), ['skipped-by-root', 'duplicate']);
  const deep = run('logsift', '[bans]\nmultiple-versions-include-dev = true\nskip-tree = [{ crate = "criterion", depth = 2 }]\n');
  assert.equal(deep.filter((d) => d.code === 'duplicate').length, 0);
  assert.ok(deep.some((d) => d.message === "skipping crate 'clap = 2.34.0' due to root skip"));
});

test('confgen: clap 3.2.23 (xtask) and 4.0.32; a skip of one version that is no duplicate is unnecessary', () => {
  assert.deepEqual(run('confgen', '[bans]\nskip = ["clap@3.2.23", "walkdir"]\n'), [
    {
      code: 'skipped',
      severity: 'note',
      message: "crate 'clap = 3.2.23' skipped when checking for duplicates",
      labels: ['*confgen/Cargo.lock:48 skipped crate', 'deny.toml:2:9 skipped here'],
    },
    {
      code: 'skipped',
      severity: 'note',
      message: "crate 'walkdir = 2.3.2' skipped when checking for duplicates",
      labels: ['*confgen/Cargo.lock:377 skipped crate', 'deny.toml:2:24 skipped here'],
    },
    { code: 'unnecessary-skip', severity: 'warning', message: "skip 'walkdir' applied to a crate with only one version", labels: ['deny.toml:2:24 unnecessary skip configuration'] },
  ]);
  const tree = run('confgen', '[bans]\nskip-tree = [{ crate = "xtask", depth = 2, reason = "internal tool" }]\n');
  assert.deepEqual(tree.map((d) => d.message), [
    "skipping crate 'clap = 3.2.23' due to root skip",
    "skipping crate 'walkdir = 2.3.2' due to root skip",
    "skipping crate 'xtask = 0.0.0' due to root skip",
  ]);
  assert.deepEqual(tree[0]!.labels, ['*confgen/Cargo.lock:48 skipped crate', 'deny.toml:2:16 internal tool']);
});

test('deny-multiple-versions makes a duplicate an error even when multiple-versions is allow', () => {
  assert.deepEqual(run('confgen', '[bans]\nmultiple-versions = "allow"\ndeny = [{ crate = "clap", deny-multiple-versions = true }]\n'), [
    {
      code: 'duplicate',
      severity: 'error',
      message: "found 2 duplicate entries for crate 'clap'",
      labels: ['*confgen/Cargo.lock:48 clap = 3.2.23', '*confgen/Cargo.lock:65 clap = 4.0.32'],
    },
  ]);
});

test("ledger: wildcards, at the dependency's line in the member's Cargo.toml", () => {
  assert.deepEqual(run('ledger', '[bans]\nwildcards = "deny"\nmultiple-versions = "allow"\n'), [
    {
      code: 'wildcard',
      severity: 'error',
      message: "found 2 wildcard dependencies for crate 'ledger-core'",
      // ledger-proto.workspace = true (a git dependency without a version) and itoa = "*".
      labels: ['*ledger/crates/ledger-core/Cargo.toml:12 wildcard crate entry', '*ledger/crates/ledger-core/Cargo.toml:17 wildcard crate entry'],
    },
    {
      code: 'wildcard',
      severity: 'error',
      message: "found 2 wildcard dependencies for crate 'ledger-server'",
      labels: ['*ledger/crates/ledger-server/Cargo.toml:14 wildcard crate entry', '*ledger/crates/ledger-server/Cargo.toml:15 wildcard crate entry'],
    },
  ]);
  assert.deepEqual(run('ledger', '[bans]\nmultiple-versions = "allow"\n'), [], 'wildcards are allowed by default');
});

test('allow-wildcard-paths lets path deps of a private crate through, not a public crate', () => {
  assert.deepEqual(run('ledger', '[bans]\nwildcards = "warn"\nallow-wildcard-paths = true\nmultiple-versions = "allow"\n'), [
    {
      code: 'wildcard',
      severity: 'warning',
      message:
        "found 2 wildcard dependencies for crate 'ledger-core'. allow-wildcard-paths is enabled, but does not apply to public crates as crates.io disallows path dependencies.",
      labels: ['*ledger/crates/ledger-core/Cargo.toml:12 wildcard crate entry', '*ledger/crates/ledger-core/Cargo.toml:17 wildcard crate entry'],
    },
  ]);
});

test('allow list: everything not listed is not allowed; allow-workspace exempts the members', () => {
  const toml = '[bans]\nmultiple-versions = "allow"\nallow = ["clap", { crate = "walkdir", reason = "xtask walks the tree" }]\n';
  const diags = run('confgen', toml);
  const graph = graphOf('confgen');
  assert.equal(diags.length, graph.packages.size);
  assert.deepEqual(diags.filter((d) => d.code === 'allowed'), [
    { code: 'allowed', severity: 'note', message: "crate 'clap = 3.2.23' is explicitly allowed", labels: ['*confgen/Cargo.lock:48 allowed crate', 'deny.toml:3:10 allowed here'] },
    { code: 'allowed', severity: 'note', message: "crate 'clap = 4.0.32' is explicitly allowed", labels: ['*confgen/Cargo.lock:65 allowed crate', 'deny.toml:3:10 allowed here'] },
    { code: 'allowed', severity: 'note', message: "crate 'walkdir = 2.3.2' is explicitly allowed", labels: ['*confgen/Cargo.lock:377 allowed crate', 'deny.toml:3:20 xtask walks the tree'] },
  ]);
  assert.deepEqual(diags.find((d) => d.message.startsWith("crate 'xtask")), {
    code: 'not-allowed',
    severity: 'error',
    message: "crate 'xtask = 0.0.0' is not explicitly allowed",
    labels: ['*confgen/Cargo.lock:419 not in `bans.allow`', 'deny.toml:3:1 allowed crates'],
  });
  const workspace = run('confgen', toml.replace('[bans]\n', '[bans]\nallow-workspace = true\n'));
  assert.equal(workspace.length, graph.packages.size - 3);
  assert.ok(!workspace.some((d) => /'(confgen|confgen-derive|xtask) =/.test(d.message)));
});

test('allow-workspace also exempts members from deny', () => {
  assert.equal(run('confgen', '[bans]\nmultiple-versions = "allow"\ndeny = ["xtask"]\n').length, 1);
  assert.deepEqual(run('confgen', '[bans]\nmultiple-versions = "allow"\nallow-workspace = true\ndeny = ["xtask"]\n'), []);
});

test('ledger: feature rules on the resolved features', () => {
  const toml = [
    '[bans]',
    'multiple-versions = "allow"',
    'workspace-default-features = "deny"',
    '[[bans.features]]',
    'crate = "ledger-server"',
    'deny = ["tls"]',
    '[[bans.features]]',
    'crate = "uuid"',
    'allow = ["v4", "serde", "std", "default"]',
    '[[bans.features]]',
    'crate = "rusqlite"',
    'allow = ["uuid", "serde_json", "bundled"]',
    'exact = true',
    '[[bans.features]]',
    'crate = "openssl"',
    'allow = ["default"]',
    'deny = ["vendored", "no-such"]',
    '[[bans.features]]',
    'crate = "tokio"',
    'allow = ["rt", "macros"]',
    '',
  ].join('\n');
  assert.deepEqual(run('ledger', toml), [
    {
      code: 'default-feature-enabled',
      severity: 'error',
      message: "'default' feature enabled for crate 'ledger-server = 0.3.0'",
      labels: ['*ledger/Cargo.lock:274 crate with its default feature enabled', 'deny.toml:3:1 lint level'],
    },
    { code: 'feature-banned', severity: 'error', message: "feature 'tls' for crate 'ledger-server = 0.3.0' is explicitly denied", labels: ['*ledger/Cargo.lock:274 crate', 'deny.toml:6:9 feature denied here'] },
    {
      code: 'default-feature-enabled',
      severity: 'error',
      message: "'default' feature enabled for crate 'ledger-store = 0.3.0'",
      labels: ['*ledger/Cargo.lock:292 crate with its default feature enabled', 'deny.toml:3:1 lint level'],
    },
    { code: 'unknown-feature', severity: 'warning', message: "found unknown feature 'no-such' for crate 'openssl = 0.10.45'", labels: ['deny.toml:17:21 unknown feature'] },
    {
      code: 'exact-features-mismatch',
      severity: 'error',
      message: "feature set for crate 'rusqlite = 0.28.0' did not match exactly",
      labels: ['*ledger/Cargo.lock:544 crate', 'deny.toml:13:1 exact enabled here', 'deny.toml:12:32 allowed feature not present'],
    },
    // `macros` enables `tokio-macros`, so that one is covered.
    ...['default', 'libc', 'mio', 'net', 'num_cpus', 'rt-multi-thread', 'signal', 'signal-hook-registry', 'socket2', 'sync', 'time', 'winapi'].map((f) => ({
      code: 'feature-not-explicitly-allowed',
      severity: 'error',
      message: `feature '${f}' for crate 'tokio = 1.24.2' was not explicitly allowed`,
      labels: ['*ledger/Cargo.lock:738 crate', 'deny.toml:20:1 allowed features'],
    })),
  ]);
});

test('a Cargo.lock-only graph (no sources on disk) gets no feature verdicts, and a note for features and for dev-only crates', async () => {
  const graph = await lockfileGraph('ledger');
  assert.equal(graph.origin, 'lockfile');
  assert.deepEqual(run('ledger', '[bans]\nexternal-default-features = "deny"\n[[bans.features]]\ncrate = "tokio"\ndeny = ["rt"]\n', graph), [
    {
      code: 'features-unknown',
      severity: 'note',
      message: 'enabled features are unknown for the graph (no cargo metadata): feature rules were not checked for them',
      labels: ['deny.toml:3:1 feature rules'],
    },
    {
      code: 'dependency-kinds-unknown',
      severity: 'note',
      message: 'dependency kinds are not all known (the graph comes from Cargo.lock without cargo metadata): a crate only dev-dependencies bring in may be counted as a duplicate',
      labels: [],
    },
    {
      code: 'duplicate',
      severity: 'warning',
      message: "found 2 duplicate entries for crate 'semver'",
      labels: ['*ledger/Cargo.lock:572 semver = 0.9.0', '*ledger/Cargo.lock:581 semver = 1.0.14'],
    },
  ]);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBuild } from '../../../src/checks/build/check.js';
import { gatherBuildFacts } from '../../../src/checks/build/gather.js';
import type { PackageGraph, PackageNode } from '../../../src/workspace/package-graph.js';
import { fixture } from '../../helpers/paths.js';
import { loadAll, type Workspace } from '../bans/graphs.js';
import { bansPolicy } from '../bans/policy.js';
import { summarize, type Summary } from '../bans/summary.js';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function run(graph: PackageGraph, toml: string, roots: Record<string, string> = {}): Summary[] {
  const { config, policy } = bansPolicy(toml);
  const facts = gatherBuildFacts(graph, config.build!);
  return checkBuild({ graph, config: config.build, facts, policy }).map((d) => summarize(d, { '/policy/': '', ...roots }));
}

let graphs = new Map<Workspace, PackageGraph>();
before(async () => {
  graphs = await loadAll();
});
const fixtureGraph = (ws: Workspace): PackageGraph => graphs.get(ws)!;

const only = (diags: Summary[], ...codes: string[]): Summary[] => diags.filter((d) => codes.includes(d.code));

test('without [bans.build] the build check is off', () => {
  const graph = fixtureGraph('ledger');
  const { config, policy } = bansPolicy('');
  assert.equal(config.build, undefined);
  assert.deepEqual(checkBuild({ graph, config: config.build, facts: { crates: new Map() }, policy }), []);
});

test('ledger: every crate that runs code at compile time is listed once', () => {
  const diags = run(fixtureGraph('ledger'), '[bans.build]\n');
  assert.deepEqual(codes(diags), Array(33).fill('build-time-code'));
  assert.deepEqual(
    diags.filter((d) => /'(openssl-sys|serde_derive|tokio-macros) /.test(d.message)),
    [
      {
        code: 'build-time-code',
        severity: 'note',
        message: "crate 'openssl-sys = 0.9.80' runs code at compile time (build script)",
        labels: ['*ledger/Cargo.lock:399 compile-time crate'],
        // The registry-src fixtures hold manifests and licenses only.
        notes: ["build-script = '$crate/build/main.rs'", 'sha256 = unknown (ENOENT: no such file or directory)'],
      },
      {
        code: 'build-time-code',
        severity: 'note',
        message: "crate 'serde_derive = 1.0.152' runs code at compile time (build script and proc-macro)",
        labels: ['*ledger/Cargo.lock:602 compile-time crate'],
        notes: ["build-script = '$crate/build.rs'", 'sha256 = unknown (ENOENT: no such file or directory)'],
      },
      {
        code: 'build-time-code',
        severity: 'note',
        message: "crate 'tokio-macros = 1.7.0' runs code at compile time (proc-macro)",
        labels: ['*ledger/Cargo.lock:755 compile-time crate'],
      },
    ],
  );
});

const codes = (diags: Summary[]): string[] => diags.map((d) => d.code);

test('logsift: its own build.rs is listed with its real SHA-256, and a build script outside the allow list is an error', () => {
  const buildRs = readFileSync(fixture('workspaces', 'logsift', 'build.rs'));
  const diags = run(fixtureGraph('logsift'), '[bans.build]\nallow-build-scripts = ["ring", "libc:0.2", "proc-macro2@1.0.47"]\n');
  const logsift = diags.filter((d) => d.message.includes("'logsift = 0.4.2'"));
  assert.deepEqual(logsift, [
    {
      code: 'build-time-code',
      severity: 'note',
      message: "crate 'logsift = 0.4.2' runs code at compile time (build script)",
      labels: ['*logsift/Cargo.lock:451 compile-time crate'],
      notes: ["build-script = '$crate/build.rs'", `sha256 = ${sha256(buildRs)}`],
    },
    {
      code: 'build-script-not-allowed',
      severity: 'error',
      message: "crate 'logsift = 0.4.2' has a build script but is not allowed to have one",
      labels: ['*logsift/Cargo.lock:451 crate with a build script', 'deny.toml:2:1 crates allowed to have a build script'],
      notes: ['the `bans.build.allow-build-scripts` field did not contain a match for the crate', "build-script = '$crate/build.rs'", `sha256 = ${sha256(buildRs)}`],
    },
  ]);
  const notAllowed = only(diags, 'build-script-not-allowed').map((d) => /'([^ ]+) =/.exec(d.message)![1]);
  assert.equal(notAllowed.length, 33 - 3);
  assert.ok(!notAllowed.includes('ring') && !notAllowed.includes('libc') && !notAllowed.includes('proc-macro2'));
});

test('confgen: a proc-macro outside allow-proc-macros (the workspace member confgen-derive) is an error', () => {
  const diags = run(fixtureGraph('confgen'), '[bans.build]\nallow-proc-macros = ["clap_derive", { crate = "proc-macro-error-attr", reason = "clap" }]\n');
  assert.deepEqual(only(diags, 'proc-macro-not-allowed'), [
    {
      code: 'proc-macro-not-allowed',
      severity: 'error',
      message: "crate 'confgen-derive = 1.0.0-rc.1' is a proc-macro but is not allowed to be one",
      labels: ['*confgen/Cargo.lock:113 proc-macro crate', 'deny.toml:2:1 crates allowed to be proc-macros'],
      notes: ['the `bans.build.allow-proc-macros` field did not contain a match for the crate'],
    },
  ]);
  // `[]` allows none.
  assert.deepEqual(
    only(run(fixtureGraph('confgen'), '[bans.build]\nallow-proc-macros = []\n'), 'proc-macro-not-allowed').map((d) => d.message),
    [
      "crate 'clap_derive = 3.2.18' is a proc-macro but is not allowed to be one",
      "crate 'confgen-derive = 1.0.0-rc.1' is a proc-macro but is not allowed to be one",
      "crate 'proc-macro-error-attr = 1.0.3' is a proc-macro but is not allowed to be one",
    ],
  );
});

test('include-workspace scans the members; the fixture sources hold nothing executable', () => {
  const graph = fixtureGraph('confgen');
  const { config } = bansPolicy('[bans.build]\ninclude-workspace = true\n');
  const facts = gatherBuildFacts(graph, config.build!);
  const derive = [...facts.crates.values()].find((c) => c.id.startsWith('confgen-derive'))!;
  assert.equal(derive.scanned, true);
  assert.deepEqual(derive.files.map((f) => [f.path, f.sniffed?.kind]), [
    ['Cargo.toml', 'other'],
    ['src/lib.rs', 'other'],
  ]);
  const without = gatherBuildFacts(graph, bansPolicy('[bans.build]\n').config.build!);
  assert.equal([...without.crates.values()].find((c) => c.id.startsWith('confgen-derive'))!.scanned, false);
});

test('include-dependencies also scans every crate feeding a compile-time crate', () => {
  const graph = fixtureGraph('confgen');
  const plain = gatherBuildFacts(graph, bansPolicy('[bans.build]\n').config.build!);
  const deps = gatherBuildFacts(graph, bansPolicy('[bans.build]\ninclude-dependencies = true\n').config.build!);
  const scanned = (f: typeof plain) => [...f.crates.values()].filter((c) => c.scanned).map((c) => c.id).sort();
  // unicode-ident feeds proc-macro2, which feeds every proc-macro.
  assert.ok(!scanned(plain).some((id) => id.startsWith('unicode-ident')));
  assert.ok(scanned(deps).some((id) => id.startsWith('unicode-ident')));
  assert.ok(scanned(deps).length > scanned(plain).length);
});

// A crate directory with real files, standing in for openssl-sys's sources.
let dir = '';
const BUILD_RS = 'fn main() {\n    println!("cargo:rustc-link-lib=ssl");\n}\n';
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);
const PE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62)]);

before(() => {
  dir = path.join(mkdtempSync(path.join(tmpdir(), 'sentinel-build-')), 'openssl-sys-0.9.80');
  const put = (rel: string, data: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), data);
  };
  put('Cargo.toml', '[package]\nname = "openssl-sys"\nversion = "0.9.80"\nbuild = "build/main.rs"\n');
  put('build/main.rs', BUILD_RS);
  put('bin/tool', ELF);
  put('tools/setup.exe', PE);
  put('lib/libfoo.a', Buffer.from('!<arch>\n/               0           0     0     0       4         `\n'));
  put('scripts/gen.sh', '#!/bin/sh\necho generated\n');
  put('scripts/gen.py', "print('generated')\n");
  put('scripts/run', '#!/usr/bin/env -S python3 -u\nprint(1)\n');
  put('src/lib.rs', '#![no_std]\n');
  // Not the crate's files: a nested package and a git directory.
  put('vendor/sub/Cargo.toml', '[package]\nname = "sub"\n');
  put('vendor/sub/evil', ELF);
  put('.git/hooks/pre-commit', ELF);
  symlinkSync('/etc', path.join(dir, 'escape'));
  writeFileSync(Buffer.concat([Buffer.from(dir + path.sep), Buffer.from([0x62, 0x61, 0x64, 0xff])]), 'x');
});

after(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

function ledgerWithLocalOpensslSys(features?: string[]): PackageGraph {
  const graph = fixtureGraph('ledger');
  const packages = new Map<string, PackageNode>();
  for (const [id, node] of graph.packages) {
    packages.set(
      id,
      node.name !== 'openssl-sys'
        ? node
        : { ...node, manifestPath: path.join(dir, 'Cargo.toml'), buildScript: path.join(dir, 'build', 'main.rs'), enabledFeatures: features ?? node.enabledFeatures },
    );
  }
  return { ...graph, packages };
}

const opensslSys = (diags: Summary[]): Summary[] => diags.filter((d) => d.code !== 'build-time-code' || d.message.includes('openssl-sys'));

test('a bypass with a wrong build-script checksum: a warning with the calculated checksum, then the full scan', () => {
  const toml = `[bans.build]
interpreted = "warn"
enable-builtin-globs = true

[[bans.build.bypass]]
crate = "openssl-sys"
build-script = "${'a'.repeat(64)}"
allow = [
  { path = "tools/setup.exe", checksum = "${sha256(PE)}" },
  { path = "bin/tool", checksum = "${'b'.repeat(64)}" },
  { path = "missing/file" },
]
allow-globs = ["scripts/*.py", "docs/**"]

[[bans.build.bypass]]
crate = "not-in-the-graph"
`;
  const diags = opensslSys(run(ledgerWithLocalOpensslSys(), toml, { [dir]: '$openssl-sys' }));
  const crate = '*ledger/Cargo.lock:399 crate';
  assert.deepEqual(diags, [
    {
      code: 'build-time-code',
      severity: 'note',
      message: "crate 'openssl-sys = 0.9.80' runs code at compile time (build script)",
      labels: ['*ledger/Cargo.lock:399 compile-time crate'],
      notes: ["build-script = '$crate/build/main.rs'", `sha256 = ${sha256(BUILD_RS)}`],
    },
    {
      code: 'checksum-mismatch',
      severity: 'warning',
      message: `file did not match the expected checksum: calculated ${sha256(BUILD_RS)}`,
      labels: [crate, 'deny.toml:7:1 expected checksum'],
      notes: ["path = '$crate/build/main.rs'", `expected = ${'a'.repeat(64)}`, `calculated = ${sha256(BUILD_RS)}`],
    },
    {
      code: 'non-utf8-path',
      severity: 'warning',
      message: 'path is not valid UTF-8',
      labels: [crate],
      notes: ["path = '$crate/bad\uFFFD'", 'error = the file name is not valid UTF-8; it was not checked'],
    },
    {
      code: 'non-root-path',
      severity: 'error',
      message: "path is outside the crate's root directory",
      labels: [crate],
      notes: ["path = '$crate/escape'", "error = symbolic link to '/etc', outside the crate's directory; not followed"],
    },
    {
      code: 'checksum-mismatch',
      severity: 'error',
      message: `file did not match the expected checksum: calculated ${sha256(ELF)}`,
      labels: [crate, 'deny.toml:10:24 expected checksum'],
      notes: ["path = '$crate/bin/tool'", `expected = ${'b'.repeat(64)}`, `calculated = ${sha256(ELF)}`],
    },
    { code: 'path-bypassed-by-glob', severity: 'help', message: 'file allowed by glob', labels: [crate, "deny.toml:13:16 glob 'scripts/*.py'"], notes: ["path = '$crate/scripts/gen.py'"] },
    { code: 'denied-by-extension', severity: 'error', message: 'path disallowed by extension', labels: [crate], notes: ["path = '$crate/scripts/gen.sh'", "builtin glob '*.sh'"] },
    {
      code: 'detected-executable-script',
      severity: 'warning',
      message: 'detected executable',
      labels: [crate, 'deny.toml:2:1 lint level'],
      notes: ["path = '$crate/scripts/run'", "interpreter = 'python3'"],
    },
    {
      code: 'path-bypassed',
      severity: 'help',
      message: 'file explicitly allowed',
      labels: [crate, 'deny.toml:9:5 allowed path', 'deny.toml:9:31 matched checksum'],
      notes: ["path = '$crate/tools/setup.exe'"],
    },
    { code: 'unmatched-path-bypass', severity: 'warning', message: 'allowed path was not encountered', labels: ["*deny.toml:11:5 'missing/file'"] },
    { code: 'unmatched-glob', severity: 'warning', message: 'glob was not encountered', labels: ["*deny.toml:13:32 'docs/**'"] },
    { code: 'unmatched-bypass', severity: 'warning', message: 'crate build bypass was not encountered', labels: ['*deny.toml:16:1 unmatched bypass'] },
  ]);
});

test('a bypass whose build-script checksum matches skips the scan; an enabled required feature does not', () => {
  const toml = `[bans.build]
[[bans.build.bypass]]
crate = "openssl-sys"
build-script = "${sha256(BUILD_RS)}"
required-features = ["vendored"]
allow-globs = ["never/**"]
`;
  assert.deepEqual(opensslSys(run(ledgerWithLocalOpensslSys(), toml)).slice(1), [
    { code: 'checksum-match', severity: 'help', message: 'file checksum matched', labels: ['*ledger/Cargo.lock:399 crate', 'deny.toml:4:1 checksum'], notes: ["path = '$crate/build/main.rs'"] },
  ]);
  const scanned = opensslSys(run(ledgerWithLocalOpensslSys(['vendored']), toml));
  assert.deepEqual(scanned[1], {
    code: 'features-enabled',
    severity: 'note',
    message: '1 features enabled for crate with build script, checking sources',
    labels: ['*ledger/Cargo.lock:399 crate', 'deny.toml:5:22 enabled'],
  });
  assert.deepEqual(codes(scanned).slice(2), ['non-utf8-path', 'non-root-path', 'detected-executable', 'detected-executable-script', 'detected-executable-script', 'detected-executable', 'unmatched-glob']);
});

test('native executables by their magic bytes: ELF, PE, and archives only with include-archives; script extensions', () => {
  const diags = only(
    run(ledgerWithLocalOpensslSys(), '[bans.build]\nexecutables = "warn"\ninclude-archives = true\nscript-extensions = ["py"]\n'),
    'detected-executable',
    'detected-executable-script',
    'denied-by-extension',
  );
  assert.deepEqual(
    diags.map((d) => [d.code, d.severity, ...(d.notes ?? [])]),
    [
      ['detected-executable', 'warning', "path = '$crate/bin/tool'", "executable-kind = 'elf'"],
      ['detected-executable', 'warning', "path = '$crate/lib/libfoo.a'", "executable-kind = 'archive'"],
      ['denied-by-extension', 'error', "path = '$crate/scripts/gen.py'"],
      ['detected-executable-script', 'note', "path = '$crate/scripts/gen.sh'", "interpreter = 'sh'"],
      ['detected-executable-script', 'note', "path = '$crate/scripts/run'", "interpreter = 'python3'"],
      ['detected-executable', 'warning', "path = '$crate/tools/setup.exe'", "executable-kind = 'pe'"],
    ],
  );
  assert.deepEqual(diags[2]!.labels, ['*ledger/Cargo.lock:399 crate', "deny.toml:4:22 glob '*.py'"]);
});

test('gather limits: a crate with more files than the bound is reported, not walked to the end', () => {
  const graph = ledgerWithLocalOpensslSys();
  const facts = gatherBuildFacts(graph, bansPolicy('[bans.build]\n').config.build!, { maxFiles: 3, maxDepth: 32, maxHashBytes: 1024 });
  const crate = [...facts.crates.values()].find((c) => c.id.startsWith('openssl-sys'))!;
  assert.equal(crate.files.length, 3);
  assert.ok(crate.problems.some((p) => p.code === 'unable-to-check-path' && p.error === 'stopped after 3 files; the rest of the crate was not checked'));
});

test('a compile-time crate whose sources are not on disk cannot be checked', () => {
  const graph = fixtureGraph('ledger');
  const packages = new Map([...graph.packages].map(([id, n]) => [id, n.name === 'openssl-sys' ? { ...n, manifestPath: '/nonexistent/openssl-sys-0.9.80/Cargo.toml' } : n]));
  const diags = run({ ...graph, packages }, '[bans.build]\n').filter((d) => d.code !== 'build-time-code');
  assert.deepEqual(diags, [
    {
      code: 'unable-to-check-path',
      severity: 'error',
      message: 'unable to check if path is an executable',
      labels: ['*ledger/Cargo.lock:399 crate'],
      notes: ["path = '$crate/.'", "error = the crate's sources are not on disk (cargo fetch downloads them)"],
    },
  ]);
});


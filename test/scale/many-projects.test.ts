/**
 * Many projects in one run: `audit --file fixtures/corpus` finds the 13
 * corpus lockfiles, reports each exactly as the RustSec reference does, a
 * total that is their sum and the worst exit code; `report` over two projects
 * writes one document with a part per project and the total.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { corpusProjects, fixture, repoRoot } from '../helpers/paths.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { findLockfiles } from '../../src/audit/lockfiles.js';
import { REPORT_SET_SCHEMA, type AuditReportSet } from '../../src/report/audit-report/index.js';

interface Finding {
  id: string;
  kind: string;
  package: string;
  version: string;
}

interface CargoAuditJson {
  vulnerabilities: { count: number; list: { advisory: { id: string }; package: { name: string; version: string } }[] };
  warnings: Record<string, { advisory: { id: string } | null; package: { name: string; version: string } }[]>;
}

interface ProjectsJson {
  projects: Array<{ lockfile: string; report?: CargoAuditJson; error?: { kind: string; message: string } }>;
  total: { vulnerabilities: number; warnings: number; projects: number; failed: number };
}

const db = sharedCheckout();
const cacheDir = tempDir('sentinel-cache-');
const offline = ['--no-fetch', '--stale', '--no-yanked', '--db', db, '--cache-dir', cacheDir];
const key = (f: Finding): string => `${f.id} ${f.kind} ${f.package} ${f.version}`;

const expectedOf = (project: string): string[] =>
  (JSON.parse(readFileSync(fixture('expected/advisories', `${project}.json`), 'utf8')) as Finding[])
    .filter((e) => e.kind !== 'withdrawn-skipped')
    .map(key)
    .sort();

const foundIn = (report: CargoAuditJson): string[] =>
  [
    ...report.vulnerabilities.list.map((v) => key({ id: v.advisory.id, kind: 'vulnerability', package: v.package.name, version: v.package.version })),
    ...Object.entries(report.warnings).flatMap(([kind, list]) => list.map((w) => key({ id: w.advisory!.id, kind, package: w.package.name, version: w.package.version }))),
  ].sort();

test('the directory fixtures/corpus holds exactly the 13 corpus lockfiles', () => {
  const targets = findLockfiles(['fixtures/corpus'], repoRoot);
  assert.equal(targets.multi, true);
  assert.deepEqual(
    targets.lockfiles.map((f) => path.relative(fixture('corpus'), f)),
    [...corpusProjects].map((p) => `${p}/Cargo.lock`).sort(),
  );
});

test('audit --json --file fixtures/corpus: every project as the reference, the total their sum, exit 1', async () => {
  const r = await runCli(['audit', '--json', ...offline, '--file', 'fixtures/corpus'], { cwd: repoRoot });
  const doc = JSON.parse(r.stdout) as ProjectsJson;
  assert.deepEqual(doc.projects.map((p) => p.lockfile), [...corpusProjects].map((p) => `fixtures/corpus/${p}/Cargo.lock`).sort());
  let vulnerabilities = 0;
  let warnings = 0;
  for (const p of doc.projects) {
    const project = p.lockfile.split('/')[2]!;
    assert.deepEqual(foundIn(p.report!), expectedOf(project), project);
    vulnerabilities += expectedOf(project).filter((f) => f.split(' ')[1] === 'vulnerability').length;
    warnings += expectedOf(project).filter((f) => f.split(' ')[1] !== 'vulnerability').length;
  }
  assert.deepEqual(doc.total, { vulnerabilities, warnings, projects: 13, failed: 0 });
  assert.deepEqual([vulnerabilities, warnings], [109, 127]);
  assert.equal(r.code, 1);
});

test('one --file naming a file keeps cargo-audit\'s own JSON, unchanged', async () => {
  const single = await runCli(['audit', '--json', ...offline, '--file', fixture('corpus', 'fd', 'Cargo.lock')]);
  const doc = JSON.parse(single.stdout) as CargoAuditJson & { projects?: unknown };
  assert.equal(doc.projects, undefined);
  assert.deepEqual(foundIn(doc), expectedOf('fd'));
});

test('a clean project and one that cannot be read: exit 2 (the worst), the failure in its place, the rest audited', async () => {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, 'broken'));
  writeFileSync(path.join(cwd, 'broken', 'Cargo.lock'), 'version = 4\n[[package]]\nname = "x"\n');
  cpSync(fixture('corpus', 'ripgrep', 'Cargo.lock'), path.join(cwd, 'ripgrep.lock'));
  const r = await runCli(['audit', '--json', ...offline, '--file', 'broken', '--file', 'ripgrep.lock'], { cwd });
  const doc = JSON.parse(r.stdout) as ProjectsJson;
  assert.deepEqual(doc.projects.map((p) => [p.lockfile, p.report ? 'report' : p.error!.kind]), [
    ['broken/Cargo.lock', 'input'],
    ['ripgrep.lock', 'report'],
  ]);
  assert.match(doc.projects[0]!.error!.message, /broken\/Cargo\.lock:2: package `x` has no `version`/);
  assert.deepEqual(doc.total, { vulnerabilities: 0, warnings: 0, projects: 2, failed: 1 });
  assert.equal(r.code, 2);
});

test('terminal: a header per project, the usual blocks under it, then the total', async () => {
  const r = await runCli(['audit', ...offline, '--file', 'fixtures/corpus/fd', '--file', 'fixtures/corpus/ripgrep'], { cwd: repoRoot });
  // The database is loaded once for all of them.
  assert.equal((r.stdout.match(/Loaded 1205 security advisories/g) ?? []).length, 1);
  assert.match(r.stdout, /Scanning 2 lockfiles for vulnerabilities \(193 crate dependencies\)/);
  const headers = r.stdout.split('\n').filter((l) => l.startsWith('==> '));
  assert.deepEqual(headers, ['==> fixtures/corpus/fd/Cargo.lock (130 crate dependencies)', '==> fixtures/corpus/ripgrep/Cargo.lock (63 crate dependencies)']);
  const fd = r.stdout.slice(r.stdout.indexOf(headers[0]!), r.stdout.indexOf(headers[1]!));
  assert.match(fd, /ID:\s+RUSTSEC-2026-0204/);
  assert.match(r.stdout.slice(r.stdout.indexOf(headers[1]!)), /ok: no vulnerabilities found/);
  assert.match(r.stderr, /error: 2 lockfiles: 1 vulnerability, 1 warning; 1 failing, 0 not audited\n$/);
  assert.equal(r.code, 1);
});

test('sarif: one run with every project\'s findings, each at its own Cargo.lock; github: a summary line per project', async () => {
  const files = ['--file', 'fixtures/corpus/fd', '--file', 'fixtures/corpus/rustup'];
  const sarif = await runCli(['audit', '--format', 'sarif', ...offline, ...files], { cwd: repoRoot });
  const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
  assert.equal(log.runs.length, 1);
  assert.deepEqual(
    log.runs[0]!.results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`),
    ['RUSTSEC-2026-0204 fixtures/corpus/fd/Cargo.lock:209', 'RUSTSEC-2026-0173 fixtures/corpus/fd/Cargo.lock:659', 'RUSTSEC-2026-0258 fixtures/corpus/rustup/Cargo.lock:813'],
  );
  assert.equal(sarif.code, 1);
  const github = await runCli(['audit', '--format', 'github', ...offline, ...files], { cwd: repoRoot });
  assert.deepEqual(github.stdout.split('\n').filter((l) => l.startsWith('cargo-sentinel audit')), [
    'cargo-sentinel audit of fixtures/corpus/fd/Cargo.lock: 1 vulnerability, 0 denied warnings, 1 allowed warning in 130 crate dependencies',
    'cargo-sentinel audit of fixtures/corpus/rustup/Cargo.lock: 1 vulnerability, 0 denied warnings, 0 allowed warnings in 346 crate dependencies',
  ]);
});

/** `report` over the given manifests with a policy that needs no network (no yank checks). */
function reportArgs(cwd: string, manifests: string[], format: string): string[] {
  const policy = path.join(cwd, 'deny.toml');
  writeFileSync(policy, '[advisories]\ndisable-yank-checking = true\n');
  return [
    '--stale', '--lockfile-only', '--config', policy, '--cache-dir', cacheDir,
    '--db-url', fixture('advisory-db.bundle'), '--db-path', path.join(cwd, 'dbs'),
    ...manifests.flatMap((m) => ['--manifest-path', m]),
    'report', '--format', format,
  ];
}

const reportEnv = { SOURCE_DATE_EPOCH: '1788220800' };

test('report over two projects: one HTML file with both parts and the total; markdown and JSON alike', async () => {
  const cwd = tempDir();
  const args = (format: string): string[] => reportArgs(cwd, [fixture('corpus', 'fd', 'Cargo.toml'), fixture('corpus', 'ripgrep', 'Cargo.toml')], format);
  const json = await runCli(args('json'), { cwd, env: reportEnv });
  assert.equal(json.code, 0, json.stderr);
  const set = JSON.parse(json.stdout) as AuditReportSet;
  assert.equal(set.schema, REPORT_SET_SCHEMA);
  assert.deepEqual(set.projects.map((p) => [p.report?.project.name, p.report?.inventory.total, p.report?.advisories.open]), [
    ['fd-find', 130, 2],
    ['ripgrep', 63, 0],
  ]);
  assert.deepEqual([set.total.projects, set.total.failed, set.total.open, set.total.packages, set.total.withOpenFindings], [2, 0, 2, 193, 1]);

  const html = await runCli(args('html'), { cwd, env: reportEnv });
  for (const prefix of ['p1-', 'p2-']) {
    for (const section of ['summary', 'advisories', 'inventory', 'licenses', 'build-time-code', 'exceptions', 'database']) {
      assert.ok(html.stdout.includes(`<section id="${prefix}${section}"`), `${prefix}${section}`);
    }
  }
  assert.match(html.stdout, /<h1>2 projects<\/h1>/);
  assert.match(html.stdout, /<tfoot><tr><th scope="row">Total<\/th><td class="num">2<\/td>/);
  assert.equal((html.stdout.match(/<svg id="p\d-license-chart"/g) ?? []).length, 2);

  const md = await runCli(args('markdown'), { cwd, env: reportEnv });
  assert.deepEqual(md.stdout.split('\n').filter((l) => /^#{1,2} /.test(l)), [
    '# Dependency audit: 2 projects',
    '## Projects',
    '## Dependency audit: fd-find',
    '## Dependency audit: ripgrep',
  ]);
});

test('report with one --manifest-path is the one-project report, unchanged', async () => {
  const cwd = tempDir();
  const r = await runCli(reportArgs(cwd, [fixture('corpus', 'fd', 'Cargo.toml')], 'json'), { cwd, env: reportEnv });
  assert.equal(JSON.parse(r.stdout).schema, 'cargo-sentinel/audit-report/v1');
});

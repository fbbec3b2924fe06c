/**
 * The generated lockfiles the scale test and the benchmark use: read by the
 * real parser, they hold exactly the packages asked for, in the shape the
 * generator promises (members, git and path sources, duplicates, hubs), and
 * the same seed always writes the same file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseLockfile } from '../../src/workspace/lockfile.js';
import { loadPackageGraph } from '../../src/workspace/metadata/index.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { graphOptions } from '../workspace/metadata/fixtures.js';
import { generateLockfile, referenceFindings, writeGeneratedProject } from './generate.js';

const N = 10_000;
const generated = generateLockfile({ packages: N, seed: 1 });

test('the 10,000-package lockfile parses with exactly 10,000 packages, 50 of them workspace members', () => {
  const lock = parseLockfile(generated.text, 'Cargo.lock');
  assert.equal(lock.version, 4);
  assert.equal(lock.packages.length, N);
  assert.equal(lock.byId.size, N);
  assert.equal(lock.packages.filter((p) => p.source === undefined).length, 50);
  assert.equal(lock.packages.filter((p) => p.source?.kind === 'git').length, 25);
  assert.ok(lock.packages.filter((p) => p.source?.isCratesIo).every((p) => /^[0-9a-f]{64}$/.test(p.checksum ?? '')));
  // Dependencies resolve to the same edges the generator drew.
  const edges = lock.packages.reduce((n, p) => n + p.dependencies.length, 0);
  assert.equal(edges, generated.packages.reduce((n, p) => n + p.dependencies.length, 0));
});

test('its shape: fan-out about five, hubs with thousands of dependents, about one name in ten duplicated', () => {
  const lock = parseLockfile(generated.text, 'Cargo.lock');
  const edges = lock.packages.reduce((n, p) => n + p.dependencies.length, 0);
  assert.ok(edges / N > 4 && edges / N < 6, `average fan-out ${edges / N}`);
  const dependents = new Map<string, number>();
  for (const p of lock.packages) for (const d of p.dependencies) dependents.set(d, (dependents.get(d) ?? 0) + 1);
  for (const hub of ['serde@1.0.229', 'syn@3.0.3', 'libc@0.2.189']) assert.ok(dependents.get(hub)! > 1000, `${hub}: ${dependents.get(hub)}`);
  const versions = new Map<string, number>();
  for (const p of lock.packages) versions.set(p.name, (versions.get(p.name) ?? 0) + 1);
  const duplicated = [...versions.values()].filter((n) => n > 1).length / versions.size;
  assert.ok(duplicated > 0.05 && duplicated < 0.15, `names with several versions: ${duplicated}`);
});

test('one seed, one file; another seed, another file', () => {
  const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
  assert.equal(digest(generateLockfile({ packages: N, seed: 1 }).text), digest(generated.text));
  assert.notEqual(digest(generateLockfile({ packages: N, seed: 2 }).text), digest(generated.text));
});

test('the only made-up packages named like an advisory crate are the two git forks (which must not match)', () => {
  const advisoryCrates = new Set(readdirSync(path.join(sharedCheckout(), 'crates')));
  const clashes = generated.packages.filter((p) => p.kind !== 'corpus' && advisoryCrates.has(p.name)).map((p) => `${p.name} ${p.version} ${p.kind}`);
  assert.deepEqual(clashes.sort(), ['crossbeam-epoch 0.99.0 git', 'h2 0.99.0 git']);
  // The reference has findings for it, of each kind the corpus has, real vulnerable versions among them.
  const findings = referenceFindings(generated);
  assert.equal(findings.length, 219);
  assert.ok(findings.some((f) => f.package === 'crossbeam-epoch' && f.version === '0.9.18' && f.kind === 'vulnerability'));
  assert.deepEqual([...new Set(findings.map((f) => f.kind))].sort(), ['unmaintained', 'unsound', 'vulnerability']);
});

test('written as a project, its workspace reads without cargo: every member found, every package reached', async () => {
  const dir = tempDir('sentinel-scale-');
  writeGeneratedProject(dir, { packages: N, seed: 1 });
  const graph = await loadPackageGraph(graphOptions('generated', { manifestPath: path.join(dir, 'Cargo.toml') }));
  assert.equal(graph.roots.length, 50);
  assert.equal(graph.packages.size, N);
  assert.deepEqual(graph.warnings, []);
});

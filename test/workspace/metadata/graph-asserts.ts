/** Assertions shared by the fixture tests: a graph against a README row, lock entries against Cargo.lock. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PackageGraph, PackageNode } from '../../../src/workspace/package-graph.js';
import type { Reach } from '../../../src/workspace/metadata/index.js';
import { workspaceDir, type PackageRow } from './fixtures.js';

const REACH_OF_USE: Record<string, Reach> = {
  runtime: 'normal',
  'workspace member': 'normal',
  'build-time only': 'build',
  'dev only': 'dev',
  'runtime, only with --all-features': 'normal',
};

export const nodeOf = (graph: PackageGraph, name: string, version: string): PackageNode => {
  const node = [...graph.packages.values()].find((n) => n.name === name && n.version === version);
  assert.ok(node, `${name} ${version} is in the graph`);
  return node;
};

export const incomingKinds = (graph: PackageGraph, id: string): string[] =>
  [...new Set((graph.dependents.get(id) ?? []).flatMap((e) => e.kinds.map((k) => k.kind)))].sort();

/** The platforms of the edges to `id` when every one of them has a platform, else []. */
export function onlyUnderCfg(graph: PackageGraph, id: string): string[] {
  const kinds = (graph.dependents.get(id) ?? []).flatMap((e) => e.kinds);
  if (kinds.length === 0 || kinds.some((k) => k.target === null)) return [];
  return [...new Set(kinds.map((k) => k.target as string))].sort();
}

export function assertRow(graph: PackageGraph, reach: Map<string, Reach>, row: PackageRow): void {
  const node = nodeOf(graph, row.crate, row.version);
  const what = `${row.crate} ${row.version}`;
  if (row.license === 'none') {
    assert.equal(node.license, null, what);
    assert.equal(node.licenseFile, null, what);
  } else if (row.license.startsWith('license-file ')) {
    assert.equal(node.license, null, what);
    assert.equal(node.licenseFile, path.join(path.dirname(node.manifestPath as string), row.license.slice('license-file '.length)), what);
  } else {
    assert.equal(node.license, row.license, what);
  }
  assert.equal(node.hasBuildScript, row.build, `${what}: build script`);
  assert.equal(node.isProcMacro, row.procMacro, `${what}: proc-macro`);
  assert.equal(node.isWorkspaceMember, row.use === 'workspace member', `${what}: member`);
  assert.equal(reach.get(node.id), REACH_OF_USE[row.use], `${what}: use ${row.use}`);
  assert.deepEqual(incomingKinds(graph, node.id), row.edgeKinds, `${what}: edge kinds`);
  assert.deepEqual(onlyUnderCfg(graph, node.id), row.onlyUnderCfg, `${what}: platforms`);
  const source = row.source === 'crates.io' ? 'crates.io' : row.source.startsWith('alt registry') ? 'sparse' : row.source;
  const actual = node.source === undefined ? 'path' : node.source.isCratesIo ? 'crates.io' : node.source.kind;
  assert.equal(actual, source, `${what}: source`);
}

/** Each package's lock entry is the real `[[package]]` of its Cargo.lock, at the line it says. */
export function assertLockLines(graph: PackageGraph, workspace: string): void {
  const lines = readFileSync(path.join(workspaceDir(workspace), 'Cargo.lock'), 'utf8').split('\n');
  for (const node of graph.packages.values()) {
    assert.ok(node.lock, `${node.id} is tied to Cargo.lock`);
    assert.equal(node.id, node.lock.id);
    assert.equal(lines[node.lock.line - 1], '[[package]]');
    assert.equal(lines[node.lock.line], `name = "${node.name}"`);
    assert.equal(lines[node.lock.line + 1], `version = "${node.version}"`);
  }
}


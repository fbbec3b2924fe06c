/**
 * The lockfile-only graph of every corpus project, with its manifests and no
 * registry cache: the hot path of `check` when cargo is not used. Members
 * are the roots; every edge out of a member has the kinds its manifest
 * declares; everything else is listed as unknown rather than guessed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadWorkspace } from '../../../src/workspace/index.js';
import { loadPackageGraph } from '../../../src/workspace/metadata/index.js';
import { corpusProjects, fixture } from '../../helpers/paths.js';
import { graphOptions } from './fixtures.js';

describe('corpus projects without cargo and without a registry cache', () => {
  for (const project of corpusProjects) {
    it(`${project}: members as roots, member edges with their declared kinds, the rest unknown`, async () => {
      const graph = await loadPackageGraph(graphOptions(project, { manifestPath: fixture('corpus', project, 'Cargo.toml') }));
      const { lockfile, workspace } = await loadWorkspace(fixture('corpus', project, 'Cargo.lock'));
      assert.deepEqual([...graph.roots].sort(), [...(workspace?.members ?? [])].sort());
      assert.deepEqual([...graph.packages.keys()], lockfile.packages.map((p) => p.id).filter((id) => graph.packages.has(id)));
      assert.deepEqual(graph.unknowns.manifestsMissing, [...graph.packages.values()].filter((n) => n.source !== undefined).map((n) => n.id));
      assert.deepEqual(graph.warnings, []);
      for (const node of graph.packages.values()) {
        if (!node.isWorkspaceMember) continue;
        assert.notEqual(node.license, undefined, node.id);
        assert.ok(node.dependencies, node.id);
        for (const edge of graph.dependencies.get(node.id) ?? []) assert.ok(edge.kinds.length > 0, `${edge.from} -> ${edge.to} has its kinds`);
      }
    });
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadWorkspace } from '../../src/workspace/index.js';
import type { DirectDependency, WorkspaceInfo } from '../../src/workspace/types.js';
import { corpusFacts, lockfileOf } from './corpus.js';

const membersOf = (workspace: WorkspaceInfo, origin: string): string[] =>
  [...workspace.membersById.values()].filter((m) => m.origin === origin).map((m) => m.relativeDir).sort();

const dependencyOf = (workspace: WorkspaceInfo, member: string, name: string, kind = 'normal'): DirectDependency | undefined =>
  workspace.membersById.get(member)?.dependencies.find((d) => d.name === name && d.kind === kind);

describe('corpus workspaces', () => {
  for (const facts of corpusFacts) {
    it(`${facts.name}: members as in MANIFEST.json, every dependency entry resolved and located`, async () => {
      const { lockfile, workspace, graph } = await loadWorkspace(lockfileOf(facts.name));
      assert.ok(workspace);
      assert.deepEqual(membersOf(workspace, 'listed'), [...facts.workspace_members_listed].sort());
      assert.deepEqual(membersOf(workspace, 'implicit'), [...facts.implicit_members_via_path_deps].sort());
      // Every local crate of the corpus is a member, and each was matched to its own path package.
      const pathPackages = lockfile.packages.filter((p) => p.source === undefined).map((p) => p.id);
      assert.deepEqual([...workspace.members].sort(), pathPackages.sort());
      assert.equal(workspace.membersById.size, facts.cargo_toml_files - (facts.workspace && !hasRootPackage(workspace) ? 1 : 0));
      assert.deepEqual(graph.roots, workspace.members);

      for (const member of workspace.membersById.values()) {
        assert.deepEqual(workspace.directDependencies.get(member.id), lockfile.byId.get(member.id)?.dependencies);
        const lines = readFileSync(member.manifestPath, 'utf8').split('\n');
        for (const d of member.dependencies) {
          assert.ok(d.id, `${member.name}: ${d.name} resolved`);
          assert.equal(lockfile.byId.get(d.id)?.name, d.packageName);
          assert.ok(d.line, `${member.name}: ${d.name} has a line`);
          // The line holds the entry's key, or the `[….name]` header of its table.
          assert.match(lines[d.line - 1] ?? '', new RegExp(`^\\s*(\\[.*\\.)?["']?${d.name.replace(/[-.]/g, '\\$&')}["']?\\s*[.=\\]]`), `${member.manifestPath}:${d.line}`);
        }
      }
    });
  }

  it('alacritty-2019: kinds, platforms and lines of a member\'s dependencies', async () => {
    const { workspace } = await loadWorkspace(lockfileOf('alacritty-2019'));
    const alacritty = workspace?.membersById.get('alacritty@0.3.2');
    assert.equal(alacritty?.relativeDir, 'alacritty');
    const dep = (name: string, packageName: string, kind: string, target: string | undefined, req: string | undefined, id: string, line: number) =>
      ({ name, packageName, kind, target, optional: false, req, id, line });
    assert.deepEqual(alacritty?.dependencies, [
      dep('alacritty_terminal', 'alacritty_terminal', 'normal', undefined, undefined, 'alacritty_terminal@0.3.2', 12),
      dep('clap', 'clap', 'normal', undefined, '2', 'clap@2.33.0', 13),
      dep('log', 'log', 'normal', undefined, '0.4', 'log@0.4.6', 14),
      dep('time', 'time', 'normal', undefined, '0.1.40', 'time@0.1.42', 15),
      dep('env_logger', 'env_logger', 'normal', undefined, '0.6.0', 'env_logger@0.6.1', 16),
      dep('crossbeam-channel', 'crossbeam-channel', 'normal', undefined, '0.3.8', 'crossbeam-channel@0.3.8', 17),
      dep('serde_yaml', 'serde_yaml', 'normal', undefined, '0.8', 'serde_yaml@0.8.9', 18),
      dep('rustc_tools_util', 'rustc_tools_util', 'build', undefined, '0.1', 'rustc_tools_util@0.1.1', 21),
      dep('xdg', 'xdg', 'normal', 'cfg(not(windows))', '2', 'xdg@2.2.0', 24),
      dep('dirs', 'dirs', 'normal', 'cfg(any(target_os = "macos", windows))', '1.0.2', 'dirs@1.0.5', 27),
      dep('winapi', 'winapi', 'normal', 'cfg(windows)', '0.3.7', 'winapi@0.3.7', 30),
    ]);
  });

  it('alacritty-2019: a `[patch]` path inside the root makes an implicit member', async () => {
    const { workspace } = await loadWorkspace(lockfileOf('alacritty-2019'));
    const proxy = workspace?.membersById.get('servo-freetype-sys@4.0.3');
    assert.equal(proxy?.origin, 'implicit');
    assert.equal(proxy?.relativeDir, 'servo-freetype-proxy');
    assert.deepEqual(workspace?.defaultMembers, workspace?.members);
  });

  it('wasmtime: inherited version, renamed workspace dependencies, dev-dependencies of the root package', async () => {
    const { workspace } = await loadWorkspace(lockfileOf('wasmtime'));
    assert.ok(workspace);
    const cli = workspace.membersById.get('wasmtime-cli@49.0.0-dev');
    assert.equal(cli?.origin, 'root');
    assert.equal(cli?.relativeDir, '');
    assert.deepEqual(dependencyOf(workspace, 'wasmtime-cli@49.0.0-dev', 'wasmtime-cache'), {
      name: 'wasmtime-cache',
      packageName: 'wasmtime-internal-cache',
      kind: 'normal',
      target: undefined,
      optional: true,
      req: '=49.0.0-dev',
      id: 'wasmtime-internal-cache@49.0.0-dev',
      line: 62,
    });
    assert.equal(dependencyOf(workspace, 'wasmtime-cli@49.0.0-dev', 'wasmtime-test-macros', 'dev')?.line, 143);
    assert.deepEqual(workspace.defaultMembers, ['wasmtime-cli@49.0.0-dev']);
  });

  it('nushell: dotted dependency tables under a target, one of three versions picked by requirement', async () => {
    const { workspace } = await loadWorkspace(lockfileOf('nushell'));
    assert.ok(workspace);
    const windows = dependencyOf(workspace, 'nu-command@0.114.2', 'windows');
    assert.deepEqual([windows?.target, windows?.req, windows?.id, windows?.line], ['cfg(windows)', '0.62.2', 'windows@0.62.2', 186]);
    const trash = dependencyOf(workspace, 'nu-command@0.114.2', 'trash');
    assert.deepEqual([trash?.target, trash?.optional, trash?.req, trash?.id, trash?.line], [
      'cfg(not(any(target_os = "android", target_os = "ios")))', true, '=5.2.6', 'trash@5.2.6', 182,
    ]);
    assert.deepEqual(workspace.defaultMembers, ['nu@0.114.2']);
    assert.deepEqual(membersOf(workspace, 'root'), ['']);
  });

  it('helix: `default-members`', async () => {
    const { workspace } = await loadWorkspace(lockfileOf('helix'));
    assert.deepEqual(workspace?.defaultMembers, ['helix-term@25.7.1']);
  });
});

function hasRootPackage(workspace: WorkspaceInfo): boolean {
  return [...workspace.membersById.values()].some((m) => m.origin === 'root');
}

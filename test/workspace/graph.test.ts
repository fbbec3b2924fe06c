import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGraph, inclusionPath } from '../../src/workspace/graph.js';
import { loadWorkspace } from '../../src/workspace/index.js';
import { renderInverseTree } from '../../src/workspace/inverse-tree.js';
import { parseLockfile, readLockfile } from '../../src/workspace/lockfile.js';
import { lockfileOf } from './corpus.js';

/** A lockfile from `name version: dep, dep` lines; references are by name. */
function lockfileFrom(...specs: string[]) {
  const blocks = specs.map((spec) => {
    const [head, deps = ''] = spec.split(':');
    const [name, version] = (head ?? '').trim().split(' ');
    const refs = deps.split(',').map((d) => d.trim()).filter(Boolean);
    const list = refs.length > 0 ? ['dependencies = [', ...refs.map((r) => ` "${r}",`), ']'] : [];
    return ['[[package]]', `name = "${name}"`, `version = "${version}"`, ...list].join('\n');
  });
  return parseLockfile(`version = 4\n\n${blocks.join('\n\n')}\n`, 'Cargo.lock');
}

describe('dependency graph', () => {
  it('reverse edges, sorted by name then semver order', () => {
    const graph = buildGraph(lockfileFrom('z 1.0.0: c', 'b 0.10.0: c', 'b 0.9.0: c', 'a 2.0.0: c, z', 'c 1.0.0'));
    assert.deepEqual(graph.dependents.get('c@1.0.0'), ['a@2.0.0', 'b@0.9.0', 'b@0.10.0', 'z@1.0.0']);
    assert.deepEqual(graph.dependents.get('a@2.0.0'), []);
    assert.deepEqual(graph.roots, ['b@0.10.0', 'b@0.9.0', 'a@2.0.0']);
    assert.equal(graph.workspace, undefined);
  });

  it('corpus: the reverse edges are exactly the lockfile edges', async () => {
    const lockfile = await readLockfile(lockfileOf('nushell'));
    const graph = buildGraph(lockfile);
    const forward = new Set(lockfile.packages.flatMap((p) => p.dependencies.map((d) => `${p.id} -> ${d}`)));
    const reverse = new Set([...graph.dependents].flatMap(([id, parents]) => parents.map((p) => `${p} -> ${id}`)));
    assert.deepEqual(reverse, forward);
    // Without the manifests, the plugins and test binaries nothing depends on are roots too.
    assert.deepEqual(graph.roots, [
      'nu@0.114.2', 'nu_plugin_custom_values@0.114.2', 'nu_plugin_example@0.114.2', 'nu_plugin_formats@0.114.2',
      'nu_plugin_gstat@0.114.2', 'nu_plugin_inc@0.114.2', 'nu_plugin_polars@0.114.2', 'nu_plugin_query@0.114.2',
      'nu_plugin_stress_internals@0.114.2', 'testbins@0.114.2',
    ]);
  });

  it('roots are the members when the manifests are known', async () => {
    const { graph, workspace } = await loadWorkspace(lockfileOf('helix'));
    assert.equal(graph.workspace, workspace);
    assert.equal(graph.roots.length, 14);
    assert.deepEqual(graph.roots, workspace?.members);
  });

  it('inclusion paths: shortest, root first', async () => {
    const { graph } = await loadWorkspace(lockfileOf('fd'));
    assert.deepEqual(inclusionPath(graph, 'crossbeam-epoch@0.9.18'), ['fd-find@10.4.2', 'ignore@0.4.31', 'crossbeam-deque@0.8.6', 'crossbeam-epoch@0.9.18']);
    assert.deepEqual(inclusionPath(graph, 'fd-find@10.4.2'), ['fd-find@10.4.2']);
    assert.deepEqual(inclusionPath(graph, 'nope@1.0.0'), []);

    const diamond = buildGraph(lockfileFrom('app 1.0.0: long, short', 'long 1.0.0: mid', 'mid 1.0.0: leaf', 'short 1.0.0: leaf', 'leaf 1.0.0'));
    assert.deepEqual(inclusionPath(diamond, 'leaf@1.0.0'), ['app@1.0.0', 'short@1.0.0', 'leaf@1.0.0']);
  });
});

describe('inverse dependency tree', () => {
  it('cargo-audit\'s example', () => {
    const graph = buildGraph(lockfileFrom('base64 0.5.1', 'base64_vuln 0.1.0: base64'));
    assert.deepEqual(renderInverseTree(graph, 'base64@0.5.1'), ['base64 0.5.1', '└── base64_vuln 0.1.0']);
  });

  it('fd: crossbeam-epoch', async () => {
    const { graph } = await loadWorkspace(lockfileOf('fd'));
    assert.deepEqual(renderInverseTree(graph, 'crossbeam-epoch@0.9.18'), [
      'crossbeam-epoch 0.9.18',
      '└── crossbeam-deque 0.8.6',
      '    └── ignore 0.4.31',
      '        └── fd-find 10.4.2',
    ]);
  });

  it('alacritty-2019: smallvec 0.6.9, repeated packages printed but not expanded', async () => {
    const { graph } = await loadWorkspace(lockfileOf('alacritty-2019'));
    assert.equal(
      renderInverseTree(graph, 'smallvec@0.6.9').join('\n'),
      `smallvec 0.6.9
├── crossbeam-channel 0.3.8
│   ├── alacritty 0.3.2
│   └── alacritty_terminal 0.3.2
│       └── alacritty 0.3.2
├── parking_lot_core 0.4.0
│   └── parking_lot 0.7.1
│       ├── alacritty_terminal 0.3.2
│       ├── glutin 0.21.0
│       │   └── alacritty_terminal 0.3.2
│       ├── tokio-reactor 0.1.9
│       │   ├── hyper 0.12.29
│       │   │   ├── hyper-tls 0.3.2
│       │   │   │   └── reqwest 0.9.17
│       │   │   │       └── winpty 0.1.0
│       │   │   │           └── alacritty_terminal 0.3.2
│       │   │   └── reqwest 0.9.17
│       │   ├── tokio 0.1.20
│       │   │   ├── hyper 0.12.29
│       │   │   └── reqwest 0.9.17
│       │   └── tokio-tcp 0.1.3
│       │       ├── hyper 0.12.29
│       │       └── tokio 0.1.20
│       └── winit 0.19.1
│           └── glutin 0.21.0
└── unicode-normalization 0.1.8
    └── idna 0.1.5
        ├── cookie_store 0.7.0
        │   └── reqwest 0.9.17
        ├── publicsuffix 1.5.2
        │   └── cookie_store 0.7.0
        └── url 1.7.2
            ├── alacritty_terminal 0.3.2
            ├── cookie 0.12.0
            │   ├── cookie_store 0.7.0
            │   └── reqwest 0.9.17
            ├── cookie_store 0.7.0
            ├── publicsuffix 1.5.2
            ├── reqwest 0.9.17
            └── serde_urlencoded 0.5.5
                └── reqwest 0.9.17`,
    );
  });

  it('a cycle (dev-dependencies make them) ends where a package recurs', () => {
    const graph = buildGraph(lockfileFrom('a 1.0.0: b', 'b 1.0.0: a'));
    assert.deepEqual(renderInverseTree(graph, 'a@1.0.0'), ['a 1.0.0', '└── b 1.0.0', '    └── a 1.0.0']);
  });

  it('stops past the line bound with a final `…`', async () => {
    const { graph } = await loadWorkspace(lockfileOf('alacritty-2019'));
    assert.deepEqual(renderInverseTree(graph, 'smallvec@0.6.9', { maxLines: 4 }), [
      'smallvec 0.6.9',
      '├── crossbeam-channel 0.3.8',
      '│   ├── alacritty 0.3.2',
      '│   └── alacritty_terminal 0.3.2',
      '…',
    ]);
    // The bound is only reached when there is more to print.
    assert.equal(renderInverseTree(graph, 'smallvec@0.6.9', { maxLines: 41 }).at(-1), '                └── reqwest 0.9.17');
    assert.deepEqual(renderInverseTree(graph, 'smallvec@0.6.9', { maxLines: 40 }).slice(-2), ['            └── serde_urlencoded 0.5.5', '…']);
  });

  it('a wide and deep graph stays bounded', () => {
    // 60 layers of 3 packages, each depending on all of the next layer.
    const specs: string[] = [];
    for (let layer = 0; layer < 60; layer++) {
      for (let k = 0; k < 3; k++) {
        const next = layer < 59 ? [0, 1, 2].map((j) => `p${layer + 1}x${j}`).join(', ') : '';
        specs.push(`p${layer}x${k} 1.0.0: ${next}`);
      }
    }
    const lines = renderInverseTree(buildGraph(lockfileFrom(...specs)), 'p59x0@1.0.0', { maxLines: 2000 });
    assert.ok(lines.length <= 2001);
  });
});

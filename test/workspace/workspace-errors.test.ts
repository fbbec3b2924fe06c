import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isSentinelError, type SentinelError } from '../../src/errors.js';
import { loadWorkspace } from '../../src/workspace/index.js';
import { lockfileOf } from './corpus.js';

/** A project directory holding exactly these files (paths relative to it). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentinel-ws-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const LOCK = [
  'version = 4', '',
  '[[package]]', 'name = "app"', 'version = "0.1.0"', 'dependencies = [', ' "core",', ']', '',
  '[[package]]', 'name = "core"', 'version = "0.1.0"', '',
].join('\n');

async function loadFails(dir: string): Promise<SentinelError> {
  try {
    await loadWorkspace(path.join(dir, 'Cargo.lock'));
  } catch (e) {
    assert.ok(isSentinelError(e), `expected a SentinelError, got ${String(e)}`);
    assert.equal(e.kind, 'input');
    return e;
  }
  assert.fail('expected an error');
}

describe('workspace manifests', () => {
  it('a small workspace: globs, exclude, inherited version, path dependencies', async () => {
    const dir = project({
      'Cargo.lock': LOCK,
      'Cargo.toml': [
        '[workspace]', 'members = ["crates/*"]', 'exclude = ["crates/scratch"]', '',
        '[workspace.package]', 'version = "0.1.0"', '',
        '[workspace.dependencies]', 'core = { path = "crates/core" }', '',
      ].join('\n'),
      'crates/app/Cargo.toml': '[package]\nname = "app"\nversion.workspace = true\n\n[dev-dependencies]\ncore.workspace = true\n',
      'crates/core/Cargo.toml': '[package]\nname = "core"\nversion = "0.1.0"\n',
      'crates/scratch/Cargo.toml': 'this is not read = [',
      'crates/docs/README.md': 'a directory without a crate',
    });
    const { workspace, graph } = await loadWorkspace(path.join(dir, 'Cargo.lock'));
    assert.deepEqual(workspace?.members, ['app@0.1.0', 'core@0.1.0']);
    assert.deepEqual(workspace?.defaultMembers, ['app@0.1.0', 'core@0.1.0']);
    assert.deepEqual(workspace?.membersById.get('app@0.1.0')?.dependencies, [
      { name: 'core', packageName: 'core', kind: 'dev', target: undefined, optional: false, req: undefined, id: 'core@0.1.0', line: 6 },
    ]);
    assert.deepEqual(graph.roots, ['app@0.1.0', 'core@0.1.0']);
  });

  it('without a Cargo.toml next to the lockfile, roots are the packages nothing depends on', async () => {
    const dir = project({});
    copyFileSync(lockfileOf('fd'), path.join(dir, 'Cargo.lock'));
    const { workspace, graph } = await loadWorkspace(path.join(dir, 'Cargo.lock'));
    assert.equal(workspace, undefined);
    assert.deepEqual(graph.roots, ['fd-find@10.4.2']);
  });

  it('`manifests: false` reads the lockfile alone, as cargo-audit does', async () => {
    const dir = project({ 'Cargo.lock': LOCK, 'Cargo.toml': '[package]\nname = "app"\nname = "app2"\n' });
    const { workspace, graph } = await loadWorkspace(path.join(dir, 'Cargo.lock'), { manifests: false });
    assert.equal(workspace, undefined);
    assert.deepEqual(graph.roots, ['app@0.1.0']);
  });

  it('malformed Cargo.toml: TOML syntax', async () => {
    const dir = project({ 'Cargo.lock': LOCK, 'Cargo.toml': '[package]\nname = "app"\nname = "app2"\n' });
    const e = await loadFails(dir);
    assert.equal(e.message, 'invalid TOML: trying to redefine an already defined table or value');
    assert.deepEqual(e.place, { file: path.join(dir, 'Cargo.toml'), line: 3, column: 1 });

    const member = project({
      'Cargo.lock': LOCK,
      'Cargo.toml': '[workspace]\nmembers = ["app"]\n',
      'app/Cargo.toml': '[package]\nname = "app"\nversion = 0.1.0\n',
    });
    const e2 = await loadFails(member);
    assert.equal(e2.message, 'invalid TOML: illegal character in numeric literal');
    assert.deepEqual(e2.place, { file: path.join(member, 'app', 'Cargo.toml'), line: 3, column: 14 });
  });

  it('malformed Cargo.toml: wrong types name the key\'s line', async () => {
    const dir = project({ 'Cargo.lock': LOCK, 'Cargo.toml': '# workspace\n[workspace]\nmembers = "crates/*"\n' });
    const e = await loadFails(dir);
    assert.equal(e.message, '`workspace.members` must be an array of strings');
    assert.deepEqual(e.place, { file: path.join(dir, 'Cargo.toml'), line: 3 });

    const member = project({
      'Cargo.lock': LOCK,
      'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ncore = 3\n',
    });
    const e2 = await loadFails(member);
    assert.equal(e2.message, 'dependency `dependencies.core` must be a version string or a table');
    assert.deepEqual(e2.place, { file: path.join(member, 'Cargo.toml'), line: 6 });
  });

  it('a manifest with neither [package] nor [workspace]', async () => {
    const dir = project({ 'Cargo.lock': LOCK, 'Cargo.toml': '[dependencies]\ncore = "1"\n' });
    const e = await loadFails(dir);
    assert.equal(e.message, 'manifest has neither a `[package]` nor a `[workspace]` table');
    assert.deepEqual(e.place, { file: path.join(dir, 'Cargo.toml') });
  });

  it('a listed member without a Cargo.toml', async () => {
    const dir = project({ 'Cargo.lock': LOCK, 'Cargo.toml': '[workspace]\nmembers = [\n  "app",\n]\n' });
    const e = await loadFails(dir);
    assert.equal(e.message, `workspace member \`app\` has no Cargo.toml: ${path.join(dir, 'app', 'Cargo.toml')}`);
    assert.deepEqual(e.place, { file: path.join(dir, 'Cargo.toml'), line: 2 });
  });

  it('`workspace = true` without a `[workspace.dependencies]` entry', async () => {
    const dir = project({
      'Cargo.lock': LOCK,
      'Cargo.toml': '[workspace]\nmembers = ["app"]\n',
      'app/Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ncore = { workspace = true }\n',
    });
    const e = await loadFails(dir);
    assert.equal(e.message, `dependency \`core\` has \`workspace = true\`, but \`[workspace.dependencies]\` in ${path.join(dir, 'Cargo.toml')} has no \`core\``);
    assert.deepEqual(e.place, { file: path.join(dir, 'app', 'Cargo.toml'), line: 6 });
  });

  it('a member the lockfile does not know', async () => {
    const dir = project({ 'Cargo.lock': LOCK, 'Cargo.toml': '[package]\nname = "app"\nversion = "0.2.0"\n' });
    const e = await loadFails(dir);
    assert.equal(
      e.message,
      `workspace member \`app 0.2.0\` has no path package in ${path.join(dir, 'Cargo.lock')}; is the lockfile up to date? (\`cargo update --workspace\` refreshes it)`,
    );
    assert.deepEqual(e.place, { file: path.join(dir, 'Cargo.toml'), line: 1 });
  });

  it('`version.workspace = true` without `[workspace.package] version`', async () => {
    const dir = project({ 'Cargo.lock': LOCK, 'Cargo.toml': '[package]\nname = "app"\nversion.workspace = true\n\n[workspace]\n' });
    const e = await loadFails(dir);
    assert.equal(e.message, `\`version.workspace = true\`, but ${path.join(dir, 'Cargo.toml')} sets no \`[workspace.package] version\``);
    assert.deepEqual(e.place, { file: path.join(dir, 'Cargo.toml'), line: 3 });
  });
});

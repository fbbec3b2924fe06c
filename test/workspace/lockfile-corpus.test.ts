import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseLockfile, readLockfile } from '../../src/workspace/lockfile.js';
import { scanCargoLayout } from '../../src/workspace/lock-scan.js';
import { parseLockToml } from '../../src/workspace/lock-toml.js';
import { corpusProjects } from '../helpers/paths.js';
import { corpusFacts, lockfileOf } from './corpus.js';

const sourceBreakdown = (packages: ReadonlyArray<{ source: { kind: string; isCratesIo: boolean } | undefined }>) => {
  const counts: Record<string, number> = {};
  for (const p of packages) {
    const key = p.source === undefined ? 'path' : p.source.isCratesIo ? 'crates.io' : p.source.kind;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

describe('corpus lockfiles', () => {
  it('covers all 13 projects', () => {
    assert.deepEqual(corpusFacts.map((f) => f.name).sort(), [...corpusProjects].sort());
  });

  for (const facts of corpusFacts) {
    it(`${facts.name}: version, packages, sources, duplicates and lines as in MANIFEST.json`, async () => {
      const lockfile = await readLockfile(lockfileOf(facts.name));
      assert.equal(lockfile.version, facts.lockfile_version);
      assert.equal(lockfile.packages.length, facts.packages);
      assert.equal(lockfile.byId.size, facts.packages);
      assert.deepEqual(sourceBreakdown(lockfile.packages), facts.sources);
      const gitSources = lockfile.packages.flatMap((p) =>
        p.source?.kind === 'git' ? [p.source.raw.slice(0, p.source.raw.indexOf('#'))] : [],
      );
      assert.deepEqual(gitSources.sort(), [...facts.git_sources].sort());
      const versionsByName = new Map<string, number>();
      for (const p of lockfile.packages) versionsByName.set(p.name, (versionsByName.get(p.name) ?? 0) + 1);
      assert.equal([...versionsByName.values()].filter((n) => n > 1).length, facts.names_with_several_versions);

      // Every package's line is its real `[[package]]` header, followed by its name.
      const lines = readFileSync(lockfileOf(facts.name), 'utf8').split('\n');
      for (const p of lockfile.packages) {
        assert.equal(lines[p.line - 1], '[[package]]', `${p.id} at line ${p.line}`);
        assert.equal(lines[p.line], `name = "${p.name}"`);
        assert.equal(lines[p.line + 1], `version = "${p.version}"`);
      }
      // Every dependency id designates a package of the file.
      for (const p of lockfile.packages) for (const d of p.dependencies) assert.ok(lockfile.byId.has(d), `${p.id} -> ${d}`);
    });
  }

  it('reads both the fast layout scanner and smol-toml to the same document on every corpus file', () => {
    for (const project of corpusProjects) {
      const text = readFileSync(lockfileOf(project), 'utf8');
      const fast = scanCargoLayout(text);
      assert.ok(fast, `${project} is in Cargo's layout`);
      const full = parseLockToml(text, lockfileOf(project));
      assert.deepEqual(JSON.parse(JSON.stringify(fast)), JSON.parse(JSON.stringify(full)), project);
    }
  });

  it('alacritty-2019 (v1): 317 checksums in [metadata], none for the git package', async () => {
    const lockfile = await readLockfile(lockfileOf('alacritty-2019'));
    assert.equal(lockfile.metadataChecksums, 317);
    const withChecksum = lockfile.packages.filter((p) => p.checksum !== undefined);
    assert.equal(withChecksum.length, 316);
    assert.ok(withChecksum.every((p) => p.source?.isCratesIo && /^[0-9a-f]{64}$/.test(p.checksum ?? '')));
    const clipboard = lockfile.byId.get('clipboard@0.5.0');
    assert.equal(clipboard?.line, 312);
    assert.equal(clipboard?.checksum, undefined);
    assert.deepEqual(clipboard?.source, {
      kind: 'git',
      url: 'https://github.com/chrisduerr/rust-clipboard',
      reference: undefined,
      commit: 'c0c27997a091e217eb2b6e38d4cb6232a3fe593a',
      isCratesIo: false,
      raw: 'git+https://github.com/chrisduerr/rust-clipboard#c0c27997a091e217eb2b6e38d4cb6232a3fe593a',
    });
    // v1 references are fully qualified; the git one carries no commit and still resolves.
    assert.ok(lockfile.byId.get('alacritty_terminal@0.3.2')?.dependencies.includes('clipboard@0.5.0'));
    assert.equal(lockfile.byId.get('adler32@1.0.3')?.checksum, '7e522997b529f05601e05166c07ed17789691f562762c7f3b987263d2dedee5c');
  });

  it('v2+ files have inline checksums and no [metadata]', async () => {
    for (const project of ['cargo-deny-2021', 'tauri', 'nushell']) {
      const lockfile = await readLockfile(lockfileOf(project));
      assert.equal(lockfile.metadataChecksums, 0);
      assert.ok(lockfile.packages.filter((p) => p.source?.isCratesIo).every((p) => p.checksum?.length === 64), project);
    }
  });

  it('knows the lines and sources of a few packages', async () => {
    const nushell = await readLockfile(lockfileOf('nushell'));
    const reedline = nushell.byId.get('reedline@0.49.0');
    assert.equal(reedline?.line, 7605);
    assert.deepEqual(reedline?.source && { ...reedline.source }, {
      kind: 'git',
      url: 'https://github.com/nushell/reedline',
      reference: { kind: 'branch', value: 'main' },
      commit: 'e4fe8edfb28440614e58a8c9dba78d128783f70f',
      isCratesIo: false,
      raw: 'git+https://github.com/nushell/reedline?branch=main#e4fe8edfb28440614e58a8c9dba78d128783f70f',
    });
    assert.equal(nushell.byId.get('windows-sys@0.61.2')?.line, 10700);
    assert.equal(nushell.packages.filter((p) => p.name === 'windows-sys').length, 6);

    const tauri = await readLockfile(lockfileOf('tauri'));
    const schemars = tauri.byId.get('schemars_derive@0.8.21');
    assert.equal(schemars?.line, 7680);
    assert.deepEqual(schemars?.source?.kind === 'git' && schemars.source.reference, {
      kind: 'branch',
      value: 'feat/preserve-description-newlines',
    });
  });

  it('gives the path the user passed back as `path`', () => {
    const text = readFileSync(lockfileOf('ripgrep'), 'utf8');
    assert.equal(parseLockfile(text, 'some/where/Cargo.lock').path, 'some/where/Cargo.lock');
  });
});

/**
 * Where cargo keeps the sources of the crates it downloaded: registry crates
 * unpacked under `$CARGO_HOME/registry/src/<host>-<hash>/<name>-<version>/`
 * and git checkouts under `$CARGO_HOME/git/checkouts/<repo>-<hash>/<short
 * commit>/`. The hashes depend on Cargo's version, so directories are
 * matched by their host or repository name and looked into.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceId } from '../types.js';

export interface CargoCacheDirs {
  /** Directories that hold `<name>-<version>/` folders (each of `$CARGO_HOME/registry/src/*` by default). */
  registrySrc: string[];
  /** Directories that hold `<repo>-<hash>/<short commit>/` checkouts (`$CARGO_HOME/git/checkouts` by default). */
  gitCheckouts: string[];
}

const subdirectories = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name);
  } catch {
    return [];
  }
};

export function defaultCacheDirs(cargoHome: string): CargoCacheDirs {
  const registry = path.join(cargoHome, 'registry', 'src');
  return {
    registrySrc: subdirectories(registry)
      .sort()
      .map((name) => path.join(registry, name)),
    gitCheckouts: [path.join(cargoHome, 'git', 'checkouts')],
  };
}

/** Cargo names an unpacked registry `<host>-<16 hex digits>`; other directories (a test's) hold any registry. */
const CARGO_LAYOUT = /-[0-9a-f]{16}$/;

const hostOf = (url: string): string | undefined => /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#]+)/i.exec(url)?.[1]?.toLowerCase();

/** Hosts whose cache directory may hold a crates.io crate: sparse and git index. */
const CRATES_IO_HOSTS = ['index.crates.io', 'github.com'];

const WALK_SKIP = new Set(['target', '.git', 'node_modules']);
const MAX_WALK_DEPTH = 4;

export class CargoCache {
  private readonly listings = new Map<string, Set<string>>();

  constructor(private readonly dirs: CargoCacheDirs) {}

  private listing(dir: string): Set<string> {
    let names = this.listings.get(dir);
    if (!names) {
      names = new Set(subdirectories(dir));
      this.listings.set(dir, names);
    }
    return names;
  }

  /** The Cargo.toml of a registry crate, if it is unpacked in the cache. */
  registryManifest(name: string, version: string, source: SourceId): string | undefined {
    const hosts = source.isCratesIo ? CRATES_IO_HOSTS : [hostOf(source.url)];
    const folder = `${name}-${version}`;
    for (const dir of this.dirs.registrySrc) {
      const base = path.basename(dir);
      if (CARGO_LAYOUT.test(base) && !hosts.some((host) => host !== undefined && base.startsWith(`${host}-`))) continue;
      if (this.listing(dir).has(folder)) {
        const manifest = path.join(dir, folder, 'Cargo.toml');
        if (existsSync(manifest)) return manifest;
      }
    }
    return undefined;
  }

  /** The checkout directory of a git source's commit, if cargo checked it out. */
  gitCheckout(source: Extract<SourceId, { kind: 'git' }>): string | undefined {
    const commit = source.commit;
    if (commit === undefined) return undefined;
    const repo = path.posix.basename(source.url.replace(/\/+$/, '')).replace(/\.git$/, '');
    for (const root of this.dirs.gitCheckouts) {
      for (const name of this.listing(root)) {
        if (!name.startsWith(`${repo}-`)) continue;
        const db = path.join(root, name);
        const short = [...this.listing(db)].find((rev) => rev.length >= 7 && commit.startsWith(rev));
        if (short !== undefined) return path.join(db, short);
      }
    }
    return undefined;
  }

  /** The manifest of package `name` inside a checkout: its root Cargo.toml, or the first one below that names it. */
  gitManifest(checkout: string, name: string): string | undefined {
    const pattern = new RegExp(`^\\s*name\\s*=\\s*["']${name.replace(/[-]/g, '\\-')}["']`, 'm');
    const queue: Array<{ dir: string; depth: number }> = [{ dir: checkout, depth: 0 }];
    for (let i = 0; i < queue.length; i++) {
      const { dir, depth } = queue[i] as { dir: string; depth: number };
      const manifest = path.join(dir, 'Cargo.toml');
      if (existsSync(manifest) && pattern.test(readFileSync(manifest, 'utf8'))) return manifest;
      if (depth >= MAX_WALK_DEPTH) continue;
      for (const sub of subdirectories(dir).sort()) {
        if (!sub.startsWith('.') && !WALK_SKIP.has(sub)) queue.push({ dir: path.join(dir, sub), depth: depth + 1 });
      }
    }
    return undefined;
  }
}

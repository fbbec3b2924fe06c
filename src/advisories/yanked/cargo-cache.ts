/**
 * Cargo's own index cache, `$CARGO_HOME/registry/index/<registry dir>/.cache/<index path>`.
 *
 * Cargo writes it for both index protocols, so it is the one place a yanked
 * check can read without the network. The layout, as cargo's
 * `sources/registry/index/cache.rs` documents it:
 *
 *   u8 cache version | u32 LE index schema version | index file version | NUL
 *   then pairs of:  version | NUL | JSON entry | NUL
 *
 * The index file version is an ETag/Last-Modified line for the sparse
 * protocol and a commit id for the git one; we keep it only for messages.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { EntryCollector, type IndexLimits, type ParsedIndexFile } from './index-entries.js';
import { indexPath } from './index-path.js';
import { statFile } from './files.js';

/**
 * Versions 2 and 3 share one layout (3 only invalidated caches that lost build
 * metadata from the version key, and we read the version from the JSON).
 * Version 1 had no schema field, so its offsets differ.
 */
const READABLE_CACHE_VERSIONS = new Set([2, 3]);

export interface ParsedCargoCache extends ParsedIndexFile {
  indexVersion: string;
}

/** Parses one `.cache` file; a header it cannot read is returned as a reason string. */
export function parseCargoCache(data: Uint8Array, crate: string, limits: IndexLimits): ParsedCargoCache | string {
  const cacheVersion = data[0];
  if (cacheVersion === undefined) return 'the file is empty';
  if (!READABLE_CACHE_VERSIONS.has(cacheVersion)) return `unknown cache format version ${cacheVersion}`;
  if (data.length < 5) return 'the header is cut short';
  const headerEnd = data.indexOf(0, 5);
  if (headerEnd === -1) return 'the index version is not terminated';
  const indexVersion = Buffer.from(data.subarray(5, headerEnd)).toString('utf8');

  const collector = new EntryCollector(crate, limits, 'entry');
  let start = headerEnd + 1;
  while (start < data.length) {
    const versionEnd = data.indexOf(0, start);
    const blobEnd = versionEnd === -1 ? -1 : data.indexOf(0, versionEnd + 1);
    if (blobEnd === -1) {
      // A writer that died mid-file leaves a last pair without its terminator.
      collector.skip('the last entry is cut short');
      break;
    }
    start = blobEnd + 1;
    if (!collector.add(data.subarray(versionEnd + 1, blobEnd))) break;
  }
  return { ...collector.result(), indexVersion };
}

/** The crates.io registry directories cargo has created, sparse (`index.crates.io-…`) and git (`github.com-…`). */
const CRATES_IO_REGISTRY_DIR = /^(?:index\.crates\.io|github\.com)-[0-9a-f]{16}$/;

/**
 * Lists the crates.io registry directories under `cargoHome`. Several exist
 * side by side when cargo versions hash the source id differently (Rust 1.85
 * changed it; rustsec #1333), so all of them are candidates.
 */
export async function listCargoRegistryDirs(cargoHome: string): Promise<string[]> {
  const root = path.join(cargoHome, 'registry', 'index');
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  return names.filter((n) => CRATES_IO_REGISTRY_DIR.test(n)).sort().map((n) => path.join(root, n));
}

export interface CacheFileRef {
  path: string;
  mtimeMs: number;
}

/** The `.cache` files for `crate` across `registryDirs`, newest first (ties by path, for a stable order). */
export async function findCargoCacheFiles(registryDirs: readonly string[], crate: string): Promise<CacheFileRef[]> {
  const relative = indexPath(crate).split('/');
  const found: CacheFileRef[] = [];
  for (const dir of registryDirs) {
    const file = path.join(dir, '.cache', ...relative);
    const info = await statFile(file);
    if (info) found.push({ path: file, mtimeMs: info.mtimeMs });
  }
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

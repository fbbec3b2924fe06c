/**
 * Which locked crates.io packages are yanked.
 *
 * One lookup per crate name (however many versions are locked), at most
 * `concurrency` at a time. With `fetch` the sparse index is asked (with a
 * conditional request when our cache has a copy); without it only local
 * caches are read: our own and every crates.io cache cargo has written.
 *
 * A version whose state cannot be established is an error, never "not
 * yanked": a silent pass would hide exactly the sandboxed, offline runs
 * where the check did not happen (rustsec #1453).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { compareVersions as compareSemver, isSemver } from '../../workspace/version.js';
import { configError } from '../../errors.js';
import type { LockPackage } from '../../workspace/types.js';
import { mapBounded } from './bounded-map.js';
import { findCargoCacheFiles, listCargoRegistryDirs, parseCargoCache } from './cargo-cache.js';
import { readBoundedFile } from './files.js';
import { defaultIndexLimits, describeSkipped, parseIndexFile, type IndexLimits, type ParsedIndexFile } from './index-entries.js';
import { indexPath } from './index-path.js';
import { readCachedIndexFile, removeCachedIndexFile, writeCachedIndexFile, type Validator } from './own-cache.js';
import { fetchIndexFile } from './sparse-client.js';
import { defaultUserAgent } from './user-agent.js';

export const DEFAULT_INDEX_URL = 'https://index.crates.io/';

export interface YankedCheckOptions {
  /** Cargo's home; its registry caches are read when `fetch` is off. Undefined: not read. */
  cargoHome: string | undefined;
  /** Our cache directory (index files under `sparse-index/`). Undefined: nothing cached. */
  cacheDir: string | undefined;
  /** Ask the sparse index; when false, only local caches are read. */
  fetch: boolean;
  /** Sparse index base URL; a `sparse+` prefix is accepted. Default https://index.crates.io/. */
  indexUrl?: string;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Deadline for one crate's whole exchange (redirects and body included). Default 10 000. */
  timeoutMs?: number;
  /** Largest index file accepted, from the network or from disk. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Default `cargo-sentinel/<version>`. */
  userAgent?: string;
  limits?: IndexLimits;
}

/**
 * - `not-in-index`: the index has no such crate (HTTP 404/410/451). A fact worth
 *   reporting in itself: the crate was deleted, or the lockfile is not from crates.io.
 * - `version-not-in-index`: the crate is listed but not this version.
 * - `not-cached`: fetching is off and no local cache has the crate.
 * - `fetch-failed`: the network, the server or the deadline failed us.
 * - `invalid-index-file`: what we got, or found on disk, is not a readable index file.
 */
export type YankedErrorReason = 'not-in-index' | 'version-not-in-index' | 'not-cached' | 'fetch-failed' | 'invalid-index-file';

export interface YankedCheckError {
  name: string;
  /** Set when one version is undetermined; undefined when the whole crate is. */
  version: string | undefined;
  reason: YankedErrorReason;
  message: string;
}

/** Something was skipped but an answer was still found (e.g. malformed index lines). */
export interface YankedCheckWarning {
  name: string;
  message: string;
}

export interface YankedCheckResult {
  /** Ordered by name, then version. */
  yanked: LockPackage[];
  /** Ordered by name, then version (crate-wide errors first). */
  errors: YankedCheckError[];
  warnings: YankedCheckWarning[];
}

export const ERROR_PREFIX = "couldn't check if the package is yanked: ";

interface Settings {
  fetch: boolean;
  concurrency: number;
  indexUrl: string;
  cacheDir: string | undefined;
  registryDirs: string[];
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  userAgent: string;
  limits: IndexLimits;
}

/** One source's answer: version string -> yanked. */
interface Snapshot {
  origin: string;
  versions: Map<string, boolean>;
}

interface CrateLookup {
  /** Newest first; the first one listing a version decides it. */
  snapshots: Snapshot[];
  warnings: string[];
  failure: { reason: YankedErrorReason; detail: string } | undefined;
}

export async function checkYanked(packages: readonly LockPackage[], options: YankedCheckOptions): Promise<YankedCheckResult> {
  const settings = await resolveSettings(options);
  const byName = new Map<string, LockPackage[]>();
  for (const pkg of packages) {
    if (!pkg.source?.isCratesIo) continue;
    const group = byName.get(pkg.name);
    if (group) group.push(pkg);
    else byName.set(pkg.name, [pkg]);
  }
  const names = [...byName.keys()].sort(compareStrings);
  // Offline with no local index anywhere, every crate is uncached: said without a lookup per crate
  // (tens of thousands of them on a large graph).
  const nothingLocal = !settings.fetch && settings.cacheDir === undefined && settings.registryDirs.length === 0;
  const lookups = nothingLocal ? names.map((name) => notCached(name)) : await mapBounded(names, settings.concurrency, (name) => lookUp(name, settings));

  const result: YankedCheckResult = { yanked: [], errors: [], warnings: [] };
  names.forEach((name, i) => {
    const lookup = lookups[i] as CrateLookup;
    for (const message of lookup.warnings) result.warnings.push({ name, message });
    if (lookup.failure) {
      const { reason, detail } = lookup.failure;
      result.errors.push({ name, version: undefined, reason, message: ERROR_PREFIX + detail });
      return;
    }
    const locked = (byName.get(name) ?? []).slice().sort((a, b) => compareVersions(a.version, b.version));
    for (const pkg of locked) {
      const answer = lookup.snapshots.find((s) => s.versions.has(pkg.version));
      if (answer?.versions.get(pkg.version) === true) result.yanked.push(pkg);
      else if (!answer) {
        const where = lookup.snapshots.map((s) => s.origin).join(', ');
        result.errors.push({
          name,
          version: pkg.version,
          reason: 'version-not-in-index',
          message: `${ERROR_PREFIX}${name} ${pkg.version} is not listed in ${where}`,
        });
      }
    }
  });
  return result;
}

async function resolveSettings(options: YankedCheckOptions): Promise<Settings> {
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw configError(`yanked-check concurrency must be a positive integer, got ${concurrency}`);
  if (!(timeoutMs > 0)) throw configError(`yanked-check timeout must be positive, got ${timeoutMs} ms`);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw configError(`index file size limit must be a positive integer, got ${maxBodyBytes}`);
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw configError(`redirect limit must be a non-negative integer, got ${maxRedirects}`);
  return {
    fetch: options.fetch,
    concurrency,
    indexUrl: normaliseIndexUrl(options.indexUrl ?? DEFAULT_INDEX_URL),
    // Offline, a cache directory that was never written is skipped once instead of probed per crate.
    cacheDir: options.fetch || (options.cacheDir !== undefined && existsSync(path.join(options.cacheDir, 'sparse-index'))) ? options.cacheDir : undefined,
    // Only read without fetching; listed once, not per crate.
    registryDirs: !options.fetch && options.cargoHome !== undefined ? await listCargoRegistryDirs(options.cargoHome) : [],
    timeoutMs,
    maxBodyBytes,
    maxRedirects,
    userAgent: options.userAgent ?? (options.fetch ? defaultUserAgent() : ''),
    limits: options.limits ?? defaultIndexLimits,
  };
}

/** Accepts the `sparse+` form cargo configs use and makes the base end in `/` so paths join under it. */
export function normaliseIndexUrl(raw: string): string {
  const bare = raw.startsWith('sparse+') ? raw.slice('sparse+'.length) : raw;
  let url: URL;
  try {
    url = new URL(bare);
  } catch {
    throw configError(`index URL is not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configError(`index URL must be http(s): ${raw}`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

async function lookUp(name: string, settings: Settings): Promise<CrateLookup> {
  try {
    return settings.fetch ? await lookUpRemote(name, settings) : await lookUpLocal(name, settings);
  } catch (e) {
    // File-system surprises (permissions, a directory where a file should be) stay per crate.
    return failure('invalid-index-file', `${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function lookUpRemote(name: string, settings: Settings): Promise<CrateLookup> {
  const url = new URL(indexPath(name), settings.indexUrl).href;
  const warnings: string[] = [];
  const cached = settings.cacheDir === undefined ? undefined : await readCachedIndexFile(settings.cacheDir, name, settings.maxBodyBytes);
  let held: { snapshot: Snapshot; parsed: ParsedIndexFile; validator: Validator | undefined } | undefined;
  if (typeof cached === 'string') warnings.push(`ignored the cached copy: ${cached}`);
  else if (cached) {
    const parsed = parseIndexFile(cached.body, name, settings.limits);
    if (isIndexFile(parsed)) held = { snapshot: snapshotOf(cached.file, parsed), parsed, validator: cached.validator };
    else warnings.push(`ignored the cached copy ${cached.file}: ${parsed.firstProblem ?? 'no entries'}`);
  }
  // Only a copy we can read may be revalidated: a 304 for a broken copy would leave us with nothing.
  const validator = held?.validator?.url === url ? held.validator : undefined;

  const response = await fetchIndexFile({
    url,
    userAgent: settings.userAgent,
    timeoutMs: settings.timeoutMs,
    maxBodyBytes: settings.maxBodyBytes,
    maxRedirects: settings.maxRedirects,
    etag: validator?.etag,
    lastModified: validator?.lastModified,
  });
  switch (response.kind) {
    case 'ok': {
      const parsed = parseIndexFile(response.body, name, settings.limits);
      if (!isIndexFile(parsed)) {
        return failure('invalid-index-file', `${url} did not send an index file (${parsed.firstProblem ?? 'no entries'})`, warnings);
      }
      addSkipWarning(warnings, url, parsed, settings);
      if (settings.cacheDir !== undefined) {
        try {
          await writeCachedIndexFile(settings.cacheDir, name, response.body, {
            url,
            etag: response.etag,
            lastModified: response.lastModified,
          });
        } catch (e) {
          warnings.push(`could not update the cache: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return { snapshots: [snapshotOf(url, parsed)], warnings, failure: undefined };
    }
    case 'not-modified':
      if (!held) return failure('fetch-failed', `${url} answered 304 Not Modified but no cached copy is held`, warnings);
      addSkipWarning(warnings, held.snapshot.origin, held.parsed, settings);
      return { snapshots: [held.snapshot], warnings, failure: undefined };
    case 'not-found':
      if (settings.cacheDir !== undefined) await removeCachedIndexFile(settings.cacheDir, name);
      return failure('not-in-index', `not found: no crate named "${name}" in the index (HTTP ${response.status} from ${url})`, warnings);
    case 'failed':
      return failure('fetch-failed', response.message, warnings);
  }
}

async function lookUpLocal(name: string, settings: Settings): Promise<CrateLookup> {
  const warnings: string[] = [];
  const candidates: Array<{ origin: string; mtimeMs: number; parsed: ParsedIndexFile }> = [];
  const problems: string[] = [];

  if (settings.cacheDir !== undefined) {
    const cached = await readCachedIndexFile(settings.cacheDir, name, settings.maxBodyBytes);
    if (typeof cached === 'string') problems.push(cached);
    else if (cached) candidates.push({ origin: cached.file, mtimeMs: cached.mtimeMs, parsed: parseIndexFile(cached.body, name, settings.limits) });
  }
  for (const ref of await findCargoCacheFiles(settings.registryDirs, name)) {
    const data = await readBoundedFile(ref.path, settings.maxBodyBytes);
    const parsed = typeof data === 'string' ? data : parseCargoCache(data, name, settings.limits);
    if (typeof parsed === 'string') problems.push(`${ref.path}: ${parsed}`);
    else candidates.push({ origin: ref.path, mtimeMs: ref.mtimeMs, parsed });
  }

  const snapshots: Snapshot[] = [];
  for (const c of candidates.sort((a, b) => b.mtimeMs - a.mtimeMs || compareStrings(a.origin, b.origin))) {
    if (!isIndexFile(c.parsed)) {
      problems.push(`${c.origin}: ${c.parsed.firstProblem ?? 'no entries'}`);
      continue;
    }
    addSkipWarning(warnings, c.origin, c.parsed, settings);
    snapshots.push(snapshotOf(c.origin, c.parsed));
  }
  if (snapshots.length > 0) {
    for (const p of problems) warnings.push(`ignored an unreadable cache file: ${p}`);
    return { snapshots, warnings, failure: undefined };
  }
  if (problems.length > 0) return failure('invalid-index-file', `no readable local index cache for ${name}: ${problems.join('; ')}`, warnings);
  return notCached(name, warnings);
}

const notCached = (name: string, warnings: string[] = []): CrateLookup =>
  failure('not-cached', `not found: ${name} is in no local index cache, and fetching is off`, warnings);

/** Some lines may be bad, but a file where every line is bad (an HTML page, say) is not an index file. */
const isIndexFile = (parsed: ParsedIndexFile): boolean => parsed.entries.length > 0 || parsed.skipped === 0;

function snapshotOf(origin: string, parsed: ParsedIndexFile): Snapshot {
  // Later lines win, as in cargo's version map.
  return { origin, versions: new Map(parsed.entries.map((e) => [e.vers, e.yanked])) };
}

function addSkipWarning(warnings: string[], origin: string, parsed: ParsedIndexFile, settings: Settings): void {
  const text = describeSkipped(parsed, settings.limits.maxLines);
  if (text !== undefined) warnings.push(`${origin}: ${text}`);
}

function failure(reason: YankedErrorReason, detail: string, warnings: string[] = []): CrateLookup {
  return { snapshots: [], warnings, failure: { reason, detail } };
}

/** Locale-independent, so the order is the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareVersions(a: string, b: string): number {
  // The index holds versions that are not semver; those sort as text.
  const bySemver = isSemver(a) && isSemver(b) ? compareSemver(a, b) : 0;
  return bySemver !== 0 ? bySemver : compareStrings(a, b);
}

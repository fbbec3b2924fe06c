/**
 * V8 code cache for the bundled CLI.
 *
 * Node 20 has no module compile cache, and compiling the bundle's functions is
 * a large share of a warm run (the work itself takes a few tens of
 * milliseconds). So the launcher runs the bundle through `vm.Script` with the
 * bytecode V8 produced on an earlier run. The bytecode is written after a run,
 * so it holds every function that run compiled, and written again after the
 * first run of each further command (see the header below).
 *
 * The cache is an optimisation and never a source of truth:
 * - it is keyed by the bundle's build (a hash of the sources it was built
 *   from), the file's path, size, modification time and inode, Node's version
 *   and the CPU architecture (V8 itself only checks the source's length and
 *   its flags): a rebuild or any edit of the file misses;
 * - a file V8 rejects is replaced, one that cannot be read or written is
 *   ignored, and nothing about it can change a run's output or exit code;
 * - it lives in a directory the user owns that nobody else can write to,
 *   because bytecode is code: a world-writable cache would be a way in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fnv1a } from '../io/fnv1a.js';
import { readRegularFile } from '../io/read-regular-file.js';
import { writeFileAtomicSync } from '../io/write-file-atomic.js';

/** Where the cache lives, or nothing when it is turned off. */
export function codeCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = os.homedir()): string | undefined {
  const setting = env.CARGO_SENTINEL_CODE_CACHE;
  if (setting !== undefined && setting !== '') {
    if (['0', 'off', 'false', 'no'].includes(setting.toLowerCase())) return undefined;
    return path.resolve(setting);
  }
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'cargo-sentinel', 'code-cache');
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : home ? path.join(home, '.cache') : undefined;
  return base === undefined ? undefined : path.join(base, 'cargo-sentinel', 'code-cache');
}


/** The cache file for this build of this bundle file, as it is on disk, on this Node and architecture. */
export function codeCacheFile(dir: string, build: string, bundle: string, stat: fs.Stats): string {
  const parts = [build, fnv1a(bundle), stat.size, Math.round(stat.mtimeMs * 1000), stat.ino, process.version, process.arch];
  const name = parts.map((p) => String(p).replace(/[^A-Za-z0-9.+_]/g, '_')).join('-');
  return path.join(dir, `${CACHE_PREFIX}${name}${CACHE_SUFFIX}`);
}

const CACHE_PREFIX = 'bundle-';
const CACHE_SUFFIX = '.v8';
/** The bundle's bytecode is under 1 MB; anything far larger is not ours. */
export const MAX_CODE_CACHE_BYTES = 32 * 1024 * 1024;

/** A directory we may trust with bytecode: ours, and writable by nobody else. */
function trustedDirectory(dir: string): boolean {
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return false;
  if (process.platform === 'win32') return true; // no POSIX modes; %LOCALAPPDATA% is per user
  const uid = process.getuid?.();
  return (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
}

/** The cached bytecode, or nothing when there is none we can trust. */
export function readCodeCache(file: string): Buffer | undefined {
  if (!trustedDirectory(path.dirname(file))) return undefined;
  const read = readRegularFile(file, MAX_CODE_CACHE_BYTES);
  if (!read.ok || read.bytes.length === 0) return undefined;
  const uid = process.getuid?.();
  if (uid !== undefined && process.platform !== 'win32' && read.stat.uid !== uid) return undefined;
  return read.bytes;
}

/**
 * A cache file: `SCC1`, the length of a JSON header (4 bytes, little-endian),
 * the header, then V8's data. The header lists the commands whose runs the
 * data has seen: V8 caches what a run compiled, so a cache written by
 * `--version` alone would leave `check` compiling as if there were none. The
 * first run of a command not listed writes the cache again, holding both.
 */
const MAGIC = 'SCC1';

export interface StoredCodeCache {
  covers: string[];
  data: Buffer;
}

export function encodeCodeCache(cache: StoredCodeCache): Buffer {
  const header = Buffer.from(JSON.stringify({ covers: cache.covers }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([Buffer.from(MAGIC), length, header, cache.data]);
}

export function decodeCodeCache(bytes: Buffer | undefined): StoredCodeCache | undefined {
  if (bytes === undefined || bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) return undefined;
  const length = bytes.readUInt32LE(4);
  if (8 + length >= bytes.length) return undefined;
  try {
    const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as { covers?: unknown };
    if (!Array.isArray(header.covers) || !header.covers.every((c) => typeof c === 'string')) return undefined;
    return { covers: header.covers as string[], data: bytes.subarray(8 + length) };
  } catch {
    return undefined;
  }
}

/** The CLI command a command line runs (what the cache's header lists); global flags and their values are skipped. */
export function commandOf(argv: readonly string[]): string {
  return argv.find((a) => COMMANDS.has(a)) ?? (argv.some((a) => a === '-V' || a === '--version') ? '--version' : '-');
}
const COMMANDS = new Set(['audit', 'check', 'fetch', 'init', 'list', 'sbom', 'report', 'help']);

/** Caches of other builds (older versions, another install) are removed once unused this long. */
const STALE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** And at most this many are kept, newest first: one per install that runs now and then. */
const MAX_CACHES = 8;

/**
 * Writes the bytecode atomically (temporary file, then rename), so concurrent
 * runs never read half a file, and prunes caches of other builds that have
 * not been written for a week, or beyond the newest eight: two installs used
 * in turn must not evict each other's cache. Failure is silent: the run has
 * already succeeded.
 */
export function writeCodeCache(file: string, data: Buffer | (() => Buffer), now = Date.now()): boolean {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!trustedDirectory(dir)) return false;
    // Asked for only now: serialising the bytecode costs ~10 ms, wasted on a
    // directory that cannot take it (a read-only home in CI, say).
    fs.accessSync(dir, fs.constants.W_OK);
    writeFileAtomicSync(file, typeof data === 'function' ? data() : data, { mode: 0o600 });
    const others = fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(CACHE_PREFIX) && name.endsWith(CACHE_SUFFIX) && name !== path.basename(file))
      .map((name) => ({ name, mtime: fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.mtime - a.mtime);
    others.forEach(({ name, mtime }, i) => {
      if (now - mtime > STALE_AFTER_MS || i >= MAX_CACHES - 1) fs.rmSync(path.join(dir, name), { force: true });
    });
    return true;
  } catch {
    return false;
  }
}

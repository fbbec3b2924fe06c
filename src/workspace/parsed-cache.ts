/**
 * Parse results of a workspace's Cargo.lock and Cargo.toml files, kept between
 * runs. A warm `check` spends more time parsing fifty manifests and a large
 * lockfile with cold (not yet optimised) code than on all of its checks;
 * reading the same results back as JSON takes a fraction of that.
 *
 * Correctness does not depend on the cache:
 * - an entry is found by the SHA-256 of the exact text it was parsed from, so
 *   any edit to a file misses; and the whole store is dropped when the build
 *   that wrote it is not the one running (parsers change between versions);
 * - only plain JSON is stored: a document with values JSON cannot hold (TOML
 *   dates, inf and nan) is parsed every time;
 * - a missing, unreadable, oversized or malformed store, or an entry of the
 *   wrong shape, is a miss, never an error;
 * - it is written atomically into a directory only its owner can write to,
 *   and holds exactly the entries the last run used, so it cannot grow.
 * Like the advisory index and yanked caches in the same directory, it is only
 * as trustworthy as that directory: do not restore it from a cache that
 * untrusted jobs can write.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Bumped whenever what is stored changes shape. */
const FORMAT = 1;
/** A store is a few hundred KiB for a large workspace; far more is not ours. */
const MAX_STORE_BYTES = 64 * 1024 * 1024;

export type CacheKind = 'lockfile' | 'toml';

interface Store {
  format: number;
  build: string;
  /** Key (`kind:sha256 of the text`) to the parse result as JSON text. */
  entries: Record<string, string>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Whether `value` reads back the same after JSON.stringify/parse: plain
 * objects, arrays, strings, finite numbers, booleans, and properties that are
 * undefined (left out, and read back as undefined).
 */
export function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key of Object.keys(value)) {
        const property = (value as Record<string, unknown>)[key];
        if (key === '__proto__' || (property !== undefined && !isPlainJson(property, depth + 1))) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

export class ParsedCache {
  /** Entries this run used or added: what the next run will find. */
  private readonly used = new Map<string, string>();
  private dirty = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly build: string,
    private readonly stored: Record<string, string>,
  ) {}

  /** A cache that keeps nothing (no cache directory, or turned off). */
  static none(): ParsedCache {
    return new ParsedCache(undefined, '', {});
  }

  /**
   * The store for one workspace (`scope`, its root manifest's path) in `dir`;
   * `build` identifies the code that parses.
   */
  static open(dir: string, scope: string, build: string): ParsedCache {
    const file = path.join(dir, 'parsed', `${sha256(path.resolve(scope)).slice(0, 32)}.json`);
    return new ParsedCache(file, build, readStore(file, build));
  }

  /**
   * The stored value for `text` if there is one `revive` accepts, else the
   * parsed one (remembered when `store` gives plain JSON for it). Entries are
   * kept as JSON text, so what callers later do to a value never reaches the
   * store.
   */
  through<T>(kind: CacheKind, text: string, parse: () => T, store: (value: T) => unknown, revive: (stored: unknown) => T | undefined): T {
    if (this.file === undefined) return parse();
    const key = `${kind}:${sha256(text)}`;
    const hit = Object.hasOwn(this.stored, key) ? this.stored[key] : undefined;
    if (typeof hit === 'string') {
      const value = safely(() => revive(JSON.parse(hit)));
      if (value !== undefined) {
        this.used.set(key, hit);
        return value;
      }
    }
    const value = parse();
    const plain = store(value);
    if (isPlainJson(plain)) {
      this.used.set(key, JSON.stringify(plain));
      this.dirty = true;
    }
    return value;
  }

  /** Writes the store when it changed: new entries, or entries no longer used. Failure is silent. */
  save(): void {
    if (this.file === undefined) return;
    if (!this.dirty && this.used.size === Object.keys(this.stored).length) return;
    const store: Store = { format: FORMAT, build: this.build, entries: Object.fromEntries(this.used) };
    try {
      const dir = path.dirname(this.file);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(store), { mode: 0o600, flag: 'wx' });
      fs.renameSync(temp, this.file);
    } catch {
      // A cache we cannot write only costs the next run its parse time.
    }
  }
}

function safely<T>(fn: () => T | undefined): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function readStore(file: string, build: string): Record<string, string> {
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    let text: string;
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile() || stat.size > MAX_STORE_BYTES) return {};
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
    const store = JSON.parse(text) as Partial<Store> | null;
    if (store === null || typeof store !== 'object' || store.format !== FORMAT || store.build !== build) return {};
    const entries = store.entries;
    if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) return {};
    return entries as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * Parse results of a workspace's Cargo.lock and Cargo.toml files, kept between
 * runs. A warm `check` spends more time parsing fifty manifests and a large
 * lockfile with cold (not yet optimised) code than on all of its checks;
 * reading the same results back as JSON takes a fraction of that.
 *
 * Correctness does not depend on the cache:
 * - an entry holds the exact text it was parsed from and is used only when
 *   the file's text is equal to it, so any edit misses (no hash to collide,
 *   and no crypto module to load: ~3 ms of a warm run); each build of
 *   cargo-sentinel has its own store and never reads another's (parsers
 *   change between versions);
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
import fs from 'node:fs';
import path from 'node:path';
import { fnv1a } from '../io/fnv1a.js';
import { readRegularFile } from '../io/read-regular-file.js';
import { writeFileAtomicSync } from '../io/write-file-atomic.js';

/** Bumped whenever what is stored changes shape. */
const FORMAT = 4;
/** A store is a few hundred KiB for a large workspace; far more is not ours. */
const MAX_STORE_BYTES = 64 * 1024 * 1024;

export type CacheKind = 'lockfile' | 'toml';

/**
 * The store: a header line (`{"format":4,"build":"…"}`), then per entry a
 * line `"<kind>:<file>"<TAB><text length><TAB><result length>` followed by
 * the file's text as its UTF-8 bytes, the result as JSON, and a newline.
 * Everything but the texts is ASCII (JSON with `\u` escapes), so the store is
 * read as Latin-1, one byte per character: no UTF-8 decoding, and a text is
 * compared as the bytes it was. Lengths are in bytes. Each result is parsed
 * once, and only when a run asks for it with the same text.
 */
interface StoreHeader {
  format: number;
  build: string;
}

interface StoredEntry {
  /** The file's UTF-8 bytes, one Latin-1 character each. */
  bytes: string;
  /** ASCII JSON. */
  json: string;
}

/** A text's UTF-8 bytes as a Latin-1 string: what the store holds. */
const utf8Bytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
/** JSON with every character above U+007E escaped, so it is ASCII. */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);


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
  private readonly used = new Map<string, StoredEntry>();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly build: string,
    private readonly stored: Map<string, StoredEntry>,
  ) {}

  /**
   * The store for one workspace (`scope`, its root manifest's path) in `dir`;
   * `build` identifies the code that parses.
   */
  static open(dir: string, scope: string, build: string): ParsedCache {
    const resolved = path.resolve(scope);
    // The path's name and a hash of it: readable, and distinct for distinct paths in practice.
    // And the build's: two versions used in turn keep a store each instead of overwriting each other's.
    const name = `${path.basename(path.dirname(resolved)).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}-${fnv1a(resolved)}-${fnv1a(build)}`;
    const file = path.join(dir, 'parsed', `${name}.txt`);
    return new ParsedCache(file, build, readStore(file, build));
  }

  /**
   * The stored value for `file` if it was parsed from this very `text` and
   * `revive` accepts it, else the parsed one (remembered when `store` gives
   * plain JSON for it). Results are kept as JSON text, so what callers later
   * do to a value never reaches the store.
   */
  through<T>(kind: CacheKind, file: string, text: string, parse: () => T, store: (value: T) => unknown, revive: (stored: unknown) => T | undefined): T {
    const key = `${kind}:${file}`;
    const hit = this.stored.get(key);
    const bytes = utf8Bytes(text);
    if (hit !== undefined && hit.bytes === bytes) {
      const value = safely(() => revive(JSON.parse(hit.json)));
      if (value !== undefined) {
        this.used.set(key, hit);
        return value;
      }
    }
    const value = parse();
    const plain = store(value);
    if (isPlainJson(plain)) {
      this.used.set(key, { bytes, json: asciiJson(plain) });
      this.dirty = true;
    }
    return value;
  }

  /** Writes the store when it changed: new entries, or entries no longer used. Failure is silent. */
  save(): void {
    if (!this.dirty && this.used.size === this.stored.size) return;
    const header: StoreHeader = { format: FORMAT, build: this.build };
    const parts = [`${JSON.stringify(header)}\n`];
    for (const [key, { bytes, json }] of this.used) parts.push(`${asciiJson(key)}\t${bytes.length}\t${json.length}\n`, bytes, json, '\n');
    try {
      const dir = path.dirname(this.file);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileAtomicSync(this.file, parts.join(''), { mode: 0o600, encoding: 'latin1' });
      pruneStale(dir, Date.now());
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

/** Stores of workspaces not checked for a month (moved, deleted, or written by another version) are removed. */
const STALE_AFTER_MS = 30 * 24 * 60 * 60 * 1000;

function pruneStale(dir: string, now: number): void {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (stat?.isFile() && now - stat.mtimeMs > STALE_AFTER_MS) fs.rmSync(file, { force: true });
  }
}

const ENTRY_LINE = /^("(?:[^"\\\n]|\\.)*")\t(\d{1,9})\t(\d{1,9})$/;

function readStore(file: string, build: string): Map<string, StoredEntry> {
  const entries = new Map<string, StoredEntry>();
  try {
    const read = readRegularFile(file, MAX_STORE_BYTES);
    if (!read.ok) return entries;
    const data = read.bytes.toString('latin1');
    let at = data.indexOf('\n');
    const header = JSON.parse(data.slice(0, at < 0 ? data.length : at)) as Partial<StoreHeader> | null;
    if (header === null || typeof header !== 'object' || header.format !== FORMAT || header.build !== build) return entries;
    while (at >= 0 && at + 1 < data.length) {
      const lineEnd = data.indexOf('\n', at + 1);
      if (lineEnd < 0) break;
      const line = ENTRY_LINE.exec(data.slice(at + 1, lineEnd));
      if (!line) break; // not the format we write: keep what came before
      const key = JSON.parse(line[1]!) as string;
      const textEnd = lineEnd + 1 + Number(line[2]);
      const jsonEnd = textEnd + Number(line[3]);
      if (jsonEnd >= data.length || data[jsonEnd] !== '\n') break; // cut short
      entries.set(key, { bytes: data.slice(lineEnd + 1, textEnd), json: data.slice(textEnd, jsonEnd) });
      at = jsonEnd;
    }
    return entries;
  } catch {
    return new Map();
  }
}

/**
 * The compiled advisory index, one file per database commit, so that an
 * unchanged database is never parsed twice. A missing, corrupt or outdated
 * file is rebuilt; failing to write one never fails the run.
 */
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../io/write-file-atomic.js';
import { assembleDatabase } from './assemble.js';
import { decodeHeader, decodeIndex, encodeIndex, INDEX_FORMAT, IndexFormatError } from './index-format.js';
import type { AdvisoryDatabase, DatabaseInfo } from './types.js';

const INDEX_FILE = /^advisory-index-v\d+-[0-9a-f]+\.bin$/;
const TEMP_FILE = /^advisory-index-v\d+-[0-9a-f]+\.bin\.\d+\.\d+\.tmp$/;
/** Older than this, a temp file is the leftover of a writer that died, not one still writing. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
/** A commit id becomes part of a file name, so only accept what git prints. */
const COMMIT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export interface CachedLoadOptions {
  /** The database checkout. */
  dir: string;
  info: DatabaseInfo;
  /** Directory holding the index files (created when missing). */
  cacheDir: string;
  /**
   * false: the checkout differs from its commit (hand edits). It is parsed as it
   * is, and the index of the commit is neither read nor written: an index filed
   * under a commit must hold that commit's advisories, or it would outlive the
   * fetch that undoes the edits.
   */
  matchesCommit?: boolean;
}

export const indexFileName = (commit: string): string => `advisory-index-v${INDEX_FORMAT}-${commit}.bin`;

export async function loadDatabaseCached(options: CachedLoadOptions): Promise<AdvisoryDatabase & { fromCache: boolean }> {
  const { dir, info, cacheDir } = options;
  const commit = info.commit?.toLowerCase();
  if (commit === undefined || !COMMIT_ID.test(commit) || options.matchesCommit === false) {
    return { ...(await parseDatabase(dir, info)), fromCache: false };
  }

  const file = path.join(cacheDir, indexFileName(commit));
  const cached = readIndex(file, commit, info);
  if (cached) return { ...cached, fromCache: true };

  const db = await parseDatabase(dir, info);
  writeIndex(cacheDir, file, encodeIndex(db.advisories, db.warnings, commit, info.commitDate));
  return { ...db, fromCache: false };
}

/** The cached database of `info.commit`, or undefined when it is not cached (nothing is parsed or written). */
export function loadCachedIndex(options: CachedLoadOptions): AdvisoryDatabase | undefined {
  const commit = options.info.commit?.toLowerCase();
  if (commit === undefined || !COMMIT_ID.test(commit)) return undefined;
  return readIndex(path.join(options.cacheDir, indexFileName(commit)), commit, options.info);
}

/**
 * The commit date recorded in the index of `commit`, if one is cached: an
 * offline run learns the database's age from it without starting git.
 */
export function cachedCommitDate(cacheDir: string, commit: string): string | undefined {
  const id = commit.toLowerCase();
  if (!COMMIT_ID.test(id)) return undefined;
  let fd: number | undefined;
  try {
    // Only the header line is needed; the index itself is read later, if at all.
    fd = openSync(path.join(cacheDir, indexFileName(id)), 'r');
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, HEADER_PEEK_BYTES));
    readSync(fd, head, 0, head.length, 0);
    const header = decodeHeader(head, size);
    return header && header.commit === id && header.format === INDEX_FORMAT ? (header.commitDate ?? undefined) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The header is one short JSON line; this is far more than it ever needs. */
const HEADER_PEEK_BYTES = 4096;

/** The parser (and smol-toml) is loaded only when the index has to be built. */
async function parseDatabase(dir: string, info: DatabaseInfo): Promise<AdvisoryDatabase> {
  const { loadDatabase } = await import('./database.js');
  return loadDatabase(dir, info);
}

function readIndex(file: string, commit: string, info: DatabaseInfo): AdvisoryDatabase | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const header = decodeHeader(bytes);
  if (!header || header.format !== INDEX_FORMAT || header.commit !== commit) return undefined;
  try {
    const { advisories, warnings } = decodeIndex(bytes, header);
    return assembleDatabase({ ...info, commitDate: info.commitDate ?? header.commitDate }, advisories, warnings);
  } catch (e) {
    if (e instanceof IndexFormatError) return undefined;
    throw e;
  }
}

/**
 * Temp file + rename, so a reader sees either no file or a whole one. Then the
 * index files of other commits and formats go (only the newest is ever read),
 * and so do temp files abandoned by writers that died.
 */
function writeIndex(cacheDir: string, file: string, bytes: Buffer): void {
  const now = Date.now();
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomicSync(file, bytes);
    for (const name of readdirSync(cacheDir)) {
      const other = path.join(cacheDir, name);
      if (INDEX_FILE.test(name) && other !== file) removeQuietly(other);
      if (TEMP_FILE.test(name) && now - statSync(other).mtimeMs > ABANDONED_AFTER_MS) removeQuietly(other);
    }
  } catch {
    // A read-only or full cache directory only costs the next run a re-parse.
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Left for the next successful write to clear.
  }
}

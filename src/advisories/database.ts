/**
 * Loads an advisory-db checkout: `crates/<package>/<id>.md` (required) and
 * `rust/<component>/<id>.md` (optional). The checkout comes from the network,
 * so loading is bounded and stays inside it: symlinks are never followed,
 * only regular files are opened, a file over the size limit is skipped on its
 * size alone, and one malformed advisory costs a warning, not the whole load.
 * A checkout far bigger than the real database (entries or bytes) is refused
 * whole rather than loaded in part. Names and messages in warnings are made
 * printable: a file name can hold newlines or terminal escapes.
 *
 * The files are read synchronously: 1,225 small files take ~12 ms that way
 * against ~80 ms through the thread pool, and a CLI has nothing else to do meanwhile.
 */
import { lstatSync, opendirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { isSentinelError, operationalError } from '../errors.js';
import { readRegularFile } from '../io/read-regular-file.js';
import { parseAdvisory, PLACEHOLDER_ID } from './advisory.js';
import { assembleDatabase, compareStrings } from './assemble.js';
import { scoreCvss } from './cvss.js';
import type { Advisory, AdvisoryDatabase, AdvisoryWarning, Collection, CvssScore, DatabaseInfo } from './types.js';

/** The largest advisory today is ~20 KiB. */
export const MAX_ADVISORY_BYTES = 256 * 1024;

export interface DatabaseLimits {
  /** A bigger file is skipped with a warning, judged on its size alone. */
  advisoryBytes: number;
  /** Directory entries under crates/ and rust/; more refuses the database. */
  entries: number;
  /** Bytes of advisory text read in all; more refuses the database. */
  totalBytes: number;
}

/**
 * Today's database holds ~2,150 entries (1,225 files in ~930 directories) and
 * ~1.3 MB of text; these bounds leave it room to grow forty-fold, and keep a
 * load of the worst checkout that passes them to seconds.
 */
export const DATABASE_LIMITS: DatabaseLimits = { advisoryBytes: MAX_ADVISORY_BYTES, entries: 50_000, totalBytes: 64 * 1024 * 1024 };

const COLLECTIONS: readonly { name: Collection; required: boolean }[] = [
  { name: 'crates', required: true },
  { name: 'rust', required: false },
];

interface Candidate {
  /** `/`-separated, relative to the database root. */
  relPath: string;
  absPath: string;
}

/** What a load may still list and read; running out refuses the database. */
interface Budget {
  dir: string;
  limits: DatabaseLimits;
  entries: number;
  bytes: number;
}

export async function loadDatabase(dir: string, info: DatabaseInfo, limits: DatabaseLimits = DATABASE_LIMITS): Promise<AdvisoryDatabase> {
  const warnings = new Warnings();
  const budget: Budget = { dir, limits, entries: limits.entries, bytes: limits.totalBytes };
  const candidates: Candidate[] = [];
  for (const collection of COLLECTIONS) {
    candidates.push(...listCollection(dir, collection.name, collection.required, budget, warnings));
  }
  candidates.sort((a, b) => compareStrings(a.relPath, b.relPath));

  const byId = new Map<string, Advisory>();
  const score = rememberingScorer();
  for (const candidate of candidates) {
    const text = readBounded(candidate, budget, warnings);
    const advisory = text === undefined ? undefined : parseOrWarn(text, candidate.relPath, score, warnings);
    // Drafts are parsed, so their mistakes show, but they are not advisories yet.
    const draft = advisory?.metadata.id === PLACEHOLDER_ID || candidate.relPath.endsWith(`/${PLACEHOLDER_ID}.md`);
    if (advisory === undefined || draft) continue;
    const first = byId.get(advisory.metadata.id);
    if (first) {
      warnings.add(candidate.relPath, `duplicate id ${advisory.metadata.id}, already in ${first.path}`);
      continue;
    }
    byId.set(advisory.metadata.id, advisory);
  }
  return assembleDatabase(info, [...byId.values()], warnings.sorted());
}

function listCollection(dir: string, collection: Collection, required: boolean, budget: Budget, warnings: Warnings): Candidate[] {
  const root = path.join(dir, collection);
  const kind = entryKind(root);
  if (kind !== 'directory') {
    if (!required && kind === 'missing') return [];
    if (!required) {
      warnings.add(collection, `not a directory (${kind}); the collection is skipped`);
      return [];
    }
    throw operationalError(
      kind === 'missing'
        ? `${dir} is not an advisory database: it has no ${collection}/ directory`
        : `${root} must be a directory, not a ${kind}`,
      { file: dir },
    );
  }
  const candidates: Candidate[] = [];
  for (const packageDir of listDirectory(root, budget)) {
    const name = utf8Name(packageDir);
    if (name?.startsWith('.')) continue;
    const relDir = `${collection}/${name ?? lossy(packageDir.name)}`;
    if (name === undefined) {
      if (packageDir.isDirectory()) warnings.add(relDir, 'the name is not valid UTF-8; skipped');
      continue;
    }
    if (packageDir.isSymbolicLink()) {
      warnings.add(relDir, 'symbolic link not followed');
      continue;
    }
    // RustSec reads only the package directories of a collection.
    if (!packageDir.isDirectory()) continue;
    const absDir = path.join(root, name);
    for (const file of listDirectory(absDir, budget)) {
      const candidate = fileCandidate(absDir, relDir, file, warnings);
      if (candidate) candidates.push(candidate);
    }
  }
  return candidates;
}

/** The entries of `dir`, counted against the budget as they are read, so a huge directory is never listed whole. */
function listDirectory(dir: string, budget: Budget): Dirent<Buffer>[] {
  const entries: Dirent<Buffer>[] = [];
  // Node supports `buffer` here (names as bytes); @types/node 20 does not say so.
  const handle = opendirSync(dir, { encoding: 'buffer' as BufferEncoding });
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      if (--budget.entries < 0) throw tooLarge(budget, `more than ${budget.limits.entries} files and directories`);
      entries.push(entry as unknown as Dirent<Buffer>);
    }
  } finally {
    handle.closeSync();
  }
  return entries;
}

const tooLarge = (budget: Budget, what: string) =>
  operationalError(
    `the advisory database is not loaded: its advisories hold ${what}, far more than the RustSec database (is it the right directory, and intact?)`,
    { file: budget.dir },
  );

function fileCandidate(absDir: string, relDir: string, file: Dirent<Buffer>, warnings: Warnings): Candidate | undefined {
  const name = utf8Name(file);
  if (name?.startsWith('.')) return undefined;
  const relPath = `${relDir}/${name ?? lossy(file.name)}`;
  if (name === undefined) {
    warnings.add(relPath, 'the file name is not valid UTF-8; skipped');
    return undefined;
  }
  if (!file.isFile()) {
    const what = file.isSymbolicLink() ? 'symbolic link not followed' : 'not a regular file';
    warnings.add(relPath, what);
    return undefined;
  }
  if (!name.endsWith('.md')) {
    warnings.add(relPath, 'unexpected file extension (advisories are .md files)');
    return undefined;
  }
  return { relPath, absPath: path.join(absDir, name) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** A name that is not UTF-8, shown as its ASCII with every other byte as `\xNN`. */
const lossy = (bytes: Uint8Array): string =>
  [...bytes].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');

function utf8Name(entry: Dirent<Buffer>): string | undefined {
  try {
    return strictUtf8.decode(entry.name);
  } catch {
    return undefined;
  }
}

function entryKind(p: string): 'missing' | 'directory' | 'symbolic link' | 'file' {
  try {
    const stat = lstatSync(p);
    return stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symbolic link' : 'file';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw operationalError(`cannot read ${p}: ${(e as Error).message}`, { file: p }, e);
  }
}

/** The file's text, or a warning: see readRegularFile for how one file is read (no link, no FIFO, bounded). */
function readBounded(candidate: Candidate, budget: Budget, warnings: Warnings): string | undefined {
  const limit = budget.limits.advisoryBytes;
  const read = readRegularFile(candidate.absPath, limit);
  if (!read.ok) {
    const problem = { 'too-large': `file is over the ${limit}-byte limit`, 'not-regular': 'not a regular file', unreadable: `cannot read: ${read.error}` };
    warnings.add(candidate.relPath, problem[read.reason]);
    return undefined;
  }
  budget.bytes -= read.bytes.length;
  if (budget.bytes < 0) throw tooLarge(budget, `more than ${budget.limits.totalBytes} bytes`);
  return decodeText(read.bytes, candidate.relPath, warnings);
}

/** RustSec reads advisories as UTF-8 and fails on anything else; so does this loader, instead of parsing mojibake. */
function decodeText(bytes: Uint8Array, relPath: string, warnings: Warnings): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    warnings.add(relPath, 'not valid UTF-8 text');
    return undefined;
  }
}

/** Scoring is the dearest part of parsing, and the 420 vectors of today's database hold only 129 distinct ones. */
function rememberingScorer(): (vector: string) => CvssScore {
  const scores = new Map<string, CvssScore>();
  return (vector) => {
    let score = scores.get(vector);
    if (score === undefined) scores.set(vector, (score = scoreCvss(vector)));
    return score;
  };
}

function parseOrWarn(text: string, relPath: string, scoreCvss: (vector: string) => CvssScore, warnings: Warnings): Advisory | undefined {
  try {
    return parseAdvisory(text, relPath, { scoreCvss });
  } catch (e) {
    if (!isSentinelError(e)) throw e;
    const line = e.place?.line;
    warnings.add(relPath, line === undefined ? e.message : `line ${line}: ${e.message}`);
    return undefined;
  }
}

/** Warnings end up on a terminal: what the checkout chose (names, quoted values) is escaped first. */
class Warnings {
  private readonly list: AdvisoryWarning[] = [];

  add(relPath: string, message: string): void {
    this.list.push({ path: printable(relPath), message: printable(message) });
  }

  sorted(): AdvisoryWarning[] {
    return this.list.sort((a, b) => compareStrings(a.path, b.path));
  }
}

/** C0 and C1 controls, DEL, and the bidirectional overrides and isolates that reorder what a reader sees. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character written as an escape (`\x1b`, `\n`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

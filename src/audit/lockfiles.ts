/**
 * Which lockfiles an audit covers. One `--file` naming a file (or none: the
 * Cargo.lock in the working directory) is the classic single audit. Several
 * `--file`s, or a directory, audit many projects in one run: a directory is
 * searched for `Cargo.lock` files, without following symbolic links, skipping
 * build output, dependencies and hidden directories, to a bounded depth and
 * count so a mistaken `--file /` fails quickly instead of walking a disk.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { inputError } from '../errors.js';

/** Directories never searched: build output, JavaScript dependencies; hidden ones (`.git`, `.cargo`…) too. */
const SKIPPED = new Set(['target', 'node_modules']);
/** Levels below a given directory that are searched. */
export const MAX_SEARCH_DEPTH = 8;
/** Lockfiles one run audits at most; a larger estate is audited in parts. */
export const MAX_LOCKFILES = 2000;

export interface AuditTargets {
  /** Absolute paths, sorted, each once. */
  lockfiles: string[];
  /** Several projects (several `--file`s or a directory): reported per project, with a total. */
  multi: boolean;
}

export function findLockfiles(inputs: readonly string[], cwd: string): AuditTargets {
  if (inputs.length === 0) return { lockfiles: [path.resolve(cwd, 'Cargo.lock')], multi: false };
  const found = new Set<string>();
  let directories = 0;
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    if (isDirectory(absolute)) {
      directories++;
      for (const lockfile of lockfilesUnder(absolute, input)) found.add(lockfile);
    } else {
      // A missing file is reported when it is read, with the single audit's message.
      found.add(absolute);
    }
    if (found.size > MAX_LOCKFILES) throw tooMany(input);
  }
  const lockfiles = [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { lockfiles, multi: inputs.length > 1 || directories > 0 };
}

export function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Every Cargo.lock below `root` (breadth first); `shown` names the directory in errors as the user wrote it. */
export function lockfilesUnder(root: string, shown: string = root): string[] {
  const found: string[] = [];
  const queue: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  for (let i = 0; i < queue.length; i++) {
    const { dir, depth } = queue[i]!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      // The directory given is an error to report; one found inside that cannot be read is skipped.
      if (dir === root) throw inputError(`cannot read directory ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, undefined, e);
      continue;
    }
    for (const entry of entries) {
      if (entry.isFile() && entry.name === 'Cargo.lock') {
        found.push(path.join(dir, entry.name));
        if (found.length > MAX_LOCKFILES) throw tooMany(shown);
      } else if (entry.isDirectory() && depth < MAX_SEARCH_DEPTH && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) {
        queue.push({ dir: path.join(dir, entry.name), depth: depth + 1 });
      }
    }
  }
  if (found.length === 0) {
    throw inputError(`no Cargo.lock found under ${shown} (searched ${MAX_SEARCH_DEPTH} levels deep, skipping target, node_modules and hidden directories)`);
  }
  return found;
}

const tooMany = (where: string): Error =>
  inputError(`more than ${MAX_LOCKFILES} Cargo.lock files (at ${where}): audit the estate in parts, with narrower directories`);

/** A path as the user should read it: relative to the working directory when below it, `/`-separated. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return relative.split(path.sep).join('/');
}

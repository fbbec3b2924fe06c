/**
 * Shared by the sync tests: real git remotes and checkouts made from the
 * bundle, and a child process that runs one sync (for kills and races).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git, makeRemote, tempDir } from '../../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD, fixture } from '../../helpers/paths.js';

export const BUNDLE = fixture('advisory-db.bundle');

/** Nine days after DB_HEAD (2026-08-21), so DB_HEAD is fresh. */
export const NOW = new Date('2026-08-30T00:00:00Z');

/** Files `crates/**\/*.md` in a checkout: 906 at DB_OLD, 1205 at DB_HEAD. */
export function countAdvisories(dir: string): number {
  return (readdirSync(path.join(dir, 'crates'), { recursive: true }) as string[]).filter((p) => p.endsWith('.md')).length;
}

export const headOf = (dir: string): string => git(['rev-parse', 'HEAD'], dir);

/** Names next to `dir`, to show what a run left behind. */
export const siblings = (dir: string): string[] =>
  existsSync(path.dirname(dir)) ? readdirSync(path.dirname(dir)).sort() : [];

// Every checkout is ~9 MB; remove what this test process made when it exits.
const madeHere: string[] = [];
process.on('exit', () => {
  for (const dir of madeHere) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory removed when the test process exits. */
export function scratchDir(prefix = 'sentinel-sync-'): string {
  const dir = tempDir(prefix);
  madeHere.push(dir);
  return dir;
}

/** makeRemote, removed when the test process exits. */
export function remoteAt(commit: string = DB_HEAD): string {
  const remote = makeRemote(commit);
  madeHere.push(path.dirname(remote));
  return remote;
}

/** A fresh, empty database root and the database directory inside it. */
export function freshDbDir(): { root: string; dir: string } {
  const root = scratchDir();
  return { root, dir: path.join(root, 'advisory-db') };
}

/**
 * A bare remote whose `main` is DB_OLD and which holds no newer objects, made
 * as the advisory-db README describes. `catchUp()` then fetches the 420 newer
 * commits into it, so a later sync has to transfer objects it never saw.
 */
export function makeOldOnlyRemote(): { remote: string; catchUp: () => void } {
  const full = remoteAt();
  git(['branch', 'old', DB_OLD], full);
  const scratch = scratchDir('sentinel-old-');
  const oldBundle = path.join(scratch, 'old.bundle');
  git(['bundle', 'create', oldBundle, 'old'], full);
  const remote = path.join(scratch, 'remote.git');
  git(['clone', '--quiet', '--bare', '-b', 'old', oldBundle, remote]);
  git(['branch', '-m', 'old', 'main'], remote);
  return { remote, catchUp: () => git(['fetch', '--quiet', BUNDLE, 'main:main'], remote) };
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildRequest {
  url: string;
  dir: string;
  fetch: boolean;
  now: string;
  /** SIGKILL the child's whole process group (node and git) in the middle of receiving objects. */
  killDuringClone?: boolean;
}

const CHILD_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sync-child.js');

/** Runs one sync in a separate node process (its own process group). */
export function runChild(request: ChildRequest): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(request)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Real git fixtures made from fixtures/advisory-db.bundle. No git is mocked:
 * every helper runs the git binary with argument arrays (never a shell).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, existsSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, DB_HEAD } from './paths.js';

export const git = (args: string[], cwd?: string): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export const tempDir = (prefix = 'sentinel-test-'): string => mkdtempSync(path.join(os.tmpdir(), prefix));

/** A bare remote with the bundle's full history; `main` points at `commit`. */
export function makeRemote(commit: string = DB_HEAD): string {
  const dir = path.join(tempDir('sentinel-remote-'), 'advisory-db.git');
  git(['clone', '--quiet', '--bare', fixture('advisory-db.bundle'), dir]);
  if (commit !== DB_HEAD) git(['update-ref', 'refs/heads/main', commit], dir);
  return dir;
}

/**
 * A plain checkout of the database at `commit`, shared by all test files of a
 * run (cloned once into the OS temp dir, then renamed into place atomically).
 */
export function sharedCheckout(commit: string = DB_HEAD): string {
  const dir = path.join(os.tmpdir(), `sentinel-test-db-${commit.slice(0, 12)}`);
  if (existsSync(path.join(dir, '.git', 'HEAD'))) return dir;
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  git(['clone', '--quiet', '--no-checkout', fixture('advisory-db.bundle'), staging]);
  git(['checkout', '--quiet', '--detach', commit], staging);
  try {
    renameSync(staging, dir);
  } catch {
    // Another test process won the race; its checkout is the same commit.
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

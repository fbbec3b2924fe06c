/**
 * What can be done to one database directory with git: judge it, clone a new
 * one, bring an existing one up to date, read its HEAD. Orchestration, locking
 * and messages for the user live in sync.ts.
 */
import { readdir, readFile, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { operationalError } from '../../errors.js';
import { GitCommandError } from './git.js';
import { sameSource, type DatabaseSource } from './source.js';

/** Runs git in `cwd`; `withProgress` forwards git's progress to the caller's listener. */
export type GitRun = (cwd: string, args: string[], withProgress?: boolean) => Promise<string>;

export interface Head {
  commit: string;
  /** Committer date, RFC 3339 with the committer's offset. */
  commitDate: string;
}

export type Inspection =
  | { state: 'missing' }
  | { state: 'valid'; shallow: boolean }
  /** `replaceable`: it is (or was) a database, so deleting it loses nothing the user made. */
  | { state: 'invalid'; reason: string; replaceable: boolean };

export async function inspectCheckout(dir: string, source: DatabaseSource, git: GitRun): Promise<Inspection> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return { state: 'missing' };
  if (!info.isDirectory()) return { state: 'invalid', reason: 'it is not a directory', replaceable: false };
  if ((await readdir(dir)).length === 0) return { state: 'missing' };

  const hasCrates = await isDirectory(path.join(dir, 'crates'));
  if (!(await isDirectory(path.join(dir, '.git')))) {
    return { state: 'invalid', reason: 'it is not a git checkout', replaceable: hasCrates };
  }
  const invalid = async (reason: string): Promise<Inspection> => ({
    state: 'invalid',
    reason,
    replaceable: hasCrates || (await configMentions(dir, source)),
  });

  let topLevel: string;
  try {
    topLevel = (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    if (error instanceof GitCommandError && error.reason !== 'failed') throw error;
    return invalid(`git cannot open it: ${gitSummary(error)}`);
  }
  if ((await realpath(topLevel).catch(() => topLevel)) !== (await realpath(dir))) {
    return invalid('its .git directory is not a usable repository');
  }
  try {
    await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  } catch {
    return invalid('HEAD does not name a commit');
  }
  try {
    await git(dir, ['cat-file', '-t', 'HEAD^{tree}']);
  } catch {
    return invalid('objects of the HEAD commit are missing');
  }
  const origin = await git(dir, ['config', '--get', 'remote.origin.url']).then((s) => s.trim(), () => undefined);
  if (origin === undefined) return invalid('it has no origin remote');
  if (!sameSource(origin, source)) {
    return { state: 'invalid', reason: `it is a clone of ${origin}, not of ${source.given}`, replaceable: hasCrates };
  }
  if (!hasCrates) return invalid('it has no crates/ directory');
  return { state: 'valid', shallow: await exists(path.join(dir, '.git', 'shallow')) };
}

/**
 * Clones into a fresh sibling of `dir` and returns its path. Nothing is ever
 * cloned into `dir` itself, so an interrupted clone cannot leave a half
 * database there; the caller renames the finished clone into place.
 */
export async function cloneBeside(dir: string, source: DatabaseSource, branch: string, git: GitRun): Promise<string> {
  const staging = siblingName(dir, 'tmp');
  const args = ['clone', '--branch', branch, '--single-branch', '--no-tags'];
  // git ignores --depth for plain paths and says so on stderr.
  if (source.kind !== 'local-path') args.push('--depth', '1');
  try {
    await git(path.dirname(dir), [...args, '--', source.url, staging], true);
    if (!(await isDirectory(path.join(staging, 'crates')))) {
      throw operationalError(`${source.given} is not an advisory database: branch ${branch} has no crates/ directory`);
    }
    return staging;
  } catch (error) {
    await rm(staging, { recursive: true, force: true, maxRetries: 3 });
    throw error;
  }
}

/** Puts a finished clone at `dir`, moving anything there aside first and then deleting it. */
export async function moveIntoPlace(staging: string, dir: string): Promise<void> {
  const present = await stat(dir).catch(() => undefined);
  if (!present) {
    await rename(staging, dir);
    return;
  }
  const aside = siblingName(dir, 'old');
  await rename(dir, aside);
  try {
    await rename(staging, dir);
  } catch (error) {
    await rename(aside, dir).catch(() => {});
    throw error;
  }
  await rm(aside, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Fetches the branch and makes HEAD, index and work tree exactly the remote's
 * commit. `+` in the refspec accepts a rewritten (force-pushed) branch;
 * `reset --hard` plus `clean` undo any hand edits, including added files a
 * parser would otherwise read as advisories.
 */
export async function fetchBranch(dir: string, source: DatabaseSource, branch: string, shallow: boolean, git: GitRun): Promise<void> {
  // FETCH_HEAD is left written: cargo-deny dates an offline database by its mtime.
  // -v: simple-git idles 50 ms after a git that printed nothing; a no-op fetch is silent otherwise.
  const args = ['fetch', '--no-tags', '-v'];
  if (shallow) args.push('--depth', '1');
  await git(dir, [...args, '--', source.url, `+refs/heads/${branch}:refs/remotes/origin/${branch}`], true);
}

export async function resetToFetched(dir: string, branch: string, git: GitRun): Promise<void> {
  const commit = (await git(dir, ['rev-parse', '--verify', `refs/remotes/origin/${branch}^{commit}`])).trim();
  await git(dir, ['reset', '--hard', commit]);
  await git(dir, ['clean', '-ffdxq']);
}

/**
 * How many paths under crates/ and rust/ (what the loader reads) differ from
 * HEAD: changed, deleted, added, ignored. Reads only: no optional locks, so
 * not even git's index is refreshed on disk.
 */
export async function localChanges(dir: string, git: GitRun): Promise<number> {
  const out = await git(dir, [
    '--no-optional-locks', 'status', '--porcelain', '-z', '--no-renames', '--untracked-files=all', '--ignored', '--', 'crates', 'rust',
  ]);
  return out.split('\0').filter((entry) => entry !== '').length;
}

/** undefined when `dir` is not a git checkout at all. */
export async function readHead(dir: string, git: GitRun): Promise<Head | undefined> {
  if (!(await isDirectory(path.join(dir, '.git')))) return undefined;
  const out = await git(dir, ['log', '-1', '--no-show-signature', '--format=%H%x00%cI', 'HEAD', '--']);
  const [commit, commitDate] = out.trim().split('\0');
  if (!commit || !commitDate) throw operationalError(`cannot read the HEAD commit of ${dir}`);
  return { commit, commitDate };
}

/** Deletes staging and aside directories that interrupted runs left next to `dir`. */
export async function removeLeftovers(dir: string): Promise<string[]> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  const names = await readdir(parent).catch(() => [] as string[]);
  const leftovers = names.filter((n) => n.startsWith(`${base}.tmp-`) || n.startsWith(`${base}.old-`));
  for (const name of leftovers) await rm(path.join(parent, name), { recursive: true, force: true, maxRetries: 3 });
  return leftovers;
}

/**
 * Deletes the lock files a killed git leaves in `.git` (`index.lock`,
 * `HEAD.lock`, `shallow.lock`, `refs/…/<ref>.lock`, `objects/maintenance.lock`,
 * …). A ref or index lock fails every later fetch or reset of the checkout
 * ("Unable to create '….lock': File exists"); a maintenance lock silently
 * stops the automatic gc for good. Call it only under the database lock:
 * every git process of ours runs under it, so a lock file found then belongs
 * to a run that was killed. Returns the names removed, relative to `.git`;
 * one that cannot be removed is left for git to report.
 */
export async function removeStaleGitLocks(dir: string): Promise<string[]> {
  const gitDir = path.join(dir, '.git');
  // Where git takes locks; the loose-object directories (thousands of entries) hold none.
  const places: [string, boolean][] = [['', false], ['refs', true], ['objects', false], ['objects/info', true], ['objects/pack', false]];
  const removed: string[] = [];
  for (const [place, recursive] of places) {
    const names = await readdir(path.join(gitDir, place), { recursive }).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.lock'))) {
      const relative = [place, ...name.split(path.sep)].filter((part) => part !== '').join('/');
      try {
        await unlink(path.join(gitDir, ...relative.split('/')));
        removed.push(relative);
      } catch {
        // a directory of that name, or a read-only checkout
      }
    }
  }
  return removed.sort();
}

/**
 * Whether lock files removed by removeStaleGitLocks show that git was killed
 * while changing HEAD, the index or the work tree (a reset or checkout), rather
 * than while fetching: the work tree may then be half one commit, half another.
 */
export const interruptedCheckout = (locks: readonly string[]): boolean =>
  locks.some((name) => name === 'index.lock' || name === 'HEAD.lock' || name === 'ORIG_HEAD.lock' || name.startsWith('refs/heads/'));

/** Makes index and work tree exactly HEAD again; needs no remote. */
export async function resetToHead(dir: string, git: GitRun): Promise<void> {
  await git(dir, ['reset', '--hard', '--quiet', 'HEAD']);
  await git(dir, ['clean', '-ffdxq']);
}

/** Whether git's message points at this repository's own storage rather than the remote. */
export function looksLikeLocalDamage(error: GitCommandError): boolean {
  return /bad object|missing (blob|tree|commit)|corrupt|unable to read|did not send all necessary objects|index\.lock|not a git repository|object file .* is empty|invalid (sha1|object)/i.test(
    error.output,
  );
}

const siblingName = (dir: string, kind: 'tmp' | 'old'): string =>
  `${dir}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;

const gitSummary = (error: unknown): string => (error instanceof GitCommandError ? error.summary : String(error));

async function configMentions(dir: string, source: DatabaseSource): Promise<boolean> {
  const config = await readFile(path.join(dir, '.git', 'config'), 'utf8').catch(() => '');
  return config.toLowerCase().includes(source.url.replace(/\/+$/, '').toLowerCase());
}

const isDirectory = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;

const exists = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined)) !== undefined;

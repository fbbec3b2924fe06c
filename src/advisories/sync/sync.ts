/**
 * Keeping a local clone of an advisory database in step with its remote.
 *
 * Layout, for `dir` = `<root>/advisory-db-3157b0e258782691`:
 *   <dir>/               the checkout (branch `main`, remote `origin`)
 *   <dir>.lock           held for the whole sync and while the caller reads the checkout
 *   <dir>.lock.break     exists for microseconds while a waiter removes an abandoned lock
 *   <dir>.tmp-<pid>-<r>  a clone in progress; renamed to <dir> when complete
 *   <dir>.old-<pid>-<r>  a replaced checkout, deleted right after the swap
 * Leftover .tmp/.old siblings come only from killed runs and are deleted by the
 * next run that holds the lock; so are the lock files a killed git leaves in
 * <dir>/.git, which would otherwise fail every later fetch.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { configError, operationalError, type SentinelError } from '../../errors.js';
import {
  cloneBeside,
  fetchBranch,
  inspectCheckout,
  interruptedCheckout,
  localChanges,
  looksLikeLocalDamage,
  moveIntoPlace,
  readHead,
  removeLeftovers,
  removeStaleGitLocks,
  resetToFetched,
  resetToHead,
  type GitRun,
  type Head,
} from './checkout.js';
import { GitCommandError, gitEnvironment, runGit, type SyncProgress } from './git.js';
import { readHeadCommitFromFiles } from './head-files.js';
import { acquireLock, lockPathFor, type HeldLock, type LockOptions } from './lock.js';
import { parseSource, type DatabaseSource } from './source.js';
import { assessStaleness, staleDatabaseError } from './staleness.js';

export interface SyncOptions {
  /** Remote to clone: https/ssh/git URL, `file://` URL, local repository path or bundle file. */
  url: string;
  /** The checkout directory, normally `dbDirectoryFor(url, defaultDbRoot())`. */
  dir: string;
  /** false: use what is on disk, never touch the network (`--no-fetch`). */
  fetch: boolean;
  branch?: string;
  onProgress?: (event: SyncProgress) => void;
  lockTimeoutMs?: number;
  now?: Date;
  maxStalenessDays?: number;
  allowStale?: boolean;
  log?: (message: string) => void;
  /** A git process silent for this long is killed. */
  gitTimeoutMs?: number;
  /** Environment git runs with (filtered, see git.ts). */
  env?: NodeJS.ProcessEnv;
  /** Base for a relative local path in `url` or `dir`. */
  cwd?: string;
  /** The caller already holds the lock (it called syncDatabase inside withDatabaseLock). */
  lockHeld?: boolean;
  /**
   * The commit date of `commit` if the caller already knows it (the compiled
   * index records it). Offline, this and reading HEAD from the files spare
   * starting git at all.
   */
  knownCommitDate?: (commit: string) => string | undefined;
}

export interface SyncResult {
  /** Absolute path of the checkout. */
  path: string;
  /** HEAD commit; null only offline, for a directory that is not a git checkout. */
  commit: string | null;
  /** Committer date of HEAD, RFC 3339. */
  commitDate: string | null;
  /** The remote was contacted successfully (clone or fetch). */
  fetched: boolean;
  /** A new clone was made (first run, or a damaged checkout replaced). */
  cloned: boolean;
  ageDays: number | null;
  /** Older than maxStalenessDays and used anyway because allowStale was set. */
  stale: boolean;
}

const DEFAULT_GIT_TIMEOUT_MS = 600_000;
const DEFAULT_LOCK_TIMEOUT_MS = 300_000;
const BRANCH_NAME = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![/.])$/;

/**
 * Brings the database up to date (or, with `fetch: false`, opens it as it is)
 * and says where it is and how old. Holds the database lock throughout, unless
 * the caller holds it already (`lockHeld`, inside withDatabaseLock), which is
 * how a caller keeps the checkout unchanged while it reads it afterwards.
 */
export async function syncDatabase(options: SyncOptions): Promise<SyncResult> {
  const source = parseSource(options.url, options.cwd);
  const branch = options.branch ?? 'main';
  if (!BRANCH_NAME.test(branch)) throw configError(`invalid advisory database branch name ${JSON.stringify(branch)}`);
  const dir = path.resolve(options.cwd ?? process.cwd(), options.dir);
  const log = options.log ?? (() => {});
  // Before locking, so that a missing database creates no directories or lock file.
  if (!options.fetch) await requirePresent(dir, source);
  const run = () => syncLocked(dir, source, branch, options, log);
  if (options.lockHeld) return run();
  return withDatabaseLock(dir, run, { timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, log, update: options.fetch });
}

/** Why a lock file cannot be created next to a database: its place cannot be written, or is not a directory. */
const UNWRITABLE = new Set(['EACCES', 'EROFS', 'EPERM', 'ENOENT', 'ENOTDIR']);

export interface DatabaseLockOptions extends LockOptions {
  /**
   * `fn` changes the checkout (it fetches). Then a lock that cannot be created
   * is an error: without it, concurrent runs could change the checkout under
   * each other and under readers.
   */
  update?: boolean;
}

/**
 * Runs `fn` holding the lock of the database at `dir`, creating the parent
 * directory if needed. Where no lock file can be created (read-only storage),
 * a run that only reads goes on without one: nobody can be changing the
 * database there either. A run that would update it fails, saying how to read
 * it as it is.
 */
export async function withDatabaseLock<T>(dir: string, fn: () => Promise<T> | T, options: DatabaseLockOptions = {}): Promise<T> {
  const absolute = path.resolve(dir);
  await mkdir(path.dirname(absolute), { recursive: true }).catch(() => {});
  let lock: HeldLock;
  try {
    lock = await acquireLock(lockPathFor(absolute), options);
  } catch (error) {
    const code = ((error as SentinelError).cause as NodeJS.ErrnoException | undefined)?.code;
    if (!UNWRITABLE.has(code ?? '')) throw error;
    if (options.update) {
      throw operationalError(
        `cannot update the advisory database at ${absolute}: ${(error as Error).message}; ` +
          'to use it as it is, run without fetching (audit --no-fetch, check --offline)',
        undefined,
        error,
      );
    }
    options.log?.(`cannot create a lock file next to ${absolute} (${code}); using the database without a lock`);
    return fn();
  }
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/**
 * Paths under crates/ and rust/ of the checkout at `dir` that differ from its
 * HEAD commit (hand edits), or undefined when git cannot tell. Never touches
 * a transport. A fetch leaves none (it resets hard and cleans); offline, a
 * caller must not file an edited checkout's advisories under its commit.
 */
export async function countLocalChanges(dir: string, options: Pick<SyncOptions, 'env' | 'gitTimeoutMs'> = {}): Promise<number | undefined> {
  const environment = gitEnvironment(options.env ?? process.env);
  const git: GitRun = (cwd, args) => runGit(cwd, args, environment, { timeoutMs: options.gitTimeoutMs ?? DEFAULT_GIT_TIMEOUT_MS, offline: true });
  return localChanges(dir, git).catch(() => undefined);
}

async function syncLocked(
  dir: string,
  source: DatabaseSource,
  branch: string,
  options: SyncOptions,
  log: (message: string) => void,
): Promise<SyncResult> {
  const environment = gitEnvironment(options.env ?? process.env);
  const git: GitRun = (cwd, args, withProgress = false) =>
    runGit(cwd, args, environment, {
      timeoutMs: options.gitTimeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
      onProgress: withProgress ? options.onProgress : undefined,
      offline: !options.fetch,
    });
  // Checked again under the lock: a concurrent run may have been swapping it.
  if (!options.fetch) await requirePresent(dir, source);
  const state = options.fetch ? await update(dir, source, branch, git, log) : await openAsItIs(dir, git, log, options.knownCommitDate);
  const commitDate = state.head?.commitDate ?? null;
  const { ageDays, stale } = assessStaleness(commitDate, options.now ?? new Date(), options.maxStalenessDays ?? 90);
  if (stale && !options.allowStale && commitDate !== null && ageDays !== null) throw staleDatabaseError(commitDate, ageDays);
  return {
    path: dir,
    commit: state.head?.commit ?? null,
    commitDate,
    fetched: state.fetched,
    cloned: state.cloned,
    ageDays,
    stale,
  };
}

async function update(
  dir: string,
  source: DatabaseSource,
  branch: string,
  git: GitRun,
  log: (message: string) => void,
): Promise<{ head: Head | undefined; fetched: boolean; cloned: boolean }> {
  await mkdir(path.dirname(dir), { recursive: true }).catch((error: unknown) => {
    throw operationalError(`cannot create ${path.dirname(dir)}: ${(error as Error).message}`, undefined, error);
  });
  const leftovers = await removeLeftovers(dir);
  if (leftovers.length > 0) log(`removed ${leftovers.length} leftover(s) of interrupted runs next to ${dir}`);

  const found = await inspectCheckout(dir, source, git).catch((error: unknown) => {
    throw gitFailure(error, `cannot inspect the advisory database at ${dir}`);
  });
  let cloned = true;
  if (found.state === 'missing') {
    await replaceWithClone(dir, source, branch, git);
  } else if (found.state === 'invalid') {
    if (!found.replaceable) {
      throw operationalError(
        `${dir} exists but is not an advisory database (${found.reason}); refusing to delete it. ` +
          'Remove it yourself or choose another database path.',
      );
    }
    log(`advisory database at ${dir} is unusable (${found.reason}); cloning it again from ${source.given}`);
    await replaceWithClone(dir, source, branch, git);
  } else {
    await removeGitLocksOfKilledRuns(dir, log);
    cloned = !(await refresh(dir, source, branch, found.shallow, git, log));
  }
  const head = await readHead(dir, git).catch((error: unknown) => {
    throw gitFailure(error, `cannot read the HEAD commit of ${dir}`);
  });
  return { head, fetched: true, cloned };
}

/**
 * Fetch and reset an existing checkout. Returns false when it proved damaged on
 * the way and was replaced by a fresh clone instead.
 */
async function refresh(
  dir: string,
  source: DatabaseSource,
  branch: string,
  shallow: boolean,
  git: GitRun,
  log: (message: string) => void,
): Promise<boolean> {
  try {
    await fetchBranch(dir, source, branch, shallow, git);
  } catch (error) {
    // An unreachable remote must not cost the checkout we have.
    if (!(error instanceof GitCommandError) || error.reason !== 'failed' || !looksLikeLocalDamage(error)) {
      throw gitFailure(error, `cannot fetch the advisory database from ${source.given}`);
    }
    log(`advisory database at ${dir} is damaged (${error.summary}); cloning it again from ${source.given}`);
    await replaceWithClone(dir, source, branch, git);
    return false;
  }
  try {
    await resetToFetched(dir, branch, git);
  } catch (error) {
    if (!(error instanceof GitCommandError) || error.reason !== 'failed') {
      throw gitFailure(error, `cannot update the advisory database at ${dir}`);
    }
    log(`advisory database at ${dir} could not be reset (${error.summary}); cloning it again from ${source.given}`);
    await replaceWithClone(dir, source, branch, git);
    return false;
  }
  return true;
}

async function replaceWithClone(dir: string, source: DatabaseSource, branch: string, git: GitRun): Promise<void> {
  let staging: string;
  try {
    staging = await cloneBeside(dir, source, branch, git);
  } catch (error) {
    throw gitFailure(error, `cannot clone the advisory database from ${source.given}`);
  }
  await moveIntoPlace(staging, dir);
}

async function requirePresent(dir: string, source: DatabaseSource): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  const present = info?.isDirectory() && (await stat(path.join(dir, 'crates')).catch(() => undefined))?.isDirectory();
  if (!present) {
    throw operationalError(
      `advisory database not found at ${dir} (fetching is disabled); run once without --no-fetch to clone it from ${source.given}`,
    );
  }
}

async function openAsItIs(
  dir: string,
  git: GitRun,
  log: (message: string) => void,
  knownCommitDate: SyncOptions['knownCommitDate'],
): Promise<{ head: Head | undefined; fetched: false; cloned: false }> {
  await repairInterrupted(dir, git, log);
  return { head: await readHeadOffline(dir, git, log, knownCommitDate), fetched: false, cloned: false };
}

async function removeGitLocksOfKilledRuns(dir: string, log: (message: string) => void): Promise<string[]> {
  const locks = await removeStaleGitLocks(dir);
  if (locks.length > 0) log(`removed git lock files that an interrupted run left in ${dir}/.git: ${locks.join(', ')}`);
  return locks;
}

/**
 * Offline, a checkout whose reset was killed midway (its lock files say so) is
 * made its HEAD commit again, which needs no remote: otherwise it would be read
 * as half one commit, half another, under the name of one of them.
 */
async function repairInterrupted(dir: string, git: GitRun, log: (message: string) => void): Promise<void> {
  if (!interruptedCheckout(await removeGitLocksOfKilledRuns(dir, log))) return;
  try {
    await resetToHead(dir, git);
    log(`restored ${dir} to its HEAD commit after an interrupted update`);
  } catch (error) {
    log(`cannot restore ${dir} after an interrupted update (${error instanceof GitCommandError ? error.summary : String(error)}); it is used as it is`);
  }
}

async function readHeadOffline(
  dir: string,
  git: GitRun,
  log: (message: string) => void,
  knownCommitDate: SyncOptions['knownCommitDate'],
): Promise<Head | undefined> {
  const commit = knownCommitDate ? readHeadCommitFromFiles(dir) : undefined;
  const commitDate = commit !== undefined ? knownCommitDate?.(commit) : undefined;
  if (commit !== undefined && commitDate !== undefined) return { commit, commitDate };
  try {
    return await readHead(dir, git);
  } catch (error) {
    if (error instanceof GitCommandError && error.reason === 'git-missing') {
      log(`git was not found on PATH, so the commit and age of ${dir} are unknown`);
      return undefined;
    }
    log(`cannot read the git history of ${dir} (${error instanceof GitCommandError ? error.summary : String(error)}); its age is unknown`);
    return undefined;
  }
}

function gitFailure(error: unknown, doing: string): unknown {
  if (!(error instanceof GitCommandError)) return error;
  if (error.reason === 'git-missing') {
    return operationalError('git is required to fetch the advisory database but was not found on PATH; install git, or use an existing database with --no-fetch');
  }
  return operationalError(`${doing}: ${error.summary}`);
}

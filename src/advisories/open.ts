/**
 * Getting an advisory database for a run, for both faces: synced (or opened
 * offline) and loaded from the compiled index, consistently even while other
 * runs fetch the same directory.
 */
import path from 'node:path';
import { configError } from '../errors.js';
import { cachedCommitDate, loadCachedIndex, loadDatabaseCached } from './index-cache.js';
import { openOfflineFromCache } from './sync/offline.js';
import type { SyncResult } from './sync/sync.js';
import type { AdvisoryDatabase } from './types.js';

export interface OpenDatabaseOptions {
  url: string;
  /** The checkout directory. */
  dir: string;
  fetch: boolean;
  allowStale: boolean;
  maxStalenessDays?: number;
  /** Where compiled indexes are kept (`<cacheDir>/advisory-index`). */
  cacheDir: string;
  /** Where CARGO_SENTINEL_LOCK_TIMEOUT_MS is read; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * How long a run waits for another run's lock on the database before it fails
 * (default 300 s). A CI job that would rather fail fast than queue, or a test,
 * shortens it; read here, not in the CLI, so both faces and every command
 * that opens a database honour it.
 */
export const LOCK_TIMEOUT_VARIABLE = 'CARGO_SENTINEL_LOCK_TIMEOUT_MS';

export interface DatabaseHooks {
  status(verb: string, message: string): void;
  warn(message: string): void;
  onProgress?: (event: { stage: string; progress: number; processed?: number; total?: number }) => void;
  now: Date;
}

export interface OpenedDatabase {
  db: AdvisoryDatabase;
  synced: SyncResult;
}

/** How a run opens a database: openAdvisoryDatabase, or a run's reusingOpener. */
export type DatabaseOpener = (options: OpenDatabaseOptions, hooks: DatabaseHooks) => Promise<OpenedDatabase>;

/**
 * An opener for a run over several projects: a database asked for again with
 * the same options is the one already opened (or the same failure), not
 * fetched and loaded once per project. The key is everything that decides what
 * is opened and whether it may be used; `env` only sets how long to wait for a lock.
 */
export function reusingOpener(open: DatabaseOpener = openAdvisoryDatabase): DatabaseOpener {
  const opened = new Map<string, Promise<OpenedDatabase>>();
  return (options, hooks) => {
    const { url, dir, fetch, allowStale, maxStalenessDays, cacheDir } = options;
    const key = JSON.stringify([url, path.resolve(dir), fetch, allowStale, maxStalenessDays ?? null, path.resolve(cacheDir)]);
    let database = opened.get(key);
    if (database === undefined) {
      database = open(options, hooks);
      opened.set(key, database);
    }
    return database;
  };
}

export async function openAdvisoryDatabase(options: OpenDatabaseOptions, hooks: DatabaseHooks): Promise<OpenedDatabase> {
  const { url, dir, fetch, allowStale, maxStalenessDays } = options;
  const indexDir = path.join(options.cacheDir, 'advisory-index');
  const knownCommitDate = (commit: string): string | undefined => cachedCommitDate(indexDir, commit);
  const lockTimeoutMs = lockTimeoutFrom(options.env ?? process.env);

  // Offline with the index already compiled for HEAD: nothing in the checkout is
  // read, so no lock and no git process are needed (see sync/offline.ts).
  if (!fetch) {
    const synced = openOfflineFromCache({ dir, now: hooks.now, allowStale, maxStalenessDays, knownCommitDate });
    const db = synced && loadCachedIndex({ dir: synced.path, info: synced, cacheDir: indexDir });
    if (synced && db) return { db, synced };
  }

  if (fetch) hooks.status('Fetching', `advisory database from \`${url}\``);
  // The sync module (and simple-git with it) loads only on this path.
  const { countLocalChanges, syncDatabase, withDatabaseLock } = await import('./sync/sync.js');
  // Load while holding the lock, so a concurrent fetch cannot change the checkout under us.
  return withDatabaseLock(
    dir,
    async () => {
      const synced = await syncDatabase({
        url,
        dir,
        fetch,
        allowStale,
        maxStalenessDays,
        knownCommitDate,
        now: hooks.now,
        onProgress: hooks.onProgress,
        log: hooks.warn,
        lockHeld: true,
      });
      const matchesCommit = fetch || (await checkoutMatchesCommit(synced, countLocalChanges, hooks.warn));
      const db = await loadDatabaseCached({ dir: synced.path, info: synced, cacheDir: indexDir, matchesCommit });
      return { db, synced };
    },
    { log: hooks.warn, update: fetch, ...(lockTimeoutMs === undefined ? {} : { timeoutMs: lockTimeoutMs }) },
  );
}

/**
 * Whether an offline checkout holds exactly its HEAD commit (a fetch always
 * leaves it so: it resets hard and cleans). Hand edits are used, as
 * cargo-audit and cargo-deny use them, but said to be edits. Offline with the
 * index of HEAD cached, this is never asked: that path reads nothing but HEAD
 * (noticing edits would cost a stat of every advisory file), so edits are not seen.
 */
async function checkoutMatchesCommit(
  synced: SyncResult,
  count: (dir: string) => Promise<number | undefined>,
  warn: (message: string) => void,
): Promise<boolean> {
  if (synced.commit === null) return false;
  const edits = await count(synced.path);
  if (edits === 0) return true;
  const commit = synced.commit.slice(0, 12);
  warn(
    edits === undefined
      ? `cannot tell whether the advisory database at ${synced.path} differs from commit ${commit}; it is used as it is and not cached`
      : `advisory database at ${synced.path} has ${edits} local change${edits === 1 ? '' : 's'} under crates/ or rust/ (not in commit ${commit}); ` +
          'they are used as they are, not cached, and the next fetch undoes them',
  );
  return false;
}

export function lockTimeoutFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[LOCK_TIMEOUT_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw)) {
    throw configError(`${LOCK_TIMEOUT_VARIABLE} must be a whole number of milliseconds, not ${JSON.stringify(env[LOCK_TIMEOUT_VARIABLE])}`);
  }
  return Number(raw);
}

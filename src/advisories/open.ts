/**
 * Getting an advisory database for a run, for both faces: synced (or opened
 * offline) and loaded from the compiled index, consistently even while other
 * runs fetch the same directory.
 */
import path from 'node:path';
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
}

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

export async function openAdvisoryDatabase(options: OpenDatabaseOptions, hooks: DatabaseHooks): Promise<OpenedDatabase> {
  const { url, dir, fetch, allowStale, maxStalenessDays } = options;
  const indexDir = path.join(options.cacheDir, 'advisory-index');
  const knownCommitDate = (commit: string): string | undefined => cachedCommitDate(indexDir, commit);

  // Offline with the index already compiled for HEAD: nothing in the checkout is
  // read, so no lock and no git process are needed (see sync/offline.ts).
  if (!fetch) {
    const synced = openOfflineFromCache({ dir, now: hooks.now, allowStale, maxStalenessDays, knownCommitDate });
    const db = synced && loadCachedIndex({ dir: synced.path, info: synced, cacheDir: indexDir });
    if (synced && db) return { db, synced };
  }

  if (fetch) hooks.status('Fetching', `advisory database from \`${url}\``);
  // The sync module (and simple-git with it) loads only on this path.
  const { syncDatabase, withDatabaseLock } = await import('./sync/sync.js');
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
      const db = await loadDatabaseCached({ dir: synced.path, info: synced, cacheDir: indexDir });
      return { db, synced };
    },
    { log: hooks.warn },
  );
}

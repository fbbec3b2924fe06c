/**
 * Getting the advisory database for a run: synced (or opened offline) and
 * loaded from the compiled index, consistently even while other runs fetch.
 */
import path from 'node:path';
import { cachedCommitDate, loadCachedIndex, loadDatabaseCached } from '../advisories/index-cache.js';
import { dbDirectoryFor, defaultDbRoot } from '../advisories/sync/location.js';
import { openOfflineFromCache } from '../advisories/sync/offline.js';
import type { SyncResult } from '../advisories/sync/sync.js';
import type { AdvisoryDatabase } from '../advisories/types.js';
import type { AuditHooks } from './run.js';
import type { AuditSettings } from './settings.js';

export interface OpenedDatabase {
  db: AdvisoryDatabase;
  synced: SyncResult;
}

export async function openAdvisoryDatabase(settings: AuditSettings, hooks: AuditHooks): Promise<OpenedDatabase> {
  const { url, fetch, allowStale } = settings.database;
  const dir = settings.database.path ?? dbDirectoryFor(url, defaultDbRoot(process.env));
  const indexDir = path.join(settings.cacheDir, 'advisory-index');
  const knownCommitDate = (commit: string): string | undefined => cachedCommitDate(indexDir, commit);

  // Offline with the index already compiled for HEAD: nothing in the checkout is
  // read, so no lock and no git process are needed (see sync/offline.ts).
  if (!fetch) {
    const synced = openOfflineFromCache({ dir, now: hooks.now, allowStale, knownCommitDate });
    const db = synced && loadCachedIndex({ dir: synced.path, info: synced, cacheDir: indexDir });
    if (synced && db) return { db, synced };
  }

  if (fetch) hooks.status('Fetching', `advisory database from \`${url}\``);
  // The sync module (and simple-git with it) loads only on this path.
  const { syncDatabase, withDatabaseLock } = await import('../advisories/sync/sync.js');
  // Load while holding the lock, so a concurrent fetch cannot change the checkout under us.
  return withDatabaseLock(
    dir,
    async () => {
      const synced = await syncDatabase({
        url,
        dir,
        fetch,
        allowStale,
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

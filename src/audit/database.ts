/** The audit face's database: its settings mapped onto the shared opener. */
import { openAdvisoryDatabase, type DatabaseHooks, type OpenedDatabase } from '../advisories/open.js';
import { dbDirectoryFor, defaultDbRoot } from '../advisories/sync/location.js';
import type { AuditSettings } from './settings.js';

export function openAuditDatabase(settings: AuditSettings, hooks: DatabaseHooks): Promise<OpenedDatabase> {
  const { url, fetch, allowStale } = settings.database;
  const dir = settings.database.path ?? dbDirectoryFor(url, defaultDbRoot(process.env));
  return openAdvisoryDatabase({ url, dir, fetch, allowStale, cacheDir: settings.cacheDir }, hooks);
}

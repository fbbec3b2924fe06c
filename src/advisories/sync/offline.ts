/**
 * The offline fast path: when fetching is off and the compiled index for the
 * checkout's HEAD already exists, the run needs nothing from the checkout but
 * its HEAD commit, read from .git's files. No git process, no lock: git
 * replaces HEAD and refs atomically, and the index file is keyed by that
 * commit, so a concurrent fetch can only make us read the previous, complete
 * database. Anything else falls back to the locked path (syncDatabase).
 * Reading nothing else also means hand edits to the checkout are not seen
 * here (see checkoutMatchesCommit in ../open.ts).
 */
import path from 'node:path';
import { readHeadCommitFromFiles } from './head-files.js';
import { assessStaleness, staleDatabaseError } from './staleness.js';
import type { SyncOptions, SyncResult } from './sync.js';

export function openOfflineFromCache(
  options: Pick<SyncOptions, 'dir' | 'now' | 'maxStalenessDays' | 'allowStale' | 'cwd' | 'knownCommitDate'>,
): SyncResult | undefined {
  const dir = path.resolve(options.cwd ?? process.cwd(), options.dir);
  const commit = readHeadCommitFromFiles(dir);
  const commitDate = commit === undefined ? undefined : options.knownCommitDate?.(commit);
  if (commit === undefined || commitDate === undefined) return undefined;
  const { ageDays, stale } = assessStaleness(commitDate, options.now ?? new Date(), options.maxStalenessDays ?? 90);
  if (stale && !options.allowStale && ageDays !== null) throw staleDatabaseError(commitDate, ageDays);
  return { path: dir, commit, commitDate, fetched: false, cloned: false, ageDays, stale };
}

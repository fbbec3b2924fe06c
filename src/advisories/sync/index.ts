/**
 * Syncing an advisory database (RustSec's advisory-db or a compatible one) with
 * git: where it lives, cloning, fetching, repairing, locking, staleness.
 */
export { DEFAULT_DATABASE_URL, dbDirectoryFor, defaultDbRoot } from './location.js';
export { syncDatabase, withDatabaseLock, type SyncOptions, type SyncResult } from './sync.js';
export { stalenessWarning } from './staleness.js';
export { openOfflineFromCache } from './offline.js';
export { lockPathFor, type LockOptions } from './lock.js';
export { createProgressLine, type ProgressEvent, type ProgressLine } from './progress.js';
export type { SyncProgress } from './git.js';
export { xxh64, xxh64Hex } from './xxh64.js';

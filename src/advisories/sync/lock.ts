/**
 * A lock file that serialises runs on one database directory.
 *
 * Node has no portable flock, so this is a create-exclusive file with owner
 * details. Such files outlive crashes, so a lock is broken when it is provably
 * abandoned: its process is gone (same host), or its holder stopped refreshing
 * its modification time (any host; this also covers containers and recycled
 * pids, where a pid check cannot be trusted).
 */
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { operationalError } from '../../errors.js';

export interface LockOptions {
  /** How long to wait for another run's lock before giving up. */
  timeoutMs?: number;
  log?: ((message: string) => void) | undefined;
  /** A lock whose file was not refreshed for this long is abandoned. */
  staleAfterMs?: number;
  /** How often the holder refreshes its lock file. */
  refreshMs?: number;
}

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  token: string;
}

interface SeenLock {
  raw: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_STALE_AFTER_MS = 120_000;
const DEFAULT_REFRESH_MS = 10_000;
// Between `open` and `write` a lock file is briefly empty; only an empty file
// older than this is debris from a crash.
const UNREADABLE_GRACE_MS = 5_000;
const BREAKER_STALE_MS = 10_000;

/** The lock file of a database directory: a sibling, `<dir>.lock`. */
export const lockPathFor = (dir: string): string => `${dir}.lock`;

export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const log = options.log ?? (() => {});
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: '', // set when the file is written
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  let announced = false;

  for (;;) {
    if (await tryCreate(lockPath, owner)) return holdLock(lockPath, owner, options.refreshMs ?? DEFAULT_REFRESH_MS);
    const seen = await readLock(lockPath);
    if (!seen) continue; // released between our attempt and the read

    const abandoned = abandonment(seen, staleAfterMs);
    if (abandoned && (await breakLock(lockPath, seen))) {
      log(`removed stale lock ${lockPath}: ${abandoned}`);
      continue;
    }
    // Not abandoned, or another waiter is breaking it right now: wait.
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw operationalError(
        `timed out after ${formatSeconds(timeoutMs)} waiting for the lock ${lockPath}, held by ${describeOwner(seen)}; ` +
          'if no other cargo-sentinel run is using that database, delete the lock file',
      );
    }
    if (!announced) {
      log(`waiting for lock on ${lockPath} held by ${describeOwner(seen)}`);
      announced = true;
    }
    await sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 1.5, 250);
  }
}

async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw operationalError(`cannot create the lock file ${lockPath}: ${(error as Error).message}`, undefined, error);
  }
  try {
    await handle.writeFile(`${JSON.stringify({ ...owner, startedAt: new Date().toISOString() })}\n`);
  } catch (error) {
    await handle.close();
    await unlink(lockPath).catch(() => {});
    throw operationalError(`cannot write the lock file ${lockPath}: ${(error as Error).message}`, undefined, error);
  }
  await handle.close();
  return true;
}

function holdLock(lockPath: string, owner: LockOwner, refreshMs: number): HeldLock {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => {});
  }, refreshMs);
  timer.unref();
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      // Only delete the file if it is still ours: another run may have judged
      // us abandoned (a very long pause) and taken the lock since.
      const seen = await readLock(lockPath);
      if (seen?.owner?.token === owner.token) await unlink(lockPath).catch(() => {});
    },
  };
}

async function readLock(lockPath: string): Promise<SeenLock | undefined> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { raw, owner: parseOwner(raw), mtimeMs: info.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw operationalError(`cannot read the lock file ${lockPath}: ${(error as Error).message}`, undefined, error);
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.startedAt === 'string' && typeof value.token === 'string') {
      return value as LockOwner;
    }
  } catch {
    // fall through: not a lock we wrote completely
  }
  return undefined;
}

/** Why the lock is abandoned, or undefined while its holder may still be working. */
function abandonment(seen: SeenLock, staleAfterMs: number): string | undefined {
  const idleMs = Date.now() - seen.mtimeMs;
  if (!seen.owner) return idleMs > UNREADABLE_GRACE_MS ? 'its content is unreadable' : undefined;
  const { pid, hostname } = seen.owner;
  if (hostname === os.hostname() && !processExists(pid)) return `process ${pid} no longer exists`;
  if (idleMs > staleAfterMs) return `${describeOwner(seen)} has not refreshed it for ${formatSeconds(idleMs)}`;
  return undefined;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Deletes an abandoned lock, unless it changed since we judged it. Waiters that
 * find the same abandoned lock race here; a small second lock makes the
 * "still the same file? then delete" step atomic, so one waiter cannot delete
 * the fresh lock another has just created.
 */
async function breakLock(lockPath: string, judged: SeenLock): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  let handle;
  try {
    handle = await open(breaker, 'wx');
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw operationalError(`cannot break the stale lock ${lockPath}: ${(error as Error).message}`, undefined, error);
    const info = await stat(breaker).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > BREAKER_STALE_MS) await unlink(breaker).catch(() => {});
    return false;
  }
  await handle.close();
  try {
    const current = await readLock(lockPath);
    if (!current || current.raw !== judged.raw || current.mtimeMs !== judged.mtimeMs) return false;
    try {
      await unlink(lockPath);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw operationalError(`cannot remove the stale lock ${lockPath}: ${(error as Error).message}`, undefined, error);
    }
    return true;
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

function describeOwner(seen: SeenLock): string {
  if (!seen.owner) return 'an unknown process';
  const { pid, hostname, startedAt } = seen.owner;
  return hostname === os.hostname() ? `pid ${pid} (since ${startedAt})` : `pid ${pid} on ${hostname} (since ${startedAt})`;
}

const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

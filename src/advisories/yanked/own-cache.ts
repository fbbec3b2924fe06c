/**
 * Our own copy of sparse-index files, `<cacheDir>/sparse-index/<index path>`,
 * with the HTTP validators in `<index path>.validator` beside it, so a later
 * run can ask "changed since?" and usually get a bodiless 304.
 *
 * The body is kept exactly as served (the index's own format) so the file can
 * be inspected, diffed and parsed with the same code as a fresh response.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { indexPath } from './index-path.js';
import { readBoundedFile, statFile, writeFileAtomic } from './files.js';

export interface Validator {
  /** The URL the body came from: validators are only sent back to the same server. */
  url: string;
  etag: string | undefined;
  lastModified: string | undefined;
}

export interface CachedIndexFile {
  file: string;
  body: Buffer;
  mtimeMs: number;
  validator: Validator | undefined;
}

export function cachedIndexFilePath(cacheDir: string, crate: string): string {
  return path.join(cacheDir, 'sparse-index', ...indexPath(crate).split('/'));
}

const validatorPath = (file: string): string => `${file}.validator`;

/** The cached file, or undefined when absent; a body over `maxBytes` is returned as a reason string. */
export async function readCachedIndexFile(
  cacheDir: string,
  crate: string,
  maxBytes: number,
): Promise<CachedIndexFile | string | undefined> {
  const file = cachedIndexFilePath(cacheDir, crate);
  const info = await statFile(file);
  if (!info) return undefined;
  const body = await readBoundedFile(file, maxBytes);
  if (typeof body === 'string') return `${file}: ${body}`;
  return { file, body, mtimeMs: info.mtimeMs, validator: await readValidator(file) };
}

/** A missing or unreadable validator only costs a full download, so it is never an error. */
async function readValidator(file: string): Promise<Validator | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(validatorPath(file), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { url, etag, lastModified } = value as Record<string, unknown>;
  if (typeof url !== 'string') return undefined;
  return {
    url,
    etag: typeof etag === 'string' ? etag : undefined,
    lastModified: typeof lastModified === 'string' ? lastModified : undefined,
  };
}

/**
 * Stores a fresh body and its validator. The old validator goes first: if the
 * run dies between the two writes, the next run downloads in full instead of
 * pairing a new body with an old validator.
 */
export async function writeCachedIndexFile(cacheDir: string, crate: string, body: Uint8Array, validator: Validator): Promise<void> {
  const file = cachedIndexFilePath(cacheDir, crate);
  await rm(validatorPath(file), { force: true });
  await writeFileAtomic(file, body);
  if (validator.etag !== undefined || validator.lastModified !== undefined) {
    await writeFileAtomic(validatorPath(file), `${JSON.stringify(validator)}\n`);
  }
}

/** The index no longer has the crate (404): a stale copy must not answer a later offline run. */
export async function removeCachedIndexFile(cacheDir: string, crate: string): Promise<void> {
  const file = cachedIndexFilePath(cacheDir, crate);
  await rm(validatorPath(file), { force: true });
  await rm(file, { force: true });
}

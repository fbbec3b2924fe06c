/**
 * Reading a checkout's HEAD commit from its files, without starting git.
 * Offline runs are the hot path (a warm audit should cost little more than
 * Node's own start-up) and spawning git costs more than the rest of the
 * lookup. Anything unusual (a symbolic ref chain, a worktree `.git` file,
 * oversized files) returns undefined and the caller asks git instead.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const REF_NAME = /^refs\/[A-Za-z0-9._/-]+$/;
/** packed-refs of the advisory-db is a few lines; a huge one is not worth reading here. */
const MAX_REFS_BYTES = 1024 * 1024;

export function readHeadCommitFromFiles(dir: string): string | undefined {
  const gitDir = path.join(dir, '.git');
  const head = readSmall(path.join(gitDir, 'HEAD'));
  if (head === undefined) return undefined;
  const trimmed = head.trim();
  if (OBJECT_ID.test(trimmed)) return trimmed;
  const m = /^ref: (\S+)$/.exec(trimmed);
  if (!m || !REF_NAME.test(m[1]!) || m[1]!.includes('..')) return undefined;
  const ref = m[1]!;
  const loose = readSmall(path.join(gitDir, ...ref.split('/')))?.trim();
  if (loose !== undefined) return OBJECT_ID.test(loose) ? loose : undefined;
  const packed = readSmall(path.join(gitDir, 'packed-refs'));
  if (packed === undefined) return undefined;
  for (const line of packed.split('\n')) {
    const [id, name] = line.split(' ');
    if (name === ref && id !== undefined && OBJECT_ID.test(id)) return id;
  }
  return undefined;
}

function readSmall(file: string): string | undefined {
  try {
    const bytes = readFileSync(file);
    return bytes.length <= MAX_REFS_BYTES ? bytes.toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

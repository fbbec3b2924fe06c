/** Small bounded and atomic file operations shared by both index caches. */
import { statSync } from 'node:fs';
import { open, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/** The modification time of a regular file, or undefined when there is none at `file`. */
export async function statFile(file: string): Promise<{ mtimeMs: number } | undefined> {
  // Synchronous on purpose: a lockfile-only run asks this for ~1,000 crates that are mostly
  // absent, and a sync stat of a missing file costs microseconds where a thread-pool round
  // trip costs tens of them.
  const info = statSync(file, { throwIfNoEntry: false });
  return info?.isFile() ? { mtimeMs: info.mtimeMs } : undefined;
}

/**
 * Reads at most `maxBytes` of a file; returns a reason string when it is larger.
 * The size is checked on the open handle so a file that grows in between is still bounded.
 */
export async function readBoundedFile(file: string, maxBytes: number): Promise<Buffer | string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return `the file is larger than ${maxBytes} bytes`;
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(buffer, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

let tempCounter = 0;

/**
 * Writes through a temporary file in the same directory and renames it into
 * place, so a reader (or a run killed half-way) never sees a partial file.
 * (The synchronous twin, for caches written at the end of a run, is
 * io/write-file-atomic.ts.)
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Unique, not secret: the pid and a counter tell concurrent writers apart, and `wx` refuses a name in use.
  const temp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}-${(tempCounter++).toString(36)}`;
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/**
 * Writes a file through a temporary sibling (`<file>.<pid>.<ms>.tmp`, created
 * exclusively) renamed into place, so a reader, or a run killed half-way,
 * never sees a partial file. On failure the temporary file is removed and the
 * error thrown; the caller decides whether a failed write matters.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export interface AtomicWriteOptions {
  /** Permissions of the new file (default: 0666 less the umask). */
  mode?: number;
  /** For string data (default utf8). */
  encoding?: BufferEncoding;
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, data, { flag: 'wx', ...(options.mode === undefined ? {} : { mode: options.mode }), ...(options.encoding ? { encoding: options.encoding } : {}) });
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

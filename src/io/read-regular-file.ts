/**
 * Reading one file that someone else controls (an advisory, a crate's license
 * file): a regular file only, never through a symbolic link in its last
 * component, and never more than a bound. O_NOFOLLOW makes a file swapped for
 * a link since it was listed or resolved fail to open; O_NONBLOCK keeps a FIFO
 * from hanging the open. The size is judged before reading, and reading stops
 * one byte past the bound, so a file that grows meanwhile stays bounded too.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export type RegularFileRead =
  | { ok: true; bytes: Buffer; stat: Stats }
  | { ok: false; reason: 'not-regular' | 'too-large' | 'unreadable'; error: string };

export function readRegularFile(file: string, maxBytes: number): RegularFileRead {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not-regular', error: 'not a regular file' };
    const tooLarge = { ok: false, reason: 'too-large', error: `larger than ${maxBytes} bytes` } as const;
    if (stat.size > maxBytes) return tooLarge;
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return length > maxBytes ? tooLarge : { ok: true, bytes: buffer.subarray(0, length), stat };
  } catch (e) {
    return { ok: false, reason: 'unreadable', error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

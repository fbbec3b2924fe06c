/**
 * Reads a user's text file (Cargo.lock, Cargo.toml) with the checks a tool
 * fed arbitrary paths needs: a size bound before reading, and a refusal of
 * binary content instead of parsing mojibake.
 *
 * Synchronous on purpose: a workspace has up to a hundred small manifests,
 * and a round trip through libuv's thread pool per file cost more than the
 * reads themselves (measured on wasmtime: 98 manifests).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { inputError, isSentinelError } from '../errors.js';

/** Far above any real lockfile (the biggest known are a few MiB). */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const errorCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;

function readBytes(file: string, what: string, maxBytes: number): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const info = fstatSync(fd);
    if (info.isDirectory()) throw inputError(`${what} path is a directory: ${file}`);
    if (info.size > maxBytes) {
      throw inputError(`${what} is too large: ${info.size} bytes (the limit is ${maxBytes} bytes)`, { file });
    }
    const bytes = readFileSync(fd);
    // The file may have grown since fstat.
    if (bytes.length > maxBytes) {
      throw inputError(`${what} is too large: ${bytes.length} bytes (the limit is ${maxBytes} bytes)`, { file });
    }
    return bytes;
  } catch (e) {
    if (isSentinelError(e)) throw e;
    const code = errorCode(e);
    // The message already names the file; a place would print it twice.
    if (code === 'ENOENT' || code === 'ENOTDIR') throw inputError(`${what} not found: ${file}`, undefined, e);
    if (code === 'EISDIR') throw inputError(`${what} path is a directory: ${file}`, undefined, e);
    throw inputError(`cannot read ${what} ${file}: ${code ?? String(e)}`, undefined, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `what` names the file in messages ("lockfile", "manifest"). Every failure is an input error. */
export function readTextFile(file: string, what: string, maxBytes = MAX_TEXT_BYTES): string {
  const bytes = readBytes(file, what, maxBytes);
  if (bytes.includes(0)) throw inputError(`${what} is a binary file (it contains NUL bytes), not TOML`, { file });
  try {
    return utf8.decode(bytes);
  } catch (e) {
    throw inputError(`${what} is not valid UTF-8 text`, { file }, e);
  }
}

/**
 * XXH32 (seed 0 by default): cargo-deny identifies the license file a
 * `[[licenses.clarify]]` entry vouches for by this hash of its text, so ours
 * must be bit-for-bit the same to accept the same deny.toml.
 */

const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, PRIME2)) >>> 0, 13), PRIME1) >>> 0;

export function xxh32(input: Uint8Array, seed = 0): number {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const length = input.byteLength;
  let offset = 0;
  let hash: number;

  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) >>> 0;
    let v2 = (seed + PRIME2) >>> 0;
    let v3 = seed >>> 0;
    let v4 = (seed - PRIME1) >>> 0;
    for (; offset + 16 <= length; offset += 16) {
      v1 = round(v1, view.getUint32(offset, true));
      v2 = round(v2, view.getUint32(offset + 4, true));
      v3 = round(v3, view.getUint32(offset + 8, true));
      v4 = round(v4, view.getUint32(offset + 12, true));
    }
    hash = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    hash = (seed + PRIME5) >>> 0;
  }
  hash = (hash + length) >>> 0;

  for (; offset + 4 <= length; offset += 4) {
    hash = Math.imul(rotl((hash + Math.imul(view.getUint32(offset, true), PRIME3)) >>> 0, 17), PRIME4) >>> 0;
  }
  for (; offset < length; offset++) {
    hash = Math.imul(rotl((hash + Math.imul(input[offset]!, PRIME5)) >>> 0, 11), PRIME1) >>> 0;
  }

  hash ^= hash >>> 15;
  hash = Math.imul(hash, PRIME2) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, PRIME3) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * A license text as cargo-deny hashes it: every line (split at `\n`, one
 * trailing `\r` dropped) terminated by `\n`, so CRLF checkouts hash the same.
 */
export function normalizeLicenseText(text: string): string {
  if (text === '') return '';
  const lines = text.split('\n');
  // A final `\n` ends the last line rather than starting an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  const last = text.endsWith('\n') ? lines.length : lines.length - 1;
  return lines.map((line, i) => (i < last && line.endsWith('\r') ? line.slice(0, -1) : line) + '\n').join('');
}

export const licenseTextHash = (text: string): number => xxh32(new TextEncoder().encode(normalizeLicenseText(text)));

/** `0x%08x`, the way cargo-deny prints (and users write) the hash. */
export const formatLicenseHash = (hash: number): string => `0x${hash.toString(16).padStart(8, '0')}`;

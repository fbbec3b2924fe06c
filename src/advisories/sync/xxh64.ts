/**
 * XXH64, needed only to name database directories exactly as cargo-deny does
 * (so a machine's existing cargo-deny clone is reused). It hashes one short
 * URL per run, so BigInt arithmetic is fast enough and keeps this dependency-free.
 */

const MASK = (1n << 64n) - 1n;
const PRIME1 = 0x9e3779b185ebca87n;
const PRIME2 = 0xc2b2ae3d27d4eb4fn;
const PRIME3 = 0x165667b19e3779f9n;
const PRIME4 = 0x85ebca77c2b2ae63n;
const PRIME5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;

const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * PRIME2) & MASK, 31n) * PRIME1) & MASK;

const mergeRound = (acc: bigint, value: bigint): bigint => (((acc ^ round(0n, value)) * PRIME1) + PRIME4) & MASK;

export function xxh64(input: Uint8Array, seed: bigint = 0n): bigint {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const length = input.byteLength;
  let offset = 0;
  let hash: bigint;

  if (length >= 32) {
    let v1 = (seed + PRIME1 + PRIME2) & MASK;
    let v2 = (seed + PRIME2) & MASK;
    let v3 = seed & MASK;
    let v4 = (seed - PRIME1) & MASK;
    for (; offset + 32 <= length; offset += 32) {
      v1 = round(v1, view.getBigUint64(offset, true));
      v2 = round(v2, view.getBigUint64(offset + 8, true));
      v3 = round(v3, view.getBigUint64(offset + 16, true));
      v4 = round(v4, view.getBigUint64(offset + 24, true));
    }
    hash = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    for (const v of [v1, v2, v3, v4]) hash = mergeRound(hash, v);
  } else {
    hash = (seed + PRIME5) & MASK;
  }

  hash = (hash + BigInt(length)) & MASK;
  for (; offset + 8 <= length; offset += 8) {
    hash ^= round(0n, view.getBigUint64(offset, true));
    hash = (rotl(hash, 27n) * PRIME1 + PRIME4) & MASK;
  }
  if (offset + 4 <= length) {
    hash ^= (BigInt(view.getUint32(offset, true)) * PRIME1) & MASK;
    hash = (rotl(hash, 23n) * PRIME2 + PRIME3) & MASK;
    offset += 4;
  }
  for (; offset < length; offset += 1) {
    hash ^= (BigInt(view.getUint8(offset)) * PRIME5) & MASK;
    hash = (rotl(hash, 11n) * PRIME1) & MASK;
  }

  hash ^= hash >> 33n;
  hash = (hash * PRIME2) & MASK;
  hash ^= hash >> 29n;
  hash = (hash * PRIME3) & MASK;
  hash ^= hash >> 32n;
  return hash;
}

/** The 16-digit lower-case hex form cargo-deny prints with `{:016x}`. */
export const xxh64Hex = (input: string | Uint8Array, seed: bigint = 0n): string =>
  xxh64(typeof input === 'string' ? new TextEncoder().encode(input) : input, seed).toString(16).padStart(16, '0');

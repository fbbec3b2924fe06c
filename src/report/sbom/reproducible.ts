/**
 * What makes two runs over the same input write the same bytes: the creation
 * time comes from SOURCE_DATE_EPOCH when it is set (reproducible-builds.org),
 * and document identifiers are name-based UUIDs of the document's content
 * rather than random ones, so no run ever draws a random number.
 */
import { createHash } from 'node:crypto';
import { configError } from '../../errors.js';

/**
 * SOURCE_DATE_EPOCH (whole seconds since 1970, UTC) when set, else `now`.
 * A malformed value is an error rather than silently the current time: the
 * specification asks a build to fail so that a reproducible run is not lost unnoticed.
 */
export function creationTime(env: Record<string, string | undefined>, now: () => Date): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return now();
  const seconds = /^\d{1,12}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  const time = new Date(seconds * 1000);
  if (!Number.isSafeInteger(seconds) || Number.isNaN(time.getTime())) {
    throw configError(`invalid SOURCE_DATE_EPOCH '${raw}': expected a whole number of seconds since 1970-01-01T00:00:00Z`);
  }
  return time;
}

/** `YYYY-MM-DDThh:mm:ssZ`, the UTC form SPDX requires (no fraction of a second). */
export const utcSeconds = (time: Date): string => `${time.toISOString().slice(0, 19)}Z`;

/** The namespace of cargo-sentinel's name-based UUIDs (itself drawn once, at random, and fixed here). */
const NAMESPACE = Buffer.from('6f1e0a52c4b94a3c9d7e2b8a51f3c0d9', 'hex');

/** An RFC 9562 version 5 UUID (SHA-1, name-based) of `content` in cargo-sentinel's namespace. */
export function contentUuid(content: string): string {
  const digest = createHash('sha1').update(NAMESPACE).update(content, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

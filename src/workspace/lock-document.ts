/**
 * A Cargo.lock as TOML values plus the lines they came from, before any
 * meaning is given to them. Two readers produce it: a fast scanner for the
 * exact layout Cargo writes, and smol-toml for everything else; both yield
 * the same document for any file the scanner accepts.
 */
import { scanCargoLayout } from './lock-scan.js';
import { parseLockToml } from './lock-toml.js';

export interface RawPackage {
  /** 1-based line of its `[[package]]` (or `[root]`) header. */
  line: number;
  /** The table's keys as TOML values; a null-prototype object. */
  fields: Readonly<Record<string, unknown>>;
}

export interface LockDocument {
  /** The top-level `version` value; undefined when absent. */
  version: unknown;
  versionLine: number | undefined;
  /** `[root]` (very old lockfiles) first, then every `[[package]]`, in file order. */
  packages: RawPackage[];
  /** The `[metadata]` table; undefined when absent. */
  metadata: Readonly<Record<string, unknown>> | undefined;
  metadataLine: number | undefined;
}

export const readLockDocument = (text: string, file: string): LockDocument =>
  scanCargoLayout(text) ?? parseLockToml(text, file);

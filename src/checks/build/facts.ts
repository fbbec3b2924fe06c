/**
 * What was found on disk about the crates that run code at compile time:
 * plain data, gathered once (src/checks/build/gather.ts) and judged by the
 * pure build check. Paths are `/`-separated and relative to the crate's
 * directory (the one holding its Cargo.toml).
 */
import type { Sniffed } from './sniff.js';

export interface FileFact {
  path: string;
  /** What its first bytes say; undefined when it could not be read (see `error`). */
  sniffed: Sniffed | undefined;
  /** SHA-256 of the whole file, computed only for paths a bypass gives a checksum for. */
  sha256?: string;
  error?: string;
}

export interface PathProblem {
  code: 'unable-to-check-path' | 'non-root-path' | 'non-utf8-path';
  /** Relative path, or `.` for the crate directory itself. */
  path: string;
  error: string;
}

export interface BuildScriptFact {
  /** Relative to the crate directory when inside it, else absolute. */
  path: string;
  sha256: string | undefined;
  error: string | undefined;
}

export interface CrateFacts {
  id: string;
  /** Absolute directory of the crate; undefined when its sources are not on disk. */
  dir: string | undefined;
  /** The crate itself runs code at compile time (else it only feeds one: include-dependencies). */
  buildTime: boolean;
  /** Its files were walked (workspace crates only with include-workspace). */
  scanned: boolean;
  buildScript: BuildScriptFact | undefined;
  /** Every regular file, sorted by path. */
  files: FileFact[];
  problems: PathProblem[];
}

export interface BuildFacts {
  crates: Map<string, CrateFacts>;
}

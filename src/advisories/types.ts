/**
 * The advisory model: one RustSec advisory as the database file states it, in
 * the field names cargo-audit's JSON uses, plus the compiled version ranges.
 */

export type Collection = 'crates' | 'rust';

/** `informational` values the format defines; anything else is kept verbatim and never reported. */
export type Informational = 'unmaintained' | 'unsound' | 'notice' | (string & {});

export interface AdvisoryMetadata {
  id: string;
  package: string;
  title: string;
  description: string;
  /** YYYY-MM-DD */
  date: string;
  aliases: string[];
  related: string[];
  collection: Collection;
  categories: string[];
  keywords: string[];
  /** CVSS vector string, as written. */
  cvss: string | null;
  informational: Informational | null;
  references: string[];
  /** Cargo source id string; null means crates.io. */
  source: string | null;
  url: string | null;
  /** YYYY-MM-DD when the advisory was withdrawn. */
  withdrawn: string | null;
  license: string;
  'expect-deleted': boolean;
}

/** Qualitative severity ratings of CVSS 3.x and 4.0, lowest first. */
export type SeverityRating = 'none' | 'low' | 'medium' | 'high' | 'critical';

/** What a CVSS vector scores to; computed once when the advisory is parsed. */
export interface CvssScore {
  version: '3.0' | '3.1' | '4.0';
  /** 0.0 to 10.0, one decimal. */
  score: number;
  severity: SeverityRating;
}

export interface AdvisoryVersions {
  /** Requirement strings as written in the file. */
  patched: string[];
  unaffected: string[];
}

export interface AdvisoryAffected {
  arch: string[];
  os: string[];
  /** canonical path -> version requirements (as written) */
  functions: Record<string, string[]>;
}

/** A half-open `[introduced, fixed)` range; undefined bounds are unbounded. Versions are semver strings. */
export interface AffectedRange {
  introduced: string | undefined;
  fixed: string | undefined;
}

export interface Advisory {
  metadata: AdvisoryMetadata;
  versions: AdvisoryVersions;
  affected: AdvisoryAffected | null;
  /** The vulnerable ranges, computed from patched + unaffected with RustSec's interval rules. */
  ranges: AffectedRange[];
  /** Score of `metadata.cvss`; null when the advisory has no vector. */
  severity: CvssScore | null;
  /** Path of the file relative to the database root, e.g. `crates/base64/RUSTSEC-2017-0004.md`. */
  path: string;
}

/** A problem with one advisory file; the rest of the database still loads. */
export interface AdvisoryWarning {
  path: string;
  message: string;
}

export interface DatabaseInfo {
  /** Directory of the checkout. */
  path: string;
  /** HEAD commit id, when the directory is a git checkout. */
  commit: string | null;
  /** HEAD commit time, RFC 3339. */
  commitDate: string | null;
}

export interface AdvisoryDatabase {
  info: DatabaseInfo;
  advisories: Advisory[];
  /** crate name -> advisories for it (crates collection only). */
  byPackage: Map<string, Advisory[]>;
  warnings: AdvisoryWarning[];
}

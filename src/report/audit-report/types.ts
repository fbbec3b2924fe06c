/**
 * The audit report as plain data: what a security lead reads about one
 * workspace. Every renderer (HTML, Markdown, JSON) takes this and only this,
 * so the three forms cannot disagree. Values are JSON-safe: `null` where
 * something is absent or unknown, never `undefined`, no Maps.
 */
import type { CheckName } from '../../diagnostics/types.js';

/** Format marker of the JSON form; bump on an incompatible change. */
export const REPORT_SCHEMA = 'cargo-sentinel/audit-report/v1';

/** CVSS ratings, then `informational` (unmaintained, unsound, notice), most severe first. */
export const SEVERITY_BUCKETS = ['critical', 'high', 'medium', 'low', 'none', 'informational'] as const;
export type SeverityBucket = (typeof SEVERITY_BUCKETS)[number];

export interface AuditReportModel {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'cargo-sentinel'; version: string };
  /** RFC 3339, UTC; SOURCE_DATE_EPOCH when set. */
  generatedAt: string;
  project: ReportProject;
  /** The deny.toml used, relative to the workspace root (or its file name); null = defaults. */
  policyFile: string | null;
  databases: ReportDatabase[];
  inventory: ReportInventory;
  advisories: ReportAdvisories;
  licenses: ReportLicenses;
  buildTimeCode: ReportBuildTimeCode;
  exceptions: ReportExceptions;
  checks: ReportCheck[];
  /** Warnings about the config or the graph (deprecated keys, unknown targets…). */
  warnings: string[];
}

export interface ReportProject {
  /** The root manifest's package, else the workspace directory's name. */
  name: string;
  members: ReportCrate[];
  /** How the dependency graph was read: `lockfile` means manifests of registry crates may be unknown. */
  graphOrigin: 'cargo-metadata' | 'metadata-file' | 'lockfile';
  /** Packages whose manifest could not be read (license, build script, proc-macro unknown). */
  manifestsMissing: number;
}

export interface ReportCrate {
  name: string;
  version: string;
}

export interface ReportDatabase {
  commit: string | null;
  /** RFC 3339, as git gives it. */
  commitDate: string | null;
  /** Whole days between the commit and the report; null when the date is unknown. */
  ageDays: number | null;
  advisoryCount: number;
}

export interface ReportInventory {
  total: number;
  bySource: { cratesIo: number; otherRegistries: number; git: number; path: number };
  /** Index URLs of the other registries and git repository URLs, with their package counts. */
  otherRegistries: Array<{ url: string; packages: number }>;
  gitRepositories: Array<{ url: string; packages: number }>;
  /** Every package is exactly one of: a workspace member, direct (a member depends on it), transitive. */
  workspaceMembers: number;
  direct: number;
  transitive: number;
  /** Names locked in several versions, by name. */
  duplicates: Array<{ name: string; versions: string[] }>;
}

export interface ReportAdvisoryFinding {
  id: string;
  /** The diagnostic code: vulnerability, unmaintained, unsound or notice. */
  kind: string;
  severity: SeverityBucket;
  /** null when the advisory carries no CVSS vector. */
  cvss: { version: string; score: number; vector: string } | null;
  package: ReportCrate;
  title: string;
  /** The advisory's text as written (Markdown, untrusted). */
  description: string;
  date: string;
  aliases: string[];
  url: string;
  /** What to upgrade to, or that no fix exists (cargo-audit's wording). */
  solution: string;
  /** Matched, but accepted by an `[advisories] ignore` entry that is in force. */
  ignored: boolean;
}

export interface ReportAdvisories {
  /** Findings not ignored, per bucket (every bucket present). */
  counts: Record<SeverityBucket, number>;
  open: number;
  ignored: number;
  /** Most severe first; ignored ones after the open ones of their bucket. */
  findings: ReportAdvisoryFinding[];
  /** Yanked crate versions found (empty when yank checking is disabled or nothing is yanked). */
  yanked: ReportCrate[];
  /** Whether the advisories check ran with a database. */
  checked: boolean;
}

export interface ReportLicenses {
  /** Crates whose license expression names each license (a crate counts once per license), largest first. */
  byLicense: Array<{ license: string; crates: number }>;
  /** No `license` and no `license-file`. */
  unlicensed: ReportCrate[];
  /** Only a `license-file`, whose text is not identified. */
  licenseFileOnly: ReportCrate[];
  /** A `license` field that is no SPDX expression even read leniently. */
  unparsable: Array<ReportCrate & { expression: string }>;
  /** Manifest not read (lockfile-only mode without the crate in cargo's cache). */
  unknown: number;
}

export interface ReportBuildTimeCode {
  /** Distinct packages with a build script, a proc-macro target or both. */
  crates: number;
  buildScripts: Array<ReportCrate & { links: string | null; workspaceMember: boolean }>;
  procMacros: Array<ReportCrate & { workspaceMember: boolean }>;
  /** Packages for which neither is known (their manifest was not read). */
  unknown: number;
}

export interface ReportExceptions {
  advisoryIgnores: Array<{ id: string; reason: string | null; expires: string | null; expired: boolean }>;
  yankedIgnores: Array<{ crate: string; reason: string | null }>;
  bansSkip: Array<{ crate: string; reason: string | null }>;
  bansSkipTree: Array<{ crate: string; reason: string | null; depth: number | null }>;
  licenseExceptions: Array<{ crate: string; allow: string[]; reason: string | null }>;
  licenseClarifications: Array<{ crate: string; expression: string; reason: string | null }>;
  total: number;
}

export interface ReportCheck {
  check: CheckName;
  /** `off`: the build check without a `[bans.build]` table. */
  verdict: 'ok' | 'failed' | 'off';
  errors: number;
  warnings: number;
  notes: number;
  /** Codes of the errors and warnings, with how often each occurred, most frequent first. */
  codes: Array<{ code: string; severity: 'error' | 'warning'; count: number }>;
}

/** Format marker of the JSON form of a report over several projects. */
export const REPORT_SET_SCHEMA = 'cargo-sentinel/audit-report-set/v1';

/** The audit report over several projects (an organisation's estate): each project's report, and a total. */
export interface AuditReportSet {
  schema: typeof REPORT_SET_SCHEMA;
  tool: { name: 'cargo-sentinel'; version: string };
  /** RFC 3339, UTC; SOURCE_DATE_EPOCH when set. */
  generatedAt: string;
  projects: ReportSetProject[];
  total: ReportSetTotal;
}

export interface ReportSetProject {
  /** The project's Cargo.toml, relative to where the report was run when below it. */
  manifest: string;
  /** null when the project could not be checked. */
  report: AuditReportModel | null;
  /** Why not, when it could not. */
  error: string | null;
}

export interface ReportSetTotal {
  projects: number;
  /** Projects that could not be checked. */
  failed: number;
  /** Open advisory findings over every project, per bucket (a crate in two projects counts twice). */
  counts: Record<SeverityBucket, number>;
  open: number;
  ignored: number;
  /** Projects with at least one open finding. */
  withOpenFindings: number;
  /** Projects with at least one failed check. */
  withFailedChecks: number;
  /** Packages over every project (a crate in two projects counts twice). */
  packages: number;
}

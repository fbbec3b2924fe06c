/**
 * Which advisories apply to which Cargo.lock packages, with RustSec's query
 * rules: crates.io packages only, same name, a vulnerable version, the same
 * source, not withdrawn, then the user's arch/os and severity filters. Pure:
 * no I/O, and the order of the result does not depend on the input order.
 */
import { parseSourceId } from '../workspace/source-id.js';
import type { LockPackage } from '../workspace/types.js';
import { compareStrings } from './assemble.js';
import { compareSeverity } from './cvss.js';
import type { Advisory, AdvisoryDatabase, Informational, SeverityRating } from './types.js';
import { isVulnerable, parseVersion } from './version-range.js';

/** `vulnerability`, or the advisory's `informational` kind. */
export type FindingKind = 'vulnerability' | Informational;

export interface AdvisoryFinding {
  kind: FindingKind;
  advisory: Advisory;
  package: LockPackage;
}

export interface MatchOptions {
  /** Keep advisories whose `[affected] arch` is empty or shares an entry with this; empty keeps all. */
  targetArch?: readonly string[];
  targetOs?: readonly string[];
  /** Drop advisories with a CVSS score below this; advisories without a vector always stay. */
  severityThreshold?: SeverityRating | null;
  /** Informational kinds to report; default unmaintained, unsound and notice. */
  informationalWarnings?: readonly Informational[];
}

/** The kinds the advisory format defines; any other `informational` value is never reported. */
export const KNOWN_INFORMATIONAL: readonly Informational[] = ['unmaintained', 'unsound', 'notice'];

/**
 * An advisory's `source` (null meaning crates.io), already checked by the
 * parser. Either spelling of crates.io counts: rustsec compares kind and URL
 * and so misses `sparse+` crates.io packages (cargo-audit.md §1.6).
 */
const namesCratesIo = (source: string | null): boolean => source === null || parseSourceId(source).isCratesIo;

const isCratesIoPackage = (p: LockPackage): boolean =>
  (p.source?.kind === 'registry' || p.source?.kind === 'sparse') && p.source.isCratesIo;

export function findAdvisories(
  packages: readonly LockPackage[],
  db: Pick<AdvisoryDatabase, 'byPackage'>,
  options: MatchOptions = {},
): AdvisoryFinding[] {
  const reported = new Set(options.informationalWarnings ?? KNOWN_INFORMATIONAL);
  const keepKind = (kind: FindingKind): boolean =>
    kind === 'vulnerability' || (KNOWN_INFORMATIONAL.includes(kind) && reported.has(kind));
  const findings: AdvisoryFinding[] = [];
  for (const pkg of packages) {
    const candidates = db.byPackage.get(pkg.name);
    // Packages from path, git or other registries never match: advisories are about crates.io releases.
    if (candidates === undefined || !isCratesIoPackage(pkg)) continue;
    const version = versionOrUndefined(pkg.version);
    if (version === undefined) continue;
    for (const advisory of candidates) {
      const kind: FindingKind = advisory.metadata.informational ?? 'vulnerability';
      if (!keepKind(kind) || !applies(advisory, options) || !isVulnerable(advisory.ranges, version)) continue;
      findings.push({ kind, advisory, package: pkg });
    }
  }
  return findings.sort(compareFindings);
}

function applies(advisory: Advisory, options: MatchOptions): boolean {
  const m = advisory.metadata;
  if (m.withdrawn !== null || m.collection !== 'crates' || !namesCratesIo(m.source)) return false;
  const threshold = options.severityThreshold;
  if (threshold && advisory.severity && compareSeverity(advisory.severity.severity, threshold) < 0) return false;
  return platformMatches(advisory, 'arch', options.targetArch) && platformMatches(advisory, 'os', options.targetOs);
}

/** Filters only when both lists say something; then they must share an entry. */
function platformMatches(advisory: Advisory, key: 'arch' | 'os', target: readonly string[] | undefined): boolean {
  if (!target || target.length === 0) return true;
  const affected = advisory.affected?.[key] ?? [];
  return affected.length === 0 || affected.some((x) => target.includes(x));
}

function versionOrUndefined(text: string): ReturnType<typeof parseVersion> | undefined {
  try {
    return parseVersion(text);
  } catch {
    // The lockfile parser reports bad versions; here such a package just matches nothing.
    return undefined;
  }
}

function compareFindings(a: AdvisoryFinding, b: AdvisoryFinding): number {
  return (
    compareStrings(a.advisory.metadata.id, b.advisory.metadata.id) ||
    compareStrings(a.package.name, b.package.name) ||
    parseVersion(a.package.version).compare(b.package.version) ||
    compareStrings(a.package.id, b.package.id)
  );
}

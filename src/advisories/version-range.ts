/**
 * RustSec's version semantics for `[versions]`: every `patched` and `unaffected`
 * requirement becomes one interval, and the vulnerable ranges are what those
 * intervals leave uncovered. This is not Cargo's `VersionReq::matches`: a
 * partial `=1.0` means exactly 1.0.0 here, and pre-releases inside an interval
 * are covered by it (reference: cargo-audit.md §1.6).
 */
// The class alone, not semver's index: matching needs only comparisons.
import SemVer from 'semver/classes/semver.js';
import type { AffectedRange } from './types.js';

export class RequirementError extends Error {
  readonly requirement: string;

  constructor(requirement: string, reason: string) {
    super(`invalid version requirement "${requirement}": ${reason}`);
    this.name = 'RequirementError';
    this.requirement = requirement;
  }
}

export type Bound =
  | { kind: 'unbounded' }
  | { kind: 'inclusive'; version: SemVer }
  | { kind: 'exclusive'; version: SemVer };

/** The versions one requirement covers: from `start` to `end`. */
export interface VersionInterval {
  start: Bound;
  end: Bound;
}

type Operator = '>=' | '<=' | '>' | '<' | '=' | '~' | '^';

interface Comparator {
  op: Operator;
  major: number;
  minor: number | undefined;
  patch: number | undefined;
  /** dot-separated identifiers, without the `-`; '' when absent */
  pre: string;
}

const UNBOUNDED: Bound = { kind: 'unbounded' };

const NUMBER = String.raw`0|[1-9]\d*`;
const IDENT = String.raw`[0-9A-Za-z-]+`;
const VERSION_TEXT = new RegExp(
  String.raw`^(${NUMBER})\.(${NUMBER})\.(${NUMBER})(?:-(${IDENT}(?:\.${IDENT})*))?(?:\+(${IDENT}(?:\.${IDENT})*))?$`,
);
const PART = String.raw`(\d+|[*xX])`;
const COMPARATOR_TEXT = new RegExp(
  String.raw`^(>=|<=|>|<|=|~|\^)?\s*${PART}(?:\.${PART}(?:\.${PART}(?:-(${IDENT}(?:\.${IDENT})*))?(?:\+${IDENT}(?:\.${IDENT})*)?)?)?$`,
);
const WILDCARD = /^[*xX]$/;
const LEADING_ZERO = /^0\d/;

/**
 * A Cargo.lock or advisory version, strictly SemVer 2.0 (node-semver alone
 * would also take `v1.2.3` and surrounding blanks). Throws on anything else.
 */
export function parseVersion(text: string): SemVer {
  const m = VERSION_TEXT.exec(text);
  if (!m || (m[4] !== undefined && m[4].split('.').some(isNumericWithLeadingZero))) {
    throw new TypeError(`invalid version "${text}"`);
  }
  return new SemVer(text);
}

const isNumericWithLeadingZero = (id: string): boolean => /^\d+$/.test(id) && LEADING_ZERO.test(id);

function parseNumber(requirement: string, digits: string | undefined): number | undefined {
  if (digits === undefined) return undefined;
  if (LEADING_ZERO.test(digits)) throw new RequirementError(requirement, `leading zero in "${digits}"`);
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw new RequirementError(requirement, `number "${digits}" is too large`);
  return n;
}

function parseComparator(requirement: string, text: string): Comparator {
  if (text === '') throw new RequirementError(requirement, 'empty comparator');
  const m = COMPARATOR_TEXT.exec(text);
  if (!m) throw new RequirementError(requirement, `cannot parse comparator "${text}"`);
  // RustSec turns each requirement into one interval and has no rule for wildcards.
  if ([m[2], m[3], m[4]].some((part) => part !== undefined && WILDCARD.test(part))) {
    throw new RequirementError(requirement, 'wildcards are not supported in advisories');
  }
  const pre = m[5] ?? '';
  if (pre.split('.').some(isNumericWithLeadingZero)) {
    throw new RequirementError(requirement, `leading zero in pre-release "${pre}"`);
  }
  return {
    op: (m[1] ?? '^') as Operator,
    major: parseNumber(requirement, m[2]) ?? 0,
    minor: parseNumber(requirement, m[3]),
    patch: parseNumber(requirement, m[4]),
    pre,
  };
}

const versionOf = (major: number, minor: number, patch: number, pre = ''): SemVer =>
  new SemVer(pre === '' ? `${major}.${minor}.${patch}` : `${major}.${minor}.${patch}-${pre}`);

/** Missing minor/patch become 0; the pre-release stays; build metadata is already gone. */
const lowestVersion = (c: Comparator): SemVer => versionOf(c.major, c.minor ?? 0, c.patch ?? 0, c.pre);

/** `-0` keeps the next release's own pre-releases outside the interval (`^1` must not cover `2.0.0-alpha`). */
function caretEnd(c: Comparator): SemVer {
  if (c.major > 0 || c.minor === undefined) return versionOf(c.major + 1, 0, 0, '0');
  if (c.minor > 0 || c.patch === undefined) return versionOf(0, c.minor + 1, 0, '0');
  return versionOf(0, 0, c.patch + 1, '0');
}

const tildeEnd = (c: Comparator): SemVer =>
  c.minor === undefined ? versionOf(c.major + 1, 0, 0, '0') : versionOf(c.major, c.minor + 1, 0, '0');

function intervalOfSingle(c: Comparator): VersionInterval {
  const v = lowestVersion(c);
  switch (c.op) {
    case '=':
      return { start: { kind: 'inclusive', version: v }, end: { kind: 'inclusive', version: v } };
    case '^':
      return { start: { kind: 'inclusive', version: v }, end: { kind: 'exclusive', version: caretEnd(c) } };
    case '~':
      return { start: { kind: 'inclusive', version: v }, end: { kind: 'exclusive', version: tildeEnd(c) } };
    case '>=':
      return { start: { kind: 'inclusive', version: v }, end: UNBOUNDED };
    case '>':
      return { start: { kind: 'exclusive', version: v }, end: UNBOUNDED };
    case '<':
      return { start: UNBOUNDED, end: { kind: 'exclusive', version: v } };
    case '<=':
      return { start: UNBOUNDED, end: { kind: 'inclusive', version: v } };
  }
}

const isLower = (op: Operator): boolean => op === '>=' || op === '>';

function splitComparators(requirement: string): string[] {
  const trimmed = requirement.trim();
  if (trimmed === '') throw new RequirementError(requirement, 'empty requirement');
  return trimmed.split(',').map((part) => part.trim());
}

/** Longer than any requirement the database holds; node-semver itself refuses versions over 256 characters. */
const MAX_REQUIREMENT_LENGTH = 256;

/** One requirement string (`">= 1.2.3, < 1.3"`, `"^0.4"`, `"*"`) as the single interval it covers. */
export function parseRequirement(requirement: string): VersionInterval {
  if (requirement.length > MAX_REQUIREMENT_LENGTH) {
    throw new RequirementError(`${requirement.slice(0, 40)}…`, `longer than ${MAX_REQUIREMENT_LENGTH} characters`);
  }
  try {
    return parseBoundedRequirement(requirement);
  } catch (e) {
    // node-semver's own limits (e.g. a component past 2^53) surface as its TypeErrors.
    if (e instanceof RequirementError) throw e;
    throw new RequirementError(requirement, e instanceof Error ? e.message : String(e));
  }
}

function parseBoundedRequirement(requirement: string): VersionInterval {
  const parts = splitComparators(requirement);
  if (parts.length === 1 && parts[0] === '*') return { start: UNBOUNDED, end: UNBOUNDED };
  if (parts.length > 2) throw new RequirementError(requirement, 'more than two comparators');
  const comparators = parts.map((part) => parseComparator(requirement, part));
  const [first, second] = comparators;
  if (first === undefined) throw new RequirementError(requirement, 'empty requirement');
  if (second === undefined) return checked(requirement, intervalOfSingle(first));
  for (const c of comparators) {
    if (c.op === '=' || c.op === '^' || c.op === '~') {
      throw new RequirementError(requirement, `"${c.op}" cannot be combined with another comparator`);
    }
  }
  if (isLower(first.op) === isLower(second.op)) {
    throw new RequirementError(requirement, `two ${isLower(first.op) ? 'lower' : 'upper'} bounds`);
  }
  const [lower, upper] = isLower(first.op) ? [first, second] : [second, first];
  return checked(requirement, { start: intervalOfSingle(lower).start, end: intervalOfSingle(upper).end });
}

function checked(requirement: string, interval: VersionInterval): VersionInterval {
  if (!reaches(interval.start, interval.end)) {
    throw new RequirementError(requirement, 'the lower bound is not below the upper bound');
  }
  return interval;
}

/** Whether some version lies at or after `start` and at or before `end`. */
function reaches(start: Bound, end: Bound): boolean {
  if (start.kind === 'unbounded' || end.kind === 'unbounded') return true;
  const order = start.version.compare(end.version);
  return order < 0 || (order === 0 && start.kind === 'inclusive' && end.kind === 'inclusive');
}

export const intervalsOverlap = (a: VersionInterval, b: VersionInterval): boolean =>
  reaches(a.start, b.end) && reaches(b.start, a.end);

function compareStarts(a: Bound, b: Bound): number {
  if (a.kind === 'unbounded' || b.kind === 'unbounded') {
    return (a.kind === 'unbounded' ? 0 : 1) - (b.kind === 'unbounded' ? 0 : 1);
  }
  return a.version.compare(b.version) || (a.kind === 'inclusive' ? 0 : 1) - (b.kind === 'inclusive' ? 0 : 1);
}

/** The smallest version above `v` in SemVer precedence (build metadata aside). */
export function increment(v: SemVer): SemVer {
  if (v.prerelease.length === 0) return versionOf(v.major, v.minor, v.patch + 1, '0');
  return versionOf(v.major, v.minor, v.patch, `${v.prerelease.join('.')}.0`);
}

/** First version not covered once `end` is passed. */
const afterEnd = (end: Bound & { version: SemVer }): SemVer =>
  end.kind === 'exclusive' ? end.version : increment(end.version);

/** First version covered from `start` on. */
const fromStart = (start: Bound & { version: SemVer }): SemVer =>
  start.kind === 'inclusive' ? start.version : increment(start.version);

/**
 * The `[introduced, fixed)` ranges no `patched` or `unaffected` requirement
 * covers, sorted and disjoint. Throws a RequirementError for a requirement
 * RustSec rejects and for overlapping requirements.
 */
export function affectedRanges(patched: readonly string[], unaffected: readonly string[]): AffectedRange[] {
  const intervals = [...patched, ...unaffected].map((req) => ({ req, interval: parseRequirement(req) }));
  for (let i = 0; i < intervals.length; i++) {
    for (let j = i + 1; j < intervals.length; j++) {
      const a = intervals[i]!;
      const b = intervals[j]!;
      if (intervalsOverlap(a.interval, b.interval)) {
        throw new RequirementError(a.req, `overlaps with "${b.req}"`);
      }
    }
  }
  const sorted = intervals.map((x) => x.interval).sort((a, b) => compareStarts(a.start, b.start));
  return complement(sorted);
}

function complement(sorted: readonly VersionInterval[]): AffectedRange[] {
  const ranges: AffectedRange[] = [];
  let introduced: SemVer | undefined;
  for (const { start, end } of sorted) {
    if (start.kind !== 'unbounded') pushRange(ranges, introduced, fromStart(start));
    if (end.kind === 'unbounded') return ranges;
    introduced = afterEnd(end);
  }
  ranges.push({ introduced: introduced?.version, fixed: undefined });
  return ranges;
}

/** Intervals that touch leave an empty gap; it would match nothing, so it is not kept. */
function pushRange(ranges: AffectedRange[], introduced: SemVer | undefined, fixed: SemVer): void {
  if (introduced !== undefined && introduced.compare(fixed) >= 0) return;
  ranges.push({ introduced: introduced?.version, fixed: fixed.version });
}

/** `introduced <= version < fixed` for some range, in SemVer precedence. */
export function isVulnerable(ranges: readonly AffectedRange[], version: SemVer | string): boolean {
  const v = typeof version === 'string' ? parseVersion(version) : version;
  return ranges.some(
    (r) => (r.introduced === undefined || v.compare(r.introduced) >= 0) && (r.fixed === undefined || v.compare(r.fixed) < 0),
  );
}

/**
 * Whether `requirement` covers some version newer than `version`: the test
 * behind the "Upgrade to <unaffected> (unaffected)" hint.
 */
export function permitsNewer(requirement: string, version: SemVer | string): boolean {
  const v = typeof version === 'string' ? parseVersion(version) : version;
  const { start, end } = parseRequirement(requirement);
  if (end.kind === 'unbounded') return true;
  const next = increment(v);
  const firstNewer = start.kind === 'unbounded' || fromStart(start).compare(next) < 0 ? next : fromStart(start);
  return end.kind === 'inclusive' ? firstNewer.compare(end.version) <= 0 : firstNewer.compare(end.version) < 0;
}

/**
 * Package specs as cargo-deny writes them in deny.toml: `name`, `name@1.2.3`
 * (exact version), `name:<requirement>` (a Cargo version requirement), each
 * also usable as `{ crate = "…" }`. Matching is name equality plus Cargo's
 * requirement semantics (`VersionReq::matches`, pre-releases only matched by a
 * comparator on the same major.minor.patch that has one).
 */
import Range from 'semver/classes/range.js';
import SemVer from 'semver/classes/semver.js';

export interface PackageSpec {
  name: string;
  /** Cargo requirement text (`=1.2.3` for the `@` form); undefined = any version. */
  req: string | undefined;
  /** The spec as written, for messages. */
  text: string;
}

export class PackageSpecError extends Error {}

const CRATE_NAME = /^[A-Za-z0-9_-]+$/;

/** Parse a spec string; throws PackageSpecError with a message fit for a config diagnostic. */
export function parsePackageSpec(text: string): PackageSpec {
  const at = text.indexOf('@');
  const colon = text.indexOf(':');
  // cargo-deny splits at the first `@`, else at the first `:`.
  const split = at >= 0 ? at : colon;
  const name = (split >= 0 ? text.slice(0, split) : text).trim();
  if (!CRATE_NAME.test(name)) throw new PackageSpecError(`invalid crate name ${JSON.stringify(name)} in package spec ${JSON.stringify(text)}`);
  if (split < 0) return { name, req: undefined, text };
  const rest = text.slice(split + 1).trim();
  if (rest === '') throw new PackageSpecError(`package spec ${JSON.stringify(text)} has an empty version`);
  const req = at >= 0 ? exactRequirement(rest) : rest;
  if (toNodeRange(req) === undefined) {
    throw new PackageSpecError(`invalid version ${at >= 0 ? '' : 'requirement '}${JSON.stringify(rest)} in package spec ${JSON.stringify(text)}`);
  }
  return { name, req, text };
}

/** `name@1.2` forces the first comparator to `=` (so `@0.1` means 0.1.x, as in cargo-deny). */
function exactRequirement(version: string): string {
  return /^[<>=^~]/.test(version) ? version : `=${version}`;
}

export function specMatches(spec: PackageSpec, name: string, version: string): boolean {
  return spec.name === name && (spec.req === undefined || cargoRequirementMatches(spec.req, version));
}

/** Cargo's `VersionReq::matches`, through node-semver after translating Cargo's syntax. */
export function cargoRequirementMatches(req: string, version: string): boolean {
  const range = toNodeRange(req);
  const v = parseVersion(version);
  return range !== undefined && v !== undefined && range.test(v);
}

function parseVersion(version: string): SemVer | undefined {
  try {
    return new SemVer(version);
  } catch {
    return undefined;
  }
}

/**
 * Cargo and node-semver differ in syntax: Cargo separates comparators with
 * commas, and a bare version means caret (node-semver reads `1.2` as `1.2.x`).
 */
function toNodeRange(req: string): Range | undefined {
  const parts = req.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) return undefined;
  const translated = parts.map((p) => {
    if (p === '*') return '*';
    const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(p);
    if (!m) return undefined;
    const [, op, version] = m;
    if (!/^\d+(\.(\d+|\*))?(\.(\d+|\*))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version!)) return undefined;
    return `${op ?? '^'}${version}`;
  });
  if (translated.some((t) => t === undefined)) return undefined;
  try {
    return new Range(translated.join(' '));
  } catch {
    return undefined;
  }
}

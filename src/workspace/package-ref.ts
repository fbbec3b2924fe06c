/**
 * Package references inside Cargo.lock: the strings of `dependencies = [...]`
 * and the keys of v1 `[metadata]` checksums. They come in three forms,
 * `name`, `name version` and `name version (source)`; Cargo writes the
 * shortest one that is unambiguous (v2+) or always the longest (v1).
 */
import { inputError, type SourcePlace } from '../errors.js';
import { parseSourceId, referencesSource } from './source-id.js';
import type { SourceId } from './types.js';

export interface PackageRef {
  raw: string;
  name: string;
  version: string | undefined;
  source: SourceId | undefined;
}

/** What references are matched against: the fields a lock package is known by. */
export interface RefTarget {
  name: string;
  version: string;
  source: SourceId | undefined;
}

export type Resolution<T> =
  | { kind: 'found'; target: T }
  | { kind: 'missing' }
  | { kind: 'ambiguous'; candidates: T[] };

export type SourceParser = (raw: string, place: SourcePlace) => SourceId;

export function parsePackageRef(raw: string, parseSource: SourceParser, place: SourcePlace): PackageRef {
  // Most references are a bare name: no need to split those.
  const firstSpace = raw.indexOf(' ');
  if (firstSpace < 0 && raw !== '') return { raw, name: raw, version: undefined, source: undefined };
  const secondSpace = raw.indexOf(' ', firstSpace + 1);
  const name = raw.slice(0, firstSpace);
  const version = raw.slice(firstSpace + 1, secondSpace < 0 ? undefined : secondSpace);
  const source = secondSpace < 0 ? undefined : raw.slice(secondSpace + 1);
  const sourceOk = source === undefined || (source.length > 2 && source.startsWith('(') && source.endsWith(')') && !source.includes(' '));
  if (name === '' || version === '' || !sourceOk) {
    throw inputError(`malformed package reference \`${raw}\` (expected \`name\`, \`name version\` or \`name version (source)\`)`, place);
  }
  return { raw, name, version, source: source === undefined ? undefined : parseSource(source.slice(1, -1), place) };
}

/** Parses each distinct source string once: a lockfile repeats the crates.io source hundreds of times. */
export function cachedSourceParser(): SourceParser {
  const cache = new Map<string, SourceId>();
  return (raw, place) => {
    let source = cache.get(raw);
    if (source === undefined) {
      source = parseSourceId(raw, place);
      cache.set(raw, source);
    }
    return source;
  };
}

/** Packages grouped by name, to resolve references in time linear in the lockfile's size. */
export function indexByName<T extends RefTarget>(targets: readonly T[]): Map<string, T[]> {
  const byName = new Map<string, T[]>();
  for (const t of targets) {
    const list = byName.get(t.name);
    if (list) list.push(t);
    else byName.set(t.name, [t]);
  }
  return byName;
}

/**
 * Cargo's own rule (`EncodableResolve::into_resolve`): a reference without a
 * version needs the name to have a single version; a reference without a
 * source takes the one path package among the candidates if there is one
 * (path packages cannot be written with a source), else the only candidate.
 */
export function resolvePackageRef<T extends RefTarget>(byName: ReadonlyMap<string, T[]>, ref: PackageRef): Resolution<T> {
  let candidates = byName.get(ref.name) ?? [];
  const only = candidates.length === 1 ? candidates[0] : undefined;
  // The common case, decided without filtering.
  if (only && ref.source === undefined && (ref.version === undefined || ref.version === only.version)) {
    return { kind: 'found', target: only };
  }
  if (ref.version !== undefined) {
    candidates = candidates.filter((c) => c.version === ref.version);
  } else if (candidates.some((c) => c.version !== candidates[0]?.version)) {
    return { kind: 'ambiguous', candidates };
  }
  if (ref.source !== undefined) {
    const source = ref.source;
    candidates = candidates.filter((c) => referencesSource(source, c.source));
  } else {
    const paths = candidates.filter((c) => c.source === undefined);
    if (paths.length > 0) candidates = paths;
  }
  if (candidates.length === 0) return { kind: 'missing' };
  if (candidates.length > 1) return { kind: 'ambiguous', candidates };
  return { kind: 'found', target: candidates[0] as T };
}

/**
 * Cargo.lock, versions 1 to 4, read into packages whose dependency references
 * are resolved to package ids. Every package keeps the line of its header in
 * the real file so diagnostics can point at it.
 */
import { inputError } from '../errors.js';
import { readLockDocument, type LockDocument, type RawPackage } from './lock-document.js';
import {
  cachedSourceParser,
  indexByName,
  parsePackageRef,
  resolvePackageRef,
  type PackageRef,
  type Resolution,
  type SourceParser,
} from './package-ref.js';
import type { ParsedCache } from './parsed-cache.js';
import { readTextFile } from './read-text.js';
import { sourceKey } from './source-id.js';
import type { LockPackage, Lockfile, SourceId } from './types.js';
import { isSemver } from './version.js';

/**
 * A package as read, before its dependency references are resolved: the
 * LockPackage itself (one object per package however large the file), its
 * references kept beside it until `dependencies` is filled in.
 */
type Draft = LockPackage;

/** Every draft's `dependencies` until they are resolved. */
const UNRESOLVED: string[] = [];

const METADATA_CHECKSUM = 'checksum ';

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** `name version (source)`, the way Cargo names a package in messages. */
const describeFully = (p: { name: string; version: string; source: SourceId | undefined }): string =>
  p.source ? `${p.name} ${p.version} (${p.source.raw})` : `${p.name} ${p.version}`;

/** `name version`, with the source only when another package shares both. */
const describe = (d: Draft): string => (d.id.includes(' ') ? describeFully(d) : `${d.name} ${d.version}`);

const metadataChecksumKeys = (doc: LockDocument): string[] =>
  Object.keys(doc.metadata ?? {}).filter((k) => k.startsWith(METADATA_CHECKSUM));

/** `version` is written from v3 on; older files are told apart by where checksums live. */
function lockfileVersion(doc: LockDocument, file: string): Lockfile['version'] {
  if (doc.version === undefined) return metadataChecksumKeys(doc).length > 0 ? 1 : 2;
  if (doc.version === 3 || doc.version === 4) return doc.version;
  throw inputError(`unsupported lockfile version ${show(doc.version)} (supported: 1 to 4)`, {
    file,
    line: doc.versionLine,
  });
}

/** The package, with its raw references (`name`, `name version`, `name version (source)`). */
function readPackage(raw: RawPackage, file: string, parseSource: SourceParser, refs: Array<readonly string[]>): Draft {
  const place = { file, line: raw.line };
  const { name, version, source, checksum, dependencies } = raw.fields;
  if (typeof name !== 'string' || name === '') {
    throw inputError(name === undefined ? 'package has no `name`' : '`name` of a package must be a non-empty string', place);
  }
  if (typeof version !== 'string') {
    throw inputError(version === undefined ? `package \`${name}\` has no \`version\`` : `\`version\` of package \`${name}\` must be a string`, place);
  }
  if (!isSemver(version)) throw inputError(`package \`${name}\` has version ${show(version)}, which is not a semver version`, place);
  if (source !== undefined && typeof source !== 'string') throw inputError(`\`source\` of package \`${name} ${version}\` must be a string`, place);
  if (checksum !== undefined && typeof checksum !== 'string') throw inputError(`\`checksum\` of package \`${name} ${version}\` must be a string`, place);
  if (dependencies !== undefined && !(Array.isArray(dependencies) && dependencies.every((d) => typeof d === 'string'))) {
    throw inputError(`\`dependencies\` of package \`${name} ${version}\` must be an array of strings`, place);
  }
  refs.push((dependencies ?? []) as string[]);
  return {
    id: '',
    name,
    version,
    source: source === undefined ? undefined : parseSource(source, place),
    checksum,
    dependencies: UNRESOLVED,
    line: raw.line,
  };
}

/**
 * Gives each package its id: `name@version`, with the source appended when
 * another package shares name and version. Cargo identifies a package by
 * name, version and source, so two entries agreeing on all three are an error.
 * Returns the packages by `name@version` (the first one, for a shared pair).
 */
function assignIds(drafts: Draft[], file: string): Map<string, Draft> {
  const byPair = new Map<string, Draft>();
  const shared = new Map<string, Draft[]>();
  for (const d of drafts) {
    const pair = `${d.name}@${d.version}`;
    d.id = pair;
    const first = byPair.get(pair);
    if (first === undefined) byPair.set(pair, d);
    else shared.set(pair, [...(shared.get(pair) ?? [first]), d]);
  }
  for (const [pair, group] of shared) {
    const seen = new Map<string, Draft>();
    for (const d of group) {
      const key = sourceKey(d.source);
      const first = seen.get(key);
      if (first) {
        throw inputError(`duplicate package \`${describeFully(d)}\`: at lines ${first.line} and ${d.line}`, { file, line: d.line });
      }
      seen.set(key, d);
      d.id = `${pair} (${d.source?.raw ?? 'path'})`;
    }
  }
  return byPair;
}

/**
 * The package a `name` or `name version` reference means when that alone
 * decides it, without parsing the reference: nearly every reference of a
 * v2+ lockfile. undefined sends the reference through Cargo's full rule.
 */
function quickTarget(raw: string, byName: ReadonlyMap<string, Draft[]>, byPair: ReadonlyMap<string, Draft>): Draft | undefined {
  const named = byName.get(raw);
  if (named !== undefined) return named.length === 1 ? named[0] : undefined;
  const space = raw.indexOf(' ');
  if (space <= 0 || raw.indexOf(' ', space + 1) >= 0) return undefined;
  const pair = `${raw.slice(0, space)}@${raw.slice(space + 1)}`;
  const target = byPair.get(pair);
  // A pair several sources share has a longer id; Cargo's rule decides between them.
  return target !== undefined && target.id === pair ? target : undefined;
}

function unresolved(from: Draft, ref: PackageRef, result: Resolution<Draft>, file: string): Error {
  const place = { file, line: from.line };
  if (result.kind === 'ambiguous') {
    const names = result.candidates.map(describe).join(', ');
    return inputError(`package \`${describe(from)}\` depends on \`${ref.raw}\`, which matches several packages: ${names}`, place);
  }
  return inputError(`package \`${describe(from)}\` depends on \`${ref.raw}\`, which is not in the lockfile`, place);
}

/** v1 stores checksums as `"checksum name version (source)" = "sha256"`; `<none>` means no checksum. */
function applyMetadataChecksums(
  doc: LockDocument,
  drafts: readonly Draft[],
  byName: Map<string, Draft[]>,
  parseSource: SourceParser,
  file: string,
): number {
  const keys = metadataChecksumKeys(doc);
  if (keys.length === 0) return 0;
  const inline = drafts.find((d) => d.checksum !== undefined);
  if (inline) {
    throw inputError(
      `malformed lockfile: checksums are both in [metadata] and inline (package \`${describe(inline)}\` has one inline)`,
      { file, line: inline.line },
    );
  }
  const place = { file, line: doc.metadataLine };
  for (const key of keys) {
    const value = (doc.metadata ?? {})[key];
    if (typeof value !== 'string') throw inputError(`the value of [metadata] \`${key}\` must be a string`, place);
    const ref = parsePackageRef(key.slice(METADATA_CHECKSUM.length), parseSource, place);
    const result = resolvePackageRef(byName, ref);
    // Like Cargo, a checksum of a package that is not in the file is ignored.
    if (result.kind === 'found') result.target.checksum = value === '<none>' ? undefined : value;
  }
  return keys.length;
}

export function parseLockfile(text: string, file: string): Lockfile {
  if (text.includes('\u0000')) throw inputError('lockfile is a binary file (it contains NUL bytes), not TOML', { file });
  if (text.trim() === '') throw inputError('lockfile is empty', { file });
  const doc = readLockDocument(text, file);
  const version = lockfileVersion(doc, file);

  const parseSource = cachedSourceParser();
  const refs: Array<readonly string[]> = [];
  const packages = doc.packages.map((raw) => readPackage(raw, file, parseSource, refs));
  if (packages.length === 0) throw inputError('lockfile has no `[[package]]` entries', { file });
  const byPair = assignIds(packages, file);
  const byName = indexByName(packages);
  const metadataChecksums = applyMetadataChecksums(doc, packages, byName, parseSource, file);

  packages.forEach((d, i) => {
    d.dependencies = refs[i]!.map((raw) => {
      const quick = quickTarget(raw, byName, byPair);
      if (quick !== undefined) return quick.id;
      const place = { file, line: d.line };
      const ref = parsePackageRef(raw, parseSource, place);
      const result = resolvePackageRef(byName, ref);
      if (result.kind !== 'found') throw unresolved(d, ref, result, file);
      return result.target.id;
    });
  });
  const byId = new Map<string, LockPackage>();
  for (const p of packages) byId.set(p.id, p);
  return { path: file, version, packages, byId, metadataChecksums, text };
}

/** Reads and parses a Cargo.lock; every failure is an input error naming the file. */
export async function readLockfile(file: string, parsed?: ParsedCache): Promise<Lockfile> {
  const text = readTextFile(file, 'lockfile');
  if (parsed === undefined) return parseLockfile(text, file);
  return parsed.through(
    'lockfile',
    file,
    text,
    () => parseLockfile(text, file),
    ({ version, packages, metadataChecksums }) => ({ version, packages, metadataChecksums }),
    (stored) => reviveLockfile(stored, file, text),
  );
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** A stored parse (see parsed-cache.ts) back as a Lockfile; undefined when it is not the shape we store. */
function reviveLockfile(stored: unknown, file: string, text: string): Lockfile | undefined {
  const { version, packages, metadataChecksums } = (stored ?? {}) as Partial<Lockfile>;
  if (version !== 1 && version !== 2 && version !== 3 && version !== 4) return undefined;
  if (!Array.isArray(packages) || !Number.isSafeInteger(metadataChecksums)) return undefined;
  const byId = new Map<string, LockPackage>();
  for (const p of packages as unknown[]) {
    const pkg = p as Partial<LockPackage> | null;
    if (pkg === null || typeof pkg !== 'object') return undefined;
    if (!isString(pkg.id) || !isString(pkg.name) || !isString(pkg.version) || !Number.isSafeInteger(pkg.line)) return undefined;
    if (!Array.isArray(pkg.dependencies) || !pkg.dependencies.every(isString)) return undefined;
    if (pkg.checksum !== undefined && !isString(pkg.checksum)) return undefined;
    if (pkg.source !== undefined && (pkg.source === null || typeof pkg.source !== 'object' || !isString(pkg.source.raw) || !isString(pkg.source.url))) return undefined;
    byId.set(pkg.id, pkg as LockPackage);
  }
  if (byId.size !== packages.length || ![...byId.values()].every((p) => p.dependencies.every((d) => byId.has(d)))) return undefined;
  return { path: file, version, packages: packages as LockPackage[], byId, metadataChecksums: metadataChecksums!, text };
}

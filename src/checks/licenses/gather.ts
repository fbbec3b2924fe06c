/**
 * The I/O half of the license check: read what the pure check needs from
 * disk and return it as plain data. For each package that is checked: the
 * hashes of the files its clarification names, the place of its `license`
 * field in its Cargo.toml (so diagnostics point at the real text), and, when
 * the manifest gives no usable expression, its license files with their
 * hashes (what a user needs to write a clarification).
 *
 * Every file is read through `readConfined`: inside the package's directory
 * (a workspace member: inside the workspace), links resolved first, regular
 * files only, bounded. The paths come from deny.toml, cargo metadata and the
 * crate itself, and none of them may lead the check anywhere else.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { specMatches } from '../../policy/package-spec.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import { confine, isAbsoluteAnywhere, packageRoot, readConfined, staysInside, type PackageRoot } from '../../workspace/metadata/package-paths.js';
import { MAX_TEXT_BYTES } from '../../workspace/read-text.js';
import type { LicensesConfig } from './config.js';
import { parseManifestLicense, SpdxParseError } from './spdx.js';
import { licenseTextHash } from './xxh32.js';

export interface FileHash {
  /** As written in the clarification / relative to the crate root, `/`-separated. */
  path: string;
  hash: number | undefined;
  /** Why the file could not be hashed (missing, unreadable, not UTF-8). */
  error: string | undefined;
}

export interface ClarificationFacts {
  /** Index into `config.clarify` of the first entry matching the package. */
  index: number;
  /** One per `license-files` entry, in the config's order. */
  files: FileHash[];
}

/**
 * Where a manifest's `license` is written: the value itself (`literal`), a
 * `license.workspace = true` line (`inherited`), or, without any, the
 * `[package]` header (`missing`).
 */
export interface LicenseFieldPlace {
  kind: 'literal' | 'inherited' | 'missing';
  file: string;
  /** 1-based */
  line: number;
  /** 1-based column of the value's first character inside the quotes (else of the key or header). */
  column: number;
  /** The text as written there (`literal` only). */
  value: string | undefined;
  /** For a value found in the root's `[workspace.package]`: the member's `license.workspace = true` line. */
  inheritedAt: LicenseFieldPlace | undefined;
}

export interface PackageLicenseFacts {
  clarification: ClarificationFacts | undefined;
  place: LicenseFieldPlace | undefined;
  /** The crate root's LICENSE, LICENCE, COPYING and UNLICENSE files and its `license-file`; read only without a usable expression. */
  licenseFiles: FileHash[];
}

export interface GatheredLicenses {
  packages: Map<string, PackageLicenseFacts>;
}

const LICENSE_FILE_NAME = /^(LICENSE|LICENCE|COPYING|UNLICENSE)/;
/** The longest license texts (GPL-3.0, MPL-2.0) are ~35 KiB; a crate's LICENSE with appendices stays far below this. */
export const MAX_LICENSE_FILE_BYTES = 4 * 1024 * 1024;

export async function gatherLicenses(graph: PackageGraph, config: LicensesConfig): Promise<GatheredLicenses> {
  const packages = new Map<string, PackageLicenseFacts>();
  const rootManifest = new ManifestCache();
  await Promise.all(
    [...graph.packages.values()].map(async (node) => {
      if (node.license === undefined) return;
      packages.set(node.id, await gatherPackage(node, graph, config, rootManifest));
    }),
  );
  return { packages };
}

async function gatherPackage(node: PackageNode, graph: PackageGraph, config: LicensesConfig, manifests: ManifestCache): Promise<PackageLicenseFacts> {
  const pkg = node.manifestPath === undefined ? undefined : packageRoot(node.manifestPath, node.source === undefined, graph.workspaceRoot);
  // A package directory that is a link out of its root is read not at all.
  const outside = pkg && confine(pkg, pkg.dir);
  const unreadable = outside && !outside.ok ? `the crate's directory cannot be read: ${outside.error}` : undefined;
  const crate = unreadable === undefined ? pkg : undefined;
  const index = config.clarify.findIndex((c) => specMatches(c.spec, node.name, node.version));
  const clarification =
    index < 0
      ? undefined
      : {
          index,
          files: config.clarify[index]!.licenseFiles.map((f) => hashClarified(crate, f.path, unreadable)),
        };

  let place: LicenseFieldPlace | undefined;
  if (crate !== undefined && node.manifestPath !== undefined) {
    const text = manifests.read(crate, node.manifestPath);
    place = text === undefined ? undefined : findLicenseField(text, node.manifestPath, 'package');
    if (place?.kind === 'inherited') {
      // `license.workspace = true`: the value is in the root's `[workspace.package]`.
      const rootPath = path.join(graph.workspaceRoot, 'Cargo.toml');
      const rootText = manifests.read(crate, rootPath);
      const inherited = rootText === undefined ? undefined : findLicenseField(rootText, rootPath, 'workspace.package');
      if (inherited?.kind === 'literal') place = { ...inherited, inheritedAt: place };
    }
  }

  const licenseFiles = needsLicenseFiles(node.license) && crate !== undefined ? await listLicenseFiles(crate, node.licenseFile) : [];
  return { clarification, place, licenseFiles };
}

/**
 * A clarification's file: relative to the crate's root, as cargo-deny reads
 * it, and never outside the package (a workspace member may reach the
 * workspace). What is refused says why, and the check reports it on the entry.
 */
function hashClarified(crate: PackageRoot | undefined, written: string, unreadable: string | undefined): FileHash {
  if (isAbsoluteAnywhere(written)) return { path: written, hash: undefined, error: "the path must be relative to the crate's root directory; not read" };
  if (unreadable !== undefined) return { path: written, hash: undefined, error: unreadable };
  if (crate !== undefined && !staysInside(crate, written)) {
    return { path: written, hash: undefined, error: `the path leads outside ${crate.rootName}; not read` };
  }
  return hashFile(crate, written);
}

/** True when the manifest gives no expression the check could use (none, empty, or unparsable even laxly). */
function needsLicenseFiles(license: string | null | undefined): boolean {
  if (license === null || license === undefined || license.trim() === '') return true;
  try {
    parseManifestLicense(license);
    return false;
  } catch (e) {
    if (e instanceof SpdxParseError) return true;
    throw e;
  }
}

async function listLicenseFiles(crate: PackageRoot, licenseFile: string | null | undefined): Promise<FileHash[]> {
  let names: string[] = [];
  try {
    names = (await readdir(crate.dir, { withFileTypes: true })).filter((e) => e.isFile() && LICENSE_FILE_NAME.test(e.name)).map((e) => e.name);
  } catch {
    // An unreadable crate root leaves only the declared license-file to try.
  }
  if (licenseFile) {
    const relative = path.relative(crate.dir, path.resolve(crate.dir, licenseFile)).split(path.sep).join('/');
    if (!names.includes(relative)) names.push(relative);
  }
  names.sort();
  return names.map((name) => hashFile(crate, name));
}

/** Synchronous, like the other package reads: a few small files per unlicensed crate. */
function hashFile(crate: PackageRoot | undefined, relative: string): FileHash {
  if (crate === undefined) return { path: relative, hash: undefined, error: "the crate's sources are not on disk" };
  const read = readConfined(crate, relative, MAX_LICENSE_FILE_BYTES);
  if (!read.ok) return { path: relative, hash: undefined, error: read.error };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
    return { path: relative, hash: licenseTextHash(text), error: undefined };
  } catch {
    return { path: relative, hash: undefined, error: 'not UTF-8 text' };
  }
}

/** Each manifest read once, and only from inside the package's root (the workspace's root manifest is inside a member's). */
class ManifestCache {
  private readonly texts = new Map<string, string | undefined>();

  read(crate: PackageRoot, file: string): string | undefined {
    const key = `${crate.root}\u0000${file}`;
    if (!this.texts.has(key)) {
      const read = readConfined(crate, file, MAX_TEXT_BYTES);
      let text: string | undefined;
      try {
        text = read.ok ? new TextDecoder('utf-8', { fatal: true }).decode(read.bytes) : undefined;
      } catch {
        text = undefined;
      }
      this.texts.set(key, text);
    }
    return this.texts.get(key);
  }
}

/**
 * The `license` key of `table` (`package` or `workspace.package`) in a
 * manifest's text. A line scan is enough: cargo writes (and people write)
 * `license = "…"` on one line; anything fancier just yields no place.
 */
export function findLicenseField(text: string, file: string, table: string): LicenseFieldPlace | undefined {
  const lines = text.split('\n');
  let current = '';
  let header: LicenseFieldPlace | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const tableHeader = /^(\s*)\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$/.exec(line);
    if (tableHeader) {
      current = tableHeader[2]!;
      if (current === table) header ??= { kind: 'missing', file, line: i + 1, column: tableHeader[1]!.length + 1, value: undefined, inheritedAt: undefined };
      continue;
    }
    if (current !== table) continue;
    const literal = /^(\s*)license\s*=\s*(["'])([^"'\\]*)\2/.exec(line);
    if (literal) {
      const column = line.indexOf(literal[2]!, literal[1]!.length + 'license'.length) + 2;
      return { kind: 'literal', file, line: i + 1, column, value: literal[3], inheritedAt: undefined };
    }
    const inherited = /^(\s*)license\s*(\.\s*workspace\s*=|=\s*\{)/.exec(line);
    if (inherited) return { kind: 'inherited', file, line: i + 1, column: inherited[1]!.length + 1, value: undefined, inheritedAt: undefined };
  }
  return header;
}

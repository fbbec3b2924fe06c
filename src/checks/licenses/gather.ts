/**
 * The I/O half of the license check: read what the pure check needs from
 * disk and return it as plain data. For each package that is checked: the
 * hashes of the files its clarification names, the place of its `license`
 * field in its Cargo.toml (so diagnostics point at the real text), and, when
 * the manifest gives no usable expression, its license files with their
 * hashes (what a user needs to write a clarification).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { specMatches } from '../../policy/package-spec.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
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
  const crateRoot = node.manifestPath === undefined ? undefined : path.dirname(node.manifestPath);
  const index = config.clarify.findIndex((c) => specMatches(c.spec, node.name, node.version));
  const clarification =
    index < 0
      ? undefined
      : {
          index,
          files: await Promise.all(config.clarify[index]!.licenseFiles.map((f) => hashFile(crateRoot, f.path))),
        };

  let place: LicenseFieldPlace | undefined;
  if (node.manifestPath !== undefined) {
    const text = await manifests.read(node.manifestPath);
    place = text === undefined ? undefined : findLicenseField(text, node.manifestPath, 'package');
    if (place?.kind === 'inherited') {
      // `license.workspace = true`: the value is in the root's `[workspace.package]`.
      const rootPath = path.join(graph.workspaceRoot, 'Cargo.toml');
      const rootText = await manifests.read(rootPath);
      const inherited = rootText === undefined ? undefined : findLicenseField(rootText, rootPath, 'workspace.package');
      if (inherited?.kind === 'literal') place = { ...inherited, inheritedAt: place };
    }
  }

  const licenseFiles = needsLicenseFiles(node.license) && crateRoot !== undefined ? await listLicenseFiles(crateRoot, node.licenseFile) : [];
  return { clarification, place, licenseFiles };
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

async function listLicenseFiles(crateRoot: string, licenseFile: string | null | undefined): Promise<FileHash[]> {
  let names: string[] = [];
  try {
    names = (await readdir(crateRoot, { withFileTypes: true })).filter((e) => e.isFile() && LICENSE_FILE_NAME.test(e.name)).map((e) => e.name);
  } catch {
    // An unreadable crate root leaves only the declared license-file to try.
  }
  if (licenseFile) {
    const relative = path.relative(crateRoot, path.resolve(crateRoot, licenseFile)).split(path.sep).join('/');
    if (!names.includes(relative)) names.push(relative);
  }
  names.sort();
  return Promise.all(names.map((name) => hashFile(crateRoot, name)));
}

async function hashFile(crateRoot: string | undefined, relative: string): Promise<FileHash> {
  if (crateRoot === undefined) return { path: relative, hash: undefined, error: "the crate's sources are not on disk" };
  let bytes: Buffer;
  try {
    bytes = await readFile(path.resolve(crateRoot, relative));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { path: relative, hash: undefined, error: code === 'ENOENT' ? 'file not found' : (e as Error).message };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { path: relative, hash: licenseTextHash(text), error: undefined };
  } catch {
    return { path: relative, hash: undefined, error: 'not UTF-8 text' };
  }
}

class ManifestCache {
  private readonly texts = new Map<string, Promise<string | undefined>>();

  read(file: string): Promise<string | undefined> {
    let text = this.texts.get(file);
    if (!text) {
      text = readFile(file, 'utf8').then(
        (t) => t,
        () => undefined,
      );
      this.texts.set(file, text);
    }
    return text;
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

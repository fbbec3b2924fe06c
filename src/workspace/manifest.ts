/**
 * One Cargo.toml, reduced to what the workspace model needs: the package's
 * name and version, the `[workspace]` table, and every dependency entry with
 * its kind, platform and line. Cargo's own keys only: tables nested under
 * `[package.metadata]` belong to other tools and are never read.
 */
import path from 'node:path';
import { inputError } from '../errors.js';
import type { ParsedCache } from './parsed-cache.js';
import { readTextFile } from './read-text.js';
import { TomlLines } from './toml-outline.js';
import { isTable, parseToml } from './toml-parse.js';
import type { DependencyKind } from './types.js';

/** One dependency entry as written, before `workspace = true` is filled in from the root. */
export interface DependencySpec {
  /** `package = "…"`: the real name when the key is a rename. */
  packageName: string | undefined;
  req: string | undefined;
  /** Absolute directory of a path dependency. */
  path: string | undefined;
  git: string | undefined;
  /** `registry = "…"`: a named alternative registry. */
  registry: string | undefined;
  optional: boolean;
  /** `workspace = true`: the rest comes from `[workspace.dependencies]`. */
  inherited: boolean;
}

export interface DeclaredDependency {
  name: string;
  kind: DependencyKind;
  target: string | undefined;
  line: number | undefined;
  spec: DependencySpec;
}

export interface PackageTable {
  name: string;
  /** undefined when absent (Cargo then uses 0.0.0) or inherited. */
  version: string | undefined;
  /** `version.workspace = true`. */
  inheritsVersion: boolean;
  line: number | undefined;
}

export interface WorkspaceTable {
  members: string[];
  exclude: string[];
  defaultMembers: string[] | undefined;
  /** `[workspace.package] version`, for members that inherit it. */
  packageVersion: string | undefined;
  dependencies: Map<string, { spec: DependencySpec; line: number | undefined }>;
}

export interface Manifest {
  /** Absolute path of the Cargo.toml. */
  path: string;
  package: PackageTable | undefined;
  workspace: WorkspaceTable | undefined;
  dependencies: DeclaredDependency[];
  /** Local directories of `[patch.<registry>]` and `[replace]` entries: Cargo makes those inside the root members too. */
  patchPaths: string[];
  lines: TomlLines;
  /** The parsed document, so readers that need more of it do not parse the file again. */
  document: Record<string, unknown>;
}

const DEPENDENCY_TABLES: ReadonlyArray<[string, DependencyKind]> = [
  ['dependencies', 'normal'],
  ['dev-dependencies', 'dev'],
  // The underscore spellings are older aliases Cargo still reads.
  ['dev_dependencies', 'dev'],
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
];

/** Reads typed values out of one parsed manifest; every type error names the line of the offending key. */
class ManifestReader {
  constructor(
    readonly file: string,
    readonly lines: TomlLines,
  ) {}

  fail(message: string, at: readonly string[]): never {
    throw inputError(message, { file: this.file, line: this.lines.nearestLineOf(...at) });
  }

  optionalString(table: Record<string, unknown>, key: string, at: readonly string[]): string | undefined {
    const value = table[key];
    if (value === undefined || typeof value === 'string') return value;
    return this.fail(`\`${[...at, key].join('.')}\` must be a string`, [...at, key]);
  }

  optionalBoolean(table: Record<string, unknown>, key: string, at: readonly string[]): boolean | undefined {
    const value = table[key];
    if (value === undefined || typeof value === 'boolean') return value;
    return this.fail(`\`${[...at, key].join('.')}\` must be true or false`, [...at, key]);
  }

  optionalTable(table: Record<string, unknown>, key: string, at: readonly string[]): Record<string, unknown> | undefined {
    const value = table[key];
    if (value === undefined || isTable(value)) return value;
    return this.fail(`\`${[...at, key].join('.')}\` must be a table`, [...at, key]);
  }

  stringArray(table: Record<string, unknown>, key: string, at: readonly string[]): string[] | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    return this.fail(`\`${[...at, key].join('.')}\` must be an array of strings`, [...at, key]);
  }

  /** `name = "1.0"` or `name = { version = "1.0", path = "…", … }`; paths are relative to `baseDir`. */
  dependencySpec(value: unknown, at: readonly string[], baseDir: string): DependencySpec {
    const name = at.join('.');
    if (typeof value === 'string') {
      return { packageName: undefined, req: value, path: undefined, git: undefined, registry: undefined, optional: false, inherited: false };
    }
    if (!isTable(value)) return this.fail(`dependency \`${name}\` must be a version string or a table`, at);
    const inherited = this.optionalBoolean(value, 'workspace', at);
    if (inherited === false) this.fail(`\`${name}.workspace\` cannot be false`, [...at, 'workspace']);
    const relative = this.optionalString(value, 'path', at);
    return {
      packageName: this.optionalString(value, 'package', at),
      req: this.optionalString(value, 'version', at),
      path: relative === undefined ? undefined : path.resolve(baseDir, relative),
      git: this.optionalString(value, 'git', at),
      registry: this.optionalString(value, 'registry', at),
      optional: this.optionalBoolean(value, 'optional', at) ?? false,
      inherited: inherited === true,
    };
  }
}

function readPackage(r: ManifestReader, doc: Record<string, unknown>): PackageTable | undefined {
  const pkg = r.optionalTable(doc, 'package', []);
  if (pkg === undefined) return undefined;
  const name = pkg['name'];
  if (typeof name !== 'string' || name === '') r.fail('`package.name` must be a non-empty string', name === undefined ? ['package'] : ['package', 'name']);
  const version = pkg['version'];
  const inheritsVersion = isTable(version) && version['workspace'] === true;
  if (version !== undefined && typeof version !== 'string' && !inheritsVersion) {
    r.fail('`package.version` must be a string or `{ workspace = true }`', ['package', 'version']);
  }
  return { name, version: typeof version === 'string' ? version : undefined, inheritsVersion, line: r.lines.lineOf('package') };
}

function readWorkspace(r: ManifestReader, doc: Record<string, unknown>, dir: string): WorkspaceTable | undefined {
  const ws = r.optionalTable(doc, 'workspace', []);
  if (ws === undefined) return undefined;
  const at = ['workspace'];
  const pkg = r.optionalTable(ws, 'package', at);
  const deps = r.optionalTable(ws, 'dependencies', at) ?? {};
  const dependencies = new Map<string, { spec: DependencySpec; line: number | undefined }>();
  for (const [name, value] of Object.entries(deps)) {
    const entryAt = ['workspace', 'dependencies', name];
    dependencies.set(name, { spec: r.dependencySpec(value, entryAt, dir), line: r.lines.lineOf(...entryAt) });
  }
  return {
    members: r.stringArray(ws, 'members', at) ?? [],
    exclude: r.stringArray(ws, 'exclude', at) ?? [],
    defaultMembers: r.stringArray(ws, 'default-members', at),
    packageVersion: pkg === undefined ? undefined : r.optionalString(pkg, 'version', ['workspace', 'package']),
    dependencies,
  };
}

function readDependencies(r: ManifestReader, doc: Record<string, unknown>, dir: string): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  const readTables = (owner: Record<string, unknown>, at: string[], target: string | undefined): void => {
    for (const [key, kind] of DEPENDENCY_TABLES) {
      const table = r.optionalTable(owner, key, at);
      for (const [name, value] of Object.entries(table ?? {})) {
        const entryAt = [...at, key, name];
        out.push({ name, kind, target, line: r.lines.lineOf(...entryAt), spec: r.dependencySpec(value, entryAt, dir) });
      }
    }
  };
  readTables(doc, [], undefined);
  const targets = r.optionalTable(doc, 'target', []) ?? {};
  for (const [platform, table] of Object.entries(targets)) {
    if (!isTable(table)) r.fail(`\`target.${platform}\` must be a table`, ['target', platform]);
    readTables(table, ['target', platform], platform);
  }
  return out;
}

function readPatchPaths(r: ManifestReader, doc: Record<string, unknown>, dir: string): string[] {
  const entries: Array<[string[], unknown]> = [];
  for (const [registry, table] of Object.entries(r.optionalTable(doc, 'patch', []) ?? {})) {
    if (!isTable(table)) r.fail(`\`patch.${registry}\` must be a table`, ['patch', registry]);
    for (const [name, value] of Object.entries(table)) entries.push([['patch', registry, name], value]);
  }
  for (const [name, value] of Object.entries(r.optionalTable(doc, 'replace', []) ?? {})) entries.push([['replace', name], value]);
  return entries.flatMap(([at, value]) => r.dependencySpec(value, at, dir).path ?? []);
}

/**
 * Tables as smol-toml makes them: no prototype, so no key is inherited (a
 * dependency named `constructor` is just a key). Done in place on what
 * JSON.parse just made: copying costs several times more on a cold start.
 */
function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) withoutPrototypes(item);
  } else if (value !== null && typeof value === 'object') {
    Object.setPrototypeOf(value, null);
    for (const key in value) withoutPrototypes((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** The document and its line lookup, from `parsed` when it has this exact text. */
function parseWithLines(text: string, file: string, parsed: ParsedCache | undefined): { doc: Record<string, unknown>; lines: TomlLines } {
  const parse = () => ({ doc: parseToml(text, file), lines: TomlLines.of(text) });
  if (parsed === undefined) return parse();
  return parsed.through(
    'toml',
    file,
    text,
    parse,
    ({ doc, lines }) => ({ doc, lines: lines.toEntries() }),
    (stored) => {
      const { doc, lines } = stored as { doc?: unknown; lines?: unknown };
      const lookup = TomlLines.fromEntries(lines);
      if (!isTable(doc) || lookup === undefined) return undefined;
      return { doc: withoutPrototypes(doc) as Record<string, unknown>, lines: lookup };
    },
  );
}

/** Parses a Cargo.toml's text; `file` is its absolute path. */
export function parseManifest(text: string, file: string, parsed?: ParsedCache): Manifest {
  const { doc, lines } = parseWithLines(text, file, parsed);
  const r = new ManifestReader(file, lines);
  const dir = path.dirname(file);
  const manifest: Manifest = {
    path: file,
    package: readPackage(r, doc),
    workspace: readWorkspace(r, doc, dir),
    dependencies: readDependencies(r, doc, dir),
    patchPaths: readPatchPaths(r, doc, dir),
    document: doc,
    lines,
  };
  if (!manifest.package && !manifest.workspace) {
    throw inputError('manifest has neither a `[package]` nor a `[workspace]` table', { file });
  }
  return manifest;
}

export async function readManifest(file: string, parsed?: ParsedCache): Promise<Manifest> {
  return parseManifest(readTextFile(file, 'manifest'), file, parsed);
}

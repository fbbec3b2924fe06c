/**
 * What one Cargo.toml says about its package, for a graph built without
 * `cargo metadata`: license, license-file, publish, links, features, build
 * script, proc-macro, and every dependency entry with its kind, platform,
 * features and (for local manifests) line. `workspace = true` keys are filled
 * in from the workspace root's `[workspace.package]` and
 * `[workspace.dependencies]`.
 *
 * Reading is lenient: the manifests of crates in cargo's cache were accepted
 * by cargo once, and a value of an unexpected type is treated as absent
 * rather than failing the whole graph.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DeclaredDependency, DependencyKind } from '../package-graph.js';
import { readTextFile } from '../read-text.js';
import { TomlLines } from '../toml-outline.js';
import { isTable, parseToml } from '../toml-parse.js';
import { normalizePlatform } from './cfg.js';

type Table = Record<string, unknown>;

/** The fixtures ship manifests without sources; this empty file marks a package that has a build script. */
export const BUILD_SCRIPT_MARKER = 'HAS_BUILD_SCRIPT';

export interface ManifestFacts {
  manifestPath: string;
  name: string | undefined;
  /** undefined when absent or inherited from a workspace that was not found. */
  version: string | undefined;
  license: string | null;
  licenseFile: string | null;
  publish: string[] | null;
  links: string | null;
  features: Record<string, string[]>;
  dependencies: DeclaredDependency[];
  hasBuildScript: boolean;
  buildScript: string | undefined;
  isProcMacro: boolean;
}

/** The line of a dependency entry: `platform` is the `[target.<platform>]` key as written, `table` e.g. `dev-dependencies`. */
export type DependencyLines = (platform: string | undefined, table: string, name: string) => number | undefined;

/** Lines found by lexing the manifest's text. */
export function linesFromText(text: string): DependencyLines {
  const lines = TomlLines.of(text);
  return (platform, table, name) => (platform === undefined ? lines.lineOf(table, name) : lines.lineOf('target', platform, table, name));
}

/** The root manifest's tables members inherit from. */
export interface WorkspaceContext {
  rootDir: string;
  package: Table;
  dependencies: Table;
}

export const DEPENDENCY_TABLES: ReadonlyArray<[string, DependencyKind]> = [
  ['dependencies', 'normal'],
  ['dev-dependencies', 'dev'],
  ['dev_dependencies', 'dev'],
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
];

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const inherits = (value: unknown): boolean => isTable(value) && value['workspace'] === true;

export function workspaceContext(doc: Table, rootDir: string): WorkspaceContext | undefined {
  const ws = doc['workspace'];
  if (!isTable(ws)) return undefined;
  return { rootDir, package: isTable(ws['package']) ? ws['package'] : {}, dependencies: isTable(ws['dependencies']) ? ws['dependencies'] : {} };
}

class FactsReader {
  readonly dir: string;

  constructor(
    readonly file: string,
    readonly doc: Table,
    readonly workspace: WorkspaceContext | undefined,
    readonly lineOf: DependencyLines | undefined,
  ) {
    this.dir = path.dirname(file);
  }

  get pkg(): Table {
    const pkg = this.doc['package'] ?? this.doc['project'];
    return isTable(pkg) ? pkg : {};
  }

  /** A `[package]` key, or the `[workspace.package]` value it inherits (paths stay relative to their own manifest). */
  packageKey(key: string): { value: unknown; baseDir: string } {
    const value = this.pkg[key];
    if (!inherits(value)) return { value, baseDir: this.dir };
    return { value: this.workspace?.package[key], baseDir: this.workspace?.rootDir ?? this.dir };
  }

  publish(): string[] | null {
    const { value } = this.packageKey('publish');
    if (value === false) return [];
    return Array.isArray(value) ? strings(value) : null;
  }

  licenseFile(): string | null {
    const { value, baseDir } = this.packageKey('license-file');
    return typeof value === 'string' ? path.resolve(baseDir, value) : null;
  }

  buildScript(): string | undefined {
    const build = this.pkg['build'];
    if (build === false) return undefined;
    if (typeof build === 'string') return path.resolve(this.dir, build);
    const first = strings(build)[0];
    if (first !== undefined) return path.resolve(this.dir, first);
    const conventional = path.join(this.dir, 'build.rs');
    if (build === true || existsSync(conventional) || existsSync(path.join(this.dir, BUILD_SCRIPT_MARKER))) return conventional;
    return undefined;
  }

  isProcMacro(): boolean {
    const lib = this.doc['lib'];
    return isTable(lib) && (lib['proc-macro'] === true || lib['proc_macro'] === true);
  }

  dependencies(): DeclaredDependency[] {
    const out: DeclaredDependency[] = [];
    const readTables = (owner: Table, platform: string | undefined, target: string | null): void => {
      for (const [key, kind] of DEPENDENCY_TABLES) {
        const table = owner[key];
        if (!isTable(table)) continue;
        for (const name in table) {
          const dep = this.dependency(name, table[name], kind, target, this.lineOf?.(platform, key, name));
          if (dep) out.push(dep);
        }
      }
    };
    readTables(this.doc, undefined, null);
    const targets = this.doc['target'];
    if (isTable(targets)) {
      for (const platform in targets) {
        const table = targets[platform];
        if (isTable(table)) readTables(table, platform, normalizePlatform(platform));
      }
    }
    return out;
  }

  private dependency(name: string, value: unknown, kind: DependencyKind, target: string | null, line: number | undefined): DeclaredDependency | undefined {
    if (typeof value !== 'string' && !isTable(value)) return undefined;
    const own: Table = typeof value === 'string' ? { version: value } : value;
    let spec = own;
    let baseDir = this.dir;
    let features = strings(own['features']);
    if (own['workspace'] === true) {
      // Everything comes from `[workspace.dependencies]` but `optional`; features add up.
      const base = this.workspace?.dependencies[name];
      spec = typeof base === 'string' ? { version: base } : isTable(base) ? base : {};
      baseDir = this.workspace?.rootDir ?? this.dir;
      const inherited = strings(spec['features']);
      if (inherited.length > 0) features = [...inherited, ...features.filter((f) => !inherited.includes(f))];
    }
    const relative = str(spec['path']);
    return {
      name,
      packageName: str(spec['package']) ?? name,
      req: str(spec['version']),
      kind,
      target,
      optional: bool(own['optional']) ?? false,
      usesDefaultFeatures: bool(spec['default-features']) ?? bool(spec['default_features']) ?? true,
      features,
      path: relative === undefined ? undefined : path.resolve(baseDir, relative),
      git: str(spec['git']),
      registry: str(spec['registry']),
      manifestPath: this.file,
      line,
    };
  }

  /** `[features]`, plus the implicit feature Cargo makes for an optional dependency no feature names as `dep:…`. */
  features(dependencies: readonly DeclaredDependency[]): Record<string, string[]> {
    const table = this.doc['features'];
    const features: Record<string, string[]> = {};
    // Defined, not assigned: a feature named `__proto__` must stay a feature.
    const define = (name: string, values: string[]): void => {
      Object.defineProperty(features, name, { value: values, enumerable: true, writable: true, configurable: true });
    };
    if (isTable(table)) for (const name of Object.keys(table)) define(name, strings(table[name]));
    const optional = dependencies.filter((d) => d.optional);
    if (optional.length === 0) return features;
    const named = new Set(Object.values(features).flatMap((values) => values.filter((v) => v.startsWith('dep:')).map((v) => v.slice(4))));
    for (const dep of optional) {
      if (!named.has(dep.name) && !Object.hasOwn(features, dep.name)) define(dep.name, [`dep:${dep.name}`]);
    }
    return features;
  }
}

/**
 * Reads the facts of the package in `doc` (parsed from `file`). `lineOf`
 * says where each dependency is written, for local manifests a user can open
 * and fix; `fromRegistry` marks a crate unpacked from a registry.
 */
export function factsOf(file: string, doc: Table, workspace: WorkspaceContext | undefined, lineOf: DependencyLines | undefined, fromRegistry = false): ManifestFacts {
  // A package that is its own workspace root inherits from its own `[workspace]`.
  const r = new FactsReader(file, doc, workspace ?? workspaceContext(doc, path.dirname(file)), lineOf);
  // Cargo honours `path` only in local and git manifests; a published crate's path entries come from the registry.
  const dependencies = fromRegistry ? r.dependencies().map((d) => ({ ...d, path: undefined })) : r.dependencies();
  const buildScript = r.buildScript();
  const license = r.packageKey('license').value;
  const version = r.packageKey('version').value;
  return {
    manifestPath: file,
    name: str(r.pkg['name']),
    version: str(version),
    license: str(license) ?? null,
    licenseFile: r.licenseFile(),
    publish: r.publish(),
    links: str(r.pkg['links']) ?? null,
    features: r.features(dependencies),
    dependencies,
    hasBuildScript: buildScript !== undefined,
    buildScript,
    isProcMacro: r.isProcMacro(),
  };
}

/**
 * Reads and parses a Cargo.toml, then its facts; `lines` is true for the
 * text's own lines, or a lookup the caller already has. Errors are input
 * errors naming the file.
 */
export function readManifestFacts(file: string, workspace: WorkspaceContext | undefined, lines: boolean | DependencyLines, fromRegistry = false): ManifestFacts {
  const text = readTextFile(file, 'manifest');
  const lineOf = lines === true ? linesFromText(text) : lines === false ? undefined : lines;
  return factsOf(file, parseToml(text, file), workspace, lineOf, fromRegistry);
}

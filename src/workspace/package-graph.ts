/**
 * The package graph the policy checks run on: every package with what is
 * known about it (license, publish, targets, features), and dependency edges
 * with their kind and platform condition. It is built from `cargo metadata`
 * (run or saved), or from Cargo.lock plus the manifests found in cargo's
 * caches. Anything that could not be known is `undefined` and listed in
 * `unknowns`, never guessed.
 */
import type { LockPackage, Lockfile, SourceId } from './types.js';

export type DependencyKind = 'normal' | 'dev' | 'build';

/** A dependency as a manifest declares it (needed for wildcards, features, workspace lints). */
export interface DeclaredDependency {
  /** Name as written (the key in the dependency table). */
  name: string;
  /** The real package name (`package = "…"` rename), else `name`. */
  packageName: string;
  /** Version requirement as written; undefined when none (path/git without version). */
  req: string | undefined;
  kind: DependencyKind;
  /** `cfg(...)` expression or target triple of a `[target.…]` table; null when unconditional. */
  target: string | null;
  optional: boolean;
  usesDefaultFeatures: boolean;
  features: string[];
  /** Declared as a path dependency / git dependency / in another registry. */
  path: string | undefined;
  git: string | undefined;
  registry: string | undefined;
  /** Where it is written, when the manifest was read from a file we can point at. */
  manifestPath: string | undefined;
  line: number | undefined;
}

export interface PackageTarget {
  name: string;
  /** cargo's kinds: `lib`, `bin`, `proc-macro`, `custom-build`, `test`, … */
  kind: string[];
  srcPath: string;
}

export interface PackageNode {
  /** Same id scheme as the lockfile (`name@version`, disambiguated by source). */
  id: string;
  name: string;
  version: string;
  source: SourceId | undefined;
  /** The Cargo.lock entry, when there is a lockfile (its `line` is where diagnostics point). */
  lock: LockPackage | undefined;
  /** `license` field; null = the manifest has none; undefined = the manifest could not be read. */
  license: string | null | undefined;
  /** `license-file` field, resolved to an absolute path; null = none; undefined = unknown. */
  licenseFile: string | null | undefined;
  /** Absolute path of the package's Cargo.toml, when its sources are on disk. */
  manifestPath: string | undefined;
  /** cargo metadata's `publish`: null = any registry; [] = `publish = false`; undefined = unknown. */
  publish: string[] | null | undefined;
  targets: PackageTarget[] | undefined;
  /** Declared features (`[features]`), undefined = unknown. */
  features: Record<string, string[]> | undefined;
  /** Features enabled in the resolved graph (from cargo metadata's resolve), undefined = unknown. */
  enabledFeatures: string[] | undefined;
  dependencies: DeclaredDependency[] | undefined;
  isWorkspaceMember: boolean;
  /** From targets: has a `custom-build` target (undefined = unknown). */
  hasBuildScript: boolean | undefined;
  /** Absolute path of the build script, when known. */
  buildScript: string | undefined;
  isProcMacro: boolean | undefined;
  /** `links` field (the native library a `-sys` crate links); null = none; undefined = unknown. */
  links?: string | null | undefined;
}

export interface EdgeKind {
  kind: DependencyKind;
  /** Platform condition (`cfg(...)` or a triple); null = every platform. */
  target: string | null;
}

export interface DependencyEdge {
  from: string;
  to: string;
  /** One edge may carry several kinds (e.g. normal and dev). Empty = unknown (lockfile only). */
  kinds: EdgeKind[];
}

/** What the graph could not establish, to be said once, clearly, instead of guessed. */
export interface GraphUnknowns {
  /** ids of packages whose manifest could not be read (license, publish, targets unknown). */
  manifestsMissing: string[];
  /** Dependency kinds and platform conditions are unknown (lockfile-only graphs). */
  edgeKinds: boolean;
  /** Resolved features are unknown. */
  features: boolean;
}

export interface PackageGraph {
  origin: 'cargo-metadata' | 'metadata-file' | 'lockfile';
  /** Directory of the workspace root manifest. */
  workspaceRoot: string;
  lockfile: Lockfile | undefined;
  packages: Map<string, PackageNode>;
  /** Workspace members that are roots of the graph (after --exclude / exclude-unpublished). */
  roots: string[];
  /** Outgoing edges per package id. */
  dependencies: Map<string, DependencyEdge[]>;
  /** Incoming edges per package id. */
  dependents: Map<string, DependencyEdge[]>;
  unknowns: GraphUnknowns;
  /** What loading the graph warns about (an unknown target triple, an invalid exclude spec, cargo not found…). */
  warnings?: string[];
}

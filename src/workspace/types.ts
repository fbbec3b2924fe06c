/**
 * The workspace model: what a project depends on, as read from Cargo.lock and
 * the manifests. Every later stage (checks, reporters) reads these types only.
 */

/** Where a package comes from, parsed from a Cargo.lock `source` string. */
export type SourceId =
  | { kind: 'registry'; /** index URL without the `registry+` prefix */ url: string; isCratesIo: boolean; raw: string }
  | { kind: 'sparse'; /** index URL without the `sparse+` prefix */ url: string; isCratesIo: boolean; raw: string }
  | {
      kind: 'git';
      /** repository URL without `git+`, query and fragment */
      url: string;
      /** `?branch=`, `?tag=` or `?rev=` (V4 values URL-decoded; the old `?ref=` is a branch) */
      reference: { kind: 'branch' | 'tag' | 'rev'; value: string } | undefined;
      /** the `#<commit>` fragment; absent in dependency references */
      commit: string | undefined;
      isCratesIo: false;
      raw: string;
    };

/** A `[[package]]` entry of Cargo.lock, with its dependencies resolved to package ids. */
export interface LockPackage {
  /**
   * Unique key within the lockfile: `name@version` when no other package has the
   * same name and version, else `name@version (source)` with the raw source
   * string as written in the file, or `name@version (path)` for a path package.
   */
  id: string;
  name: string;
  version: string;
  /** undefined for path packages (workspace members and local path dependencies). */
  source: SourceId | undefined;
  /** SHA-256 of the .crate (inline in v2+, from `[metadata]` in v1); undefined when absent. */
  checksum: string | undefined;
  /** ids of the packages this one depends on, in lockfile order. */
  dependencies: string[];
  /** 1-based line of this package's `[[package]]` header in the real Cargo.lock. */
  line: number;
}

export interface Lockfile {
  /** Path as given by the user. */
  path: string;
  /** 1 to 4 (1 and 2 are detected, 3 and 4 are written in the file). */
  version: 1 | 2 | 3 | 4;
  /** In lockfile order. */
  packages: LockPackage[];
  byId: Map<string, LockPackage>;
  /** Number of `"checksum …"` keys in the `[metadata]` table (the v1 way of storing checksums); 0 otherwise. */
  metadataChecksums: number;
  /** The file's text, when parsed from one: diagnostics quote its lines without reading it again. */
  text?: string;
}

/** How a member declares a dependency: `[dependencies]`, `[dev-dependencies]` or `[build-dependencies]`. */
export type DependencyKind = 'normal' | 'dev' | 'build';

/** One entry of a dependency table in a member's Cargo.toml. */
export interface DirectDependency {
  /** The key in the manifest: the name the member's code uses. */
  name: string;
  /** The real package name: differs from `name` when renamed with `package = "…"`. */
  packageName: string;
  kind: DependencyKind;
  /** The `<platform>` of a `[target.<platform>.…]` table, e.g. `cfg(windows)`; undefined when unconditional. */
  target: string | undefined;
  optional: boolean;
  /** Version requirement as written (after `workspace = true` inheritance); undefined when none. */
  req: string | undefined;
  /** Lockfile id it resolves to; undefined when the member's lockfile entry has no matching package. */
  id: string | undefined;
  /** 1-based line of the entry in the member's Cargo.toml, when found. */
  line: number | undefined;
}

/** Why cargo counts a package as a workspace member. */
export type MemberOrigin = 'root' | 'listed' | 'implicit';

export interface WorkspaceMember {
  /** Lockfile id of the member's path package. */
  id: string;
  name: string;
  version: string;
  /** Absolute path of the member's Cargo.toml. */
  manifestPath: string;
  /** Directory relative to the workspace root, `/`-separated; `''` for the root package. */
  relativeDir: string;
  /**
   * `root`: the root manifest's own `[package]`; `listed`: matched by `[workspace] members`;
   * `implicit`: only reached through a path dependency (or a `[patch]` path) inside the root.
   */
  origin: MemberOrigin;
  /** Dependency entries of its manifest, in file order of the tables Cargo reads. */
  dependencies: DirectDependency[];
  /** The parsed manifest (readers that need more of it use this instead of parsing it again). */
  document: Record<string, unknown>;
}

/** What the workspace manifests say. */
export interface WorkspaceInfo {
  /** Absolute directory of the root Cargo.toml. */
  root: string;
  /** Absolute path of the root Cargo.toml. */
  manifestPath: string;
  /** ids (into the lockfile) of the workspace members: root package first, then listed, then implicit. */
  members: string[];
  /** ids of the members `cargo build` selects without `-p` (`default-members`, else the root package, else all). */
  defaultMembers: string[];
  /** Per member id: ids of its direct dependencies (all kinds), as its lockfile entry lists them. */
  directDependencies: Map<string, string[]>;
  /** Per member id: where it lives and its dependency entries with their kinds. */
  membersById: Map<string, WorkspaceMember>;
  /** The parsed root Cargo.toml. */
  rootDocument?: Record<string, unknown>;
}

/** One dependency graph built from the lockfile (and manifests when present). */
export interface DependencyGraph {
  lockfile: Lockfile;
  /** The manifests' view, when a Cargo.toml was found next to the lockfile. */
  workspace: WorkspaceInfo | undefined;
  /** Root packages: workspace members when known, else packages nothing depends on (lockfile order). */
  roots: string[];
  /** Reverse edges: id -> ids of packages that depend on it (unique, sorted by name, then version, then id). */
  dependents: Map<string, string[]>;
}

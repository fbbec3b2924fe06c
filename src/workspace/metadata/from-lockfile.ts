/**
 * The package graph without cargo: the packages and edges of Cargo.lock,
 * with what each package's Cargo.toml says (license, publish, build script,
 * proc-macro, features, dependency kinds and platforms) wherever that
 * manifest is on disk: workspace members and path crates in the project,
 * registry crates and git checkouts in cargo's cache. A package whose
 * manifest is nowhere keeps `undefined` fields, its edges unknown kinds, and
 * is listed in `unknowns.manifestsMissing`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BUILD_ID } from '../../cli/version.js';
import { describeAt, inputError, isSentinelError } from '../../errors.js';
import { cargoRequirementMatches } from '../../policy/package-spec.js';
import { readLockfile } from '../lockfile.js';
import { ParsedCache } from '../parsed-cache.js';
import type { DeclaredDependency, DependencyEdge, EdgeKind, PackageNode } from '../package-graph.js';
import { readTextFile } from '../read-text.js';
import { canonicalUrl } from '../source-id.js';
import { isTable, parseToml } from '../toml-parse.js';
import type { LockPackage, Lockfile, SourceId, WorkspaceInfo, WorkspaceMember } from '../types.js';
import { readWorkspaceInfo } from '../workspace.js';
import { CargoCache, type CargoCacheDirs } from './cargo-cache.js';
import {
  DEPENDENCY_TABLES,
  factsOf,
  readManifestFacts,
  workspaceContext,
  type DependencyLines,
  type ManifestFacts,
  type WorkspaceContext,
} from './manifest-facts.js';
import { licenseFileOutside } from './package-paths.js';
import { distinctKinds, type UnfilteredGraph } from './unfiltered.js';

type Table = Record<string, unknown>;

/** One shared (frozen) list for every edge of unknown kinds: a large graph has hundreds of thousands. */
const UNKNOWN_KINDS = Object.freeze([]) as unknown as EdgeKind[];

/** The directory of `manifestPath` or the nearest one above it holding both Cargo.lock and Cargo.toml. */
function findLockfile(manifestPath: string): { rootManifest: string; lockfilePath: string } {
  for (let dir = path.dirname(manifestPath); ; dir = path.dirname(dir)) {
    const lockfilePath = path.join(dir, 'Cargo.lock');
    const rootManifest = path.join(dir, 'Cargo.toml');
    if (existsSync(lockfilePath) && existsSync(rootManifest)) return { rootManifest, lockfilePath };
    if (path.dirname(dir) === dir) break;
  }
  throw inputError(
    `no Cargo.lock next to ${manifestPath} (or in a directory above it): reading the graph without \`cargo metadata\` needs one; \`cargo generate-lockfile\` writes it`,
  );
}

/** `[patch.<registry>]` and `[replace]` entries with a `path`: where non-member path packages usually come from. */
function patchDirs(doc: Table, rootDir: string): string[] {
  const entries: unknown[] = [];
  const patch = doc['patch'];
  for (const table of Object.values(isTable(patch) ? patch : {})) if (isTable(table)) entries.push(...Object.values(table));
  const replace = doc['replace'];
  entries.push(...Object.values(isTable(replace) ? replace : {}));
  return entries.flatMap((e) => (isTable(e) && typeof e['path'] === 'string' ? [path.resolve(rootDir, e['path'])] : []));
}

/** Facts about every package whose manifest could be found, keyed by lockfile id. */
class ManifestCollector {
  readonly facts = new Map<string, ManifestFacts>();
  readonly warnings: string[] = [];

  constructor(
    private readonly lockfile: Lockfile,
    private readonly cache: CargoCache,
  ) {}

  /** A manifest from the cache or a path outside the workspace: a failure is a warning, not an error. */
  private tryRead(file: string, workspace: WorkspaceContext | undefined, withLines: boolean, fromRegistry = false): ManifestFacts | undefined {
    try {
      return readManifestFacts(file, workspace, withLines, fromRegistry);
    } catch (e) {
      this.warnings.push(`cannot read ${file}: ${isSentinelError(e) ? describeAt(e.message, e.place) : String(e)}`);
      return undefined;
    }
  }

  private accept(pkg: LockPackage, facts: ManifestFacts | undefined): void {
    if (!facts) return;
    if (facts.name !== pkg.name || (facts.version !== undefined && facts.version !== pkg.version)) {
      this.warnings.push(`${facts.manifestPath} is \`${facts.name ?? '?'} ${facts.version ?? '?'}\`, not \`${pkg.name} ${pkg.version}\` as Cargo.lock says; its manifest is ignored`);
      return;
    }
    this.facts.set(pkg.id, facts);
  }

  /** Path packages that are not members (`[patch]` paths, path dependencies outside the workspace), found by following paths. */
  pathPackages(startDirs: string[], members: ReadonlySet<string>, memberDirs: readonly string[]): void {
    const wanted = new Map(
      this.lockfile.packages.filter((p) => p.source === undefined && !members.has(p.id)).map((p) => [`${p.name}@${p.version}`, p]),
    );
    if (wanted.size === 0) return;
    const dirs = [...startDirs, ...[...this.facts.values()].flatMap(localPaths)];
    const seen = new Set<string>(memberDirs);
    for (let i = 0; i < dirs.length && wanted.size > 0; i++) {
      const dir = dirs[i] as string;
      const manifest = path.join(dir, 'Cargo.toml');
      if (seen.has(dir) || !existsSync(manifest)) continue;
      seen.add(dir);
      const facts = this.tryRead(manifest, undefined, true);
      const pkg = facts && wanted.get(`${facts.name}@${facts.version}`);
      if (!facts || !pkg) continue;
      wanted.delete(`${pkg.name}@${pkg.version}`);
      this.accept(pkg, facts);
      dirs.push(...localPaths(facts));
    }
  }

  registryPackage(pkg: LockPackage, source: SourceId): void {
    const manifest = this.cache.registryManifest(pkg.name, pkg.version, source);
    if (manifest) this.accept(pkg, this.tryRead(manifest, undefined, false, true));
  }

  gitPackage(pkg: LockPackage, source: Extract<SourceId, { kind: 'git' }>): void {
    const checkout = this.cache.gitCheckout(source);
    const manifest = checkout && this.cache.gitManifest(checkout, pkg.name);
    if (!checkout || !manifest) return;
    this.accept(pkg, this.tryRead(manifest, this.checkoutWorkspace(checkout, manifest), false));
  }

  /** A crate inside a git repository's workspace inherits from the repository's root manifest. */
  private checkoutWorkspace(checkout: string, manifest: string): WorkspaceContext | undefined {
    const rootManifest = path.join(checkout, 'Cargo.toml');
    if (rootManifest === manifest || !existsSync(rootManifest)) return undefined;
    try {
      return workspaceContext(parseToml(readTextFile(rootManifest, 'manifest'), rootManifest), checkout);
    } catch {
      return undefined;
    }
  }
}

const localPaths = (facts: ManifestFacts): string[] => facts.dependencies.flatMap((d) => (d.path === undefined ? [] : [d.path]));

/** Whether a declaration points at where `source` is (Cargo.lock does not say which entry a package came from). */
function declaredSourceMatches(dep: DeclaredDependency, source: SourceId | undefined): boolean {
  if (dep.path !== undefined) return source === undefined;
  if (dep.git !== undefined) return source?.kind === 'git' && canonicalUrl(source.url) === canonicalUrl(dep.git);
  if (dep.registry !== undefined) return source !== undefined && source.kind !== 'git' && !source.isCratesIo;
  return source?.isCratesIo === true;
}

/** Keeps the narrowed list only when it still holds something: a `[patch]` may have moved the package elsewhere. */
function narrow<T>(list: readonly T[], keep: (item: T) => boolean): readonly T[] {
  const kept = list.filter(keep);
  return kept.length > 0 ? kept : list;
}

/**
 * The kinds of the edge `from` → `to`, from `declared`: the entries of
 * `from`'s manifest that name `to`'s package. When `from` depends on several
 * packages of that name (clap 3 and clap 4 renamed), source and version
 * requirement tell them apart.
 */
function edgeKinds(declared: readonly DeclaredDependency[], to: LockPackage, sameName: number): EdgeKind[] {
  let entries = declared;
  if (sameName > 1) {
    entries = narrow(entries, (d) => declaredSourceMatches(d, to.source));
    entries = narrow(entries, (d) => d.req === undefined || cargoRequirementMatches(d.req, to.version));
  }
  return distinctKinds(entries.map((d) => ({ kind: d.kind, target: d.target })));
}

/** The edges of a package whose manifest was read: each dependency's entries looked up by name once, not searched per edge. */
function edgesWithKinds(pkg: LockPackage, facts: ManifestFacts, byId: ReadonlyMap<string, LockPackage>): DependencyEdge[] {
  const declared = new Map<string, DeclaredDependency[]>();
  for (const d of facts.dependencies) {
    const list = declared.get(d.packageName);
    if (list) list.push(d);
    else declared.set(d.packageName, [d]);
  }
  const targets = pkg.dependencies.map((id) => byId.get(id) as LockPackage);
  const perName = new Map<string, number>();
  for (const t of targets) perName.set(t.name, (perName.get(t.name) ?? 0) + 1);
  return targets.map((to) => ({ from: pkg.id, to: to.id, kinds: edgeKinds(declared.get(to.name) ?? [], to, perName.get(to.name)!) }));
}

function toNode(pkg: LockPackage, facts: ManifestFacts | undefined, isMember: boolean): PackageNode {
  return {
    id: pkg.id,
    name: pkg.name,
    version: pkg.version,
    source: pkg.source,
    lock: pkg,
    license: facts?.license,
    licenseFile: facts?.licenseFile,
    manifestPath: facts?.manifestPath,
    publish: facts?.publish,
    targets: undefined,
    features: facts?.features,
    enabledFeatures: undefined,
    dependencies: facts?.dependencies,
    isWorkspaceMember: isMember,
    hasBuildScript: facts?.hasBuildScript,
    buildScript: facts?.buildScript,
    isProcMacro: facts?.isProcMacro,
    links: facts?.links,
  };
}

/** The lines the workspace reader already found for a member's entries, so its manifest is not lexed twice. */
function memberLines(member: WorkspaceMember): DependencyLines {
  const kindOf = new Map(DEPENDENCY_TABLES);
  const key = (kind: string | undefined, platform: string | undefined, name: string): string => `${kind}\u0000${platform ?? ''}\u0000${name}`;
  const lines = new Map(member.dependencies.map((d) => [key(d.kind, d.target, d.name), d.line]));
  return (platform, table, name) => lines.get(key(kindOf.get(table), platform, name));
}

function rootPackageOf(workspace: WorkspaceInfo, manifestPath: string): string | undefined {
  const member = [...workspace.membersById.values()].find((m) => m.manifestPath === manifestPath);
  if (member) return member.id;
  if (manifestPath === workspace.manifestPath) return undefined;
  throw inputError(`${manifestPath} is not a member of the workspace at ${workspace.manifestPath}`);
}

export async function graphFromLockfile(manifestPath: string, cacheDirs: CargoCacheDirs, parsedCacheDir?: string): Promise<UnfilteredGraph> {
  const absolute = path.resolve(manifestPath);
  const { rootManifest, lockfilePath } = findLockfile(absolute);
  const parsed = parsedCacheDir === undefined ? undefined : ParsedCache.open(parsedCacheDir, rootManifest, BUILD_ID);
  const lockfile = await readLockfile(lockfilePath, parsed);
  const workspace = await readWorkspaceInfo(rootManifest, lockfile, parsed);
  parsed?.save();
  const rootDoc = workspace.rootDocument ?? parseToml(readTextFile(workspace.manifestPath, 'manifest'), workspace.manifestPath);
  const context = workspaceContext(rootDoc, workspace.root);

  const collector = new ManifestCollector(lockfile, new CargoCache(cacheDirs));
  for (const member of workspace.membersById.values()) {
    const lineOf = memberLines(member);
    // readWorkspaceInfo parsed every member already: reuse its documents.
    const facts = factsOf(member.manifestPath, member.document, context, lineOf);
    collector.facts.set(member.id, { ...facts, version: member.version });
  }
  const members = new Set(workspace.members);
  const memberDirs = [...workspace.membersById.values()].map((m) => path.dirname(m.manifestPath));
  collector.pathPackages(patchDirs(rootDoc, workspace.root), members, memberDirs);
  for (const pkg of lockfile.packages) {
    if (pkg.source?.kind === 'git') collector.gitPackage(pkg, pkg.source);
    else if (pkg.source) collector.registryPackage(pkg, pkg.source);
  }

  const packages = new Map<string, PackageNode>();
  const dependencies = new Map<string, DependencyEdge[]>();
  let unknownKinds = 0;
  for (const pkg of lockfile.packages) {
    const facts = collector.facts.get(pkg.id);
    const node = toNode(pkg, facts, members.has(pkg.id));
    const outside = licenseFileOutside(node, workspace.root);
    if (outside !== undefined) {
      node.licenseFile = undefined;
      collector.warnings.push(outside);
    }
    packages.set(pkg.id, node);
    // Without a manifest, the edges are the lockfile's, of unknown kinds.
    const edges = facts ? edgesWithKinds(pkg, facts, lockfile.byId) : pkg.dependencies.map((to) => ({ from: pkg.id, to, kinds: UNKNOWN_KINDS }));
    for (const e of edges) if (e.kinds.length === 0) unknownKinds++;
    dependencies.set(pkg.id, edges);
  }
  return {
    origin: 'lockfile',
    workspaceRoot: workspace.root,
    lockfile,
    packages,
    dependencies,
    members: workspace.members,
    rootPackage: rootPackageOf(workspace, absolute),
    unknowns: {
      manifestsMissing: lockfile.packages.filter((p) => !collector.facts.has(p.id)).map((p) => p.id),
      edgeKinds: unknownKinds > 0,
      features: true,
    },
    warnings: collector.warnings,
  };
}

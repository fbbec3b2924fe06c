/**
 * The package graph from `cargo metadata` output (run, or saved with
 * `--metadata-path`): every package with what cargo says about it, the
 * resolved edges with their kinds and platforms, and the enabled features.
 * When a Cargo.lock sits in the workspace root each package is tied to its
 * `[[package]]` entry (same id, real line) by name, version and source.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inputError, type SourcePlace } from '../../errors.js';
import type { DeclaredDependency, DependencyEdge, PackageNode, PackageTarget } from '../package-graph.js';
import { parseSourceId, sourceKey } from '../source-id.js';
import { TomlLines } from '../toml-outline.js';
import type { LockPackage, Lockfile, SourceId } from '../types.js';
import type { CargoMetadata, MetadataDependency, MetadataPackage } from './metadata-schema.js';
import { parsePackageId } from './package-id.js';
import { distinctKinds, freshId, type UnfilteredGraph } from './unfiltered.js';
import { MAX_TEXT_BYTES } from '../read-text.js';
import { licenseFileOutside, packageRoot, readConfined } from './package-paths.js';

const lockKey = (name: string, version: string, source: SourceId | undefined): string => `${name}@${version}#${sourceKey(source)}`;

function gitUrl(source: string | null): string | undefined {
  if (source === null || !source.startsWith('git+')) return undefined;
  return source.slice(4).replace(/[?#].*$/s, '');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Where each dependency entry is written, for manifests a user edits
 * (workspace and path crates); a manifest that leads out of the workspace
 * through a link is not read.
 */
function dependencyLines(manifestPath: string, workspaceRoot: string): ((dep: MetadataDependency) => number | undefined) | undefined {
  const read = readConfined(packageRoot(manifestPath, true, workspaceRoot), manifestPath, MAX_TEXT_BYTES);
  let lines: TomlLines;
  try {
    if (!read.ok) return undefined;
    lines = TomlLines.of(utf8.decode(read.bytes));
  } catch {
    return undefined;
  }
  const tables = (kind: MetadataDependency['kind']): string[] =>
    kind === 'dev' ? ['dev-dependencies', 'dev_dependencies'] : kind === 'build' ? ['build-dependencies', 'build_dependencies'] : ['dependencies'];
  return (dep) => {
    const key = dep.rename ?? dep.name;
    const owner = dep.target === null ? [] : ['target', dep.target];
    for (const table of tables(dep.kind)) {
      const line = lines.lineOf(...owner, table, key);
      if (line !== undefined) return line;
    }
    return undefined;
  };
}

function declaredDependencies(pkg: MetadataPackage, local: boolean, workspaceRoot: string): DeclaredDependency[] {
  const lineOf = local ? dependencyLines(pkg.manifest_path, workspaceRoot) : undefined;
  return pkg.dependencies.map((dep) => ({
    name: dep.rename ?? dep.name,
    packageName: dep.name,
    req: dep.req,
    kind: dep.kind ?? 'normal',
    target: dep.target,
    optional: dep.optional,
    usesDefaultFeatures: dep.uses_default_features,
    features: dep.features,
    path: dep.path,
    git: gitUrl(dep.source),
    registry: dep.registry ?? undefined,
    manifestPath: pkg.manifest_path,
    line: lineOf?.(dep),
  }));
}

const targetsOf = (pkg: MetadataPackage): PackageTarget[] => pkg.targets.map((t) => ({ name: t.name, kind: t.kind, srcPath: t.src_path }));

function toNode(
  pkg: MetadataPackage,
  id: string,
  source: SourceId | undefined,
  lock: LockPackage | undefined,
  isMember: boolean,
  workspaceRoot: string,
): PackageNode {
  const targets = targetsOf(pkg);
  const buildTarget = targets.find((t) => t.kind.includes('custom-build'));
  const dir = path.dirname(pkg.manifest_path);
  return {
    id,
    name: pkg.name,
    version: pkg.version,
    source,
    lock,
    license: pkg.license,
    licenseFile: pkg.license_file === null ? null : path.resolve(dir, pkg.license_file),
    manifestPath: pkg.manifest_path,
    publish: pkg.publish,
    targets,
    features: pkg.features,
    enabledFeatures: undefined,
    dependencies: declaredDependencies(pkg, source === undefined, workspaceRoot),
    isWorkspaceMember: isMember,
    hasBuildScript: buildTarget !== undefined,
    buildScript: buildTarget?.srcPath,
    isProcMacro: targets.some((t) => t.kind.includes('proc-macro')),
    links: pkg.links ?? null,
  };
}

/** Builds the unfiltered graph; `file` names the metadata's origin in error messages. */
export function graphFromMetadata(metadata: CargoMetadata, lockfile: Lockfile | undefined, origin: UnfilteredGraph['origin'], file: string): UnfilteredGraph {
  const place: SourcePlace = { file };
  if (metadata.resolve === null) {
    throw inputError('cargo metadata has no `resolve` graph (was it made with `--no-deps`?); the dependency graph needs it', place);
  }
  const lockByKey = new Map((lockfile?.packages ?? []).map((p) => [lockKey(p.name, p.version, p.source), p]));
  const taken = new Set(lockfile?.byId.keys() ?? []);
  const members = new Set(metadata.workspace_members);
  const idOf = new Map<string, string>();
  const pending: Array<{ pkg: MetadataPackage; source: SourceId | undefined }> = [];
  const packages = new Map<string, PackageNode>();

  const parseSource = (pkg: MetadataPackage): SourceId | undefined => {
    if (pkg.source === null) return undefined;
    try {
      return parseSourceId(pkg.source);
    } catch (e) {
      throw inputError(`package \`${pkg.id}\` has a source cargo-sentinel cannot read: ${e instanceof Error ? e.message : String(e)}`, place, e);
    }
  };
  for (const pkg of metadata.packages) {
    const parsed = parsePackageId(pkg.id);
    if (!parsed) throw inputError(`package id \`${pkg.id}\` is neither \`source#name@version\` nor \`name version (source)\``, place);
    if (parsed.name !== pkg.name || parsed.version !== pkg.version) {
      throw inputError(`package id \`${pkg.id}\` names \`${parsed.name} ${parsed.version}\`, but the package is \`${pkg.name} ${pkg.version}\``, place);
    }
    if (idOf.has(pkg.id)) throw inputError(`package id \`${pkg.id}\` appears twice in \`packages\``, place);
    const source = parseSource(pkg);
    const lock = lockByKey.get(lockKey(pkg.name, pkg.version, source));
    if (lock) {
      idOf.set(pkg.id, lock.id);
      packages.set(lock.id, toNode(pkg, lock.id, source, lock, members.has(pkg.id), metadata.workspace_root));
    } else {
      idOf.set(pkg.id, '');
      pending.push({ pkg, source });
    }
  }
  // Packages the lockfile does not have get ids that cannot be mistaken for one of its entries.
  for (const { pkg, source } of pending) {
    const id = freshId(taken, pkg.name, pkg.version, source?.raw, pkg.id);
    idOf.set(pkg.id, id);
    packages.set(id, toNode(pkg, id, source, undefined, members.has(pkg.id), metadata.workspace_root));
  }
  const warnings: string[] = [];
  for (const node of packages.values()) {
    const outside = licenseFileOutside(node, metadata.workspace_root);
    if (outside === undefined) continue;
    node.licenseFile = undefined;
    warnings.push(outside);
  }

  const resolveId = (metadataId: string, what: string): string => {
    const id = idOf.get(metadataId);
    if (id === undefined) throw inputError(`${what} \`${metadataId}\` is not in \`packages\``, place);
    return id;
  };
  const dependencies = new Map<string, DependencyEdge[]>();
  let unknownKinds = 0;
  let featuresKnown = true;
  for (const node of metadata.resolve.nodes) {
    const from = resolveId(node.id, 'resolve node');
    const edges: DependencyEdge[] = node.deps
      ? node.deps.map((d) => ({
          from,
          to: resolveId(d.pkg, `dependency of \`${node.id}\``),
          kinds: distinctKinds((d.dep_kinds ?? []).map((k) => ({ kind: k.kind ?? 'normal', target: k.target }))),
        }))
      : node.dependencies.map((to) => ({ from, to: resolveId(to, `dependency of \`${node.id}\``), kinds: [] }));
    unknownKinds += edges.filter((e) => e.kinds.length === 0).length;
    dependencies.set(from, edges);
    const target = packages.get(from) as PackageNode;
    if (node.features) target.enabledFeatures = node.features;
    else featuresKnown = false;
  }

  const root = metadata.resolve.root ?? undefined;
  return {
    origin,
    workspaceRoot: metadata.workspace_root,
    lockfile,
    packages,
    dependencies,
    members: metadata.workspace_members.map((m) => resolveId(m, 'workspace member')),
    rootPackage: root === undefined ? undefined : resolveId(root, 'resolve root'),
    unknowns: { manifestsMissing: [], edgeKinds: unknownKinds > 0, features: !featuresKnown },
    warnings,
  };
}

/** The Cargo.lock of a metadata's workspace, when there is one to tie packages to. */
export function lockfilePathFor(metadata: CargoMetadata): string | undefined {
  const file = path.join(metadata.workspace_root, 'Cargo.lock');
  return existsSync(file) ? file : undefined;
}

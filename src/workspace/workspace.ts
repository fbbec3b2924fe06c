/**
 * The manifests' view of a project: its members, matched to the lockfile's
 * path packages, and each member's dependency entries with their kinds.
 */
import path from 'node:path';
import { inputError } from '../errors.js';
import { readManifest, type Manifest } from './manifest.js';
import type { ParsedCache } from './parsed-cache.js';
import { resolveMemberDependencies } from './member-dependencies.js';
import { expandMemberPattern } from './member-glob.js';
import { effectiveSpec, findMembers, type FoundMember } from './members.js';
import type { LockPackage, Lockfile, WorkspaceInfo, WorkspaceMember } from './types.js';

/** Cargo's version when a manifest has none (allowed since Cargo 1.75). */
const DEFAULT_VERSION = '0.0.0';

function memberVersion(manifest: Manifest, root: Manifest): string {
  const pkg = manifest.package;
  if (!pkg?.inheritsVersion) return pkg?.version ?? DEFAULT_VERSION;
  const inherited = root.workspace?.packageVersion;
  if (inherited === undefined) {
    throw inputError(`\`version.workspace = true\`, but ${root.path} sets no \`[workspace.package] version\``, {
      file: manifest.path,
      line: manifest.lines.lineOf('package', 'version'),
    });
  }
  return inherited;
}

function toMember(found: FoundMember, root: Manifest, pathPackages: Map<string, LockPackage>, lockfile: Lockfile): WorkspaceMember {
  const { manifest } = found;
  const name = manifest.package?.name ?? '';
  const version = memberVersion(manifest, root);
  const rootDir = path.dirname(root.path);
  const relativeDir = path.relative(rootDir, found.dir).split(path.sep).join('/');
  const lockPackage = pathPackages.get(`${name}@${version}`);
  if (!lockPackage) {
    throw inputError(
      `workspace member \`${name} ${version}\` has no path package in ${lockfile.path}; is the lockfile up to date? (\`cargo update --workspace\` refreshes it)`,
      { file: manifest.path, line: manifest.package?.line },
    );
  }
  const declared = manifest.dependencies.map((dependency) => ({ dependency, spec: effectiveSpec(dependency, manifest, root) }));
  return {
    id: lockPackage.id,
    name,
    version,
    manifestPath: manifest.path,
    document: manifest.document,
    relativeDir,
    origin: found.origin,
    dependencies: resolveMemberDependencies(lockPackage, declared, lockfile),
  };
}

function defaultMemberIds(root: Manifest, members: readonly WorkspaceMember[]): string[] {
  const patterns = root.workspace?.defaultMembers;
  if (patterns === undefined) {
    const rootMember = members.find((m) => m.origin === 'root');
    return rootMember ? [rootMember.id] : members.map((m) => m.id);
  }
  const rootDir = path.dirname(root.path);
  const byDir = new Map(members.map((m) => [path.dirname(m.manifestPath), m.id]));
  const ids = patterns.flatMap((p) => expandMemberPattern(rootDir, p)).flatMap((dir) => byDir.get(dir) ?? []);
  return [...new Set(ids)];
}

/** Reads the root Cargo.toml at `manifestPath` and every member's, and ties them to `lockfile`. */
export async function readWorkspaceInfo(manifestPath: string, lockfile: Lockfile, parsed?: ParsedCache): Promise<WorkspaceInfo> {
  const root = await readManifest(path.resolve(manifestPath), parsed);
  const pathPackages = new Map(lockfile.packages.filter((p) => p.source === undefined).map((p) => [`${p.name}@${p.version}`, p]));
  const members: WorkspaceMember[] = [];
  const seen = new Map<string, WorkspaceMember>();
  for (const found of await findMembers(root, parsed)) {
    const member = toMember(found, root, pathPackages, lockfile);
    const other = seen.get(member.id);
    if (other) {
      throw inputError(`two workspace members are \`${member.name} ${member.version}\`: ${other.manifestPath} and ${member.manifestPath}`, {
        file: member.manifestPath,
      });
    }
    seen.set(member.id, member);
    members.push(member);
  }
  return {
    root: path.dirname(root.path),
    manifestPath: root.path,
    members: members.map((m) => m.id),
    defaultMembers: defaultMemberIds(root, members),
    directDependencies: new Map(members.map((m) => [m.id, [...(lockfile.byId.get(m.id)?.dependencies ?? [])]])),
    membersById: seen,
    rootDocument: root.document,
  };
}

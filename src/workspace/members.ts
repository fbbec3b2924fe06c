/**
 * Which manifests are workspace members, by Cargo's rules: the root package,
 * the directories `[workspace] members` names (minus `exclude`), and every
 * path dependency of a member, or `[patch]` path of the root, that lives
 * inside the workspace root. Without a `[workspace]` table the root package
 * is the only member.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inputError } from '../errors.js';
import type { ParsedCache } from './parsed-cache.js';
import { readManifest, type DeclaredDependency, type DependencySpec, type Manifest } from './manifest.js';
import { expandMemberPattern, hasGlob } from './member-glob.js';
import type { MemberOrigin } from './types.js';

export interface FoundMember {
  manifest: Manifest;
  /** Absolute directory. */
  dir: string;
  origin: MemberOrigin;
}

const isWithin = (dir: string, ancestor: string): boolean =>
  dir === ancestor || dir.startsWith(ancestor.endsWith(path.sep) ? ancestor : ancestor + path.sep);

/** A dependency's spec with `workspace = true` filled in from the root's `[workspace.dependencies]`. */
export function effectiveSpec(dependency: DeclaredDependency, member: Manifest, root: Manifest): DependencySpec {
  if (!dependency.spec.inherited) return dependency.spec;
  const base = root.workspace?.dependencies.get(dependency.name);
  if (!base) {
    throw inputError(
      `dependency \`${dependency.name}\` has \`workspace = true\`, but \`[workspace.dependencies]\` in ${root.path} has no \`${dependency.name}\``,
      { file: member.path, line: dependency.line },
    );
  }
  return { ...base.spec, optional: dependency.spec.optional, inherited: true };
}

/** Cargo's `is_excluded`: under an `exclude` entry and not under an entry of `members` written out. */
function exclusionRule(root: Manifest, rootDir: string): (dir: string) => boolean {
  const excludes = (root.workspace?.exclude ?? []).map((e) => path.resolve(rootDir, e));
  const explicit = (root.workspace?.members ?? []).map((m) => path.resolve(rootDir, m));
  return (dir) => excludes.some((e) => isWithin(dir, e)) && !explicit.some((m) => isWithin(dir, m));
}

type Place = { file: string; line: number | undefined };

/** The package manifest in `dir`; undefined when the directory holds no Cargo.toml. */
async function readPackageManifest(dir: string, why: string, place: Place, parsed: ParsedCache | undefined): Promise<Manifest | undefined> {
  const file = path.join(dir, 'Cargo.toml');
  if (!existsSync(file)) return undefined;
  const manifest = await readManifest(file, parsed);
  if (!manifest.package) throw inputError(`${why} is a virtual manifest, not a package: ${file}`, place);
  return manifest;
}

const noManifest = (dir: string, why: string, place: Place) =>
  inputError(`${why} has no Cargo.toml: ${path.join(dir, 'Cargo.toml')}`, place);

export async function findMembers(root: Manifest, parsed?: ParsedCache): Promise<FoundMember[]> {
  const rootDir = path.dirname(root.path);
  const members = new Map<string, FoundMember>();
  if (root.package) members.set(rootDir, { manifest: root, dir: rootDir, origin: 'root' });
  const ws = root.workspace;
  if (!ws) return [...members.values()];
  const excluded = exclusionRule(root, rootDir);
  const membersLine = { file: root.path, line: root.lines.lineOf('workspace', 'members') };

  for (const pattern of ws.members) {
    const isPattern = hasGlob(pattern);
    for (const dir of expandMemberPattern(rootDir, pattern)) {
      if (members.has(dir) || excluded(dir)) continue;
      const why = `workspace member \`${pattern}\``;
      const manifest = await readPackageManifest(dir, why, membersLine, parsed);
      // A glob also matches directories that hold no crate (docs, assets); only a written-out member must exist.
      if (!manifest && !isPattern) throw noManifest(dir, why, membersLine);
      if (manifest) members.set(dir, { manifest, dir, origin: 'listed' });
    }
  }

  const addImplicit = async (dir: string, why: string, place: Place): Promise<void> => {
    if (members.has(dir) || !isWithin(dir, rootDir) || excluded(dir)) return;
    const manifest = await readPackageManifest(dir, why, place, parsed);
    if (!manifest) throw noManifest(dir, why, place);
    members.set(dir, { manifest, dir, origin: 'implicit' });
  };
  for (const patchDir of root.patchPaths) {
    await addImplicit(patchDir, `\`[patch]\` path \`${path.relative(rootDir, patchDir)}\``, { file: root.path, line: root.lines.lineOf('patch') });
  }
  // Members found on the way are appended to the map, so this walks path dependencies transitively.
  for (const member of members.values()) {
    for (const dependency of member.manifest.dependencies) {
      const dir = effectiveSpec(dependency, member.manifest, root).path;
      if (dir === undefined) continue;
      await addImplicit(dir, `path dependency \`${dependency.name}\``, { file: member.manifest.path, line: dependency.line });
    }
  }
  return [...members.values()];
}

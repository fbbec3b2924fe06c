/**
 * Ties each dependency entry of a member's Cargo.toml to the package its
 * lockfile entry lists. Usually the name alone decides; a member that uses
 * two packages of one name (a rename, or a git fork next to the registry
 * crate) is told apart by source kind, then by version requirement.
 */
import satisfies from 'semver/functions/satisfies.js';
import type { DeclaredDependency, DependencySpec } from './manifest.js';
import { indexByName } from './package-ref.js';
import { canonicalUrl } from './source-id.js';
import type { DirectDependency, LockPackage, Lockfile, SourceId } from './types.js';

/**
 * Cargo's requirement syntax in node-semver's: comma-separated comparators
 * become space-separated, and a bare version means `^version` in Cargo.
 */
export const cargoRequirementToRange = (req: string): string =>
  req
    .split(',')
    .map((c) => c.trim())
    .map((c) => (/^[0-9]/.test(c) ? `^${c}` : c))
    .join(' ');

function fromDeclaredSource(spec: DependencySpec, source: SourceId | undefined): boolean {
  if (spec.path !== undefined) return source === undefined;
  if (spec.git !== undefined) return source?.kind === 'git' && canonicalUrl(source.url) === canonicalUrl(spec.git);
  if (spec.registry !== undefined) return source !== undefined && source.kind !== 'git' && !source.isCratesIo;
  return source?.isCratesIo === true;
}

/** Keeps the narrowed list only when it still holds something: a `[patch]` may have moved the package elsewhere. */
const narrow = (list: LockPackage[], keep: (p: LockPackage) => boolean): LockPackage[] => {
  const kept = list.filter(keep);
  return kept.length > 0 ? kept : list;
};

function resolveOne(spec: DependencySpec, packageName: string, lockDepsByName: ReadonlyMap<string, LockPackage[]>): string | undefined {
  let candidates = lockDepsByName.get(packageName) ?? [];
  if (candidates.length > 1) candidates = narrow(candidates, (p) => fromDeclaredSource(spec, p.source));
  const req = spec.req;
  if (candidates.length > 1 && req !== undefined) {
    const range = cargoRequirementToRange(req);
    candidates = narrow(candidates, (p) => satisfies(p.version, range));
  }
  return candidates.length === 1 ? candidates[0]?.id : undefined;
}

/** `declared` pairs each entry with its spec after `workspace = true` inheritance. */
export function resolveMemberDependencies(
  member: LockPackage,
  declared: ReadonlyArray<{ dependency: DeclaredDependency; spec: DependencySpec }>,
  lockfile: Lockfile,
): DirectDependency[] {
  const lockDepsByName = indexByName(member.dependencies.flatMap((id) => lockfile.byId.get(id) ?? []));
  return declared.map(({ dependency, spec }) => {
    const packageName = spec.packageName ?? dependency.name;
    return {
      name: dependency.name,
      packageName,
      kind: dependency.kind,
      target: dependency.target,
      optional: spec.optional,
      req: spec.req,
      id: resolveOne(spec, packageName, lockDepsByName),
      line: dependency.line,
    };
  });
}

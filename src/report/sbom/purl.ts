/**
 * Where an SBOM says a package comes from: its package URL (purl) and the
 * URL its sources can be downloaded from, for each kind of Cargo source.
 *
 * - crates.io: `pkg:cargo/<name>@<version>` (crates.io is the type's default repository);
 * - another registry: `?repository_url=<index URL>` (without the `registry+`/`sparse+` prefix);
 * - git: `?vcs_url=git+<repository URL>@<commit>` (the commit pins the branch or tag);
 * - path: no purl. A purl names a release of a registry; a path crate is not
 *   one, and `pkg:cargo/<name>@<version>` would make scanners match crates.io
 *   advisories against local code that merely shares a name.
 */
import type { SourceId } from '../../workspace/types.js';

/** A package's origin as an SBOM states it. */
export type PackageOrigin =
  | { kind: 'crates-io' }
  | { kind: 'registry'; /** index URL, without `registry+` / `sparse+` */ indexUrl: string }
  | { kind: 'git'; /** repository URL, without `git+`, query and fragment */ url: string; commit: string | undefined }
  | { kind: 'path'; /** directory relative to the workspace root, `/`-separated; undefined when unknown */ dir: string | undefined };

export function originOf(source: SourceId | undefined, dir: string | undefined): PackageOrigin {
  if (source === undefined) return { kind: 'path', dir };
  if (source.kind === 'git') return { kind: 'git', url: source.url, commit: source.commit };
  return source.isCratesIo ? { kind: 'crates-io' } : { kind: 'registry', indexUrl: source.url };
}

/** Percent-encoding of a purl name or version: everything but RFC 3986's unreserved characters (`+` becomes `%2B`). */
const encodeSegment = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Qualifier values keep `:`, `/` and `@` readable, as the purl specification allows. */
const encodeQualifier = (text: string): string => encodeSegment(text).replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%40/g, '@');

/** The package URL, or undefined for a path package. */
export function cargoPurl(name: string, version: string, origin: PackageOrigin): string | undefined {
  const base = `pkg:cargo/${encodeSegment(name)}@${encodeSegment(version)}`;
  switch (origin.kind) {
    case 'crates-io':
      return base;
    case 'registry':
      return `${base}?repository_url=${encodeQualifier(origin.indexUrl)}`;
    case 'git':
      return `${base}?vcs_url=${encodeQualifier(gitLocation(origin))}`;
    case 'path':
      return undefined;
  }
}

/** `git+<url>@<commit>`: the form both purl's `vcs_url` and SPDX's download location use. */
export function gitLocation(origin: Extract<PackageOrigin, { kind: 'git' }>): string {
  const url = origin.url.startsWith('git+') ? origin.url : `git+${origin.url}`;
  return origin.commit === undefined ? url : `${url}@${origin.commit}`;
}

/** crates.io's download endpoint for a release; other registries publish theirs in a config we do not read. */
export const cratesIoDownloadUrl = (name: string, version: string): string =>
  `https://crates.io/api/v1/crates/${encodeSegment(name)}/${encodeSegment(version)}/download`;

/**
 * Source URLs reduced to what the sources check compares: the host and the
 * path. The scheme is not compared (`https://` and `ssh://` of one repository
 * are one source), nor the query or fragment (a git source's `?tag=` and
 * `#commit` are what `required-git-spec` judges, not where the code lives).
 * Trailing slashes and a trailing `.git` are dropped; github.com paths are
 * compared in lower case, as Cargo's canonical URLs do.
 */

export interface SourceLocation {
  host: string;
  /** `/`-separated segments, never empty strings. */
  segments: string[];
  /** The crates.io index, in its git or its sparse form. */
  isCratesIo: boolean;
}

const CRATES_IO_GIT = 'github.com/rust-lang/crates.io-index';
const CRATES_IO_SPARSE = 'index.crates.io';

/** Parse `text` (with an optional `registry+`, `sparse+` or `git+` prefix); undefined when it is no URL with a host. */
export function sourceLocation(text: string): SourceLocation | undefined {
  const bare = text.replace(/^(registry|sparse|git)\+/, '');
  let url: URL;
  try {
    url = new URL(bare);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  if (host === '') return undefined;
  let pathname = url.pathname.replace(/\/+$/, '');
  if (pathname.endsWith('.git')) pathname = pathname.slice(0, -4).replace(/\/+$/, '');
  if (host === 'github.com') pathname = pathname.toLowerCase();
  const segments = pathname.split('/').filter((s) => s !== '');
  const key = [host, ...segments].join('/');
  return { host, segments, isCratesIo: key === CRATES_IO_GIT || key === CRATES_IO_SPARSE };
}

/** Same host and same path. */
export function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  if (a.isCratesIo || b.isCratesIo) return a.isCratesIo && b.isCratesIo;
  return a.host === b.host && a.segments.length === b.segments.length && a.segments.every((s, i) => s === b.segments[i]);
}

/**
 * `inner` is at or under `prefix`: same host, and the prefix's path segments
 * begin the inner path. Whole segments, so `github.com/acme` does not cover
 * `github.com/acme-tools/x`.
 */
export function underLocation(prefix: SourceLocation, inner: SourceLocation): boolean {
  return (
    prefix.host === inner.host &&
    prefix.segments.length <= inner.segments.length &&
    prefix.segments.every((s, i) => s === inner.segments[i])
  );
}

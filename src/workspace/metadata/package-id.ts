/**
 * Package ids as `cargo metadata` writes them. Since Cargo 1.77 they are
 * package id specs, `<source url>#<name>@<version>` (the name is left out when
 * it equals the URL's last path segment, as in `path+file:///src/foo#0.1.0`);
 * before that they were `<name> <version> (<source url>)`.
 */
import { isSemver } from '../version.js';

export interface ParsedPackageId {
  name: string;
  version: string;
  /** The source URL with its kind prefix (`registry+…`, `path+file://…`, `git+…`), as written. */
  source: string;
}

const OLD_FORM = /^(\S+) (\S+) \((.+)\)$/s;
const NAME = /^[A-Za-z0-9_-]+$/;

/** The last segment of a URL's path, without query or fragment. */
function lastPathSegment(url: string): string {
  const noQuery = url.replace(/[?#].*$/s, '').replace(/\/+$/, '');
  return noQuery.slice(noQuery.lastIndexOf('/') + 1);
}

/** Parses either form; undefined when the text is neither. */
export function parsePackageId(id: string): ParsedPackageId | undefined {
  const old = OLD_FORM.exec(id);
  if (old) {
    const [, name, version, source] = old as unknown as [string, string, string, string];
    return NAME.test(name) && isSemver(version) ? { name, version, source } : undefined;
  }
  const hash = id.lastIndexOf('#');
  if (hash <= 0 || !/^[a-z-]+\+[A-Za-z][A-Za-z0-9+.-]*:/.test(id)) return undefined;
  const source = id.slice(0, hash);
  const fragment = id.slice(hash + 1);
  const at = fragment.indexOf('@');
  const name = at < 0 ? lastPathSegment(source) : fragment.slice(0, at);
  const version = at < 0 ? fragment : fragment.slice(at + 1);
  return NAME.test(name) && isSemver(version) ? { name, version, source } : undefined;
}

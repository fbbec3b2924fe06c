/**
 * Which database URLs we accept and how git sees them. The URL is the one input
 * an attacker could plant (a deny.toml in a cloned repository), and git turns
 * some URL forms into command execution, so anything we cannot classify as an
 * ordinary transport is refused before git or the file system is touched.
 */
import path from 'node:path';
import { configError } from '../../errors.js';

/**
 * - `network`: https, http, ssh, git and scp-like `user@host:path`; cloned shallow.
 * - `file-url`: `file://`, a real transport, so it honours `--depth` like a network URL.
 * - `local-path`: a bare repository, a checkout or a bundle file; git copies or
 *   hard-links it and ignores `--depth`.
 */
export type SourceKind = 'network' | 'file-url' | 'local-path';

export interface DatabaseSource {
  /** What the user wrote (for messages). */
  readonly given: string;
  /** What git gets: the URL unchanged, or a local path made absolute. */
  readonly url: string;
  readonly kind: SourceKind;
}

// Schemes git serves itself. Any other `scheme://` makes git run a
// `git-remote-<scheme>` helper program, which is exactly what we refuse.
const ALLOWED_SCHEMES = new Set(['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git', 'file']);

const TRANSPORT_PREFIX = /^[A-Za-z0-9+.-]+::/;
const URL_WITH_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
// git's own rule: a colon before the first slash means `[user@]host:path` over ssh.
const SCP_LIKE = /^(?:([^@/]*)@)?([^/:]+):/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const refuse = (given: string, why: string) =>
  configError(`refusing advisory database URL ${JSON.stringify(given)}: ${why}`);

export function parseSource(given: string, cwd: string = process.cwd()): DatabaseSource {
  if (given.trim() === '') throw refuse(given, 'it is empty');
  if (CONTROL_CHARS.test(given)) throw refuse(given, 'it contains control characters');
  if (given.startsWith('-')) throw refuse(given, 'it starts with "-" and git would read it as an option');
  if (TRANSPORT_PREFIX.test(given)) {
    throw refuse(given, 'the "<transport>::" form runs a git remote helper (ext::, fd:: and others can execute commands)');
  }

  const scheme = URL_WITH_SCHEME.exec(given)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!ALLOWED_SCHEMES.has(scheme)) {
      throw refuse(given, `scheme "${scheme}" is not one of ${[...ALLOWED_SCHEMES].join(', ')}`);
    }
    let parsed: URL;
    try {
      parsed = new URL(given);
    } catch {
      throw refuse(given, 'it is not a valid URL');
    }
    if (parsed.hostname.startsWith('-') || parsed.username.startsWith('-')) {
      throw refuse(given, 'a host or user name starting with "-" would reach ssh as an option');
    }
    return { given, url: given, kind: scheme === 'file' ? 'file-url' : 'network' };
  }

  const scp = SCP_LIKE.exec(given);
  if (scp) {
    if ((scp[1] ?? '').startsWith('-') || (scp[2] ?? '').startsWith('-')) {
      throw refuse(given, 'a host or user name starting with "-" would reach ssh as an option');
    }
    return { given, url: given, kind: 'network' };
  }

  return { given, url: path.resolve(cwd, given), kind: 'local-path' };
}

/**
 * Whether a checkout's `origin` is the source we were asked for. Case is
 * ignored because directory names are derived from the lower-cased URL, so two
 * spellings that differ only in case share one directory; a trailing slash is
 * noise git itself adds or drops.
 */
export function sameSource(origin: string, source: DatabaseSource): boolean {
  const key = (s: string) => s.replace(/\/+$/, '').toLowerCase();
  return key(origin) === key(source.url);
}

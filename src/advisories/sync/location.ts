/**
 * Where a database lives on disk. We use cargo-deny's layout so that a machine
 * that already has cargo-deny's clone of a database reuses it instead of
 * downloading a second copy.
 */
import os from 'node:os';
import path from 'node:path';
import { parseSource } from './source.js';
import { xxh64Hex } from './xxh64.js';

export const DEFAULT_DATABASE_URL = 'https://github.com/rustsec/advisory-db';

// cargo-deny's seed (src/advisories/helpers/db.rs), part of the directory name.
const DIRECTORY_HASH_SEED = 0xca80de71n;

/** `$CARGO_HOME/advisory-dbs`, with Cargo's default `~/.cargo` for CARGO_HOME. */
export function defaultDbRoot(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const cargoHome = env['CARGO_HOME'];
  return path.resolve(cargoHome !== undefined && cargoHome !== '' ? cargoHome : path.join(home, '.cargo'), 'advisory-dbs');
}

/**
 * `<root>/<last path segment>-<xxh64 as 16 hex digits>`.
 *
 * For URLs this is cargo-deny's rule exactly: the URL is lower-cased,
 * re-serialised by a WHATWG URL parser, and that string is hashed, with no other
 * normalisation (`…/advisory-db` and `…/advisory-db.git` are two directories,
 * as they are for cargo-deny). cargo-deny accepts only URLs; for a local path or
 * a bundle file we hash the lower-cased absolute path and name the directory
 * after the file or directory.
 */
export function dbDirectoryFor(url: string, root: string, cwd: string = process.cwd()): string {
  const source = parseSource(url, cwd);
  let name: string;
  let hashed: string;
  if (source.kind === 'local-path') {
    name = path.basename(source.url);
    hashed = source.url.toLowerCase();
  } else if (source.kind === 'network' && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source.url)) {
    // scp-like `git@host:owner/repo`: no URL parser accepts it.
    name = source.url.split(/[/:]/).filter((s) => s !== '').at(-1) ?? 'empty_';
    hashed = source.url.toLowerCase();
  } else {
    const parsed = new URL(source.url.toLowerCase());
    name = parsed.pathname.split('/').at(-1) ?? 'empty_';
    hashed = parsed.href;
  }
  return path.join(path.resolve(cwd, root), `${name}-${xxh64Hex(hashed, DIRECTORY_HASH_SEED)}`);
}

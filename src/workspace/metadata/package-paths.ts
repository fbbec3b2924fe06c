/**
 * Where a package's files may be read from, and reading them without leaving
 * that place. The paths come from cargo metadata, manifests and deny.toml; the
 * symbolic links on the way come from whatever repository or crate is being
 * checked. A package's files are those under its directory. A local package
 * inside the workspace may also reach the rest of the workspace, as Cargo
 * lets it (`license-file = "../LICENSE"`, or one inherited with
 * `license-file.workspace = true`), and never beyond.
 *
 * Two layers: `staysInside` judges a path as written (no I/O), for the graph
 * to refuse what metadata or a manifest names outside; `readConfined` resolves
 * every link first and reads only what really lies inside.
 */
import { realpathSync as realpathSyncJs } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../../io/read-regular-file.js';

export interface PackageRoot {
  /** The directory holding the package's Cargo.toml. */
  dir: string;
  /** What a path of the package must stay in: `dir`, or the workspace root. */
  root: string;
  /** `root` in words, for messages. */
  rootName: "the package's directory" | 'the workspace';
}

/** `isLocal`: the package has no source (a workspace member or a path dependency). */
export function packageRoot(manifestPath: string, isLocal: boolean, workspaceRoot: string): PackageRoot {
  const dir = path.dirname(path.resolve(manifestPath));
  const workspace = path.resolve(workspaceRoot);
  return isLocal && isWithin(workspace, dir)
    ? { dir, root: workspace, rootName: 'the workspace' }
    : { dir, root: dir, rootName: "the package's directory" };
}

/** `p` is `root` or below it; both absolute and normalised. */
export function isWithin(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Absolute in any of the forms a deny.toml written on another system may hold. */
export const isAbsoluteAnywhere = (p: string): boolean => path.isAbsolute(p) || p.startsWith('\\') || /^[A-Za-z]:/.test(p);

/** As written (no links resolved): `file`, absolute or relative to `pkg.dir`, stays inside `pkg.root`. */
export function staysInside(pkg: PackageRoot, file: string): boolean {
  return isWithin(pkg.root, path.resolve(pkg.dir, file));
}

export type Confined = { ok: true; path: string } | { ok: false; missing: boolean; error: string };

/** The C library's realpath(3): one system call, where Node's JavaScript version makes one per path component. */
const realpathSync = realpathSyncJs.native;

/**
 * The real path of `file` (absolute or relative to `pkg.dir`) when it, and
 * every link on the way, resolves inside the real path of `pkg.root`.
 */
export function confine(pkg: PackageRoot, file: string): Confined {
  let real: string;
  let realRoot: string;
  try {
    real = realpathSync(path.resolve(pkg.dir, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    return { ok: false, missing, error: missing ? 'file not found' : (code ?? (e as Error).message) };
  }
  try {
    realRoot = realpathSync(pkg.root);
  } catch (e) {
    return { ok: false, missing: false, error: `${pkg.root} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (!isWithin(realRoot, real)) return { ok: false, missing: false, error: `it leads outside ${pkg.rootName} (to ${real}); not read` };
  return { ok: true, path: real };
}

export type ConfinedRead = { ok: true; bytes: Buffer } | { ok: false; missing: boolean; error: string };

/**
 * The bytes of `file` when it lies inside `pkg.root` (see `confine`), is a
 * regular file, and holds at most `maxBytes` (see readRegularFile: the real
 * path is opened without following a link swapped in since).
 */
export function readConfined(pkg: PackageRoot, file: string, maxBytes: number): ConfinedRead {
  const where = confine(pkg, file);
  if (!where.ok) return where;
  const read = readRegularFile(where.path, maxBytes);
  if (read.ok) return read;
  return { ok: false, missing: false, error: read.reason === 'unreadable' ? read.error : `${read.error}; not read` };
}

/**
 * The warning for a `license-file` that names a place outside the package's
 * root as written (`../../secret`, `/etc/passwd`); undefined when it stays
 * inside or there is none. The graph then forgets the path, so nothing that
 * reads license files (the license check, the SPDX document) goes there.
 */
export function licenseFileOutside(
  node: { name: string; version: string; source: unknown; manifestPath: string | undefined; licenseFile: string | null | undefined },
  workspaceRoot: string,
): string | undefined {
  if (typeof node.licenseFile !== 'string' || node.manifestPath === undefined) return undefined;
  const pkg = packageRoot(node.manifestPath, node.source === undefined, workspaceRoot);
  if (staysInside(pkg, node.licenseFile)) return undefined;
  const shown = path.relative(pkg.dir, node.licenseFile).split(path.sep).join('/');
  return `\`${node.name} ${node.version}\`: its license-file \`${shown}\` is outside ${pkg.rootName}; it is not read`;
}

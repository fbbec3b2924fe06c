/**
 * The build check's I/O: for every crate that runs code at compile time (and,
 * as configured, the crates feeding one and the workspace's own), read its
 * source directory. Bounded: a file count per crate, a depth, 16 bytes per
 * file to tell native executables (a shebang line up to 256 bytes), and whole
 * files only for checksums a bypass asks for. Symbolic links are never
 * followed; one that leads out of the crate is reported, not read. Nor is a
 * crate directory that is itself a link out of its place (a workspace
 * member's out of the workspace), or a build script outside it. Nested
 * packages, `.git` and a member's `target/` are not the crate's files.
 *
 * Synchronous, like the manifest reads: the files are small and many, and a
 * thread-pool round trip per file costs more than the read.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { specMatches } from '../../policy/package-spec.js';
import type { DependencyEdge, PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import { confine, packageRoot, type PackageRoot } from '../../workspace/metadata/package-paths.js';
import { closure } from '../bans/graph-queries.js';
import type { BuildConfig } from '../bans/config.js';
import type { BuildFacts, BuildScriptFact, CrateFacts, FileFact, PathProblem } from './facts.js';
import { hasShebang, MAGIC_BYTES, nativeFormat, shebangInterpreter, type Sniffed } from './sniff.js';

export interface GatherLimits {
  /** Files walked per crate before giving up on the rest. */
  maxFiles: number;
  /** Directory nesting below the crate directory. */
  maxDepth: number;
  /** Largest file hashed (build scripts, bypass paths with a checksum). */
  maxHashBytes: number;
}

export const DEFAULT_LIMITS: GatherLimits = { maxFiles: 10_000, maxDepth: 32, maxHashBytes: 64 * 1024 * 1024 };

const SHEBANG_LINE_BYTES = 256;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Crates that run code at compile time: a build script or a proc-macro. */
export const runsAtCompileTime = (node: PackageNode): boolean => node.hasBuildScript === true || node.isProcMacro === true;

export function gatherBuildFacts(graph: PackageGraph, config: BuildConfig, limits: GatherLimits = DEFAULT_LIMITS): BuildFacts {
  const buildTime = [...graph.packages.values()].filter(runsAtCompileTime);
  const inScope = (node: PackageNode) => config['include-workspace'] || !node.isWorkspaceMember;
  const scanned = new Set(buildTime.filter(inScope).map((n) => n.id));
  if (config['include-dependencies']) {
    const notDev = (e: DependencyEdge) => e.kinds.length === 0 || e.kinds.some((k) => k.kind !== 'dev');
    for (const id of closure(graph, buildTime.map((n) => n.id), notDev)) {
      const node = graph.packages.get(id);
      if (node && inScope(node)) scanned.add(id);
    }
  }

  const crates = new Map<string, CrateFacts>();
  for (const node of graph.packages.values()) {
    const isBuildTime = runsAtCompileTime(node);
    if (!isBuildTime && !scanned.has(node.id)) continue;
    crates.set(node.id, crateFacts(node, graph.workspaceRoot, isBuildTime, scanned.has(node.id), checksummedPaths(node, config), limits));
  }
  return { crates };
}

/** Paths the bypass entries of this crate give a checksum for: only those are read whole. */
function checksummedPaths(node: PackageNode, config: BuildConfig): Set<string> {
  const out = new Set<string>();
  for (const entry of config.bypass) {
    if (!specMatches(entry.spec, node.name, node.version)) continue;
    for (const allowed of entry.allow) if (allowed.checksum !== undefined) out.add(normalize(allowed.path));
  }
  return out;
}

const normalize = (p: string): string => p.replaceAll('\\', '/').replace(/^\.\//, '');

function crateFacts(node: PackageNode, workspaceRoot: string, buildTime: boolean, scan: boolean, hashed: Set<string>, limits: GatherLimits): CrateFacts {
  const pkg = node.manifestPath === undefined ? undefined : packageRoot(node.manifestPath, node.source === undefined, workspaceRoot);
  const dir = pkg?.dir;
  const facts: CrateFacts = { id: node.id, dir, buildTime, scanned: false, buildScript: undefined, files: [], problems: [] };
  if (pkg === undefined || dir === undefined || !isDirectory(dir)) {
    facts.dir = undefined;
    facts.problems.push({ code: 'unable-to-check-path', path: '.', error: "the crate's sources are not on disk (cargo fetch downloads them)" });
    return facts;
  }
  const where = confine(pkg, dir);
  if (!where.ok) {
    facts.dir = undefined;
    facts.problems.push({ code: 'non-root-path', path: '.', error: `the crate's directory: ${where.error}` });
    return facts;
  }
  if (node.hasBuildScript) facts.buildScript = buildScriptFact(pkg, node.buildScript ?? path.join(dir, 'build.rs'), limits, facts.problems);
  if (scan) {
    facts.scanned = true;
    walk(dir, node.isWorkspaceMember, hashed, limits, facts);
  }
  return facts;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Hashed only inside the crate's place; one outside is a problem of the crate too (metadata or a link put it there). */
function buildScriptFact(pkg: PackageRoot, file: string, limits: GatherLimits, problems: PathProblem[]): BuildScriptFact {
  const relative = path.relative(pkg.dir, file);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
  const where = confine(pkg, file);
  if (!where.ok) {
    if (where.missing) return { path: shown, sha256: undefined, error: 'ENOENT: no such file or directory' };
    problems.push({ code: 'non-root-path', path: shown, error: `the build script: ${where.error}` });
    return { path: shown, sha256: undefined, error: where.error };
  }
  try {
    return { path: shown, sha256: sha256File(where.path, limits.maxHashBytes), error: undefined };
  } catch (e) {
    return { path: shown, sha256: undefined, error: describeError(e) };
  }
}

interface Pending {
  abs: Buffer;
  rel: string;
  depth: number;
}

function walk(dir: string, isMember: boolean, hashed: Set<string>, limits: GatherLimits, facts: CrateFacts): void {
  const root = realpathSync(dir);
  const stack: Pending[] = [{ abs: Buffer.from(dir), rel: '', depth: 0 }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let names: Buffer[];
    try {
      names = readdirSync(current.abs, { encoding: 'buffer' });
    } catch (e) {
      facts.problems.push({ code: 'unable-to-check-path', path: current.rel || '.', error: describeError(e) });
      continue;
    }
    for (const raw of names) {
      const name = decodeName(raw);
      const abs = Buffer.concat([current.abs, Buffer.from(path.sep), raw]);
      const rel = current.rel === '' ? (name ?? lossy(raw)) : `${current.rel}/${name ?? lossy(raw)}`;
      if (name === undefined) {
        facts.problems.push({ code: 'non-utf8-path', path: rel, error: 'the file name is not valid UTF-8; it was not checked' });
        continue;
      }
      const entry = classifyEntry(abs, rel, root, facts.problems);
      if (entry === 'directory') {
        if (skipDirectory(abs, name, current.rel === '', isMember)) continue;
        if (current.depth + 1 > limits.maxDepth) {
          facts.problems.push({ code: 'unable-to-check-path', path: rel, error: `nested deeper than ${limits.maxDepth} directories; not checked` });
          continue;
        }
        stack.push({ abs, rel, depth: current.depth + 1 });
      } else if (entry === 'file') {
        if (facts.files.length >= limits.maxFiles) {
          facts.problems.push({ code: 'unable-to-check-path', path: '.', error: `stopped after ${limits.maxFiles} files; the rest of the crate was not checked` });
          stack.length = 0;
          break;
        }
        facts.files.push(fileFact(abs, rel, hashed.has(rel), limits));
      }
    }
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  facts.files.sort(byPath);
  facts.problems.sort(byPath);
}

/** Directories that are not the crate's own files. */
function skipDirectory(abs: Buffer, name: string, atRoot: boolean, isMember: boolean): boolean {
  if (name === '.git') return true;
  if (atRoot && isMember && name === 'target') return true;
  return existsSync(Buffer.concat([abs, Buffer.from(`${path.sep}Cargo.toml`)]));
}

/** A file, a directory to descend into, or nothing to read (a link, a device; reported when it matters). */
function classifyEntry(abs: Buffer, rel: string, root: string, problems: PathProblem[]): 'file' | 'directory' | 'skip' {
  let info;
  try {
    info = lstatSync(abs);
  } catch (e) {
    problems.push({ code: 'unable-to-check-path', path: rel, error: describeError(e) });
    return 'skip';
  }
  if (info.isDirectory()) return 'directory';
  if (info.isFile()) return 'file';
  if (info.isSymbolicLink()) {
    let target: string;
    try {
      target = realpathSync(abs.toString());
    } catch (e) {
      problems.push({ code: 'unable-to-check-path', path: rel, error: `broken symbolic link: ${describeError(e)}` });
      return 'skip';
    }
    // A link inside the crate points at files the walk reads anyway.
    if (target !== root && !target.startsWith(root + path.sep)) {
      problems.push({ code: 'non-root-path', path: rel, error: `symbolic link to '${target}', outside the crate's directory; not followed` });
    }
  }
  return 'skip';
}

function fileFact(abs: Buffer, rel: string, hash: boolean, limits: GatherLimits): FileFact {
  const fact: FileFact = { path: rel, sniffed: undefined };
  try {
    fact.sniffed = sniffFile(abs, rel);
    if (hash) fact.sha256 = sha256File(abs, limits.maxHashBytes);
  } catch (e) {
    fact.error = describeError(e);
  }
  return fact;
}

function sniffFile(abs: Buffer, rel: string): Sniffed {
  const head = readHead(abs, MAGIC_BYTES);
  const format = nativeFormat(head);
  if (format !== undefined) return { kind: 'native', format };
  if (!hasShebang(head, rel)) return { kind: 'other' };
  const line = readHead(abs, SHEBANG_LINE_BYTES);
  const end = line.indexOf(0x0a);
  const text = Buffer.from(end < 0 ? line : line.subarray(0, end)).toString('utf8').replace(/\r$/, '');
  return { kind: 'script', interpreter: shebangInterpreter(text) };
}

/**
 * Opens a file the walk or `confine` found to be a regular file inside the
 * crate: O_NOFOLLOW fails on a link swapped in since, O_NONBLOCK keeps a FIFO
 * from hanging the open, and the type is checked again on what was opened.
 */
function openRegular(file: string | Buffer): number {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  if (fstatSync(fd).isFile()) return fd;
  closeSync(fd);
  throw new Error('not a regular file');
}

function readHead(file: Buffer, bytes: number): Uint8Array {
  const fd = openRegular(file);
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function sha256File(file: string | Buffer, maxBytes: number): string {
  const fd = openRegular(file);
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(64 * 1024);
    let total = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new Error(`larger than ${maxBytes} bytes; not hashed`);
      hash.update(chunk.subarray(0, n));
    }
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

function decodeName(raw: Buffer): string | undefined {
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

const lossy = (raw: Buffer): string => new TextDecoder('utf-8').decode(raw);

/** An fs error without the path it names (the diagnostic shows the path itself). */
function describeError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/, \w+ '[^']*'(?: -> '[^']*')?$/, '');
}

/**
 * Shared by the fault tests: a workspace (remote, database directory, cache,
 * working directory) per test, the exact findings for fd's Cargo.lock at each
 * database commit, the real tool in child processes (for kills and races) and
 * the checks that a database directory is whole afterwards. Real git only.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { git } from '../helpers/git-fixtures.js';
import { DB_HEAD, DB_OLD, fixture, repoRoot } from '../helpers/paths.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { countAdvisories, remoteAt, scratchDir, siblings } from '../advisories/sync/support.js';

export { seededRandom } from '../helpers/seeded-random.js';
export { BUNDLE, countAdvisories, headOf, makeOldOnlyRemote, remoteAt, scratchDir, siblings } from '../advisories/sync/support.js';

/** The launcher users run; it runs the bundle in dist/bundle. */
export const BIN = path.join(repoRoot, 'bin', 'cargo-sentinel.cjs');
export const FD_LOCK = fixture('corpus', 'fd', 'Cargo.lock');

export interface Findings {
  advisoryCount: number;
  vulnerabilities: string[];
  /** Warning ids by kind (`unmaintained`, `unsound`, …), kinds with none left out. */
  warnings: Record<string, string[]>;
  /** The audit's exit code: 1 with a vulnerability, 0 without. */
  exit: number;
}

/** fd's Cargo.lock against the two commits of the bundle, `--no-yanked`. */
export const EXPECTED: Readonly<Record<string, Findings>> = {
  [DB_HEAD]: { advisoryCount: 1205, vulnerabilities: ['RUSTSEC-2026-0204'], warnings: { unmaintained: ['RUSTSEC-2026-0173'] }, exit: 1 },
  [DB_OLD]: { advisoryCount: 906, vulnerabilities: [], warnings: {}, exit: 0 },
};

/** How many iterations a repeated fault runs: `SENTINEL_FAULT_RUNS`, else the default. */
export function faultRuns(byDefault: number): number {
  const raw = process.env['SENTINEL_FAULT_RUNS'];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : byDefault;
}

export interface Workspace {
  root: string;
  remote: string;
  /** The database checkout (`--db`). */
  dir: string;
  cache: string;
  /** Working directory of every run: no audit.toml, its own CARGO_HOME. */
  cwd: string;
}

export function workspace(remote: string = remoteAt()): Workspace {
  const root = scratchDir('sentinel-fault-');
  const cwd = path.join(root, 'cwd');
  mkdirSync(cwd);
  return { root, remote, dir: path.join(root, 'dbs', 'advisory-db'), cache: path.join(root, 'cache'), cwd };
}

/** `audit --json` of fd's Cargo.lock against the workspace's remote and directories. */
export const auditArgs = (w: Workspace, ...extra: string[]): string[] => [
  'audit', '--json', '--no-yanked', '--stale', '--url', w.remote, '--db', w.dir, '--cache-dir', w.cache, '--file', FD_LOCK, ...extra,
];

/** One in-process run of the CLI in the workspace. */
export const audit = (w: Workspace, ...extra: string[]): Promise<CliResult> => runCli(auditArgs(w, ...extra), { cwd: w.cwd });

interface CargoAuditJson {
  database: { 'advisory-count': number; 'last-commit': string | null };
  vulnerabilities: { list: { advisory: { id: string } }[] };
  warnings: Record<string, { advisory: { id: string } | null }[]>;
}

/** The commit a report names and what it found. */
export function readReport(stdout: string): { commit: string | null; findings: Omit<Findings, 'exit'> } {
  const report = JSON.parse(stdout) as CargoAuditJson;
  const warnings: Record<string, string[]> = {};
  for (const [kind, list] of Object.entries(report.warnings)) {
    const ids = list.map((w) => w.advisory?.id ?? '(no advisory)').sort();
    if (ids.length > 0) warnings[kind] = ids;
  }
  return {
    commit: report.database['last-commit'],
    findings: {
      advisoryCount: report.database['advisory-count'],
      vulnerabilities: report.vulnerabilities.list.map((v) => v.advisory.id).sort(),
      warnings,
    },
  };
}

/** The run succeeded at exactly `commit`, with exactly that commit's findings (or `expected`). */
export function assertFindingsAt(
  result: { code: number | null; stdout: string; stderr: string },
  commit: string,
  expected: Findings | undefined = EXPECTED[commit],
): void {
  assert.ok(expected, `no expectations for ${commit}`);
  assert.equal(result.code, expected.exit, `exit code; stderr: ${result.stderr}`);
  const { commit: reported, findings } = readReport(result.stdout);
  assert.equal(reported, commit, 'database.last-commit');
  const { exit: _exit, ...want } = expected;
  assert.deepEqual(findings, want);
}

/**
 * The run succeeded and its findings are those of the commit it names (one of
 * the two known commits): a consistent database, whichever it was. Returns the commit.
 */
export function assertConsistentRun(result: { code: number | null; stdout: string; stderr: string }): string {
  const { commit } = readReport(result.stdout);
  assert.ok(commit === DB_HEAD || commit === DB_OLD, `reported commit ${commit}; stderr: ${result.stderr}`);
  assertFindingsAt(result, commit);
  return commit;
}

/** stderr without the self-erasing progress line the CLI draws for a terminal. */
// eslint-disable-next-line no-control-regex
export const withoutProgress = (stderr: string): string => stderr.replace(/\r\x1b\[2K(advisory database: [^\r\n\x1b]*)?/g, '');

/** An operational failure: exit 3 and one `error:` line, no stack trace. */
export function assertOperationalFailure(result: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(result.code, 3, `expected exit 3; stdout: ${result.stdout.slice(0, 300)} stderr: ${result.stderr}`);
  const errors = withoutProgress(result.stderr).split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0]!, message);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
}

/**
 * The checkout is exactly `commit` and nothing else is left: git finds no
 * damage, the work tree is clean (ignored files included), the advisory files
 * are that commit's, no lock, staging or aside directory remains next to it, and
 * no git lock file remains inside it.
 */
export function assertWholeCheckout(dir: string, commit: string, advisoryFiles = EXPECTED[commit]?.advisoryCount): void {
  assert.equal(git(['rev-parse', 'HEAD'], dir), commit);
  assert.equal(git(['fsck', '--no-dangling', '--no-progress'], dir), '');
  assert.equal(git(['status', '--porcelain', '--ignored', '--untracked-files=all'], dir), '');
  assert.equal(countAdvisories(dir), advisoryFiles);
  assert.deepEqual(siblings(dir), [path.basename(dir)], 'no lock, staging or aside directory left next to the checkout');
  assert.deepEqual(gitLockFiles(dir), [], 'no git lock file left inside the checkout');
}

/** `*.lock` files under `.git`: what a git process killed mid-write leaves. */
export function gitLockFiles(dir: string): string[] {
  const gitDir = path.join(dir, '.git');
  if (!existsSync(gitDir)) return [];
  return (readdirSync(gitDir, { recursive: true }) as string[]).filter((p) => p.endsWith('.lock')).sort();
}

/** Index files (and temp files) in the workspace's cache. */
export const cachedIndexes = (w: Workspace): string[] => {
  const dir = path.join(w.cache, 'advisory-index');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

export const indexName = (commit: string): string => `advisory-index-v1-${commit}.bin`;

export interface ToolRun {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ToolOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (root can drop to one for which permissions bind). */
  uid?: number;
  gid?: number;
  /** SIGKILL after this many ms: the whole process group (node and its git), or node alone. */
  killAfterMs?: number;
  kill?: 'group' | 'node';
  /** A run still alive after this is killed and the test fails: every run is bounded. */
  limitMs?: number;
  /** The executable to run (default BIN, this checkout's). */
  bin?: string;
}

/** Runs `node bin/cargo-sentinel.cjs <args>` in its own process group. */
export function runTool(args: string[], options: ToolOptions): Promise<ToolRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env['PATH'], HOME: options.cwd, CARGO_HOME: path.join(options.cwd, '.cargo-home'), ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
    });
    let stdout = '';
    let stderr = '';
    let overran = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const killer =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => killRun(child.pid!, options.kill ?? 'group'), options.killAfterMs);
    const limit = setTimeout(() => {
      overran = true;
      killRun(child.pid!, 'group');
    }, options.limitMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      clearTimeout(limit);
      if (overran) reject(new Error(`cargo-sentinel ${args.join(' ')} ran over ${options.limitMs ?? 60_000} ms: ${stderr}`));
      else resolve({ pid: child.pid!, code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function killRun(pid: number, what: 'group' | 'node'): void {
  try {
    process.kill(what === 'group' ? -pid : pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Pids still in process group `pgid` (git processes orphaned when node alone was killed). */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

/** Waits (bounded) until no process of group `pgid` is left. */
export async function awaitGroupGone(pgid: number, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (processGroupMembers(pgid).length > 0) {
    if (Date.now() > deadline) throw new Error(`processes of group ${pgid} still running after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A bare remote at `path` with the bundle's history and `main` at `commit` (used to restore a vanished one). */
export function recreateRemote(at: string, commit: string): void {
  git(['clone', '--quiet', '--bare', fixture('advisory-db.bundle'), at]);
  if (commit !== DB_HEAD) git(['update-ref', 'refs/heads/main', commit], at);
}

/** An advisory of our own, affecting every version of `crate` (a vulnerability, not informational). */
export const madeUpAdvisory = (id: string, crate: string): string =>
  ['```toml', '[advisory]', `id = "${id}"`, `package = "${crate}"`, 'date = "2026-08-01"', `url = "https://example.invalid/${id}"`, '',
    '[versions]', 'patched = []', '```', '', '# A made-up advisory of the fault tests', '', 'Every version is affected.', ''].join('\n');

export const moveRemote = (remote: string, commit: string): void => {
  git(['update-ref', 'refs/heads/main', commit], remote);
};

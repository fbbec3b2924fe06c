/**
 * `npm run bench`: the issues' speed targets, each measured beside a bare
 * `node -e 0` in the same run, because these machines are noisy: read the
 * differences and ratios, not the absolute times. A benchmark, not a test:
 * it prints figures and never fails on them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedProject } from '../test/scale/generate.js';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'cargo-sentinel.cjs');
const probe = path.join(root, 'dist', 'bench', 'rss-probe.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** `BENCH_ONLY=scale,projects` runs only those groups of rows: faces, scale, projects, toml (default: all). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'faces,scale,projects,toml').split(',').map((g) => g.trim()));

interface Sample {
  medianMs: number;
  minMs: number;
  peakRssMb: number;
}

function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  // stderr is kept for the error message; a 50,000-package check writes megabytes of diagnostics there.
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  // audit exits 0/1 and check a bitset below 32 on findings; anything else is a failed run.
  if (r.status === null || r.status >= 32 || (r.status > 1 && args.includes('audit'))) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

/** Peak RSS through a tiny --import probe that reports process.resourceUsage() at exit. */
function peakRss(args: string[], env: NodeJS.ProcessEnv): number {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sentinel-rss-'));
  const file = path.join(out, 'rss');
  spawnSync(process.execPath, ['--import', probe, ...args], { env: { ...env, SENTINEL_RSS_FILE: file }, stdio: 'ignore' });
  const kb = Number(readFileSync(file, 'utf8'));
  rmSync(out, { recursive: true, force: true });
  return kb / 1024;
}

function measure(args: string[], env: NodeJS.ProcessEnv, before?: () => void): Sample {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    times.push(timeOnce(args, env));
  }
  times.sort((a, b) => a - b);
  before?.();
  return { medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, peakRssMb: peakRss(args, env) };
}

const fmt = (n: number): string => n.toFixed(1).padStart(7);

/** The cost of one package: (run − bare node start-up) per 1,000 packages. */
const perThousand = (s: Sample, base: Sample, packages: number): number => ((s.medianMs - base.medianMs) / packages) * 1000;

function row(label: string, s: Sample, base: Sample): string {
  return `${label.padEnd(46)} ${fmt(s.medianMs)} ms  (+${fmt(s.medianMs - base.medianMs)} ms over node, x${(s.medianMs / base.medianMs).toFixed(2)})  peak ${fmt(s.peakRssMb)} MB`;
}

async function tomlComparison(): Promise<string[]> {
  const smol = await import('smol-toml');
  const iarna = (await import('@iarna/toml')).default as { parse(s: string): unknown };
  const lockfiles = ['nushell', 'tauri'].map((p) => readFileSync(path.join(root, 'fixtures/corpus', p, 'Cargo.lock'), 'utf8'));
  const db = dbCheckout();
  const fronts: string[] = [];
  for (const crate of readdirSync(path.join(db, 'crates'))) {
    for (const f of readdirSync(path.join(db, 'crates', crate))) {
      const text = readFileSync(path.join(db, 'crates', crate, f), 'utf8');
      const end = text.indexOf('\n```', 7);
      fronts.push(text.slice(7, end));
    }
  }
  const time = (fn: () => void): number => {
    for (let i = 0; i < 3; i++) fn();
    const t = process.hrtime.bigint();
    const n = 10;
    for (let i = 0; i < n; i++) fn();
    return Number(process.hrtime.bigint() - t) / 1e6 / n;
  };
  const lines: string[] = [];
  for (const [label, inputs] of [
    ['nushell + tauri Cargo.lock', lockfiles],
    [`advisory-db front matter (${fronts.length} files)`, fronts],
  ] as const) {
    const a = time(() => inputs.forEach((s) => smol.parse(s)));
    const b = time(() => inputs.forEach((s) => iarna.parse(s)));
    lines.push(`${label.padEnd(46)} smol-toml ${fmt(a)} ms  @iarna/toml ${fmt(b)} ms  (smol-toml x${(b / a).toFixed(2)} faster)`);
  }
  return lines;
}

let checkout: string | undefined;
function dbCheckout(): string {
  if (checkout) return checkout;
  checkout = path.join(mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-')), 'advisory-db');
  execFileSync('git', ['clone', '--quiet', '--', path.join(root, 'fixtures', 'advisory-db.bundle'), checkout]);
  return checkout;
}

/** A bare remote (from the bundle) whose `main` the benchmark moves between two commits. */
function movingRemote(): { url: string; moveTo(commit: string): void } {
  const url = path.join(mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-remote-')), 'advisory-db.git');
  execFileSync('git', ['clone', '--quiet', '--bare', '--', path.join(root, 'fixtures', 'advisory-db.bundle'), url]);
  return { url, moveTo: (commit) => execFileSync('git', ['-C', url, 'update-ref', 'refs/heads/main', commit]) };
}

/** A recorded `cargo metadata` with its placeholders pointing into fixtures/workspaces (see its README). */
function materializeMetadata(workspace: string): string {
  const ws = path.join(root, 'fixtures', 'workspaces');
  const text = readFileSync(path.join(ws, workspace, 'metadata.placeholders.json'), 'utf8')
    .replaceAll('{WORKSPACE}', path.join(ws, workspace))
    .replaceAll('{REGISTRY_SRC}', path.join(ws, 'registry-src'))
    .replaceAll('{ACME_REGISTRY_SRC}', path.join(ws, 'registry-src-acme'))
    .replaceAll('{GIT_CHECKOUTS}', path.join(ws, 'git-checkouts'));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-meta-')), 'metadata.json');
  writeFileSync(file, text);
  return file;
}

const DB_OLD = '9dad93ab565dedea29b49d673c8004da4fbc71d2';
const DB_HEAD = 'bf5c0d245a92671908518d7e765914d437954ed6';

async function main(): Promise<void> {
  const db = dbCheckout();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-cache-'));
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-cwd-'));
  process.chdir(cwd); // no stray .cargo/audit.toml
  const env = { ...process.env, CARGO_HOME: path.join(cwd, 'cargo-home'), NO_COLOR: '1' };
  const auditFile = (file: string): string[] => [bin, 'audit', '--file', file, '--db', db, '--no-fetch', '--stale', '--no-yanked', '--json', '--cache-dir', cacheDir];
  const audit = (project: string): string[] => auditFile(path.join(root, 'fixtures/corpus', project, 'Cargo.lock'));

  console.log(`cargo-sentinel benchmark: ${RUNS} runs each, median wall time; node ${process.version}, ${os.cpus().length} cores`);
  const base = measure(['-e', '0'], env);
  console.log(row('node -e 0 (bare start-up)', base, base));
  const dbPath = path.join(cwd, 'advisory-dbs');
  const checkArgs = (extra: string[]): string[] => [
    bin, '--offline', '--stale', '--db-url', path.join(root, 'fixtures', 'advisory-db.bundle'), '--db-path', dbPath, '--cache-dir', cacheDir, ...extra, 'check',
  ];
  // One untimed run (fetching allowed) clones the check face's database and compiles its index.
  timeOnce(checkArgs(['--lockfile-only', '--manifest-path', path.join(root, 'fixtures/corpus/nushell/Cargo.toml')]).filter((a) => a !== '--offline'), env);
  if (ONLY.has('faces')) facesRows(base, env, { audit, db: { cwd, cacheDir }, checkArgs });
  if (ONLY.has('scale')) await scaleRows(base, env, { audit: (lockfile) => auditFile(lockfile), check: (manifest) => checkArgs(['--lockfile-only', '--manifest-path', manifest]) });
  if (ONLY.has('projects')) manyProjectsRows(base, env, (file) => auditFile(file), cwd);

  const again = measure(['-e', '0'], env);
  console.log(row('node -e 0 (again, to show the noise)', again, base));

  if (ONLY.has('toml')) {
    console.log('\nTOML parsers (in-process, mean of 10 after warm-up)');
    for (const line of await tomlComparison()) console.log(line);
  }
  if (existsSync(cacheDir)) rmSync(cacheDir, { recursive: true, force: true });
}

/** The corpus rows: audit warm and after a database update, a fetch, and check on both kinds of graph. */
function facesRows(
  base: Sample,
  env: NodeJS.ProcessEnv,
  { audit, db, checkArgs }: { audit: (project: string) => string[]; db: { cwd: string; cacheDir: string }; checkArgs: (extra: string[]) => string[] },
): void {
  for (const project of ['nushell', 'tauri']) {
    timeOnce(audit(project), env); // build the compiled index once
    console.log(row(`audit ${project} warm (index cached)`, measure(audit(project), env), base));
    const cold = measure(audit(project), env, () => rmSync(path.join(db.cacheDir, 'advisory-index'), { recursive: true, force: true }));
    console.log(row(`audit ${project} after a db update (re-index)`, cold, base));
  }
  // The whole "database moved on" run: git fetch of 420 new commits from a local
  // remote, reset, re-index, audit. Between samples the checkout is put back on
  // the old commit (untimed) so every timed run really fetches and re-indexes.
  const remote = movingRemote();
  const fetchDb = path.join(db.cwd, 'fetch-db');
  const fetching = [
    bin, 'audit', '--file', path.join(root, 'fixtures/corpus/tauri/Cargo.lock'),
    '--db', fetchDb, '--url', remote.url, '--stale', '--no-yanked', '--json', '--cache-dir', db.cacheDir,
  ];
  const rewind = (): void => {
    remote.moveTo(DB_OLD);
    timeOnce(fetching, env);
    remote.moveTo(DB_HEAD);
  };
  console.log(row('audit tauri, remote moved: fetch + re-index', measure(fetching, env, rewind), base));
  // The cargo-deny face: `check` (all checks) warm, offline, on the largest corpus lockfile in
  // lockfile-only mode and on the largest recorded workspace through its saved metadata.
  console.log(row('check all nushell, lockfile-only, warm', measure(checkArgs(['--lockfile-only', '--manifest-path', path.join(root, 'fixtures/corpus/nushell/Cargo.toml')]), env), base));
  const logsift = materializeMetadata('logsift');
  console.log(row('check all logsift (saved metadata), warm', measure(checkArgs(['--metadata-path', logsift, '--manifest-path', path.join(root, 'fixtures/workspaces/logsift/Cargo.toml')]), env), base));
}

/**
 * Generated lockfiles of 10,000 and 50,000 packages (test/scale/generate.ts):
 * `audit` and `check all --lockfile-only`, warm and offline, and how the cost
 * grows: the same milliseconds per 1,000 packages at both sizes means linear.
 */
async function scaleRows(base: Sample, env: NodeJS.ProcessEnv, commands: { audit(lockfile: string): string[]; check(manifest: string): string[] }): Promise<void> {
  const sizes = [10_000, 50_000];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-scale-'));
  const projects = sizes.map((n) => {
    const project = path.join(dir, `p${n}`);
    writeGeneratedProject(project, { packages: n, seed: 1 });
    return { n, lockfile: path.join(project, 'Cargo.lock'), manifest: path.join(project, 'Cargo.toml') };
  });
  console.log('\nGenerated lockfiles (test/scale/generate.ts, seed 1): warm, offline');
  for (const [face, args] of [
    ['audit', (p: (typeof projects)[number]) => commands.audit(p.lockfile)],
    ['check all --lockfile-only', (p: (typeof projects)[number]) => commands.check(p.manifest)],
  ] as const) {
    const samples = projects.map((p) => {
      timeOnce(args(p), env); // warm: the compiled index is cached, the files are in the page cache
      const s = measure(args(p), env);
      console.log(row(`${face} ${p.n.toLocaleString('en')} packages`, s, base));
      return s;
    });
    const [small, large] = samples as [Sample, Sample];
    const marginal = ((large.medianMs - small.medianMs) / (sizes[1]! - sizes[0]!)) * 1000;
    console.log(
      `${`${face}: cost per 1,000 packages`.padEnd(46)} ${fmt(perThousand(small, base, sizes[0]!))} ms at 10k, ${fmt(perThousand(large, base, sizes[1]!))} ms at 50k, ${fmt(marginal)} ms between them (equal = linear)`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * An organisation's estate: 100 corpus-sized lockfiles (the 13 corpus
 * lockfiles, cycled) audited in one run (`--file <dir>`, the database loaded
 * once) against 100 separate runs.
 */
function manyProjectsRows(base: Sample, env: NodeJS.ProcessEnv, audit: (file: string) => string[], cwd: string): void {
  const estate = path.join(cwd, 'estate');
  const corpus = readdirSync(path.join(root, 'fixtures/corpus'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const lockfiles = Array.from({ length: 100 }, (_, i) => {
    const project = path.join(estate, `${String(i + 1).padStart(3, '0')}-${corpus[i % corpus.length]}`);
    mkdirSync(project, { recursive: true });
    copyFileSync(path.join(root, 'fixtures/corpus', corpus[i % corpus.length]!, 'Cargo.lock'), path.join(project, 'Cargo.lock'));
    return path.join(project, 'Cargo.lock');
  });
  console.log(`\nMany projects: 100 lockfiles (the ${corpus.length} corpus lockfiles, cycled), warm, offline`);
  const once = audit(estate);
  timeOnce(once, env);
  const one = measure(once, env);
  console.log(row('audit --file <dir>: 100 lockfiles, one run', one, base));
  // 100 processes per sample: fewer samples than the other rows.
  const runs = Math.min(RUNS, 3);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    for (const file of lockfiles) timeOnce(audit(file), env);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const separate = times[Math.floor(times.length / 2)]!;
  console.log(`${'100 separate audit runs (sum of wall times)'.padEnd(46)} ${fmt(separate)} ms  (median of ${runs})`);
  console.log(`${'one run vs 100 runs'.padEnd(46)} x${(separate / one.medianMs).toFixed(1)} faster, ${fmt(one.medianMs / 100)} ms per lockfile in one run vs ${fmt(separate / 100)} ms in separate runs`);
}

await main();

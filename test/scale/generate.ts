/**
 * Large, realistic Cargo.lock files for the scale test and the benchmark,
 * deterministic from a seed. What makes them realistic:
 * - names: every crates.io package of the 13 corpus lockfiles is a candidate
 *   (the ones the RustSec reference reports findings for always go in, so
 *   matching has real work and an exact answer), the rest are made of words
 *   (`heron-http-client`, `shale_json`), never a name of the corpus;
 * - duplicates: about one name in ten is locked in several versions;
 * - sources: crates.io with 64-hex checksums, a few git repositories (branch,
 *   tag, rev and bare forms), and a virtual workspace of path members under
 *   `crates/`, each with a Cargo.toml whose entries match the lockfile;
 * - edges: a DAG (members on top) with an average fan-out of about five,
 *   targets drawn by popularity, so hubs such as `serde`, `syn` and `libc` get
 *   thousands of dependents at 50,000 packages, and every package is reached
 *   from a member, as in a lockfile cargo wrote.
 *
 * Also runnable: `node dist/test/scale/generate.js <packages> <dir> [seed]`.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import compareSemver from 'semver/functions/compare.js';
import { fixture } from '../helpers/paths.js';
import { seededRandom } from '../helpers/seeded-random.js';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

export interface GeneratedPackage {
  name: string;
  version: string;
  /** `undefined` for path packages (the workspace members). */
  source: string | undefined;
  checksum: string | undefined;
  /** Indexes into `GeneratedLockfile.packages`. */
  dependencies: number[];
  kind: 'corpus' | 'synthetic' | 'git' | 'member';
}

export interface GeneratedLockfile {
  /** In lockfile order (name, version, source). */
  packages: GeneratedPackage[];
  text: string;
  /** Indexes of the workspace members. */
  members: number[];
}

export interface ReferenceFinding {
  id: string;
  kind: string;
  package: string;
  version: string;
}

// ------------------------------------------------------------------ randomness

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

function shuffle<T>(random: () => number, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

const hex = (random: () => number, length: number): string => {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
};

// ---------------------------------------------------------------- the corpus

interface CorpusPair {
  name: string;
  version: string;
  checksum: string | undefined;
}

/** The crates.io packages of the corpus lockfiles, read with a plain scan (independent of the parser under test). */
export function corpusPairs(corpusDir = fixture('corpus')): CorpusPair[] {
  const pairs = new Map<string, CorpusPair>();
  for (const project of readdirSync(corpusDir).sort()) {
    let text: string;
    try {
      text = readFileSync(path.join(corpusDir, project, 'Cargo.lock'), 'utf8');
    } catch {
      continue;
    }
    for (const block of text.split('[[package]]').slice(1)) {
      const field = (key: string): string | undefined => new RegExp(`^${key} = "([^"]*)"`, 'm').exec(block)?.[1];
      const [name, version, source] = [field('name'), field('version'), field('source')];
      if (!name || !version || source !== CRATES_IO) continue;
      const key = `${name}@${version}`;
      const checksum = field('checksum');
      if (!pairs.has(key) || (checksum && !pairs.get(key)!.checksum)) pairs.set(key, { name, version, checksum });
    }
  }
  return [...pairs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareSemver(a.version, b.version)));
}

/** Every finding of the RustSec reference for the corpus (fixtures/expected/advisories), withdrawn ones left out. */
export function corpusReferenceFindings(expectedDir = fixture('expected', 'advisories')): ReferenceFinding[] {
  const seen = new Map<string, ReferenceFinding>();
  for (const file of readdirSync(expectedDir).filter((f) => f.endsWith('.json')).sort()) {
    for (const f of JSON.parse(readFileSync(path.join(expectedDir, file), 'utf8')) as ReferenceFinding[]) {
      if (f.kind !== 'withdrawn-skipped') seen.set(`${f.id} ${f.package} ${f.version} ${f.kind}`, f);
    }
  }
  return [...seen.values()];
}

/**
 * What the reference says about a generated lockfile: findings depend only on
 * the name and version of a crates.io package, so they are the corpus findings
 * of the corpus packages it holds.
 */
export function referenceFindings(lock: GeneratedLockfile): ReferenceFinding[] {
  const held = new Set(lock.packages.filter((p) => p.source === CRATES_IO).map((p) => `${p.name}@${p.version}`));
  return corpusReferenceFindings().filter((f) => held.has(`${f.package}@${f.version}`));
}

// ---------------------------------------------------------------- vocabulary

const PREFIXES = [
  'amber', 'basalt', 'cinder', 'dapple', 'ember', 'fennel', 'garnet', 'hazel', 'ivory', 'jasper', 'kelp', 'lichen',
  'marl', 'nacre', 'ochre', 'pumice', 'quill', 'russet', 'sorrel', 'tansy', 'umbra', 'vetch', 'wicker', 'yew',
  'zinnia', 'alder', 'bramble', 'cobble', 'dunlin', 'egret', 'flint', 'gorse', 'heron', 'islet', 'jetty', 'kiln',
  'loam', 'moraine', 'nettle', 'osier', 'plover', 'quarry', 'rill', 'shale', 'thistle', 'urchin', 'vole', 'wren',
  'aster', 'birch', 'curlew', 'delta', 'eider', 'fjord', 'grebe', 'hollow', 'inlet', 'juniper', 'knoll', 'linnet',
];
const TOPICS = [
  'fs', 'net', 'io', 'http', 'json', 'sql', 'tls', 'log', 'cache', 'task', 'sync', 'graph', 'text', 'time', 'math',
  'rand', 'hash', 'zip', 'wire', 'view', 'pool', 'queue', 'shard', 'codec', 'auth', 'mesh', 'grpc', 'yaml', 'csv',
  'diff', 'glob', 'lex', 'parse', 'fmt', 'ansi', 'term', 'gpu', 'audio', 'image', 'font',
];
const SUFFIXES = [
  '', 'core', 'derive', 'macros', 'sys', 'util', 'utils', 'types', 'proto', 'runtime', 'client', 'server', 'shared',
  'impl', 'build', 'common', 'api', 'cli', 'internal', 'traits', 'ext', 'lite', 'async', 'support', 'config',
];
const ORG = 'acme';
const MEMBER_TOPICS = [
  'billing', 'ledger', 'gateway', 'search', 'ingest', 'reports', 'accounts', 'catalog', 'pricing', 'shipping',
  'identity', 'metrics', 'alerts', 'storage', 'scheduler', 'notify', 'exports', 'audit', 'payments', 'inventory',
];
const MEMBER_PARTS = ['', 'api', 'core', 'worker', 'store', 'client', 'model', 'cli', 'proto', 'sdk', 'jobs', 'testkit'];

/** The most depended-upon crates of real graphs, most fundamental last (they sit at the bottom of the DAG). */
const HUBS: ReadonlyArray<[string, number]> = [
  ['tokio', 0.12], ['tracing', 0.1], ['regex', 0.06], ['futures-util', 0.06], ['anyhow', 0.08], ['rand', 0.05],
  ['serde_json', 0.08], ['thiserror', 0.1], ['serde', 0.35], ['serde_derive', 0.05], ['syn', 0.3], ['quote', 0.25],
  ['proc-macro2', 0.25], ['bytes', 0.06], ['smallvec', 0.06], ['hashbrown', 0.05], ['windows-sys', 0.12],
  ['once_cell', 0.1], ['bitflags', 0.12], ['lazy_static', 0.06], ['itoa', 0.04], ['memchr', 0.08], ['log', 0.2],
  ['cfg-if', 0.2], ['libc', 0.3], ['unicode-ident', 0.04],
];

function syntheticNames(random: () => number, taken: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (const [pi, prefix] of PREFIXES.entries()) {
    const sep = pi % 5 === 4 ? '_' : '-';
    for (const topic of TOPICS) for (const suffix of SUFFIXES) names.push([prefix, topic, suffix].filter(Boolean).join(sep));
  }
  return shuffle(random, names.filter((n) => !taken.has(n)));
}

function syntheticVersion(random: () => number): string {
  const r = random();
  const major = r < 0.6 ? 0 : r < 0.9 ? 1 : 2 + Math.floor(random() * 4);
  const version = `${major}.${Math.floor(random() * 30)}.${Math.floor(random() * 20)}`;
  if (random() < 0.01) return `${version}-${pick(random, ['alpha', 'beta', 'rc'])}.${1 + Math.floor(random() * 4)}`;
  return version;
}

/** A version of the same name that differs in what Cargo treats as compatible (major, or minor below 1.0). */
function otherVersion(random: () => number, version: string): string {
  const [major, minor] = version.split(/[.-]/).map(Number) as [number, number];
  const next = major === 0 ? `0.${minor + 1 + Math.floor(random() * 5)}.${Math.floor(random() * 10)}` : `${major + 1}.${Math.floor(random() * 5)}.${Math.floor(random() * 10)}`;
  return next;
}

// ------------------------------------------------------------------ building

interface Node extends GeneratedPackage {
  weight: number;
  git?: { url: string; query: { key: 'branch' | 'tag' | 'rev'; value: string } | undefined };
}

export interface GenerateOptions {
  packages: number;
  seed?: number;
}

export function generateLockfile(options: GenerateOptions): GeneratedLockfile {
  const total = options.packages;
  const random = seededRandom(options.seed ?? 1);
  if (total < 100) throw new Error('generateLockfile: at least 100 packages');
  const memberCount = Math.max(2, Math.round(total / 200));
  const gitCount = Math.max(2, Math.round(total / 400));

  const corpus = corpusPairs();
  const corpusNames = new Set(corpus.map((p) => p.name));
  const flagged = new Set(corpusReferenceFindings().map((f) => `${f.package}@${f.version}`));
  const corpusNodes = chooseCorpusPackages(random, corpus, flagged, Math.floor(total * 0.35));
  const hubWeight = new Map(HUBS.map(([name, share]) => [name, share * total]));
  const newestOf = new Map<string, string>();
  for (const p of corpusNodes) newestOf.set(p.name, p.version);

  const nodes: Node[] = corpusNodes.map((p) => ({
    name: p.name,
    version: p.version,
    source: CRATES_IO,
    checksum: p.checksum ?? hex(random, 64),
    dependencies: [],
    kind: 'corpus',
    weight: newestOf.get(p.name) === p.version && hubWeight.has(p.name) ? hubWeight.get(p.name)! : baseWeight(random),
  }));

  const names = syntheticNames(random, corpusNames);
  const members = memberNames(memberCount, corpusNames);
  const gits = gitPackages(random, names.splice(0, gitCount), corpus);
  const synthetic = total - memberCount - gits.length - nodes.length;
  for (let i = 0, n = 0; n < synthetic; i++) {
    const name = names[i];
    if (name === undefined) throw new Error(`generateLockfile: out of names at ${total} packages`);
    let version = syntheticVersion(random);
    const copies = random() < 0.08 ? (random() < 0.25 ? 3 : 2) : 1;
    for (let c = 0; c < copies && n < synthetic; c++, n++) {
      nodes.push({ name, version, source: CRATES_IO, checksum: hex(random, 64), dependencies: [], kind: 'synthetic', weight: baseWeight(random) });
      version = otherVersion(random, version);
    }
  }
  nodes.push(...gits.map((g) => ({ ...g, weight: baseWeight(random) })));

  // Order of the DAG: members on top, hubs at the bottom, everything else shuffled in between.
  const hubRank = new Map(HUBS.map(([name], i) => [name, i]));
  const isHub = (n: Node): boolean => hubRank.has(n.name) && n.kind === 'corpus' && newestOf.get(n.name) === n.version;
  const middle = shuffle(random, nodes.filter((n) => !isHub(n)));
  const bottom = nodes.filter(isHub).sort((a, b) => hubRank.get(a.name)! - hubRank.get(b.name)!);
  const memberNodes: Node[] = members.map((name) => ({
    name,
    version: `0.${1 + Math.floor(random() * 9)}.0`,
    source: undefined,
    checksum: undefined,
    dependencies: [],
    kind: 'member',
    weight: 2,
  }));
  const order = [...memberNodes, ...middle, ...bottom];
  connect(random, order, memberNodes.length);
  return finish(order, memberNodes.length);
}

/** Heavy-tailed: most crates have a handful of dependents, some many. */
const baseWeight = (random: () => number): number => 0.2 + random() ** 3 * 20;

/** Every flagged corpus package, then the newest version of other corpus names, then an older one now and then. */
function chooseCorpusPackages(random: () => number, corpus: CorpusPair[], flagged: ReadonlySet<string>, budget: number): CorpusPair[] {
  const chosen = new Map<string, CorpusPair>();
  for (const p of corpus) if (flagged.has(`${p.name}@${p.version}`)) chosen.set(`${p.name}@${p.version}`, p);
  const byName = new Map<string, CorpusPair[]>();
  for (const p of corpus) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const newest = shuffle(random, [...byName.values()].map((vs) => vs[vs.length - 1]!));
  for (const p of newest) {
    if (chosen.size >= budget) break;
    chosen.set(`${p.name}@${p.version}`, p);
    const older = byName.get(p.name)!;
    if (older.length > 1 && random() < 0.05) {
      const o = older[Math.floor(random() * (older.length - 1))]!;
      chosen.set(`${o.name}@${o.version}`, o);
    }
  }
  return [...chosen.values()];
}

function memberNames(count: number, taken: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (let round = 0; names.length < count; round++) {
    for (const topic of MEMBER_TOPICS) {
      const part = MEMBER_PARTS[round % MEMBER_PARTS.length]!;
      const lap = Math.floor(round / MEMBER_PARTS.length);
      const name = [ORG, topic, part, lap > 0 ? String(lap + 1) : ''].filter(Boolean).join('-');
      if (names.length < count && !taken.has(name)) names.push(name);
    }
  }
  return names;
}

/** Packages from a few git repositories: mostly their own crates, and forks of two corpus crates (never matched against advisories). */
function gitPackages(random: () => number, names: string[], corpus: CorpusPair[]): Array<Omit<Node, 'weight'>> {
  const repos = Math.max(1, Math.ceil(names.length / 4));
  const forks = ['h2', 'crossbeam-epoch'].filter((n) => corpus.some((p) => p.name === n));
  const out: Array<Omit<Node, 'weight'>> = [];
  const forms: Array<'branch' | 'tag' | 'rev' | undefined> = ['branch', 'tag', 'rev', undefined];
  for (const [i, crate] of [...forks, ...names.slice(forks.length)].entries()) {
    const r = i % repos;
    const form = forms[r % forms.length];
    const url = `https://github.com/${pick(random, PREFIXES)}-labs/${names[r] ?? 'fork'}`;
    const query = form === 'branch' ? { key: form, value: 'main' } : form === 'tag' ? { key: form, value: 'v0.3.0' } : form === 'rev' ? { key: form, value: hex(random, 7) } : undefined;
    const isFork = forks.includes(crate);
    out.push({
      name: crate,
      version: isFork ? '0.99.0' : `0.${Math.floor(random() * 9)}.${Math.floor(random() * 9)}`,
      source: `git+${url}${query ? `?${query.key}=${query.value}` : ''}#${hex(random, 40)}`,
      checksum: undefined,
      dependencies: [],
      kind: 'git',
      git: { url, query },
    });
  }
  // One commit per repository, as Cargo.lock has it.
  const commitOf = new Map<string, string>();
  for (const p of out) {
    const [base, commit] = p.source!.split('#') as [string, string];
    if (!commitOf.has(base)) commitOf.set(base, commit);
    p.source = `${base}#${commitOf.get(base)}`;
  }
  return out;
}

/** Edges from each position to later ones (a DAG), by popularity; then every package is given a dependent above it. */
function connect(random: () => number, order: Node[], memberCount: number): void {
  const n = order.length;
  // suffixWeight[i] = total weight of positions i..n-1, for drawing among the later positions.
  const suffixWeight = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffixWeight[i] = suffixWeight[i + 1]! + order[i]!.weight;
  const draw = (after: number): number => {
    // Largest j >= after with suffixWeight[j] >= target: binary search over a decreasing array.
    const target = suffixWeight[n]! + random() * suffixWeight[after]!;
    let lo = after;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (suffixWeight[mid]! >= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const hasDependent = new Uint8Array(n);
  const namesOf: Array<Set<string>> = order.map(() => new Set());
  const add = (from: number, to: number): void => {
    order[from]!.dependencies.push(to);
    namesOf[from]!.add(order[to]!.name);
    hasDependent[to] = 1;
  };
  for (let i = 0; i < n - 1; i++) {
    const isMember = i < memberCount;
    const wanted = isMember ? 8 + Math.floor(-Math.log(1 - random()) * 12) : random() < 0.22 ? 0 : 1 + Math.floor(-Math.log(1 - random()) * 5.5);
    const room = Math.min(wanted, 80, n - 1 - i);
    for (let tries = 0; order[i]!.dependencies.length < room && tries < room * 4; tries++) {
      const j = draw(i + 1);
      if (!namesOf[i]!.has(order[j]!.name)) add(i, j);
    }
  }
  for (let j = memberCount; j < n; j++) {
    if (hasDependent[j]) continue;
    for (let tries = 0; ; tries++) {
      const i = tries < 20 ? Math.floor(random() * j) : tries - 20;
      if (!namesOf[i]!.has(order[j]!.name)) {
        add(i, j);
        break;
      }
    }
  }
}

/** Sorts into lockfile order, renumbers the edges, and writes the text. */
function finish(order: Node[], memberCount: number): GeneratedLockfile {
  const sorted = order.map((node, i) => ({ node, i })).sort((a, b) => compareIds(a.node, b.node));
  const newIndex = new Int32Array(order.length);
  sorted.forEach(({ i }, k) => (newIndex[i] = k));
  const packages: GeneratedPackage[] = sorted.map(({ node }) => ({
    name: node.name,
    version: node.version,
    source: node.source,
    checksum: node.checksum,
    dependencies: node.dependencies.map((d) => newIndex[d]!).sort((a, b) => a - b),
    kind: node.kind,
  }));
  const members = Array.from({ length: memberCount }, (_, i) => newIndex[i]!).sort((a, b) => a - b);
  return { packages, members, text: lockfileText(packages) };
}

function compareIds(a: GeneratedPackage, b: GeneratedPackage): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const v = compareSemver(a.version, b.version);
  if (v !== 0) return v;
  return (a.source ?? '') < (b.source ?? '') ? -1 : (a.source ?? '') > (b.source ?? '') ? 1 : 0;
}

/** Cargo's v4 form: a dependency is its name, plus the version when the name is not unique, plus the source when that is not either. */
function lockfileText(packages: readonly GeneratedPackage[]): string {
  const perName = new Map<string, number>();
  const perPair = new Map<string, number>();
  for (const p of packages) {
    perName.set(p.name, (perName.get(p.name) ?? 0) + 1);
    perPair.set(`${p.name} ${p.version}`, (perPair.get(`${p.name} ${p.version}`) ?? 0) + 1);
  }
  const reference = (p: GeneratedPackage): string => {
    if (perName.get(p.name) === 1) return p.name;
    const pair = `${p.name} ${p.version}`;
    return perPair.get(pair) === 1 ? pair : `${pair} (${p.source?.split('#')[0] ?? 'path'})`;
  };
  const out = ['# This file is automatically @generated by Cargo.', '# It is not intended for manual editing.', 'version = 4', ''];
  for (const p of packages) {
    out.push('[[package]]', `name = "${p.name}"`, `version = "${p.version}"`);
    if (p.source) out.push(`source = "${p.source}"`);
    if (p.checksum) out.push(`checksum = "${p.checksum}"`);
    if (p.dependencies.length > 0) out.push('dependencies = [', ...p.dependencies.map((d) => ` "${reference(packages[d]!)}",`), ']');
    out.push('');
  }
  return out.join('\n');
}

// ------------------------------------------------------------------- on disk

/** A dependency entry in a member's Cargo.toml that Cargo would resolve to `dep`. */
function manifestEntry(dep: GeneratedPackage, packages: readonly GeneratedPackage[], memberDir: (p: GeneratedPackage) => string): string {
  if (dep.source === undefined) return `${dep.name} = { path = "../${memberDir(dep)}" }`;
  if (dep.source.startsWith('git+')) {
    const [url, query] = dep.source.slice(4).split('#')[0]!.split('?') as [string, string | undefined];
    const [key, value] = query ? (query.split('=') as [string, string]) : [undefined, undefined];
    return `${dep.name} = { git = "${url}"${key ? `, ${key} = "${value}"` : ''} }`;
  }
  const sameName = packages.filter((p) => p.name === dep.name).length > 1;
  // The exact version when several are locked, so the entry picks this one.
  const version = dep.version.replace(/\+.*$/, '');
  return `${dep.name} = "${sameName ? `=${version}` : version}"`;
}

/**
 * Writes `Cargo.lock`, a virtual workspace `Cargo.toml` and one
 * `crates/<member>/Cargo.toml` per member into `dir`; returns the lockfile.
 */
export function writeGeneratedProject(dir: string, options: GenerateOptions): GeneratedLockfile {
  const lock = generateLockfile(options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Cargo.lock'), lock.text);
  writeFileSync(
    path.join(dir, 'Cargo.toml'),
    ['[workspace]', 'resolver = "2"', 'members = ["crates/*"]', '', '[workspace.package]', 'edition = "2021"', 'license = "MIT OR Apache-2.0"', ''].join('\n'),
  );
  const memberDir = (p: GeneratedPackage): string => p.name;
  for (const index of lock.members) {
    const member = lock.packages[index]!;
    const deps = member.dependencies.map((d) => lock.packages[d]!);
    // Some entries are dev- and build-dependencies, as in a real workspace; the lockfile does not say which.
    const table = (i: number): string => (i % 9 === 4 ? 'dev-dependencies' : i % 17 === 8 ? 'build-dependencies' : 'dependencies');
    const sections = new Map<string, string[]>();
    deps.forEach((d, i) => sections.set(table(i), [...(sections.get(table(i)) ?? []), manifestEntry(d, lock.packages, memberDir)]));
    const text = [
      '[package]',
      `name = "${member.name}"`,
      `version = "${member.version}"`,
      'edition.workspace = true',
      'license.workspace = true',
      ...[...sections].flatMap(([name, entries]) => ['', `[${name}]`, ...entries]),
      '',
    ].join('\n');
    mkdirSync(path.join(dir, 'crates', memberDir(member)), { recursive: true });
    writeFileSync(path.join(dir, 'crates', memberDir(member), 'Cargo.toml'), text);
  }
  return lock;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [count, dir, seed] = process.argv.slice(2);
  if (!count || !dir) {
    console.error(`usage: node ${path.relative(process.cwd(), fileURLToPath(import.meta.url))} <packages> <dir> [seed]`);
    process.exit(2);
  }
  const lock = writeGeneratedProject(path.resolve(dir), { packages: Number(count), seed: seed === undefined ? 1 : Number(seed) });
  console.log(`${lock.packages.length} packages, ${lock.members.length} members -> ${path.join(dir, 'Cargo.lock')}`);
}

/**
 * The `check` pipeline (the cargo-deny face): policy + package graph +
 * knowledge (advisory databases, yanked lookups, license files, build-time
 * files) -> the selected checks -> diagnostics. I/O happens here; every check
 * is a pure function of what this gathers.
 */
import path from 'node:path';
import { openAdvisoryDatabase, type DatabaseHooks, type DatabaseOpener } from '../advisories/open.js';
import { dbDirectoryFor } from '../advisories/sync/location.js';
import type { AdvisoryDatabase } from '../advisories/types.js';
import { checkAdvisories, type AdvisoriesPolicy } from '../checks/advisories/check.js';
import type { PolicyFile } from '../checks/labels.js';
import { knownCodes } from '../diagnostics/codes.js';
import type { CheckName, Diagnostic } from '../diagnostics/types.js';
import type { Problem } from '../errors.js';
import { findDenyConfig, findDenyExceptions } from '../policy/deny/discover.js';
import { loadDenyConfig, type LoadedDenyConfig } from '../policy/deny/load.js';
import type { DenyConfig } from '../policy/deny/schema.js';
import { loadPackageGraph, type PackageGraphOptions } from '../workspace/metadata/index.js';
import type { PackageGraph } from '../workspace/package-graph.js';

export const ALL_CHECKS: readonly CheckName[] = ['advisories', 'bans', 'licenses', 'sources', 'build'];

export interface CheckSettings {
  checks: CheckName[];
  manifestPath: string;
  metadataPath: string | undefined;
  configPath: string | undefined;
  /** Do not run cargo: Cargo.lock plus the manifests in cargo's caches. */
  lockfileOnly: boolean;
  graph: {
    workspace: boolean;
    exclude: string[];
    targets: string[];
    allFeatures: boolean;
    noDefaultFeatures: boolean;
    features: string[];
    excludeDev: boolean;
    excludeUnpublished: boolean;
  };
  offline: boolean;
  locked: boolean;
  frozen: boolean;
  /** Overrides of `[advisories] db-urls` / `db-path`, and acceptance of a stale database. */
  dbUrls: string[];
  dbPath: string | undefined;
  allowStale: boolean;
  indexUrl: string | undefined;
  cargoHome: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CheckOutcome {
  diagnostics: Diagnostic[];
  graph: PackageGraph;
  policy: LoadedDenyConfig;
  /** The advisory databases used, for reports. */
  databases: AdvisoryDatabase[];
}

export const DEFAULT_DB_URL = 'https://github.com/rustsec/advisory-db';

/** `openDatabase` is how the advisory databases are opened: a run over several projects passes one that opens each once. */
export async function runCheck(
  settings: CheckSettings,
  hooks: DatabaseHooks,
  openDatabase: DatabaseOpener = openAdvisoryDatabase,
): Promise<CheckOutcome> {
  // Per-phase timings at `-L info`, as cargo-deny logs them: where a slow run spends its time.
  // process.hrtime, not the global `performance`, whose first use loads perf_hooks.
  const clock = (): number => Number(process.hrtime.bigint()) / 1e6;
  let mark = clock();
  const timed = (what: string): void => {
    const now = clock();
    hooks.status('Timing', `${what} in ${(now - mark).toFixed(1)} ms`);
    mark = now;
  };
  const manifestPath = path.resolve(settings.cwd, settings.manifestPath);
  const manifestDir = path.dirname(manifestPath);
  const configFile = findDenyConfig(manifestDir, { config: settings.configPath, cwd: settings.cwd });
  const policy = await loadDenyConfig(configFile, { env: settings.env, searchedFrom: manifestDir });
  const config = policy.config;
  const diagnostics: Diagnostic[] = policy.warnings.map((w) => configDiagnostic(w));
  const policyFile: PolicyFile = { file: policy.file, locations: policy.file ? policy.locations : undefined };
  diagnostics.push(...uncheckedLints(config, policy));
  timed('loaded the config');

  const graph = await loadPackageGraph(packageGraphOptions(settings, config));
  for (const w of graph.warnings ?? []) diagnostics.push(generalWarning('graph-warning', w));
  timed(`built the graph of ${graph.packages.size} crates (${graph.origin})`);

  const ran = new Set(settings.checks);
  const databases: AdvisoryDatabase[] = [];
  if (ran.has('advisories')) {
    const a = config.advisories;
    const fetch = !settings.offline && !settings.frozen;
    const urls = settings.dbUrls.length > 0 ? settings.dbUrls : a['db-urls'].length > 0 ? a['db-urls'] : [DEFAULT_DB_URL];
    const root = settings.dbPath ?? a['db-path'];
    for (const url of urls) {
      const { db } = await openDatabase(
        {
          url,
          dir: dbDirectoryFor(url, path.resolve(settings.cwd, root), settings.cwd),
          fetch,
          // cargo-deny enforces maximum-db-staleness only when it may not fetch.
          allowStale: settings.allowStale || fetch,
          maxStalenessDays: a['maximum-db-staleness'],
          cacheDir: settings.cacheDir,
        },
        hooks,
      );
      databases.push(db);
      timed(`loaded ${db.advisories.length} advisories from ${url}`);
    }
    let yanked: { yanked: string[]; errors: { name: string; message: string }[] } | undefined;
    if (!a['disable-yank-checking']) {
      const { checkYanked } = await import('../advisories/yanked/index.js');
      const lockPackages = [...graph.packages.values()].flatMap((n) => (n.lock ? [n.lock] : []));
      const result = await checkYanked(lockPackages, {
        cargoHome: settings.cargoHome,
        cacheDir: settings.cacheDir,
        fetch,
        indexUrl: settings.indexUrl,
      });
      yanked = { yanked: result.yanked.map((p) => p.id), errors: result.errors };
      timed('looked up yanked crates');
    }
    const advisoriesPolicy: AdvisoriesPolicy = {
      ignore: a.ignore,
      yanked: a.yanked,
      unmaintained: a.unmaintained,
      unsound: a.unsound,
      unusedIgnoredAdvisory: a['unused-ignored-advisory'],
    };
    diagnostics.push(
      ...checkAdvisories({ graph, databases, yanked, policy: advisoriesPolicy, config: policyFile, today: hooks.now.toISOString().slice(0, 10) }),
    );
    timed('checked advisories');
  }
  if (ran.has('licenses')) {
    const { gatherLicenses } = await import('../checks/licenses/gather.js');
    const { checkLicenses } = await import('../checks/licenses/check.js');
    const exceptionsFile = findDenyExceptions(manifestDir);
    const extra = exceptionsFile ? await (await import('../policy/deny/exceptions.js')).loadDenyExceptions(exceptionsFile) : undefined;
    if (extra) diagnostics.push(...extra.warnings.map((w) => configDiagnostic(w)));
    const gathered = await gatherLicenses(graph, config.licenses);
    diagnostics.push(
      ...checkLicenses({
        graph,
        config: config.licenses,
        policy: policyFile,
        gathered,
        ...(extra ? { extraExceptions: { exceptions: extra.exceptions, file: extra.file, locations: extra.locations } } : {}),
      }),
    );
    timed('checked licenses');
  }
  if (ran.has('bans')) {
    const { checkBans } = await import('../checks/bans/check.js');
    diagnostics.push(...checkBans({ graph, config: config.bans, policy: policyFile }));
    timed('checked bans');
  }
  if (ran.has('build') && config.bans.build) {
    const { gatherBuildFacts } = await import('../checks/build/gather.js');
    const { checkBuild } = await import('../checks/build/check.js');
    const facts = gatherBuildFacts(graph, config.bans.build);
    diagnostics.push(...checkBuild({ graph, config: config.bans.build, facts, policy: policyFile }));
    timed('checked build-time code');
  }
  if (ran.has('sources')) {
    const { checkSources } = await import('../checks/sources/check.js');
    diagnostics.push(...checkSources({ graph, config: config.sources, policy: policyFile }));
    timed('checked sources');
  }
  // The set of codes is closed (src/diagnostics/codes.ts): an unregistered one is a bug, not a finding.
  const known = knownCodes();
  const stray = diagnostics.find((d) => !known.has(d.code));
  if (stray) throw new Error(`diagnostic code '${stray.code}' is not registered in src/diagnostics/codes.ts`);
  return { diagnostics, graph, policy, databases };
}

/** The graph a run checks: the command line over `[graph]`, as cargo-deny merges them. */
export function packageGraphOptions(settings: CheckSettings, config: DenyConfig): PackageGraphOptions {
  const g = settings.graph;
  return {
    manifestPath: path.resolve(settings.cwd, settings.manifestPath),
    metadataPath: settings.metadataPath,
    parsedCacheDir: settings.cacheDir,
    useCargo: !settings.lockfileOnly,
    cargoArgs: {
      offline: settings.offline,
      locked: settings.locked,
      frozen: settings.frozen,
      allFeatures: g.allFeatures || config.graph['all-features'],
      noDefaultFeatures: g.noDefaultFeatures || config.graph['no-default-features'],
      features: g.features.length > 0 ? g.features : config.graph.features,
    },
    // `--target` replaces `[graph] targets`, as in cargo-deny.
    targets: g.targets.length > 0 ? g.targets : config.graph.targets,
    excludeDev: g.excludeDev || config.graph['exclude-dev'],
    exclude: [...config.graph.exclude, ...g.exclude],
    excludeUnpublished: g.excludeUnpublished || config.graph['exclude-unpublished'],
    workspace: g.workspace,
    cargoHome: settings.cargoHome,
    env: settings.env,
  };
}

function configDiagnostic(p: Problem): Diagnostic {
  const code = /deprecated|removed|moved/.test(p.message) ? 'deprecated' : 'config-warning';
  const labels = p.place?.line
    ? [{ file: p.place.file, line: p.place.line, column: p.place.column ?? 1, length: 0, message: '', primary: true }]
    : [];
  return { source: 'config', code, severity: 'warning', message: p.message, labels, notes: [] };
}

/**
 * cargo-deny lints this tool reads but does not run yet. Configured, they
 * would otherwise pass in silence: each says so, at its key, once.
 */
const UNCHECKED_LINTS = [
  ['workspace-dependencies', 'workspace-duplicate and unused-workspace-dependency'],
  ['std-replacements', 'replaced-in-std'],
] as const;

function uncheckedLints(config: DenyConfig, policy: LoadedDenyConfig): Diagnostic[] {
  return UNCHECKED_LINTS.filter(([key]) => config.bans[key] !== undefined).map(([key, codes]) => {
    const at = policy.locations.nearest(['bans', key]);
    return configDiagnostic({
      message: `\`bans.${key}\` is not checked by cargo-sentinel yet: its findings (${codes}) are not reported`,
      ...(policy.file ? { place: { file: policy.file, line: at?.line, column: at?.column } } : {}),
    });
  });
}

function generalWarning(code: string, message: string): Diagnostic {
  return { source: 'config', code, severity: 'warning', message, labels: [], notes: [] };
}

/**
 * The policy checks' package graph, from the best source at hand:
 * 1. a saved `cargo metadata` JSON (`--metadata-path`), when given;
 * 2. `cargo metadata` itself, when allowed and cargo is installed;
 * 3. Cargo.lock plus the manifests on disk (the project's and cargo's cache).
 * The `[graph]` settings are then applied the same way to each.
 *
 * The metadata and lockfile readers (and child_process) load on first use,
 * so a run that reads only Cargo.lock never loads zod.
 */
import path from 'node:path';
import type { PackageGraph } from '../package-graph.js';
import { defaultCacheDirs, type CargoCacheDirs } from './cargo-cache.js';
import { applyGraphFilter, type TargetSpec } from './filter.js';
import type { CargoArgs } from './run-cargo.js';
import type { UnfilteredGraph } from './unfiltered.js';

export { reachability, directDependents, type Reach } from './reachability.js';
export { parseCfg, parsePlatform, formatCfg, evaluateCfg, normalizePlatform, CfgParseError, type CfgExpr, type Platform } from './cfg.js';
export { builtinTarget, builtinTriples, cfgHoldsOn, type TargetInfo } from './targets.js';
export { parsePackageId, type ParsedPackageId } from './package-id.js';
export type { TargetSpec, CargoArgs, CargoCacheDirs };

export interface PackageGraphOptions {
  /** The Cargo.toml the graph is for (usually the workspace root's). */
  manifestPath: string;
  /** A saved `cargo metadata --format-version 1` output to read instead of running cargo. */
  metadataPath?: string;
  /** Run `cargo metadata` when cargo is installed. */
  useCargo: boolean;
  cargoArgs: CargoArgs;
  /** `[graph] targets` or `--target`: triples, optionally with promised target features. Empty = every target. */
  targets: TargetSpec[];
  excludeDev: boolean;
  /** Package specs (`name`, `name@version`, `name:requirement`) removed with whatever only they bring in. */
  exclude: string[];
  excludeUnpublished: boolean;
  /** Every workspace member is a root; when false and the manifest has a package, that package alone is. */
  workspace: boolean;
  cargoHome: string;
  /** Environment for cargo (PATH, CARGO_HOME, proxies…). */
  env: Record<string, string | undefined>;
  /** Where crate sources are looked for in lockfile mode; default: `$CARGO_HOME/registry/src/*` and `$CARGO_HOME/git/checkouts`. */
  cacheDirs?: Partial<CargoCacheDirs>;
  cargoTimeoutMs?: number;
  cargoMaxOutputBytes?: number;
  /** Where parse results of Cargo.lock and the manifests are kept between runs (see workspace/parsed-cache.ts); none when absent. */
  parsedCacheDir?: string;
}

const triplesOf = (targets: readonly TargetSpec[]): string[] => targets.map((t) => (typeof t === 'string' ? t : t.triple));

const usesFeatureFlags = (c: CargoArgs): boolean => c.allFeatures || c.noDefaultFeatures || c.features.length > 0;

async function fromMetadataFile(file: string): Promise<UnfilteredGraph> {
  const { readMetadataFile, graphFromMetadataWithLock } = await import('./metadata-source.js');
  return graphFromMetadataWithLock(readMetadataFile(file), 'metadata-file', file);
}

async function fromCargo(options: PackageGraphOptions): Promise<UnfilteredGraph | undefined> {
  const { runCargoMetadata, DEFAULT_CARGO_MAX_OUTPUT, DEFAULT_CARGO_TIMEOUT_MS } = await import('./run-cargo.js');
  const manifestPath = path.resolve(options.manifestPath);
  const stdout = await runCargoMetadata({
    manifestPath,
    cargoArgs: options.cargoArgs,
    triples: triplesOf(options.targets),
    env: options.env,
    timeoutMs: options.cargoTimeoutMs ?? DEFAULT_CARGO_TIMEOUT_MS,
    maxOutputBytes: options.cargoMaxOutputBytes ?? DEFAULT_CARGO_MAX_OUTPUT,
  });
  if (stdout === undefined) return undefined;
  const { parseMetadataText, graphFromMetadataWithLock } = await import('./metadata-source.js');
  const what = `the output of \`cargo metadata --manifest-path ${manifestPath}\``;
  return graphFromMetadataWithLock(parseMetadataText(stdout, what), 'cargo-metadata', what);
}

async function fromLockfile(options: PackageGraphOptions): Promise<UnfilteredGraph> {
  const { graphFromLockfile } = await import('./from-lockfile.js');
  const defaults = options.cacheDirs?.registrySrc && options.cacheDirs.gitCheckouts ? undefined : defaultCacheDirs(options.cargoHome);
  const dirs: CargoCacheDirs = {
    registrySrc: options.cacheDirs?.registrySrc ?? defaults?.registrySrc ?? [],
    gitCheckouts: options.cacheDirs?.gitCheckouts ?? defaults?.gitCheckouts ?? [],
  };
  const graph = await graphFromLockfile(options.manifestPath, dirs, options.parsedCacheDir);
  if (usesFeatureFlags(options.cargoArgs)) {
    graph.warnings.push('feature flags need `cargo metadata`: the graph read from Cargo.lock holds every optional dependency the lockfile lists');
  }
  return graph;
}

/** Builds the package graph the policy checks run on. Errors are SentinelErrors (`input` for bad files or a failing cargo). */
export async function loadPackageGraph(options: PackageGraphOptions): Promise<PackageGraph> {
  let raw: UnfilteredGraph | undefined;
  const notes: string[] = [];
  if (options.metadataPath !== undefined) {
    raw = await fromMetadataFile(options.metadataPath);
  } else if (options.useCargo) {
    raw = await fromCargo(options);
    if (raw === undefined) notes.push('cargo is not on PATH: the graph is read from Cargo.lock and the manifests on disk');
  }
  raw ??= await fromLockfile(options);
  raw.warnings.unshift(...notes);
  return applyGraphFilter(raw, options);
}

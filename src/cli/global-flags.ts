/**
 * cargo-deny's global flags, which come before the subcommand
 * (`cargo-sentinel -L debug -f json --manifest-path X check licenses`).
 */
import type { Command } from 'commander';

export interface GlobalFlags {
  logLevel?: string;
  format?: string;
  color?: string;
  /** The last `--manifest-path` (a flag given twice means its last value, as with any flag). */
  manifestPath?: string;
  /** Every `--manifest-path`, for `report` over several projects. */
  manifestPaths?: string[];
  metadataPath?: string;
  config?: string;
  workspace?: boolean;
  exclude?: string[];
  target?: string[];
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
  features?: string[];
  frozen?: boolean;
  offline?: boolean;
  locked?: boolean;
  excludeDev?: boolean;
  excludeUnpublished?: boolean;
  // Ours, beyond cargo-deny:
  lockfileOnly?: boolean;
  dbUrl?: string[];
  dbPath?: string;
  stale?: boolean;
  indexUrl?: string;
  cacheDir?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
/** `--features a,b --features c` → [a, b, c] (cargo-deny splits on commas and repeats). */
const collectList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(/[,\s]+/).filter((f) => f !== ''),
];

export function addGlobalFlags(program: Command): Command {
  return program
    .option('-L, --log-level <level>', 'off, error, warn, info, debug or trace (also decides which diagnostics print)')
    .option('-f, --format <format>', 'human, json, sarif, github or markdown')
    .option('-c, --color <when>', 'auto, always or never (default: $CARGO_TERM_COLOR, else auto)')
    .option('--manifest-path <path>', "the workspace's Cargo.toml (default ./Cargo.toml); `report` takes several, or a directory", collect)
    .option('--metadata-path <path>', 'a saved `cargo metadata --format-version 1` output to use instead of running cargo')
    .option('--config <path>', 'the deny.toml to use (default: found by walking up from the manifest)')
    .option('--workspace', 'make every workspace member a root, even when the manifest is a member')
    .option('--exclude <spec>', 'leave a crate (and what only it pulls in) out of the graph (repeatable)', collect)
    .option('-t, --target <triple>', 'check only for this target triple (repeatable; overrides [graph] targets)', collect)
    .option('--all-features', 'activate all features')
    .option('--no-default-features', 'do not activate the default feature')
    .option('--features <features>', 'features to activate, comma-separated (repeatable)', collectList)
    .option('--frozen', 'require Cargo.lock and the cache up to date; no network (implies --offline)')
    .option('--offline', 'no network: databases are used as they are and staleness is checked')
    .option('--locked', 'require Cargo.lock to be up to date')
    .option('--exclude-dev', 'leave all dev-dependencies out of the graph')
    .option('--exclude-unpublished', 'workspace members with publish = false are not roots')
    .option('--lockfile-only', 'do not run cargo: read Cargo.lock and the manifests in cargo\'s caches, and say what is unknown')
    .option('--db-url <url>', 'advisory database git URL, overriding [advisories] db-urls (repeatable)', collect)
    .option('--db-path <dir>', 'directory for advisory database clones, overriding [advisories] db-path')
    .option('--stale', 'accept an advisory database older than maximum-db-staleness')
    .option('--index-url <url>', 'crates.io sparse index base URL for yanked checks')
    .option('--cache-dir <dir>', 'where compiled indexes and index entries are cached');
}

export function globalFlagsOf(opts: Record<string, unknown>): GlobalFlags {
  return {
    logLevel: opts.logLevel as string | undefined,
    format: opts.format as string | undefined,
    color: opts.color as string | undefined,
    manifestPath: (opts.manifestPath as string[] | undefined)?.at(-1),
    manifestPaths: opts.manifestPath as string[] | undefined,
    metadataPath: opts.metadataPath as string | undefined,
    config: opts.config as string | undefined,
    workspace: opts.workspace as boolean | undefined,
    exclude: opts.exclude as string[] | undefined,
    target: opts.target as string[] | undefined,
    allFeatures: opts.allFeatures as boolean | undefined,
    // commander turns --no-default-features into defaultFeatures: false
    noDefaultFeatures: opts.defaultFeatures === false,
    features: opts.features as string[] | undefined,
    frozen: opts.frozen as boolean | undefined,
    offline: opts.offline as boolean | undefined,
    locked: opts.locked as boolean | undefined,
    excludeDev: opts.excludeDev as boolean | undefined,
    excludeUnpublished: opts.excludeUnpublished as boolean | undefined,
    lockfileOnly: opts.lockfileOnly as boolean | undefined,
    dbUrl: opts.dbUrl as string[] | undefined,
    dbPath: opts.dbPath as string | undefined,
    stale: opts.stale as boolean | undefined,
    indexUrl: opts.indexUrl as string | undefined,
    cacheDir: opts.cacheDir as string | undefined,
  };
}

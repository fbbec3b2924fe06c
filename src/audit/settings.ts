/**
 * The audit face's settings: cargo-audit's command-line flags over the first
 * audit.toml found (`./.cargo/audit.toml`, else `$CARGO_HOME/audit.toml`; no
 * merging, as in cargo-audit), over cargo-audit's defaults.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configError, type Problem } from '../errors.js';
import { ADVISORY_ID_HINT, isAdvisoryId } from '../policy/advisory-id.js';
import type { AuditConfig, DenyKind, Severity } from '../policy/audit-config.js';

export const DEFAULT_DB_URL = 'https://github.com/rustsec/advisory-db';
export const DEFAULT_INDEX_URL = 'https://index.crates.io/';
/** cargo-audit's default: all three informational kinds are reported. */
export const DEFAULT_INFORMATIONAL = ['unmaintained', 'unsound', 'notice'] as const;

export type AuditFormat = 'terminal' | 'json' | 'sarif';
export type ColorChoice = 'auto' | 'always' | 'never';

/** What the command line said; undefined means "not given". */
export interface AuditFlags {
  file?: string;
  db?: string;
  url?: string;
  noFetch?: boolean;
  stale?: boolean;
  ignore?: string[];
  deny?: string[];
  targetArch?: string[];
  targetOs?: string[];
  json?: boolean;
  format?: string;
  quiet?: boolean;
  color?: string;
  noYanked?: boolean;
  indexUrl?: string;
  cacheDir?: string;
}

export interface IgnoreRule {
  /** RUSTSEC id or an alias (CVE-…, GHSA-…). */
  id: string;
  reason: string | undefined;
  /** YYYY-MM-DD; after this day the ignore no longer applies. */
  expires: string | undefined;
  /** Where it was written, for messages. */
  origin: string;
}

export interface AuditSettings {
  lockfile: string;
  configFile: string | undefined;
  database: { url: string; path: string | undefined; fetch: boolean; allowStale: boolean };
  ignore: IgnoreRule[];
  informationalWarnings: string[];
  severityThreshold: Severity | undefined;
  /** Warning kinds that fail the run. */
  deny: Set<'unmaintained' | 'unsound' | 'yanked'>;
  targetArch: string[];
  targetOs: string[];
  format: AuditFormat;
  quiet: boolean;
  showTree: boolean;
  yanked: { enabled: boolean; updateIndex: boolean; indexUrl: string };
  color: ColorChoice;
  cargoHome: string;
  cacheDir: string;
  /** Remarks about the config (deprecated keys and the like). */
  configWarnings: Problem[];
}

export function cargoHome(env: NodeJS.ProcessEnv): string {
  return env.CARGO_HOME && env.CARGO_HOME !== '' ? path.resolve(env.CARGO_HOME) : path.join(os.homedir(), '.cargo');
}

/** cargo-audit reads the first of these that exists. */
export function findAuditConfig(cwd: string, home: string): string | undefined {
  return [path.join(cwd, '.cargo', 'audit.toml'), path.join(home, 'audit.toml')].find((f) => existsSync(f));
}

const FORMATS: readonly AuditFormat[] = ['terminal', 'json', 'sarif'];
const COLORS: readonly ColorChoice[] = ['auto', 'always', 'never'];
const DENY: readonly DenyKind[] = ['warnings', 'unmaintained', 'unsound', 'yanked'];

export function resolveSettings(
  flags: AuditFlags,
  config: { file: string; value: AuditConfig; warnings: Problem[] } | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): AuditSettings {
  const home = cargoHome(env);
  const file = config?.value;
  const problems: Problem[] = [];
  const flag = (name: string, value: string, allowed: readonly string[]): void => {
    if (!allowed.includes(value)) problems.push({ message: `invalid value '${value}' for ${name}: expected one of ${allowed.join(', ')}` });
  };

  const format: AuditFormat = flags.json ? 'json' : ((flags.format ?? file?.output.format ?? 'terminal') as AuditFormat);
  flag('--format', format, FORMATS);
  const color = (flags.color ?? colorFromEnv(env) ?? 'auto') as ColorChoice;
  flag('--color', color, COLORS);

  const denyWords = [...(file?.output.deny ?? []), ...(flags.deny ?? [])];
  for (const d of flags.deny ?? []) flag('--deny', d, DENY);
  const deny = new Set<'unmaintained' | 'unsound' | 'yanked'>();
  for (const d of denyWords) {
    // cargo-audit maps `warnings` to these three only: `notice` stays allowed.
    if (d === 'warnings') ['unmaintained', 'unsound', 'yanked'].forEach((k) => deny.add(k as 'unmaintained'));
    else if (d === 'unmaintained' || d === 'unsound' || d === 'yanked') deny.add(d);
  }

  const ignore: IgnoreRule[] = [
    ...(file?.advisories.ignore ?? []).map((r) => ({ id: r.id, reason: r.reason, expires: r.expires, origin: config!.file })),
    ...(flags.ignore ?? []).map((id) => ({ id, reason: undefined, expires: undefined, origin: '--ignore' })),
  ];
  for (const r of flags.ignore ?? []) {
    if (!isAdvisoryId(r)) problems.push({ message: `invalid value '${r}' for --ignore: ${ADVISORY_ID_HINT}` });
  }

  // Denying a kind also reports it (cargo-audit's report_settings rule).
  const informational = new Set<string>(file?.advisories.informational_warnings ?? DEFAULT_INFORMATIONAL);
  for (const d of deny) if (d !== 'yanked') informational.add(d);

  if (problems.length > 0) {
    throw configError(problems.length === 1 ? problems[0]!.message : `${problems.length} invalid arguments`, undefined, undefined, problems);
  }

  const fetch = flags.noFetch ? false : (file?.database.fetch ?? true);
  const relativeToConfig = (p: string): string => path.resolve(cwd, p);
  return {
    lockfile: path.resolve(cwd, flags.file ?? 'Cargo.lock'),
    configFile: config?.file,
    database: {
      url: normaliseDbUrl(flags.url ?? file?.database.url ?? DEFAULT_DB_URL, cwd),
      path: flags.db !== undefined ? path.resolve(cwd, flags.db) : file?.database.path ? relativeToConfig(file.database.path) : undefined,
      fetch,
      allowStale: Boolean(flags.stale) || (file?.database.stale ?? false),
    },
    ignore,
    informationalWarnings: [...informational],
    severityThreshold: file?.advisories.severity_threshold,
    deny,
    targetArch: flags.targetArch?.length ? flags.targetArch : (file?.target.arch ?? []),
    targetOs: flags.targetOs?.length ? flags.targetOs : (file?.target.os ?? []),
    format,
    quiet: Boolean(flags.quiet) || (file?.output.quiet ?? false),
    // `-q` hides the trees too (cargo-audit PR #1587).
    showTree: !flags.quiet && (file?.output.show_tree ?? true),
    yanked: {
      enabled: !flags.noYanked && (file?.yanked.enabled ?? true),
      // Remote index lookups only when the database may be fetched too, as in cargo-audit.
      updateIndex: fetch && (file?.yanked.update_index ?? true),
      indexUrl: flags.indexUrl ?? env.CARGO_SENTINEL_INDEX_URL ?? DEFAULT_INDEX_URL,
    },
    color,
    cargoHome: home,
    cacheDir: path.resolve(cwd, flags.cacheDir ?? env.CARGO_SENTINEL_CACHE ?? path.join(home, 'sentinel-cache')),
    configWarnings: config?.warnings ?? [],
  };
}

/** cargo's own variable decides colour when no flag does. */
function colorFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const v = env.CARGO_TERM_COLOR;
  return v && v !== '' ? v : undefined;
}

/**
 * A database URL that names an existing local path (a bare repo, a checkout, a
 * bundle file) is made absolute, so the clone's recorded origin does not depend
 * on the directory the tool was started from.
 */
export function normaliseDbUrl(url: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url) || url.includes('::')) return url;
  const abs = path.resolve(cwd, url);
  return existsSync(abs) ? abs : url;
}

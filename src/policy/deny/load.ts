/**
 * Loading deny.toml: parse, apply the key histories (removed keys are
 * errors, moved keys warnings), rewrite deprecated forms, expand `db-path`,
 * validate, and report every problem of the file at once with its line and
 * column. Without a file, the defaults apply and a warning says so.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { DEFAULT_DB_PATH } from '../../checks/advisories/config.js';
import { configError, type Problem } from '../../errors.js';
import { locateToml, pathKey, type TomlLocations } from '../../toml/locate.js';
import { loadTomlConfig, type DocumentPass } from '../toml-config.js';
import { DENY_CONFIG_NAMES } from './discover.js';
import { duplicateItemsPass } from './duplicates.js';
import { expandPath, PathExpansionError, type ExpansionContext } from './expand-path.js';
import { legacySpecPass } from './legacy-spec.js';
import { denyConfigSchema, denyKeyHistory, type DenyConfig } from './schema.js';

export interface LoadedDenyConfig {
  config: DenyConfig;
  /** Positions of the file's keys and elements (empty without a file). */
  locations: TomlLocations;
  /** Deprecated keys and forms, duplicate items, a missing file. */
  warnings: Problem[];
  /** The file read; undefined when the defaults apply. */
  file: string | undefined;
}

export interface DenyLoadOptions {
  /** For `db-path` expansion (default: the process's environment). */
  env?: Readonly<Record<string, string | undefined>>;
  /** For `~` and the default `$CARGO_HOME` (default: the user's home directory). */
  home?: string;
  /** Where the search for a config file started, for the warning when none was found. */
  searchedFrom?: string;
}

/** Parse deny.toml text; throws a config SentinelError listing every problem. */
export function parseDenyConfig(text: string, file: string, options: DenyLoadOptions = {}): LoadedDenyConfig {
  const expansion: ExpansionContext = { env: options.env ?? process.env, home: options.home ?? os.homedir() };
  const loaded = loadTomlConfig(text, file, denyConfigSchema, denyKeyHistory, {
    passes: [legacySpecPass(), duplicateItemsPass, dbPathPass(expansion)],
  });
  return { config: loaded.value, locations: loaded.locations, warnings: loaded.warnings, file };
}

/** Load `file`, or the defaults when `file` is undefined (see `findDenyConfig`). */
export async function loadDenyConfig(file: string | undefined, options: DenyLoadOptions = {}): Promise<LoadedDenyConfig> {
  if (file === undefined) return defaultDenyConfig(options);
  return parseDenyConfig(await readConfigText(file), file, options);
}

/** A config file's text; a file that cannot be read is a config error naming it. */
export async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw configError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file }, e);
  }
}

/**
 * The default configuration as JSON, with `db-path` unexpanded: computed from
 * the schema by scripts/bundle.mjs and inlined into the bundle, so a run
 * without deny.toml does not validate an empty document (about 7 ms of a
 * warm check). Undefined outside the bundle, where the schema computes it.
 */
declare const __SENTINEL_DEFAULT_DENY_CONFIG__: string | undefined;

/** What the schema makes of an empty deny.toml, `db-path` left as written (the bundle's build inlines it). */
export function unexpandedDefaultDenyConfig(): DenyConfig {
  const { config } = parseDenyConfig('', 'deny.toml', { env: { CARGO_HOME: '$CARGO_HOME' }, home: '/' });
  return { ...config, advisories: { ...config.advisories, 'db-path': DEFAULT_DB_PATH } };
}

function defaultConfigValue(options: DenyLoadOptions): DenyConfig {
  if (typeof __SENTINEL_DEFAULT_DENY_CONFIG__ === 'string') {
    const config = JSON.parse(__SENTINEL_DEFAULT_DENY_CONFIG__) as DenyConfig;
    try {
      config.advisories['db-path'] = expandPath(DEFAULT_DB_PATH, { env: options.env ?? process.env, home: options.home ?? os.homedir() });
      return config;
    } catch (e) {
      if (!(e instanceof PathExpansionError)) throw e;
      // The schema's path reports it as a config error with its key.
    }
  }
  return parseDenyConfig('', 'deny.toml', options).config;
}

/** The configuration cargo-deny uses when there is no deny.toml, with the warning that says so. */
export function defaultDenyConfig(options: DenyLoadOptions = {}): LoadedDenyConfig {
  const config = defaultConfigValue(options);
  const where = options.searchedFrom === undefined ? '' : ` in ${options.searchedFrom} or its parent directories`;
  const names = DENY_CONFIG_NAMES.join(', ');
  return {
    config,
    locations: locateToml(''),
    warnings: [{ message: `no config file found (${names})${where}; using the default configuration` }],
    file: undefined,
  };
}

/**
 * `advisories.db-path` with `~` and variables expanded; the default when
 * absent. A relative path stays relative: `dbDirectoryFor` (advisories/sync)
 * resolves it against the working directory.
 */
function dbPathPass(context: ExpansionContext): DocumentPass {
  return (doc, report) => {
    const advisories = doc.advisories ?? (doc.advisories = {});
    if (advisories === null || typeof advisories !== 'object' || Array.isArray(advisories)) return;
    const section = advisories as Record<string, unknown>;
    const written = section['db-path'] ?? DEFAULT_DB_PATH;
    if (typeof written !== 'string') return;
    try {
      section['db-path'] = expandPath(written, context);
    } catch (e) {
      if (!(e instanceof PathExpansionError)) throw e;
      const at = ['advisories', 'db-path'];
      report.error(at, `\`${pathKey(at)}\`: ${e.message}`);
    }
  };
}

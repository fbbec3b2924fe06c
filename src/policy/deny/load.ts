/**
 * Loading deny.toml: parse, apply the key histories (removed keys are
 * errors, moved keys warnings), rewrite deprecated forms, expand `db-path`,
 * validate, and report every problem of the file at once with its line and
 * column (parse.ts). Without a file, the defaults apply and a warning says
 * so. This module does not load the schema: a run on cargo-deny's defaults
 * never builds one (zod's schemas cost some 10 ms to construct).
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { DEFAULT_DB_PATH } from '../../checks/advisories/defaults.js';
import { configError, type Problem } from '../../errors.js';
import { locateToml, type TomlLocations } from '../../toml/locate.js';
import { DENY_CONFIG_NAMES } from './discover.js';
import { expandPath, PathExpansionError } from './expand-path.js';
import type { DenyConfig } from './schema.js';

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

/** Load `file`, or the defaults when `file` is undefined (see `findDenyConfig`). */
export async function loadDenyConfig(file: string | undefined, options: DenyLoadOptions = {}): Promise<LoadedDenyConfig> {
  if (file === undefined) return defaultDenyConfig(options);
  const { parseDenyConfig } = await import('./parse.js');
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

async function defaultConfigValue(options: DenyLoadOptions): Promise<DenyConfig> {
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
  const { parseDenyConfig } = await import('./parse.js');
  return parseDenyConfig('', 'deny.toml', options).config;
}

/** The configuration cargo-deny uses when there is no deny.toml, with the warning that says so. */
export async function defaultDenyConfig(options: DenyLoadOptions = {}): Promise<LoadedDenyConfig> {
  const config = await defaultConfigValue(options);
  const where = options.searchedFrom === undefined ? '' : ` in ${options.searchedFrom} or its parent directories`;
  const names = DENY_CONFIG_NAMES.join(', ');
  return {
    config,
    locations: locateToml(''),
    warnings: [{ message: `no config file found (${names})${where}; using the default configuration` }],
    file: undefined,
  };
}


/** `cargo-sentinel fetch`: sync the advisory databases named by deny.toml (or the flags) without checking. */
import path from 'node:path';
import { openAdvisoryDatabase } from '../advisories/open.js';
import { dbDirectoryFor } from '../advisories/sync/location.js';
import { cargoHome } from '../audit/settings.js';
import { DEFAULT_DB_URL } from '../check/run.js';
import { configError } from '../errors.js';
import { findDenyConfig } from '../policy/deny/discover.js';
import { loadDenyConfig } from '../policy/deny/load.js';
import { CheckExit } from './exit-codes.js';
import type { GlobalFlags } from './global-flags.js';
import type { Io } from './main.js';

export async function fetchCommand(what: string[], global: GlobalFlags, io: Io): Promise<number> {
  for (const w of what) {
    if (w !== 'db' && w !== 'all') throw configError(`unknown fetch target '${w}': expected db or all (the crate index is fetched by cargo itself)`);
  }
  const manifestDir = path.dirname(path.resolve(io.cwd, global.manifestPath ?? 'Cargo.toml'));
  const file = findDenyConfig(manifestDir, { config: global.config, cwd: io.cwd });
  const { config } = await loadDenyConfig(file, { env: io.env, searchedFrom: manifestDir });
  const a = config.advisories;
  const urls = global.dbUrl?.length ? global.dbUrl : a['db-urls'].length > 0 ? a['db-urls'] : [DEFAULT_DB_URL];
  const root = path.resolve(io.cwd, global.dbPath ?? a['db-path']);
  const home = cargoHome(io.env);
  const cacheDir = path.resolve(io.cwd, global.cacheDir ?? io.env.CARGO_SENTINEL_CACHE ?? path.join(home, 'sentinel-cache'));
  for (const url of urls) {
    const { synced, db } = await openAdvisoryDatabase(
      { url, dir: dbDirectoryFor(url, root, io.cwd), fetch: !global.offline && !global.frozen, allowStale: true, cacheDir },
      { status: () => {}, warn: (m) => io.stderr(`warning: ${m}\n`), now: io.now() },
    );
    io.stderr(`fetched ${url}: ${db.advisories.length} advisories at ${synced.commit ?? 'unknown commit'} in ${synced.path}\n`);
  }
  return CheckExit.clean;
}

/** `cargo-sentinel list`: the licenses in use, by license or by crate (cargo-deny's `list`). */
import path from 'node:path';
import { packageGraphOptions } from '../check/run.js';
import { settingsFrom } from './check.js';
import { configError } from '../errors.js';
import { findDenyConfig } from '../policy/deny/discover.js';
import { loadDenyConfig } from '../policy/deny/load.js';
import { loadPackageGraph } from '../workspace/metadata/index.js';
import { gatherLicenses } from '../checks/licenses/gather.js';
import { licenseListing, renderLicenseList } from '../checks/licenses/list.js';
import { CheckExit } from './exit-codes.js';
import type { GlobalFlags } from './global-flags.js';
import type { Io } from './main.js';

export interface ListFlags {
  format: string;
  layout: string;
  threshold: number;
}

export async function listCommand(flags: ListFlags, global: GlobalFlags, io: Io): Promise<number> {
  if (!['human', 'json', 'tsv'].includes(flags.format)) throw configError(`invalid value '${flags.format}' for --format: expected human, json or tsv`);
  if (!['license', 'crate'].includes(flags.layout)) throw configError(`invalid value '${flags.layout}' for --layout: expected license or crate`);
  if (!(flags.threshold >= 0 && flags.threshold <= 1)) throw configError(`invalid value for --threshold: expected a number from 0.0 to 1.0`);
  const manifestDir = path.dirname(path.resolve(io.cwd, global.manifestPath ?? 'Cargo.toml'));
  const file = findDenyConfig(manifestDir, { config: global.config, cwd: io.cwd });
  const { config } = await loadDenyConfig(file, { env: io.env });
  const graph = await loadPackageGraph(packageGraphOptions(settingsFrom([], global, io), config));
  const gathered = await gatherLicenses(graph, config.licenses);
  const listing = licenseListing(graph, gathered, file ? config.licenses : undefined);
  io.stdout(renderLicenseList(listing, flags.format as 'human', flags.layout as 'license'));
  return CheckExit.clean;
}

/**
 * The licence exceptions companion of deny.toml (`deny.exceptions.toml`,
 * `.deny.exceptions.toml` or `.cargo/deny.exceptions.toml`): a file that holds
 * only `exceptions = [...]`, in the form of `[licenses] exceptions`, so a
 * project can keep its own exceptions next to a shared deny.toml. Its entries
 * never produce "exception not encountered" warnings (the licenses check is
 * told which entries come from here).
 */
import { licenseExceptionsFile, type LicenseException } from '../../checks/licenses/config.js';
import type { Problem } from '../../errors.js';
import type { TomlLocations } from '../../toml/locate.js';
import { loadTomlConfig } from '../toml-config.js';
import { legacySpecPass } from './legacy-spec.js';
import { readConfigText } from './load.js';

export interface LoadedDenyExceptions {
  exceptions: LicenseException[];
  locations: TomlLocations;
  warnings: Problem[];
  file: string;
}

export function parseDenyExceptions(text: string, file: string): LoadedDenyExceptions {
  const loaded = loadTomlConfig(text, file, licenseExceptionsFile, {}, { passes: [legacySpecPass([['exceptions']])] });
  return { exceptions: loaded.value.exceptions, locations: loaded.locations, warnings: loaded.warnings, file };
}

export async function loadDenyExceptions(file: string): Promise<LoadedDenyExceptions> {
  return parseDenyExceptions(await readConfigText(file), file);
}

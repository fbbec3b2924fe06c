/**
 * The closed set of diagnostic codes: each check declares its own, this
 * registry lists them all (a test pins the full set so no code is added or
 * renamed by accident).
 */
import { advisoriesCodes } from '../checks/advisories/codes.js';
import { bansCodes } from '../checks/bans/codes.js';
import { buildCodes } from '../checks/build/codes.js';
import { licensesCodes } from '../checks/licenses/codes.js';
import { sourcesCodes } from '../checks/sources/codes.js';
import type { CodeInfo } from './types.js';

/** Codes of the configuration and the run itself, not of a check. */
export const generalCodes: readonly CodeInfo[] = [
  { code: 'deprecated', source: 'config', defaultSeverity: 'warning', description: 'a config key or form that moved (warning) or was removed (error)' },
  { code: 'config-warning', source: 'config', defaultSeverity: 'warning', description: 'a remark about the configuration (duplicate items, no config file found)' },
  { code: 'graph-warning', source: 'config', defaultSeverity: 'warning', description: 'a remark about building the dependency graph (unknown target, cargo unavailable)' },
];

export const allCodes: readonly CodeInfo[] = [
  ...advisoriesCodes,
  ...bansCodes,
  ...buildCodes,
  ...licensesCodes,
  ...sourcesCodes,
  ...generalCodes,
];

export const knownCodes = (): Set<string> => new Set(allCodes.map((c) => c.code));

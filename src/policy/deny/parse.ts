/**
 * deny.toml text to a validated configuration, with the schema (schema.ts):
 * key histories, deprecated forms rewritten, `db-path` expanded, and every
 * problem of the file reported at once with its line and column.
 */
import os from 'node:os';
import { DEFAULT_DB_PATH } from '../../checks/advisories/defaults.js';
import { pathKey } from '../../toml/locate.js';
import { loadTomlConfig, type DocumentPass } from '../toml-config.js';
import { duplicateItemsPass } from './duplicates.js';
import { expandPath, PathExpansionError, type ExpansionContext } from './expand-path.js';
import { legacySpecPass } from './legacy-spec.js';
import type { DenyLoadOptions, LoadedDenyConfig } from './load.js';
import { denyConfigSchema, denyKeyHistory, type DenyConfig } from './schema.js';

/** Parse deny.toml text; throws a config SentinelError listing every problem. */
export function parseDenyConfig(text: string, file: string, options: DenyLoadOptions = {}): LoadedDenyConfig {
  const expansion: ExpansionContext = { env: options.env ?? process.env, home: options.home ?? os.homedir() };
  const loaded = loadTomlConfig(text, file, denyConfigSchema, denyKeyHistory, {
    passes: [legacySpecPass(), duplicateItemsPass, dbPathPass(expansion)],
  });
  return { config: loaded.value, locations: loaded.locations, warnings: loaded.warnings, file };
}

/** What the schema makes of an empty deny.toml, `db-path` left as written (the bundle's build inlines it). */
export function unexpandedDefaultDenyConfig(): DenyConfig {
  const { config } = parseDenyConfig('', 'deny.toml', { env: { CARGO_HOME: '$CARGO_HOME' }, home: '/' });
  return { ...config, advisories: { ...config.advisories, 'db-path': DEFAULT_DB_PATH } };
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

/** deny.toml: its schema, where it is, and how it loads. */
export { denyConfigSchema, denyKeyHistory, graphSection, outputSection, type DenyConfig, type GraphConfig, type OutputConfig } from './schema.js';
export { DENY_CONFIG_NAMES, DENY_EXCEPTIONS_NAMES, findDenyConfig, findDenyExceptions, findUpwards, type FindOptions } from './discover.js';
export { defaultDenyConfig, loadDenyConfig, readConfigText, type DenyLoadOptions, type LoadedDenyConfig } from './load.js';
export { parseDenyConfig } from './parse.js';
export { loadDenyExceptions, parseDenyExceptions, type LoadedDenyExceptions } from './exceptions.js';
export { legacySpecPass, legacySpecTable, legacySpecText, SPEC_LISTS } from './legacy-spec.js';
export { duplicateItemsPass } from './duplicates.js';
export { expandPath, PathExpansionError, type ExpansionContext } from './expand-path.js';
export { DurationError, parseDuration } from './duration.js';
export { initTemplate } from './template.js';

/** Yanked-crate lookups: the public surface of this folder. */
export {
  checkYanked,
  normaliseIndexUrl,
  DEFAULT_INDEX_URL,
  ERROR_PREFIX,
  type YankedCheckOptions,
  type YankedCheckResult,
  type YankedCheckError,
  type YankedCheckWarning,
  type YankedErrorReason,
} from './check.js';
export { indexPath } from './index-path.js';
export { parseIndexFile, type IndexEntry, type IndexLimits, type ParsedIndexFile } from './index-entries.js';
export { parseCargoCache, type ParsedCargoCache } from './cargo-cache.js';
export { cachedIndexFilePath } from './own-cache.js';

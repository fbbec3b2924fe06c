/** Kept in step with package.json by a test (test/cli/version.test.ts). */
export const VERSION = '0.1.0';

declare const __SENTINEL_BUILD_ID__: string | undefined;

/**
 * Identifies the code that runs, for caches whose contents depend on it (see
 * workspace/parsed-cache.ts): scripts/bundle.mjs inlines a hash of the sources
 * and the locked dependencies; unbundled (the tests), the version.
 */
export const BUILD_ID = typeof __SENTINEL_BUILD_ID__ === 'string' ? __SENTINEL_BUILD_ID__ : `${VERSION}+unbundled`;

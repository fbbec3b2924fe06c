/**
 * The one way this project loads smol-toml: lazily, through its CommonJS
 * build. A lockfile in Cargo's own layout and a cached advisory index are read
 * without any TOML parser, so the warm path should not pay for loading one;
 * and one shared instance means one TomlError class to test against.
 */
import { createRequire } from 'node:module';

type SmolToml = typeof import('smol-toml');

const require = createRequire(import.meta.url);

/** smol-toml's module (loaded on first call; `require` caches it). */
export const smolToml = (): SmolToml => require('smol-toml') as SmolToml;

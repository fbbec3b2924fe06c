/**
 * The one way this project reaches smol-toml, so there is one instance and one
 * TomlError class to test against. It is bundled into the CLI, where V8's code
 * cache (src/launch/) makes loading it nearly free, so no lazy loading here.
 */
import * as smolTomlModule from 'smol-toml';

type SmolToml = typeof smolTomlModule;

/** smol-toml's module. */
export const smolToml = (): SmolToml => smolTomlModule;

// Bundles the CLI into dist/bundle/main.cjs, one CommonJS file, and its launcher
// into dist/bundle/launch.mjs (what bin/cargo-sentinel.js runs). Node 20 has no
// module compile cache: resolving, loading and compiling some fifty ES modules
// cost more than a warm audit's own work. One CommonJS file can be run through
// vm.Script with V8's code cache (src/launch/), which removes most of the
// compile time; parts a run does not use (git, zod, chalk, the report formats)
// are still evaluated only when a run first needs them, because dynamic
// import() of a bundled module becomes a lazy require. esbuild-wasm: the
// WebAssembly build, which installs without any install script.
import { build } from 'esbuild-wasm';
import { deepStrictEqual } from 'node:assert';
import { rmSync } from 'node:fs';

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
const src = (file) => new URL(`../src/${file}`, import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
// The default deny.toml configuration, computed from the schema (tsc has
// already built dist/src) and inlined, so a run without deny.toml skips
// validating an empty document. It must survive JSON unchanged.
const { unexpandedDefaultDenyConfig } = await import('../dist/src/policy/deny/load.js');
const defaults = unexpandedDefaultDenyConfig();
deepStrictEqual(JSON.parse(JSON.stringify(defaults)), defaults, 'the default deny.toml configuration is not plain JSON');
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: [src('cli/main.ts')],
  outfile: `${outdir}main.cjs`,
  format: 'cjs',
  // Modules that find files or packages beside themselves use import.meta.url;
  // in CommonJS that is the bundle's own file URL.
  define: { 'import.meta.url': '__sentinelModuleUrl', __SENTINEL_DEFAULT_DENY_CONFIG__: JSON.stringify(JSON.stringify(defaults)) },
  banner: { js: "const __sentinelModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: [src('launch/launch.ts')], outfile: `${outdir}launch.mjs`, format: 'esm' });

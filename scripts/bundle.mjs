// Bundles the CLI into dist/bundle/main.cjs, one CommonJS file, and its launcher
// into dist/bundle/launch.cjs (what bin/cargo-sentinel.cjs runs). Node 20 has no
// module compile cache: resolving, loading and compiling some fifty ES modules
// cost more than a warm audit's own work. One CommonJS file can be run through
// vm.Script with V8's code cache (src/launch/), which removes most of the
// compile time; parts a run does not use (git, zod, chalk, the report formats)
// are still evaluated only when a run first needs them, because dynamic
// import() of a bundled module becomes a lazy require. esbuild-wasm: the
// WebAssembly build, which installs without any install script.
import { build } from 'esbuild-wasm';
import { deepStrictEqual } from 'node:assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
const src = (file) => new URL(`../src/${file}`, import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
// The default deny.toml configuration, computed from the schema (tsc has
// already built dist/src) and inlined, so a run without deny.toml skips
// validating an empty document. It must survive JSON unchanged.
const { unexpandedDefaultDenyConfig } = await import('../dist/src/policy/deny/parse.js');
const defaults = unexpandedDefaultDenyConfig();
deepStrictEqual(JSON.parse(JSON.stringify(defaults)), defaults, 'the default deny.toml configuration is not plain JSON');
// What the code is: a hash of every source file and the locked dependency
// tree, for caches whose contents depend on the parsers (src/cli/version.ts).
const root = new URL('../', import.meta.url).pathname;
const hash = createHash('sha256');
for (const file of readdirSync(`${root}src`, { recursive: true }).map(String).sort()) {
  if (!file.endsWith('.ts')) continue;
  hash.update(`${file}\0`).update(readFileSync(`${root}src/${file}`)).update('\0');
}
hash.update(readFileSync(`${root}package-lock.json`));
const buildId = `${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}+${hash.digest('hex').slice(0, 16)}`;
// ASCII output (esbuild escapes the rest), so the launcher can read the
// bundle as Latin-1 without decoding UTF-8. Whitespace and syntax minified (a
// smaller file to read and cache), names kept for readable stack traces.
const minify = process.env.SENTINEL_BUNDLE_MINIFY !== '0';
// commander loads child_process (and with it net, dgram and streams, ~3 ms)
// when it is loaded, for executable subcommands, which this CLI has none of.
// Its one use, spawn(), loads it when called instead. If commander's source
// changes shape the build fails rather than bundling it unchanged.
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      const uses = text.match(/childProcess\.\w+/g) ?? [];
      if (!text.includes(eager) || uses.some((u) => u !== 'childProcess.spawn')) {
        throw new Error(`${args.path}: commander no longer loads child_process as scripts/bundle.mjs expects; update the plugin`);
      }
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', charset: 'ascii', minifyWhitespace: minify, minifySyntax: minify };
// Both outputs are CommonJS, as is the executable that requires the launcher:
// no ES module loader at start-up. Modules that find files or packages beside
// themselves use import.meta.url; in CommonJS that is the output's own file URL.
const cjs = {
  ...common,
  format: 'cjs',
  define: { 'import.meta.url': '__sentinelModuleUrl', __SENTINEL_BUILD_ID__: JSON.stringify(buildId) },
  banner: { js: "const __sentinelModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await build({
  ...cjs,
  entryPoints: [src('cli/main.ts')],
  outfile: `${outdir}main.cjs`,
  plugins: [lazyChildProcess],
  define: { ...cjs.define, __SENTINEL_DEFAULT_DENY_CONFIG__: JSON.stringify(JSON.stringify(defaults)) },
});
// Minified, the bundle is ASCII and the launcher reads it as Latin-1, which
// skips UTF-8 decoding; unminified (SENTINEL_BUNDLE_MINIFY=0, for profiling)
// it keeps comments that are not.
const ascii = !/[^\x00-\x7f]/.test(readFileSync(`${outdir}main.cjs`, 'latin1'));
await build({
  ...cjs,
  entryPoints: [src('launch/launch.ts')],
  outfile: `${outdir}launch.cjs`,
  define: { ...cjs.define, __SENTINEL_BUNDLE_ENCODING__: JSON.stringify(ascii ? 'latin1' : 'utf8') },
});

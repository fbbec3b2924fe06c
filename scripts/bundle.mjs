// Bundles the CLI into dist/bundle/ (one chunk per lazily loaded part), which is
// what bin/cargo-sentinel.js runs. Node 20 has no module compile cache, and
// resolving and loading some fifty separate ES modules costs more than the
// whole warm audit's own work; a bundle with code splitting starts about as fast
// as a bare `node -e 0` and still loads git, zod, chalk and the parsers only
// when a run needs them. esbuild-wasm: the WebAssembly build, which installs
// without any install script.
import { build } from 'esbuild-wasm';
import { rmSync } from 'node:fs';

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (simple-git's, semver) call require(); give ESM chunks one.
  banner: { js: "import { createRequire as __sentinelRequire } from 'node:module'; const require = __sentinelRequire(import.meta.url);" },
  logLevel: 'warning',
});

/**
 * What bin/cargo-sentinel.cjs runs: loads the bundled CLI (dist/bundle/main.cjs)
 * with V8's code cache (see code-cache.ts) and runs it. Built by
 * scripts/bundle.mjs into dist/bundle/launch.cjs, beside the bundle.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { codeCacheDir, codeCacheFile, commandOf, decodeCodeCache, encodeCodeCache, readCodeCache, writeCodeCache } from './code-cache.js';

type Main = (argv: string[]) => Promise<number>;

/** Set by scripts/bundle.mjs: the hash of the sources the bundle was built from. */
declare const __SENTINEL_BUILD_ID__: string | undefined;
const BUILD = typeof __SENTINEL_BUILD_ID__ === 'string' ? __SENTINEL_BUILD_ID__ : 'unbundled';
/** Set by scripts/bundle.mjs: latin1 when the bundle is ASCII, which reads it without decoding UTF-8. */
declare const __SENTINEL_BUNDLE_ENCODING__: BufferEncoding | undefined;
const ENCODING = typeof __SENTINEL_BUNDLE_ENCODING__ === 'string' ? __SENTINEL_BUNDLE_ENCODING__ : 'utf8';

/** How a run used the cache (tests read it; the exit code never depends on it). */
export type CodeCacheState = 'off' | 'used' | 'written' | 'extended' | 'replaced' | 'unwritable';

export interface Launched {
  code: number;
  cache: CodeCacheState;
}

export async function launch(
  argv: string[],
  bundle = fileURLToPath(new URL('./main.cjs', import.meta.url)),
  env: NodeJS.ProcessEnv = process.env,
): Promise<Launched> {
  const source = fs.readFileSync(bundle, ENCODING);
  const dir = codeCacheDir(env);
  const file = dir === undefined ? undefined : codeCacheFile(dir, BUILD, bundle, fs.statSync(bundle));
  const stored = file === undefined ? undefined : decodeCodeCache(readCodeCache(file));
  const cachedData = stored?.data;
  // The same wrapper Node gives a CommonJS module, so the bundle runs as one.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as { main?: Main; runProcess?: Main } };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  // runProcess: main() with the process's streams, flushed when it returns.
  const main = module.exports.runProcess ?? module.exports.main;
  if (typeof main !== 'function') throw new Error(`${bundle} does not export runProcess() or main(); rebuild with npm run build`);
  const code = await main(argv);
  if (file === undefined) return { code, cache: 'off' };
  const command = commandOf(argv);
  const accepted = stored !== undefined && script.cachedDataRejected !== true;
  if (accepted && stored.covers.includes(command)) return { code, cache: 'used' };
  // Written after the run, so the bytecode holds every function it compiled:
  // those the cache brought and those this command needed.
  const covers = accepted ? [...stored.covers, command] : [command];
  if (!writeCodeCache(file, () => encodeCodeCache({ covers, data: script.createCachedData() }))) return { code, cache: 'unwritable' };
  return { code, cache: accepted ? 'extended' : stored === undefined ? 'written' : 'replaced' };
}

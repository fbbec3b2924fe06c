/**
 * Where deny.toml is: `--config` when given (relative to the working
 * directory), else the first of `deny.toml`, `.deny.toml`, `.cargo/deny.toml`
 * in the manifest's directory or the nearest ancestor that has one. The
 * licence exceptions companion (`deny.exceptions.toml` and the same variants)
 * is looked for the same way, on its own.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { configError } from '../../errors.js';

export const DENY_CONFIG_NAMES = ['deny.toml', '.deny.toml', '.cargo/deny.toml'] as const;
export const DENY_EXCEPTIONS_NAMES = ['deny.exceptions.toml', '.deny.exceptions.toml', '.cargo/deny.exceptions.toml'] as const;

export interface FindOptions {
  /** `--config`: used as given, no search. */
  config?: string;
  /** What a relative `--config` is relative to (default: the process's working directory). */
  cwd?: string;
}

const isFile = (file: string): boolean => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

/** The first of `names` in `dir` or its ancestors, nearest directory first. */
export function findUpwards(dir: string, names: readonly string[]): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of names) {
      const candidate = path.join(current, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The deny.toml to load, or undefined when there is none (the defaults then apply). */
export function findDenyConfig(manifestDir: string, options: FindOptions = {}): string | undefined {
  if (options.config !== undefined) {
    const file = path.resolve(options.cwd ?? process.cwd(), options.config);
    if (!isFile(file)) throw configError(`config file ${file} does not exist`, { file: options.config });
    return file;
  }
  return findUpwards(manifestDir, DENY_CONFIG_NAMES);
}

/** The licence exceptions companion file, if any. */
export function findDenyExceptions(manifestDir: string): string | undefined {
  return findUpwards(manifestDir, DENY_EXCEPTIONS_NAMES);
}

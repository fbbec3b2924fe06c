/**
 * Runs `cargo metadata`: an argument array (never a shell), a time limit and
 * a bound on what is read back. cargo resolves the graph without building
 * anything, so no code of the audited project runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inputError, operationalError } from '../../errors.js';

export interface CargoArgs {
  offline: boolean;
  locked: boolean;
  frozen: boolean;
  allFeatures: boolean;
  noDefaultFeatures: boolean;
  features: string[];
}

export interface CargoRun {
  manifestPath: string;
  cargoArgs: CargoArgs;
  /** `--filter-platform` is passed when this holds exactly one triple. */
  triples: string[];
  env: Record<string, string | undefined>;
  timeoutMs: number;
  maxOutputBytes: number;
}

export const DEFAULT_CARGO_TIMEOUT_MS = 120_000;
export const DEFAULT_CARGO_MAX_OUTPUT = 256 * 1024 * 1024;
/** What is kept of cargo's stderr for the error message. */
const MAX_STDERR = 64 * 1024;

export function cargoMetadataArgs(run: Pick<CargoRun, 'manifestPath' | 'cargoArgs' | 'triples'>): string[] {
  const { cargoArgs: c } = run;
  const args = ['metadata', '--format-version', '1', '--manifest-path', run.manifestPath];
  if (c.offline) args.push('--offline');
  if (c.locked) args.push('--locked');
  if (c.frozen) args.push('--frozen');
  if (c.allFeatures) args.push('--all-features');
  if (c.noDefaultFeatures) args.push('--no-default-features');
  if (c.features.length > 0) args.push('--features', c.features.join(','));
  if (run.triples.length === 1) args.push('--filter-platform', run.triples[0] as string);
  return args;
}

export interface CargoError {
  message: string;
  /** The ` --> file:line:column` cargo prints under the error, relative to its working directory. */
  at: { file: string; line: number; column: number } | undefined;
}

/** cargo's first `error:` line, without the prefix and colour codes, and where it points. */
export function firstCargoError(stderr: string): CargoError | undefined {
  const lines = stderr.split('\n').map((raw) => raw.replace(/\u001b\[[0-9;]*m/g, '').trimEnd());
  const index = lines.findIndex((line) => line.startsWith('error:'));
  if (index < 0) return undefined;
  const arrow = /^\s*--> (.+):([0-9]+):([0-9]+)$/.exec(lines[index + 1] ?? '');
  return {
    message: (lines[index] as string).slice('error:'.length).trim(),
    at: arrow ? { file: arrow[1] as string, line: Number(arrow[2]), column: Number(arrow[3]) } : undefined,
  };
}

/** The cargo binary: `$CARGO` when cargo-sentinel runs as `cargo sentinel`, else `cargo` from PATH. */
const cargoBinary = (env: Record<string, string | undefined>): string => env['CARGO'] || 'cargo';

/**
 * cargo metadata's stdout, or undefined when cargo is not installed (the
 * caller then reads Cargo.lock instead). cargo's own failure is an input
 * error carrying its first `error:` line.
 */
export function runCargoMetadata(run: CargoRun): Promise<string | undefined> {
  const args = cargoMetadataArgs(run);
  // Checked first: a missing working directory would fail the spawn like a missing cargo.
  if (!existsSync(run.manifestPath)) return Promise.reject(inputError(`manifest not found: ${run.manifestPath}`));
  return new Promise((resolve, reject) => {
    const cwd = path.dirname(run.manifestPath);
    // Run from the project, so cargo reads its `.cargo/config.toml` as it would for the user.
    const child = spawn(cargoBinary(run.env), args, {
      cwd,
      env: { ...run.env, CARGO_TERM_COLOR: 'never' },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: Error | undefined;
    const stop = (error: Error): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(operationalError(`\`cargo metadata\` did not finish within ${run.timeoutMs % 1000 === 0 ? `${run.timeoutMs / 1000} s` : `${run.timeoutMs} ms`}`, { file: run.manifestPath })),
      run.timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > run.maxOutputBytes) stop(operationalError(`\`cargo metadata\` printed more than ${run.maxOutputBytes} bytes`, { file: run.manifestPath }));
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') resolve(undefined);
      else reject(operationalError(`cannot run cargo: ${e.message}`, undefined, e));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code === 0) return resolve(Buffer.concat(chunks).toString('utf8'));
      const first = firstCargoError(stderr);
      const message = first?.message ?? (stderr.trim().split('\n')[0] || `exit ${code ?? signal}`);
      const place = first?.at ? { ...first.at, file: path.resolve(cwd, first.at.file) } : { file: run.manifestPath };
      reject(inputError(`\`cargo metadata\` failed: ${message}`, place, new Error(stderr.trim())));
    });
  });
}

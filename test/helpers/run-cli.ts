/**
 * Run the CLI in-process with captured output, an isolated CARGO_HOME and a
 * working directory of the test's choosing (so no stray audit.toml is read).
 */
import { main, type Io } from '../../src/cli/main.js';
import { tempDir } from './git-fixtures.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; now?: Date; tty?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const cwd = options.cwd ?? tempDir('sentinel-cwd-');
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdoutIsTty: options.tty ?? false,
    stderrIsTty: options.tty ?? false,
    env: { CARGO_HOME: `${cwd}/.cargo-home`, PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    cwd,
    now: () => options.now ?? new Date('2026-09-01T00:00:00Z'),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

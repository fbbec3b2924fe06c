/**
 * Entry point: argument parsing and the mapping from outcomes to exit codes.
 * Commands are loaded lazily so each run pays only for the code it uses
 * (start-up time is most of a warm audit).
 */
import { Command, CommanderError } from 'commander';
import { isSentinelError, describeAt } from '../errors.js';
import { AuditExit } from './exit-codes.js';
import { VERSION } from './version.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

export const processIo = (): Io => ({
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  stdoutIsTty: Boolean(process.stdout.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
});

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  // `cargo sentinel …` runs us as `cargo-sentinel sentinel …`.
  const args = argv[0] === 'sentinel' ? argv.slice(1) : argv;
  let exitCode: number = AuditExit.clean;

  const program = new Command('cargo-sentinel')
    .description('Audit Rust dependencies: advisories, licenses, bans, sources and build-time code')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('audit')
    .description('Audit Cargo.lock against the RustSec advisory database (a drop-in for `cargo audit`)')
    .option('-f, --file <path>', 'Cargo.lock to audit', undefined)
    .option('-d, --db <path>', 'advisory database checkout (default: $CARGO_HOME/advisory-dbs/<name>-<hash>)')
    .option('-u, --url <url>', 'advisory database git URL (any git URL, local path or bundle)')
    .option('-n, --no-fetch', 'do not fetch the database; use the local copy as it is')
    .option('--stale', 'allow a database whose newest commit is more than 90 days old')
    .option('--ignore <id>', 'ignore an advisory by id or alias (repeatable)', collect)
    .option('-D, --deny <kind>', 'fail on warnings of this kind: warnings, unmaintained, unsound, yanked (repeatable)', collect)
    .option('--target-arch <arch>', 'only advisories affecting this CPU architecture (repeatable)', collect)
    .option('--target-os <os>', 'only advisories affecting this OS (repeatable)', collect)
    .option('--json', 'print cargo-audit JSON (same as --format json)')
    .option('--format <format>', 'terminal, json or sarif')
    .option('-q, --quiet', 'no status lines and no dependency trees')
    .option('-c, --color <when>', 'auto, always or never')
    .option('--no-yanked', 'do not check for yanked crates')
    .option('--index-url <url>', 'crates.io sparse index base URL for yanked checks')
    .option('--cache-dir <dir>', 'where compiled indexes and index entries are cached')
    .action(async (opts: Record<string, unknown>) => {
      const { auditCommand } = await import('./audit.js');
      exitCode = await auditCommand(
        {
          file: opts.file as string | undefined,
          db: opts.db as string | undefined,
          url: opts.url as string | undefined,
          noFetch: opts.fetch === false,
          stale: opts.stale as boolean | undefined,
          ignore: opts.ignore as string[] | undefined,
          deny: opts.deny as string[] | undefined,
          targetArch: opts.targetArch as string[] | undefined,
          targetOs: opts.targetOs as string[] | undefined,
          json: opts.json as boolean | undefined,
          format: opts.format as string | undefined,
          quiet: opts.quiet as boolean | undefined,
          color: opts.color as string | undefined,
          noYanked: opts.yanked === false,
          indexUrl: opts.indexUrl as string | undefined,
          cacheDir: opts.cacheDir as string | undefined,
        },
        io,
      );
    });

  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (e) {
    return reportFailure(e, io);
  }
}

/** Print a failure as a person can act on it and pick its exit code; never a stack trace. */
export function reportFailure(e: unknown, io: Io): number {
  if (e instanceof CommanderError) {
    // help and --version "fail" with exit code 0
    return e.exitCode === 0 ? AuditExit.clean : AuditExit.badInput;
  }
  if (isSentinelError(e)) {
    io.stderr(`error: ${e.describe()}\n`);
    if (e.problems.length > 1) for (const p of e.problems) io.stderr(`  ${describeAt(p.message, p.place)}\n`);
    return e.kind === 'operational' ? AuditExit.operational : AuditExit.badInput;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.stderr(`error: internal error: ${message}\n`);
  io.stderr('This is a bug in cargo-sentinel; please report it with the command line you ran.\n');
  if (io.env.CARGO_SENTINEL_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return AuditExit.internal;
}

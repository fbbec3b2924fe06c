/**
 * Entry point: argument parsing and the mapping from outcomes to exit codes.
 * Commands are loaded lazily so each run pays only for the code it uses
 * (start-up time is most of a warm audit).
 */
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Command, CommanderError } from 'commander';
import { isSentinelError, describeAt } from '../errors.js';
import { AuditExit, CheckExit, type Face } from './exit-codes.js';
import { VERSION } from './version.js';
import { addGlobalFlags, globalFlagsOf } from './global-flags.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

/**
 * Writes all of `text` to a file or pipe with write(2), as Node itself does
 * for files. A descriptor left non-blocking by whoever opened it is waited on;
 * a reader that went away (`| head`) or a closed descriptor ends the output.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE' || code === 'EBADF') return;
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Resolves once everything written to a stream so far has been handed to the system. */
const drained = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));

/**
 * The process's own streams. A terminal gets Node's stream (it knows the
 * console); a file or pipe is written directly and synchronously: creating
 * Node's stream objects (for a pipe, with the net module) costs some 3 ms of a
 * 100 ms run. `flush` waits for what a terminal stream still holds.
 */
export function processIo(): Io & { flush(): Promise<void> } {
  const outTty = isatty(1);
  const errTty = isatty(2);
  return {
    stdout: outTty ? (t) => void process.stdout.write(t) : (t) => writeAll(1, t),
    stderr: errTty ? (t) => void process.stderr.write(t) : (t) => writeAll(2, t),
    stdoutIsTty: outTty,
    stderrIsTty: errTty,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    flush: async () => {
      if (outTty) await drained(process.stdout);
      if (errTty) await drained(process.stderr);
    },
  };
}

/** The executable's entry point (src/launch/): the process's streams, the run, its output flushed. */
export async function runProcess(argv: string[]): Promise<number> {
  const io = processIo();
  const code = await main(argv, io);
  await io.flush();
  return code;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  // `cargo sentinel …` runs us as `cargo-sentinel sentinel …`.
  const args = argv[0] === 'sentinel' ? argv.slice(1) : argv;
  let exitCode: number = AuditExit.clean;

  const program = addGlobalFlags(
    new Command('cargo-sentinel')
      .description('Audit Rust dependencies: advisories, licenses, bans, sources and build-time code')
      .version(VERSION, '-V, --version')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .showHelpAfterError('(run with --help for usage)')
      // Options before the subcommand are cargo-deny's global flags; after it, the subcommand's own.
      .enablePositionalOptions(),
  );
  const global = () => globalFlagsOf(program.opts());

  program
    .command('audit')
    .description('Audit Cargo.lock against the RustSec advisory database (a drop-in for `cargo audit`)')
    .option('-f, --file <path>', 'Cargo.lock to audit; repeat it, or name a directory (searched for Cargo.lock files), to audit many projects at once', collect)
    .option('-d, --db <path>', 'advisory database checkout (default: $CARGO_HOME/advisory-dbs/<name>-<hash>)')
    .option('-u, --url <url>', 'advisory database git URL (any git URL, local path or bundle)')
    .option('-n, --no-fetch', 'do not fetch the database; use the local copy as it is')
    .option('--stale', 'allow a database whose newest commit is more than 90 days old')
    .option('--ignore <id>', 'ignore an advisory by id or alias (repeatable)', collect)
    .option('-D, --deny <kind>', 'fail on warnings of this kind: warnings, unmaintained, unsound, yanked (repeatable)', collect)
    .option('--target-arch <arch>', 'only advisories affecting this CPU architecture (repeatable)', collect)
    .option('--target-os <os>', 'only advisories affecting this OS (repeatable)', collect)
    .option('--json', 'print cargo-audit JSON (same as --format json)')
    .option('--format <format>', 'terminal, json, sarif, github or markdown')
    .option('-q, --quiet', 'no status lines and no dependency trees')
    .option('-c, --color <when>', 'auto, always or never')
    .option('--no-yanked', 'do not check for yanked crates')
    .option('--index-url <url>', 'crates.io sparse index base URL for yanked checks')
    .option('--cache-dir <dir>', 'where compiled indexes and index entries are cached')
    .action(async (opts: Record<string, unknown>) => {
      const { auditCommand } = await import('./audit.js');
      exitCode = await auditCommand(
        {
          file: opts.file as string[] | undefined,
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
          color: (opts.color ?? global().color) as string | undefined,
          noYanked: opts.yanked === false,
          indexUrl: opts.indexUrl as string | undefined,
          cacheDir: opts.cacheDir as string | undefined,
        },
        io,
      );
    });

  program
    .command('check')
    .description('Check the dependency graph against deny.toml (a drop-in for `cargo deny check`)')
    .argument('[which...]', 'advisories, bans, licenses, sources, build or all (default all)')
    .option('-A, --allow <code-or-level>', 'lower a diagnostic code (or the level allowed/warnings/denied) to a note (repeatable)', collect)
    .option('-W, --warn <code-or-level>', 'make a diagnostic code or level a warning (repeatable)', collect)
    .option('-D, --deny <code-or-level>', 'make a diagnostic code or level an error, e.g. -D warnings (repeatable)', collect)
    .option('--hide-inclusion-graph', 'do not print how each crate is included')
    .option('-s, --show-stats', 'print a table of errors, warnings and notes per check')
    .option('--feature-depth <n>', 'accepted for compatibility with cargo-deny')
    .option('-g, --graph <dir>', 'accepted for compatibility with cargo-deny (dot graphs are not written)')
    .option('--audit-compatible-output', 'accepted for compatibility with cargo-deny')
    .action(async (which: string[], opts: Record<string, unknown>) => {
      const { checkCommand } = await import('./check.js');
      exitCode = await checkCommand(
        which,
        {
          allow: (opts.allow as string[] | undefined) ?? [],
          warn: (opts.warn as string[] | undefined) ?? [],
          deny: (opts.deny as string[] | undefined) ?? [],
          hideInclusionGraph: Boolean(opts.hideInclusionGraph),
          showStats: Boolean(opts.showStats),
        },
        global(),
        io,
      );
    });

  program
    .command('fetch')
    .description('Fetch the advisory databases (and nothing else) without checking')
    .argument('[what...]', 'db or all (default all)')
    .action(async (what: string[]) => {
      const { fetchCommand } = await import('./fetch.js');
      exitCode = await fetchCommand(what, global(), io);
    });

  program
    .command('sbom')
    .description('Write a software bill of materials (CycloneDX or SPDX JSON) for the workspace')
    .option('--format <format>', 'cyclonedx or spdx', 'cyclonedx')
    .option('--spec-version <version>', 'CycloneDX specification version: 1.6 or 1.5', '1.6')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--with-vulnerabilities', 'include the advisories found (CycloneDX vulnerabilities)')
    .action(async (opts: Record<string, unknown>) => {
      const { sbomCommand } = await import('./sbom.js');
      exitCode = await sbomCommand(
        {
          format: String(opts.format),
          specVersion: String(opts.specVersion),
          output: opts.output as string | undefined,
          withVulnerabilities: Boolean(opts.withVulnerabilities),
        },
        global(),
        io,
      );
    });

  program
    .command('report')
    .description('Write an audit report for security leads: one self-contained HTML file (or markdown, JSON)')
    .option('--format <format>', 'html, markdown or json', 'html')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (opts: Record<string, unknown>) => {
      const { reportCommand } = await import('./report.js');
      exitCode = await reportCommand({ format: String(opts.format), output: opts.output as string | undefined }, global(), io);
    });

  program
    .command('init')
    .description('Write a commented deny.toml template (to --config, else ./deny.toml)')
    .action(async () => {
      const { initCommand } = await import('./init.js');
      exitCode = await initCommand(global(), io);
    });

  program
    .command('list')
    .description('List the licenses in use, by license or by crate')
    .option('-t, --threshold <n>', 'confidence threshold for license text detection', '0.8')
    .option('-f, --format <format>', 'human, json or tsv', 'human')
    .option('-l, --layout <layout>', 'license or crate', 'license')
    .action(async (opts: Record<string, unknown>) => {
      const { listCommand } = await import('./list.js');
      exitCode = await listCommand({ format: String(opts.format), layout: String(opts.layout), threshold: Number(opts.threshold) }, global(), io);
    });

  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (e) {
    return reportFailure(e, io, faceOf(args));
  }
}

const DENY_COMMANDS = new Set(['check', 'fetch', 'init', 'list', 'sbom', 'report']);

/** Which face's exit codes apply: the first subcommand word decides (`audit` when there is none). */
function faceOf(args: readonly string[]): Face {
  const command = args.find((a) => a === 'audit' || DENY_COMMANDS.has(a));
  return command !== undefined && DENY_COMMANDS.has(command) ? 'check' : 'audit';
}

/** Print a failure as a person can act on it and pick its exit code; never a stack trace. */
export function reportFailure(e: unknown, io: Io, face: Face = 'audit'): number {
  const codes = face === 'check' ? CheckExit : AuditExit;
  if (e instanceof CommanderError) {
    // help and --version "fail" with exit code 0
    return e.exitCode === 0 ? codes.clean : codes.badInput;
  }
  if (isSentinelError(e)) {
    io.stderr(`error: ${e.describe()}\n`);
    if (e.problems.length > 1) for (const p of e.problems) io.stderr(`  ${describeAt(p.message, p.place)}\n`);
    return e.kind === 'operational' ? codes.operational : codes.badInput;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.stderr(`error: internal error: ${message}\n`);
  io.stderr('This is a bug in cargo-sentinel; please report it with the command line you ran.\n');
  if (io.env.CARGO_SENTINEL_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return codes.internal;
}

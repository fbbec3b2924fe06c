/**
 * `cargo-sentinel check`: cargo-deny's command line, the check pipeline, the
 * severity overrides and log-level filter, a reporter, and cargo-deny's exit
 * bitset (plus our build bit) — computed here, at the edge.
 */
import path from 'node:path';
import { cargoHome } from '../audit/settings.js';
import { ALL_CHECKS, runCheck, type CheckOutcome, type CheckSettings } from '../check/run.js';
import { knownCodes } from '../diagnostics/codes.js';
import { applyOverrides, checkExitCode, countByCheck, isShown, LOG_LEVELS, parseOverrides, type CheckCounts, type LogLevel } from '../diagnostics/levels.js';
import type { CheckName, Diagnostic } from '../diagnostics/types.js';
import { configError } from '../errors.js';
import { inclusionGraph, inclusionLines } from '../report/inclusion.js';
import { lineReader } from '../report/source-lines.js';
import { makeStyle, plainStyle, wantsColor, type Style } from '../report/style.js';
import type { ColorChoice } from '../audit/settings.js';
import type { GlobalFlags } from './global-flags.js';
import type { Io } from './main.js';

export interface CheckFlags {
  allow: string[];
  warn: string[];
  deny: string[];
  hideInclusionGraph: boolean;
  showStats: boolean;
}

const FORMATS = ['human', 'json', 'sarif', 'github', 'markdown'] as const;

export async function checkCommand(which: string[], flags: CheckFlags, global: GlobalFlags, io: Io): Promise<number> {
  const checks = selectChecks(which);
  const logLevel = (global.logLevel ?? 'warn') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw configError(`invalid value '${logLevel}' for --log-level: expected one of ${LOG_LEVELS.join(', ')}`);
  const format = global.format ?? 'human';
  if (!(FORMATS as readonly string[]).includes(format)) throw configError(`invalid value '${format}' for --format: expected one of ${FORMATS.join(', ')}`);
  const overrides = parseOverrides(flags.allow, flags.warn, flags.deny, knownCodes());

  const color = (global.color ?? io.env.CARGO_TERM_COLOR ?? 'auto') as ColorChoice;
  // Machine formats keep stderr's log lines plain.
  const style = format === 'human' ? await makeStyle(wantsColor(color, io.stderrIsTty, io.env)) : plainStyle;
  const settings = settingsFrom(checks, global, io);
  const now = io.now();
  const log = (level: 'WARN' | 'INFO', message: string): void => {
    if (!isShown(level === 'WARN' ? 'warning' : 'note', logLevel)) return;
    if (format === 'json') io.stderr(`${JSON.stringify({ type: 'log', fields: { timestamp: now.toISOString(), level, message } })}\n`);
    else io.stderr(`${style.boldYellow(level === 'WARN' ? 'warning' : 'info')}: ${message}\n`);
  };

  const outcome = await runCheck(settings, {
    status: (verb, message) => log('INFO', verb === 'Timing' ? message : `${verb.toLowerCase()} ${message}`),
    warn: (message) => log('WARN', message),
    now,
  });

  const diagnostics = applyOverrides(outcome.diagnostics, overrides);
  const counts = countByCheck(diagnostics, checks);
  const shown = diagnostics.filter((d) => isShown(d.severity, logLevel));
  const lockfile = outcome.graph.lockfile;
  const readLines = lineReader(lockfile?.text === undefined ? [] : [[lockfile.path, lockfile.text]]);
  const graphFor = (d: Diagnostic) =>
    flags.hideInclusionGraph || !d.package ? undefined : inclusionGraph(outcome.graph, d.package.id);

  const exitCode = checkExitCode(counts);
  if (format === 'json') {
    const { diagnosticJsonLine, summaryJsonLine } = await import('../report/deny-json.js');
    for (const d of shown) io.stderr(diagnosticJsonLine(d, readLines, graphFor(d)));
    io.stderr(summaryJsonLine(counts));
  } else if (format === 'sarif' || format === 'github' || format === 'markdown') {
    // Documents for GitHub go to stdout; the exit code is the same as for every other format.
    const { repoPaths, renderCheckSarif } = await import('../report/sarif.js');
    const paths = repoPaths(io.cwd, io.env);
    if (format === 'sarif') {
      io.stdout(renderCheckSarif({ diagnostics: shown, counts, exitCode, paths, manifest: path.resolve(io.cwd, settings.manifestPath) }));
    } else if (format === 'github') {
      const { renderCheckGithub } = await import('../report/github.js');
      io.stdout(renderCheckGithub(shown, counts, paths));
    } else {
      const { renderCheckMarkdown } = await import('../report/markdown.js');
      io.stdout(renderCheckMarkdown({ diagnostics: shown, counts, exitCode, paths }));
    }
  } else {
    const { renderHumanDiagnostic } = await import('../report/human.js');
    // Written in pieces of about 64 KiB: a few system calls for a large run's
    // few hundred KiB, without keeping all of it alive until the end.
    let pending: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (pending.length > 0) io.stderr(pending.join(''));
      pending = [];
      size = 0;
    };
    for (const d of shown) {
      const text = renderHumanDiagnostic(d, {
        style,
        readLines,
        cwd: io.cwd,
        inclusionGraph: () => {
          const g = graphFor(d);
          return g ? inclusionLines(g) : undefined;
        },
      });
      pending.push(text);
      size += text.length;
      if (size >= 64 * 1024) flush();
    }
    flush();
    io.stdout(summary(counts, flags.showStats || logLevel === 'info' || logLevel === 'debug' || logLevel === 'trace', style));
  }
  return exitCode;
}

/** `check` with no names, or `all`, runs every check; cargo-deny's old names `ban`/`license` are gone there too. */
export function selectChecks(which: readonly string[]): CheckName[] {
  if (which.length === 0 || which.includes('all')) return [...ALL_CHECKS];
  const out: CheckName[] = [];
  for (const w of which) {
    if (!(ALL_CHECKS as readonly string[]).includes(w)) {
      throw configError(`unknown check '${w}': expected one of ${[...ALL_CHECKS, 'all'].join(', ')}`);
    }
    if (!out.includes(w as CheckName)) out.push(w as CheckName);
  }
  return out;
}

export function settingsFrom(checks: CheckName[], g: GlobalFlags, io: Io): CheckSettings {
  const home = cargoHome(io.env);
  return {
    checks,
    manifestPath: g.manifestPath ?? 'Cargo.toml',
    metadataPath: g.metadataPath !== undefined ? path.resolve(io.cwd, g.metadataPath) : undefined,
    configPath: g.config,
    lockfileOnly: Boolean(g.lockfileOnly),
    graph: {
      workspace: Boolean(g.workspace),
      exclude: g.exclude ?? [],
      targets: g.target ?? [],
      allFeatures: Boolean(g.allFeatures),
      noDefaultFeatures: Boolean(g.noDefaultFeatures),
      features: g.features ?? [],
      excludeDev: Boolean(g.excludeDev),
      excludeUnpublished: Boolean(g.excludeUnpublished),
    },
    offline: Boolean(g.offline || g.frozen),
    locked: Boolean(g.locked),
    frozen: Boolean(g.frozen),
    dbUrls: g.dbUrl ?? [],
    dbPath: g.dbPath,
    allowStale: Boolean(g.stale),
    indexUrl: g.indexUrl,
    cargoHome: home,
    cacheDir: path.resolve(io.cwd, g.cacheDir ?? io.env.CARGO_SENTINEL_CACHE ?? path.join(home, 'sentinel-cache')),
    env: io.env,
    cwd: io.cwd,
  };
}

/** cargo-deny's one-line summary (`advisories ok, bans FAILED, …`), or a table with counts. */
export function summary(counts: ReadonlyMap<CheckName, CheckCounts>, table: boolean, s: Style): string {
  const verdict = (c: CheckCounts): string => (c.errors > 0 ? s.boldRed('FAILED') : s.boldGreen('ok'));
  if (!table) return `${[...counts].map(([check, c]) => `${check} ${verdict(c)}`).join(', ')}\n`;
  return [...counts]
    .map(([check, c]) => `${check.padEnd(10)} ${verdict(c)}: ${c.errors} errors, ${c.warnings} warnings, ${c.notes} notes`)
    .join('\n')
    .concat('\n');
}

export type { CheckOutcome };

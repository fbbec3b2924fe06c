/**
 * `cargo-sentinel report`: every check run as `check` would run it, the
 * outcome turned into the audit report model, rendered as HTML (one
 * self-contained file), Markdown or JSON, to stdout or `--output`. Several
 * `--manifest-path`s, or a directory (searched for projects: a Cargo.lock
 * with its Cargo.toml), give one report with a part per project and a total;
 * the advisory database is opened once for all of them.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALL_CHECKS, runCheck } from '../check/run.js';
import { isShown, LOG_LEVELS, type LogLevel } from '../diagnostics/levels.js';
import { configError, isSentinelError } from '../errors.js';
import { buildReportModel, buildReportSet, renderReport, renderReportSet, reportDate, REPORT_FORMATS, type ReportFormat, type ReportSetProject } from '../report/audit-report/index.js';
import { displayPath, isDirectory, lockfilesUnder } from '../audit/lockfiles.js';
import { reusingOpener, type DatabaseHooks } from '../advisories/open.js';
import { settingsFrom } from './check.js';
import { CheckExit } from './exit-codes.js';
import type { GlobalFlags } from './global-flags.js';
import type { Io } from './main.js';
import { VERSION } from './version.js';

export interface ReportFlags {
  format: string;
  output?: string | undefined;
}

export async function reportCommand(flags: ReportFlags, global: GlobalFlags, io: Io): Promise<number> {
  if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) {
    throw configError(`invalid value '${flags.format}' for --format: expected one of ${REPORT_FORMATS.join(', ')}`);
  }
  const logLevel = (global.logLevel ?? 'warn') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw configError(`invalid value '${logLevel}' for --log-level: expected one of ${LOG_LEVELS.join(', ')}`);
  // One date for the report and for the check's ignore expiry, so a SOURCE_DATE_EPOCH run is reproducible throughout.
  const generatedAt = reportDate(io.env, io.now());
  const checks = [...ALL_CHECKS];
  const hooks: DatabaseHooks = {
    status: (verb, message) => {
      if (isShown('note', logLevel)) io.stderr(`info: ${verb === 'Timing' ? message : `${verb.toLowerCase()} ${message}`}\n`);
    },
    warn: (message) => {
      if (isShown('warning', logLevel)) io.stderr(`warning: ${message}\n`);
    },
    now: generatedAt,
  };
  const projects = projectManifests(global.manifestPaths ?? [], io.cwd);
  let text: string;
  let exitCode: number = CheckExit.clean;
  if (projects === undefined) {
    const outcome = await runCheck(settingsFrom(checks, global, io), hooks);
    const model = buildReportModel({ outcome, checks, generatedAt, toolVersion: VERSION });
    text = renderReport(model, flags.format as ReportFormat);
  } else {
    if (global.metadataPath !== undefined) throw configError('--metadata-path describes one workspace: it cannot be used with several projects');
    const parts: ReportSetProject[] = [];
    // Projects with the same database settings share one database, fetched and loaded once.
    const openDatabase = reusingOpener();
    for (const manifest of projects) {
      const shown = displayPath(manifest, io.cwd);
      try {
        const outcome = await runCheck(settingsFrom(checks, { ...global, manifestPath: manifest }, io), hooks, openDatabase);
        parts.push({ manifest: shown, report: buildReportModel({ outcome, checks, generatedAt, toolVersion: VERSION }), error: null });
      } catch (e) {
        // A project that cannot be read is reported as such; a broken database or cargo stops the report.
        if (!isSentinelError(e) || e.kind === 'operational') throw e;
        hooks.warn(`${shown} is not checked: ${e.describe()}`);
        parts.push({ manifest: shown, report: null, error: e.describe() });
        exitCode = CheckExit.badInput;
      }
    }
    text = renderReportSet(buildReportSet(parts, generatedAt, VERSION), flags.format as ReportFormat);
  }
  if (flags.output === undefined) io.stdout(text);
  else await writeOutput(path.resolve(io.cwd, flags.output), text);
  // The report is informational: failed checks are its content, not a failure of the command
  // (`check` is the gate). Only bad input (a project of several that could not be read
  // included) and operational failures exit non-zero.
  return exitCode;
}

/**
 * The Cargo.toml of each project, when `report` covers several: more than one
 * `--manifest-path`, or a directory, searched for Cargo.lock files as `audit`
 * searches one (each project is the Cargo.toml beside its Cargo.lock).
 * undefined for the one-project report.
 */
function projectManifests(inputs: readonly string[], cwd: string): string[] | undefined {
  const absolute = inputs.map((i) => path.resolve(cwd, i));
  if (absolute.length <= 1 && !absolute.some(isDirectory)) return undefined;
  const manifests = new Set<string>();
  absolute.forEach((input, i) => {
    if (!isDirectory(input)) manifests.add(input);
    else for (const lock of lockfilesUnder(input, inputs[i])) manifests.add(path.join(path.dirname(lock), 'Cargo.toml'));
  });
  return [...manifests].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function writeOutput(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, 'utf8');
  } catch (e) {
    throw configError(`cannot write the report to ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file }, e);
  }
}

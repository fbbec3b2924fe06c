/**
 * `cargo-sentinel report`: every check run as `check` would run it, the
 * outcome turned into the audit report model, rendered as HTML (one
 * self-contained file), Markdown or JSON, to stdout or `--output`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALL_CHECKS, runCheck } from '../check/run.js';
import { isShown, LOG_LEVELS, type LogLevel } from '../diagnostics/levels.js';
import { configError } from '../errors.js';
import { buildReportModel, renderReport, reportDate, REPORT_FORMATS, type ReportFormat } from '../report/audit-report/index.js';
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
  const outcome = await runCheck(settingsFrom(checks, global, io), {
    status: (verb, message) => {
      if (isShown('note', logLevel)) io.stderr(`info: ${verb === 'Timing' ? message : `${verb.toLowerCase()} ${message}`}\n`);
    },
    warn: (message) => {
      if (isShown('warning', logLevel)) io.stderr(`warning: ${message}\n`);
    },
    now: generatedAt,
  });
  const model = buildReportModel({ outcome, checks, generatedAt, toolVersion: VERSION });
  const text = renderReport(model, flags.format as ReportFormat);
  if (flags.output === undefined) io.stdout(text);
  else await writeOutput(path.resolve(io.cwd, flags.output), text);
  // The report is informational: failed checks are its content, not a failure of the command
  // (`check` is the gate). Only bad input and operational failures (thrown) exit non-zero.
  return CheckExit.clean;
}

async function writeOutput(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, 'utf8');
  } catch (e) {
    throw configError(`cannot write the report to ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file }, e);
  }
}

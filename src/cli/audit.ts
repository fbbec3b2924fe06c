/**
 * `cargo-sentinel audit`: settings from flags and audit.toml, the audit
 * pipeline, a reporter, and the exit code — computed here, at the edge.
 */
import type { Io } from './main.js';
import { AuditExit } from './exit-codes.js';
import { findAuditConfig, resolveSettings, cargoHome, type AuditFlags } from '../audit/settings.js';
import { runAudit } from '../audit/run.js';
import { failingCount } from '../audit/report.js';
import { configError, describeAt } from '../errors.js';
import { makeStyle, wantsColor, plainStyle } from '../report/style.js';
import { statusLine } from '../report/audit-terminal.js';

const FORMATS = ['terminal', 'json', 'sarif', 'github', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export async function auditCommand(flags: AuditFlags, io: Io): Promise<number> {
  const configFile = findAuditConfig(io.cwd, cargoHome(io.env));
  let config;
  if (configFile) {
    // zod is only loaded when there is a config to validate.
    const { readAuditConfig } = await import('../policy/audit-config.js');
    const loaded = await readAuditConfig(configFile);
    config = { file: configFile, value: loaded.value, warnings: loaded.warnings };
  }
  // github and markdown are ours, beyond cargo-audit's three (which audit.toml may also name).
  const requested = flags.json ? 'json' : flags.format;
  if (requested !== undefined && !(FORMATS as readonly string[]).includes(requested)) {
    throw configError(`invalid value '${requested}' for --format: expected one of ${FORMATS.join(', ')}`);
  }
  const github = requested === 'github' || requested === 'markdown' ? requested : undefined;
  const settings = resolveSettings(github ? { ...flags, format: undefined } : flags, config, io.env, io.cwd);
  const format: Format = github ?? settings.format;
  const machine = format !== 'terminal';
  const style = machine ? plainStyle : await makeStyle(wantsColor(settings.color, io.stdoutIsTty, io.env));
  const errStyle = machine ? plainStyle : await makeStyle(wantsColor(settings.color, io.stderrIsTty, io.env));
  // Machine formats keep stdout for the document alone, as cargo-audit does.
  const showStatus = !machine && !settings.quiet;

  for (const w of settings.configWarnings) io.stderr(`${errStyle.boldYellow('warning:')} ${describeAt(w.message, w.place)}\n`);
  let progress: { update: (e: { stage: string; progress: number }) => void; done: () => void } | undefined;
  if (!machine && io.stderrIsTty) {
    const { createProgressLine } = await import('../advisories/sync/progress.js');
    progress = createProgressLine((t) => io.stderr(t));
  }

  try {
    const report = await runAudit(settings, {
      status: (verb, message) => {
        if (showStatus) io.stdout(statusLine(style, verb, message));
      },
      warn: (message) => io.stderr(`${errStyle.boldYellow('warning:')} ${message}\n`),
      onProgress: progress ? (e) => progress!.update(e) : undefined,
      now: io.now(),
    });
    progress?.done();

    // The exit code never depends on the format.
    const exitCode = failingCount(report) > 0 ? AuditExit.findings : AuditExit.clean;
    if (format === 'json') {
      const { renderCargoAuditJson } = await import('../report/cargo-audit-json.js');
      io.stdout(renderCargoAuditJson(report));
    } else if (format === 'sarif' || format === 'github') {
      // Both point at Cargo.lock relative to the checkout.
      const { repoPaths } = await import('../report/sarif.js');
      const paths = repoPaths(io.cwd, io.env);
      if (format === 'sarif') {
        const { renderAuditSarif } = await import('../report/audit-sarif.js');
        io.stdout(renderAuditSarif(report, { paths, exitCode }));
      } else {
        const { renderAuditGithub } = await import('../report/github.js');
        io.stdout(renderAuditGithub(report, paths));
      }
    } else if (format === 'markdown') {
      const { renderAuditMarkdown } = await import('../report/markdown.js');
      io.stdout(renderAuditMarkdown(report));
    } else {
      const { renderAuditTerminal } = await import('../report/audit-terminal.js');
      const text = renderAuditTerminal(report, style);
      io.stdout(text.stdout);
      io.stderr(text.stderr);
    }
    return exitCode;
  } finally {
    progress?.done();
  }
}

/**
 * `cargo-sentinel audit`: settings from flags and audit.toml, the audit
 * pipeline, a reporter, and the exit code — computed here, at the edge.
 */
import type { Io } from './main.js';
import { AuditExit } from './exit-codes.js';
import { findAuditConfig, resolveSettings, cargoHome, type AuditFlags } from '../audit/settings.js';
import { runAudit } from '../audit/run.js';
import { failingCount } from '../audit/report.js';
import { describeAt } from '../errors.js';
import { makeStyle, wantsColor, plainStyle } from '../report/style.js';
import { statusLine } from '../report/audit-terminal.js';

export async function auditCommand(flags: AuditFlags, io: Io): Promise<number> {
  const configFile = findAuditConfig(io.cwd, cargoHome(io.env));
  let config;
  if (configFile) {
    // zod is only loaded when there is a config to validate.
    const { readAuditConfig } = await import('../policy/audit-config.js');
    const loaded = await readAuditConfig(configFile);
    config = { file: configFile, value: loaded.value, warnings: loaded.warnings };
  }
  const settings = resolveSettings(flags, config, io.env, io.cwd);
  const machine = settings.format !== 'terminal';
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

    if (settings.format === 'json') {
      const { renderCargoAuditJson } = await import('../report/cargo-audit-json.js');
      io.stdout(renderCargoAuditJson(report));
    } else if (settings.format === 'sarif') {
      const { renderAuditSarif } = await import('../report/audit-sarif.js');
      io.stdout(renderAuditSarif(report));
    } else {
      const { renderAuditTerminal } = await import('../report/audit-terminal.js');
      const text = renderAuditTerminal(report, style);
      io.stdout(text.stdout);
      io.stderr(text.stderr);
    }
    return failingCount(report) > 0 ? AuditExit.findings : AuditExit.clean;
  } finally {
    progress?.done();
  }
}

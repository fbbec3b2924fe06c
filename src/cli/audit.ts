/**
 * `cargo-sentinel audit`: settings from flags and audit.toml, the audit
 * pipeline, a reporter, and the exit code — computed here, at the edge.
 * Several `--file`s, or a directory, audit many projects in one run (the
 * database opened once), reported per project with a total; the exit code is
 * the worst of the projects'.
 */
import type { Io } from './main.js';
import { AuditExit } from './exit-codes.js';
import { findAuditConfig, resolveSettings, cargoHome, type AuditFlags, type AuditSettings } from '../audit/settings.js';
import { runAudit, type AuditHooks } from '../audit/run.js';
import { failingCount, type AuditReport } from '../audit/report.js';
import { displayPath, findLockfiles } from '../audit/lockfiles.js';
import { configError, describeAt } from '../errors.js';
import { makeStyle, wantsColor, plainStyle, type Style } from '../report/style.js';
import { statusLine } from '../report/audit-terminal.js';

const FORMATS = ['terminal', 'json', 'sarif', 'github', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

/** The command line: `--file` may be given several times. */
export interface AuditCommandFlags extends Omit<AuditFlags, 'file'> {
  file?: string[];
}

export async function auditCommand(commandFlags: AuditCommandFlags, io: Io): Promise<number> {
  const flags: AuditFlags = { ...commandFlags, file: commandFlags.file?.[0] };
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

  const hooks: AuditHooks = {
    status: (verb, message) => {
      if (showStatus) io.stdout(statusLine(style, verb, message));
    },
    warn: (message) => io.stderr(`${errStyle.boldYellow('warning:')} ${message}\n`),
    onProgress: progress ? (e) => progress!.update(e) : undefined,
    now: io.now(),
  };
  try {
    const targets = findLockfiles(commandFlags.file ?? [], io.cwd);
    if (targets.multi) {
      return await auditProjects(targets.lockfiles, settings, hooks, { format, style, io, done: () => progress?.done() });
    }
    const report = await runAudit(settings, hooks);
    progress?.done();

    // The exit code never depends on the format.
    const exitCode = failingCount(report) > 0 ? AuditExit.findings : AuditExit.clean;
    if (format === 'json') {
      const { renderCargoAuditJson } = await import('../report/cargo-audit-json.js');
      io.stdout(renderCargoAuditJson(report));
    } else if (format === 'sarif' || format === 'github') {
      io.stdout(await githubDocument(format, [report], exitCode, io));
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

/** Many projects: per-project reports in the chosen format, a total, and the worst exit code. */
async function auditProjects(
  lockfiles: string[],
  settings: AuditSettings,
  hooks: AuditHooks,
  out: { format: Format; style: Style; io: Io; done: () => void },
): Promise<number> {
  const { io, format, style } = out;
  const { runAudits, auditTotal } = await import('../audit/run-many.js');
  const name = (file: string): string => displayPath(file, io.cwd);
  const projects = await runAudits(settings, lockfiles, hooks, name);
  out.done();
  const total = auditTotal(projects);
  const exitCode = Math.max(
    AuditExit.clean,
    ...projects.map((p) => (!p.report ? AuditExit.badInput : failingCount(p.report) > 0 ? AuditExit.findings : AuditExit.clean)),
  );
  const render = await import('../report/audit-projects.js');
  if (format === 'json') {
    io.stdout(render.renderProjectsJson(projects, total, name));
  } else if (format === 'sarif' || format === 'github') {
    io.stdout(await githubDocument(format, projects.flatMap((p) => (p.report ? [p.report] : [])), exitCode, io));
  } else if (format === 'markdown') {
    const { renderAuditMarkdown } = await import('../report/markdown.js');
    io.stdout(render.renderProjectsMarkdown(projects, total, name, (r) => renderAuditMarkdown(r)));
  } else {
    for (const chunk of render.renderProjectsTerminal(projects, total, style, name)) {
      io.stdout(chunk.stdout);
      io.stderr(chunk.stderr);
    }
  }
  return exitCode;
}

/** SARIF (one run, every project) or GitHub annotations: both point at each Cargo.lock relative to the checkout. */
async function githubDocument(format: 'sarif' | 'github', reports: readonly AuditReport[], exitCode: number, io: Io): Promise<string> {
  const { repoPaths, repoRelative } = await import('../report/sarif.js');
  const paths = repoPaths(io.cwd, io.env);
  if (format === 'sarif') {
    const { renderAuditsSarif } = await import('../report/audit-sarif.js');
    return renderAuditsSarif(reports, { paths, exitCode });
  }
  const { renderAuditGithub } = await import('../report/github.js');
  return reports.length === 1 ? renderAuditGithub(reports[0]!, paths) : reports.map((r) => renderAuditGithub(r, paths, repoRelative(paths, r.settings.lockfile) ?? r.settings.lockfile)).join('');
}

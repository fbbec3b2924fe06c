/**
 * SARIF 2.1.0 for GitHub code scanning: the builder both faces share, and the
 * check face's mapping of diagnostics onto it (audit-sarif.ts maps audit
 * findings).
 *
 * What GitHub needs, and what it gets here:
 * - rule ids stable across runs: `<check>/<code>` (e.g. `licenses/rejected`),
 *   or the advisory id for an advisory finding on either face;
 * - results at the real file and line (the `[[package]]` line in Cargo.lock,
 *   the deny.toml entry), relative to the checkout under `%SRCROOT%`;
 * - fingerprints that survive edits elsewhere in Cargo.lock: a hash of the rule
 *   id and the package (name@version and source), never of a line number;
 * - its upload limits: at most 25,000 results per run and 10 MiB per file (the
 *   most severe results are kept, and a notification says how many were
 *   left out); long texts are cut with a note saying so.
 * The exit code is recorded in the run and is the same as for any other
 * format: uploading SARIF must not turn a failing gate green.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Advisory } from '../advisories/types.js';
import { VERSION } from '../cli/version.js';
import { allCodes } from '../diagnostics/codes.js';
import type { CheckCounts } from '../diagnostics/levels.js';
import type { CheckName, CodeInfo, Diagnostic, Label, Severity } from '../diagnostics/types.js';
import { advisoryUrl } from './audit-terminal.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';

/**
 * GitHub's documented limits (results per run, file size, tags per rule) and
 * our own caps on texts, which GitHub does not document but which keep one
 * alert readable and the file small.
 */
export interface SarifLimits {
  results: number;
  bytes: number;
  tags: number;
  message: number;
  shortDescription: number;
  fullDescription: number;
}

export const GITHUB_LIMITS: SarifLimits = {
  results: 25_000,
  bytes: 10 * 1024 * 1024,
  tags: 20,
  message: 2_000,
  shortDescription: 1_000,
  fullDescription: 8_000,
};

// ---------------------------------------------------------------------------
// Paths: GitHub resolves them against the checkout.

/** Where paths are resolved from, and what they are written relative to. */
export interface RepoPaths {
  /** The checkout: $GITHUB_WORKSPACE when the run is inside it, else the working directory. */
  root: string;
  /** The working directory, against which relative label paths were given. */
  cwd: string;
}

export function repoPaths(cwd: string, env: NodeJS.ProcessEnv): RepoPaths {
  const workspace = env.GITHUB_WORKSPACE;
  if (workspace) {
    const root = path.resolve(workspace);
    if (isInside(cwd, root)) return { root, cwd };
  }
  return { root: cwd, cwd };
}

/** `file` relative to the root with `/` separators, or undefined when it lies outside the root. */
export function repoRelative(paths: RepoPaths, file: string): string | undefined {
  const abs = path.resolve(paths.cwd, file);
  if (abs === paths.root || !isInside(abs, paths.root)) return undefined;
  return path.relative(paths.root, abs).split(path.sep).join('/');
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The label a diagnostic is shown at: the primary one when it is in the
 * checkout, else the first label that is, else the primary one (outside).
 */
export function shownLabel(labels: readonly Label[], paths: RepoPaths): { label: Label; path: string | undefined } | undefined {
  const ordered = [...labels.filter((l) => l.primary), ...labels.filter((l) => !l.primary)];
  for (const label of ordered) {
    const rel = repoRelative(paths, label.file);
    if (rel !== undefined) return { label, path: rel };
  }
  return ordered[0] ? { label: ordered[0], path: undefined } : undefined;
}

// ---------------------------------------------------------------------------
// The builder.

export interface SarifRule {
  id: string;
  shortDescription: string;
  fullDescription: string;
  help: { text: string; markdown: string };
  helpUri?: string;
  level: SarifLevel;
  tags: string[];
  /** CVSS base score (0.0 to 10.0), for GitHub's security severity. */
  securitySeverity?: number;
  precision?: 'very-high' | 'high' | 'medium' | 'low';
}

/** A place in a file, as a label gives it (1-based line and column; length 0 marks a point). */
export interface SarifPlace {
  file: string;
  line: number;
  column: number;
  length: number;
  message?: string;
}

export interface SarifFinding {
  /** The rule; the first finding of a rule id supplies its descriptor. */
  rule: SarifRule;
  level: SarifLevel;
  message: string;
  place: SarifPlace;
  related: SarifPlace[];
  /** What makes this the same finding in the next run (rule id, package, source); never a line number. */
  identity: readonly string[];
  /** Further fingerprints kept for compatibility. */
  extraFingerprints?: Record<string, string>;
  packageName?: string;
  properties?: Record<string, unknown>;
}

export interface SarifRun {
  face: 'check' | 'audit';
  paths: RepoPaths;
  findings: readonly SarifFinding[];
  exitCode: number;
  exitCodeDescription: string;
}

const LEVEL_RANK: Record<SarifLevel, number> = { error: 0, warning: 1, note: 2 };

export function renderSarif(run: SarifRun, limits: SarifLimits = GITHUB_LIMITS): string {
  const fingerprints = fingerprintsOf(run.findings);
  // Which findings fit: the most severe first, in their own order within a level.
  const priority = run.findings.map((_, i) => i).sort((a, b) => LEVEL_RANK[run.findings[a]!.level] - LEVEL_RANK[run.findings[b]!.level] || a - b);
  let kept = priority.slice(0, limits.results);
  for (;;) {
    const text = `${JSON.stringify(sarifLog(run, new Set(kept), fingerprints, limits), null, 2)}\n`;
    const bytes = Buffer.byteLength(text);
    if (bytes <= limits.bytes || kept.length === 0) return text;
    // Shrink in proportion, a little more, so this converges in a few rounds.
    kept = kept.slice(0, Math.min(kept.length - 1, Math.floor((kept.length * limits.bytes * 0.95) / bytes)));
  }
}

function sarifLog(run: SarifRun, kept: ReadonlySet<number>, fingerprints: readonly string[], limits: SarifLimits): unknown {
  const rules: unknown[] = [];
  const ruleIndex = new Map<string, number>();
  const results: unknown[] = [];
  run.findings.forEach((f, i) => {
    if (!kept.has(i)) return;
    let index = ruleIndex.get(f.rule.id);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(f.rule.id, index);
      rules.push(ruleJson(f.rule, limits));
    }
    results.push(resultJson(f, index, fingerprints[i]!, run.paths, limits));
  });
  const left = run.findings.length - results.length;
  const notifications = left > 0
    ? [
        {
          level: 'warning',
          message: {
            text: `${left} of ${run.findings.length} results were left out to stay within GitHub's limits (${limits.results} results per run, ${limits.bytes} bytes per file); the most severe were kept. Run with another format to see them all.`,
          },
        },
      ]
    : [];
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'cargo-sentinel', version: VERSION, semanticVersion: VERSION, rules } },
        // Distinct categories, so uploading both faces' files keeps both sets of alerts.
        automationDetails: { id: `cargo-sentinel/${run.face}/` },
        invocations: [
          {
            executionSuccessful: true,
            exitCode: run.exitCode,
            exitCodeDescription: run.exitCodeDescription,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function ruleJson(r: SarifRule, limits: SarifLimits): unknown {
  const tags = [...new Set(r.tags)].slice(0, limits.tags);
  return {
    id: r.id,
    shortDescription: { text: truncate(r.shortDescription, limits.shortDescription) },
    fullDescription: { text: truncate(r.fullDescription, limits.fullDescription) },
    ...(r.helpUri ? { helpUri: r.helpUri } : {}),
    help: { text: truncate(r.help.text, limits.fullDescription), markdown: truncate(r.help.markdown, limits.fullDescription) },
    defaultConfiguration: { level: r.level },
    properties: {
      tags,
      ...(r.precision ? { precision: r.precision } : {}),
      ...(r.securitySeverity !== undefined ? { 'security-severity': r.securitySeverity.toFixed(1) } : {}),
    },
  };
}

function resultJson(f: SarifFinding, ruleIndex: number, fingerprint: string, paths: RepoPaths, limits: SarifLimits): unknown {
  return {
    ruleId: f.rule.id,
    ruleIndex,
    level: f.level,
    message: { text: truncate(f.message, limits.message) },
    locations: [
      {
        ...locationJson(f.place, paths),
        ...(f.packageName ? { logicalLocations: [{ name: f.packageName, kind: 'package' }] } : {}),
      },
    ],
    ...(f.related.length > 0 ? { relatedLocations: f.related.map((p, i) => ({ id: i + 1, ...locationJson(p, paths) })) } : {}),
    // GitHub matches alerts across runs by primaryLocationLineHash; ours does not move with the line.
    partialFingerprints: { primaryLocationLineHash: fingerprint, 'cargo-sentinel/v1': fingerprint, ...f.extraFingerprints },
    ...(f.properties ? { properties: f.properties } : {}),
  };
}

function locationJson(p: SarifPlace, paths: RepoPaths): Record<string, unknown> {
  const rel = repoRelative(paths, p.file);
  const artifactLocation = rel !== undefined
    ? { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
    : { uri: pathToFileURL(path.resolve(paths.cwd, p.file)).href };
  const region = { startLine: p.line, startColumn: p.column, ...(p.length > 0 ? { endColumn: p.column + p.length } : {}) };
  return {
    physicalLocation: { artifactLocation, region },
    ...(p.message ? { message: { text: p.message } } : {}),
  };
}

/**
 * One fingerprint per finding: a hash of its identity, numbered when two
 * findings of a run share one (`…:1`, `…:2`, in their order).
 */
function fingerprintsOf(findings: readonly SarifFinding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const hash = createHash('sha256').update(f.identity.join('\0')).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

/** `text` cut to at most `max` characters, ending with a note of how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = (cut: number): string => ` … [${cut} more characters cut]`;
  let keep = Math.max(0, max - note(text.length).length);
  // Never split a surrogate pair.
  const last = text.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep--;
  return `${text.slice(0, keep)}${note(text.length - keep)}`;
}

// ---------------------------------------------------------------------------
// Rules shared by both faces.

/** One rule per advisory id, on both faces, with GitHub's security severity from its CVSS score. */
export function advisoryRule(a: Advisory, level: SarifLevel): SarifRule {
  const m = a.metadata;
  const url = advisoryUrl(a);
  const kind = m.informational ?? 'vulnerability';
  const aliases = m.aliases.length > 0 ? `Aliases: ${m.aliases.join(', ')}` : '';
  const more = url ? `For more information, see: ${url}` : '';
  return {
    id: m.id,
    shortDescription: m.title,
    fullDescription: m.description,
    help: {
      text: [`${m.id}: ${m.title}`, m.description, aliases, more].filter((s) => s !== '').join('\n\n'),
      markdown: [`**${m.id}**: ${m.title}`, m.description, aliases, url ? `For more information, see [${m.id}](${url}).` : ''].filter((s) => s !== '').join('\n\n'),
    },
    ...(url ? { helpUri: url } : {}),
    level,
    tags: ['security', kind, ...m.categories],
    ...(a.severity ? { securitySeverity: a.severity.score } : {}),
    precision: kind === 'vulnerability' ? 'very-high' : 'high',
  };
}

export const sarifLevel = (s: Severity): SarifLevel => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

// ---------------------------------------------------------------------------
// The check face.

export interface CheckSarifInput {
  /** The diagnostics shown (after overrides and the log-level filter). */
  diagnostics: readonly Diagnostic[];
  counts: ReadonlyMap<CheckName, CheckCounts>;
  exitCode: number;
  paths: RepoPaths;
  /** The workspace manifest: where a diagnostic without any label is shown (line 1). */
  manifest: string;
}

export function renderCheckSarif(input: CheckSarifInput, limits: SarifLimits = GITHUB_LIMITS): string {
  const codes = new Map(allCodes.map((c) => [`${c.source}/${c.code}`, c]));
  const findings = input.diagnostics.map((d) => diagnosticFinding(d, codes.get(`${d.source}/${d.code}`), input));
  const failed = [...input.counts].filter(([, c]) => c.errors > 0).map(([check]) => check);
  const exitCodeDescription = failed.length === 0 ? 'no check failed' : `failed: ${failed.join(', ')}`;
  return renderSarif({ face: 'check', paths: input.paths, findings, exitCode: input.exitCode, exitCodeDescription }, limits);
}

function diagnosticFinding(d: Diagnostic, info: CodeInfo | undefined, input: CheckSarifInput): SarifFinding {
  const level = sarifLevel(d.severity);
  const rule = d.advisory ? advisoryRule(d.advisory, level) : codeRule(d, info);
  const at = shownLabel(d.labels, input.paths);
  const place: SarifPlace = at
    ? { file: at.label.file, line: at.label.line, column: at.label.column, length: at.label.length, message: at.label.message }
    : { file: input.manifest, line: 1, column: 1, length: 0 };
  const related = d.labels
    .filter((l) => l !== at?.label && repoRelative(input.paths, l.file) !== undefined)
    .map((l) => ({ file: l.file, line: l.line, column: l.column, length: l.length, message: l.message }));
  const p = d.package;
  // A diagnostic about the config has no package: its words and its file say which one it is
  // (the file's name only when it is outside the checkout, whose place differs from run to run).
  const identity = p
    ? [rule.id, `${p.name}@${p.version}`, p.source ?? '']
    : [rule.id, '', '', at ? (at.path ?? path.basename(at.label.file)) : '', at?.label.message ?? '', d.message];
  return {
    rule,
    level,
    message: diagnosticText(d, at?.label, input.paths),
    place,
    related,
    identity,
    ...(p ? { packageName: `${p.name}@${p.version}` } : {}),
    properties: { check: d.source, code: d.code, severity: d.severity },
  };
}

/**
 * A diagnostic in words: its message, the other labels (`file:line: label`,
 * relative to the checkout when inside it) and its notes.
 */
export function diagnosticText(d: Diagnostic, shown: Label | undefined, paths: RepoPaths): string {
  const context = d.labels
    .filter((l) => l !== shown)
    .map((l) => `${repoRelative(paths, l.file) ?? path.resolve(paths.cwd, l.file)}:${l.line}: ${l.message}`);
  return [d.message, ...context, ...d.notes].join('\n');
}

function codeRule(d: Diagnostic, info: CodeInfo | undefined): SarifRule {
  const id = `${d.source}/${d.code}`;
  const description = info?.description ?? d.code;
  const defaultSeverity = info === undefined ? d.severity : info.defaultSeverity === 'lint' ? `set by \`${info.lint}\` in deny.toml` : info.defaultSeverity;
  const sentence = `${description.charAt(0).toUpperCase()}${description.slice(1)}.`;
  const owner = d.source === 'config' ? 'the configuration' : `the ${d.source} check`;
  const how = `Code \`${d.code}\` of ${owner}; default severity: ${defaultSeverity}. For one run, \`-A ${d.code}\`, \`-W ${d.code}\` or \`-D ${d.code}\` makes it a note, a warning or an error.`;
  return {
    id,
    shortDescription: sentence,
    fullDescription: `${sentence} Default severity: ${defaultSeverity}.`,
    help: { text: `${sentence}\n\n${how}`, markdown: `**${id}**: ${sentence}\n\n${how}` },
    level: info && info.defaultSeverity !== 'lint' ? sarifLevel(info.defaultSeverity) : sarifLevel(d.severity),
    tags: ['supply-chain', d.source],
  };
}

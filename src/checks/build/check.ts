/**
 * The build check: which crates run code at compile time, and what their
 * sources hold. Pure: the graph, `[bans.build]` and the facts gathered from
 * disk (gather.ts) in, diagnostics out.
 *
 * cargo-deny's rules: `allow-build-scripts` (unset = all allowed, `[]` =
 * none); per crate, the first matching `bypass` entry may skip the scan when
 * the build script's SHA-256 matches (and none of its `required-features` is
 * enabled), allow single files (with an optional checksum) and globs; every
 * other file matching `script-extensions` or a builtin glob is denied, and
 * native executables and shebang scripts are linted. Unused bypasses,
 * paths and globs are reported. Ours: `allow-proc-macros`, and a note for
 * every crate that runs code at compile time, so a report lists them all.
 */
import type { Diagnostic, Label, Severity } from '../../diagnostics/types.js';
import { severityOfLint } from '../../policy/levels.js';
import { specMatches } from '../../policy/package-spec.js';
import type { PathSegment } from '../../toml/locate.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import type { BuildConfig, BypassEntry } from '../bans/config.js';
import { crateDisplay, sortedPackages } from '../bans/graph-queries.js';
import { configLabel, lockLabel, packageRef, type PolicyFile } from '../labels.js';
import type { BuildFacts, CrateFacts, FileFact, PathProblem } from './facts.js';
import { runsAtCompileTime } from './gather.js';
import { BUILTIN_GLOBS, compileGlob, extensionGlob, type Glob } from './globs.js';

export interface BuildInput {
  graph: PackageGraph;
  /** `[bans.build]`; undefined = the check is off (as in cargo-deny). */
  config: BuildConfig | undefined;
  facts: BuildFacts;
  policy: PolicyFile;
}

interface DenyGlob {
  glob: Glob;
  /** Where it is configured; undefined for a builtin glob. */
  at: PathSegment[] | undefined;
}

interface Context {
  graph: PackageGraph;
  config: BuildConfig;
  policy: PolicyFile;
  denyGlobs: DenyGlob[];
  bypassGlobs: Glob[][];
  used: { bypass: Set<number>; paths: Set<string>; globs: Set<string>; scannedBypass: Set<number> };
}

export function checkBuild(input: BuildInput): Diagnostic[] {
  const { config } = input;
  if (config === undefined) return [];
  const ctx: Context = {
    graph: input.graph,
    config,
    policy: input.policy,
    denyGlobs: [
      ...(config['script-extensions'] ?? []).map((ext, i) => ({ glob: compileGlob(extensionGlob(ext)), at: ['script-extensions', i] })),
      ...(config['enable-builtin-globs'] ? BUILTIN_GLOBS.map((g) => ({ glob: compileGlob(g), at: undefined })) : []),
    ],
    bypassGlobs: config.bypass.map((b) => b['allow-globs'].map(compileGlob)),
    used: { bypass: new Set(), paths: new Set(), globs: new Set(), scannedBypass: new Set() },
  };
  const out: Diagnostic[] = [];
  for (const node of sortedPackages(input.graph)) {
    const facts = input.facts.crates.get(node.id);
    const buildTime = runsAtCompileTime(node);
    if (!buildTime && facts?.scanned !== true) continue;
    if (buildTime) out.push(...compileTimeDiagnostics(ctx, node, facts));
    if (facts) out.push(...crateScan(ctx, node, facts));
  }
  out.push(...unusedBypasses(ctx));
  return out;
}

function diagnostic(code: string, severity: Severity, message: string, node: PackageNode | undefined, labels: Label[], notes: string[] = []): Diagnostic {
  const d: Diagnostic = { source: 'build', code, severity, message, labels, notes };
  if (node) d.package = packageRef(node);
  return d;
}

const buildKey = (ctx: Context, path: readonly PathSegment[], message: string, primary = false): Label =>
  configLabel(ctx.policy, ['bans', 'build', ...path], message, primary);

const shownPath = (p: string): string => (p.startsWith('/') ? p : `$crate/${p}`);

function compileTimeDiagnostics(ctx: Context, node: PackageNode, facts: CrateFacts | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const script = facts?.buildScript;
  const scriptNotes = script ? [`build-script = '${shownPath(script.path)}'`, script.sha256 ? `sha256 = ${script.sha256}` : `sha256 = unknown (${script.error})`] : [];
  const kinds = [node.hasBuildScript ? 'build script' : undefined, node.isProcMacro ? 'proc-macro' : undefined].filter((k) => k !== undefined);
  out.push(
    diagnostic('build-time-code', 'note', `crate '${crateDisplay(node)}' runs code at compile time (${kinds.join(' and ')})`, node, [lockLabel(ctx.graph, node, 'compile-time crate')], scriptNotes),
  );

  if (node.hasBuildScript) {
    const d = notAllowed(ctx, node, 'allow-build-scripts', 'build-script-not-allowed', 'has a build script but is not allowed to have one', ['crate with a build script', 'crates allowed to have a build script']);
    if (d) out.push({ ...d, notes: [...d.notes, ...scriptNotes] });
  }
  if (node.isProcMacro) {
    const d = notAllowed(ctx, node, 'allow-proc-macros', 'proc-macro-not-allowed', 'is a proc-macro but is not allowed to be one', ['proc-macro crate', 'crates allowed to be proc-macros']);
    if (d) out.push(d);
  }
  return out;
}

/** An allow list of compile-time crates: unset allows all, `[]` none. */
function notAllowed(
  ctx: Context,
  node: PackageNode,
  key: 'allow-build-scripts' | 'allow-proc-macros',
  code: string,
  what: string,
  [crateLabel, listLabel]: [string, string],
): Diagnostic | undefined {
  const list = ctx.config[key];
  if (list === undefined || list.some((e) => specMatches(e.spec, node.name, node.version))) return undefined;
  return diagnostic(code, 'error', `crate '${crateDisplay(node)}' ${what}`, node, [lockLabel(ctx.graph, node, crateLabel), buildKey(ctx, [key], listLabel)], [
    `the \`bans.build.${key}\` field did not contain a match for the crate`,
  ]);
}

function crateScan(ctx: Context, node: PackageNode, facts: CrateFacts): Diagnostic[] {
  const b = ctx.config.bypass.findIndex((e) => specMatches(e.spec, node.name, node.version));
  const bypass = b >= 0 ? ctx.config.bypass[b] : undefined;
  if (b >= 0) ctx.used.bypass.add(b);
  if (!facts.scanned) return facts.dir === undefined ? facts.problems.map((p) => problemDiagnostic(ctx, node, p)) : [];
  const out: Diagnostic[] = [];
  if (bypass !== undefined && bypass['build-script'] !== undefined && node.hasBuildScript) {
    const verdict = buildScriptBypass(ctx, node, facts, bypass, b);
    out.push(...verdict.diagnostics);
    if (verdict.skipScan) return out;
  }
  out.push(...facts.problems.map((p) => problemDiagnostic(ctx, node, p)));
  if (bypass !== undefined) ctx.used.scannedBypass.add(b);
  for (const file of facts.files) out.push(...fileDiagnostics(ctx, node, file, bypass, b));
  return out;
}

/** The build-script checksum of a bypass: a match (with no required feature on) skips the scan. */
function buildScriptBypass(ctx: Context, node: PackageNode, facts: CrateFacts, bypass: BypassEntry, b: number): { skipScan: boolean; diagnostics: Diagnostic[] } {
  const expected = bypass['build-script']!;
  const script = facts.buildScript;
  const at = (message: string) => buildKey(ctx, ['bypass', b, 'build-script'], message);
  const crate = lockLabel(ctx.graph, node, 'crate');
  if (script?.sha256 === undefined) {
    const notes = [`path = '${shownPath(script?.path ?? 'build.rs')}'`, `error = ${script?.error ?? 'no build script found'}`];
    return { skipScan: false, diagnostics: [diagnostic('unable-to-check-path', 'error', 'unable to check if path is an executable', node, [crate, at('expected checksum')], notes)] };
  }
  const pathNote = `path = '${shownPath(script.path)}'`;
  if (script.sha256 !== expected) {
    return {
      skipScan: false,
      diagnostics: [
        diagnostic('checksum-mismatch', 'warning', `file did not match the expected checksum: calculated ${script.sha256}`, node, [crate, at('expected checksum')], [
          pathNote,
          `expected = ${expected}`,
          `calculated = ${script.sha256}`,
        ]),
      ],
    };
  }
  const required = bypass['required-features'];
  const enabled = node.enabledFeatures;
  const on = enabled === undefined ? required : required.filter((f) => enabled.includes(f));
  if (on.length > 0) {
    const notes = enabled === undefined ? ['enabled features are unknown (no cargo metadata), so the bypass cannot apply'] : [];
    const labels = [crate, ...required.flatMap((f, j) => (on.includes(f) ? [buildKey(ctx, ['bypass', b, 'required-features', j], 'enabled')] : []))];
    return {
      skipScan: false,
      diagnostics: [diagnostic('features-enabled', 'note', `${on.length} features enabled for crate with build script, checking sources`, node, labels, notes)],
    };
  }
  return { skipScan: true, diagnostics: [diagnostic('checksum-match', 'help', 'file checksum matched', node, [crate, at('checksum')], [pathNote])] };
}

function fileDiagnostics(ctx: Context, node: PackageNode, file: FileFact, bypass: BypassEntry | undefined, b: number): Diagnostic[] {
  const crate = lockLabel(ctx.graph, node, 'crate');
  const pathNote = `path = '${shownPath(file.path)}'`;
  const j = bypass?.allow.findIndex((a) => a.path.replaceAll('\\', '/').replace(/^\.\//, '') === file.path) ?? -1;
  if (bypass !== undefined && j >= 0) {
    ctx.used.paths.add(`${b}:${j}`);
    const allowed = bypass.allow[j]!;
    const at = (key: string, message: string) => buildKey(ctx, ['bypass', b, 'allow', j, key], message);
    if (allowed.checksum === undefined) return [diagnostic('path-bypassed', 'help', 'file explicitly allowed', node, [crate, at('path', 'allowed path')], [pathNote])];
    if (file.sha256 === undefined) {
      return [diagnostic('unable-to-check-path', 'error', 'unable to check if path is an executable', node, [crate, at('checksum', 'expected checksum')], [pathNote, `error = ${file.error ?? 'not hashed'}`])];
    }
    if (file.sha256 !== allowed.checksum) {
      return [
        diagnostic('checksum-mismatch', 'error', `file did not match the expected checksum: calculated ${file.sha256}`, node, [crate, at('checksum', 'expected checksum')], [
          pathNote,
          `expected = ${allowed.checksum}`,
          `calculated = ${file.sha256}`,
        ]),
      ];
    }
    return [diagnostic('path-bypassed', 'help', 'file explicitly allowed', node, [crate, at('path', 'allowed path'), at('checksum', 'matched checksum')], [pathNote])];
  }
  if (file.sniffed === undefined) {
    return [diagnostic('unable-to-check-path', 'error', 'unable to check if path is an executable', node, [crate], [pathNote, `error = ${file.error ?? 'unreadable'}`])];
  }

  const globs = bypass === undefined ? [] : (ctx.bypassGlobs[b] ?? []).map((g, k) => [g, k] as const).filter(([g]) => g.test(file.path));
  if (globs.length > 0) {
    for (const [, k] of globs) ctx.used.globs.add(`${b}:${k}`);
    return [diagnostic('path-bypassed-by-glob', 'help', 'file allowed by glob', node, [crate, ...globs.map(([g, k]) => buildKey(ctx, ['bypass', b, 'allow-globs', k], `glob '${g.pattern}'`))], [pathNote])];
  }

  const denied = ctx.denyGlobs.filter((d) => d.glob.test(file.path));
  if (denied.length > 0) {
    const labels = [crate, ...denied.flatMap((d) => (d.at ? [buildKey(ctx, d.at, `glob '${d.glob.pattern}'`)] : []))];
    const builtin = denied.filter((d) => d.at === undefined).map((d) => `builtin glob '${d.glob.pattern}'`);
    return [diagnostic('denied-by-extension', 'error', 'path disallowed by extension', node, labels, [pathNote, ...builtin])];
  }

  const sniffed = file.sniffed;
  if (sniffed.kind === 'native' && (sniffed.format !== 'archive' || ctx.config['include-archives'])) {
    return [
      diagnostic('detected-executable', severityOfLint(ctx.config.executables), 'detected executable', node, [crate, buildKey(ctx, ['executables'], 'lint level')], [
        pathNote,
        `executable-kind = '${sniffed.format}'`,
      ]),
    ];
  }
  if (sniffed.kind === 'script') {
    return [
      diagnostic('detected-executable-script', severityOfLint(ctx.config.interpreted), 'detected executable', node, [crate, buildKey(ctx, ['interpreted'], 'lint level')], [
        pathNote,
        `interpreter = '${sniffed.interpreter}'`,
      ]),
    ];
  }
  return [];
}

const PROBLEM_MESSAGES: Record<PathProblem['code'], { severity: Severity; message: string }> = {
  'unable-to-check-path': { severity: 'error', message: 'unable to check if path is an executable' },
  'non-root-path': { severity: 'error', message: "path is outside the crate's root directory" },
  'non-utf8-path': { severity: 'warning', message: 'path is not valid UTF-8' },
};

function problemDiagnostic(ctx: Context, node: PackageNode, problem: PathProblem): Diagnostic {
  const { severity, message } = PROBLEM_MESSAGES[problem.code];
  return diagnostic(problem.code, severity, message, node, [lockLabel(ctx.graph, node, 'crate')], [`path = '${shownPath(problem.path)}'`, `error = ${problem.error}`]);
}

/** Bypass entries that matched no crate; paths and globs of scanned crates' bypasses that matched no file. */
function unusedBypasses(ctx: Context): Diagnostic[] {
  const out: Diagnostic[] = [];
  ctx.config.bypass.forEach((entry, b) => {
    if (!ctx.used.bypass.has(b)) {
      out.push(diagnostic('unmatched-bypass', 'warning', 'crate build bypass was not encountered', undefined, [buildKey(ctx, ['bypass', b, 'crate'], 'unmatched bypass', true)]));
      return;
    }
    // A bypass whose checksum skipped every scan never had its paths looked at.
    if (!ctx.used.scannedBypass.has(b)) return;
    entry.allow.forEach((allowed, j) => {
      if (ctx.used.paths.has(`${b}:${j}`)) return;
      out.push(diagnostic('unmatched-path-bypass', 'warning', 'allowed path was not encountered', undefined, [buildKey(ctx, ['bypass', b, 'allow', j, 'path'], `'${allowed.path}'`, true)]));
    });
    entry['allow-globs'].forEach((glob, k) => {
      if (ctx.used.globs.has(`${b}:${k}`)) return;
      out.push(diagnostic('unmatched-glob', 'warning', 'glob was not encountered', undefined, [buildKey(ctx, ['bypass', b, 'allow-globs', k], `'${glob}'`, true)]));
    });
  });
  return out;
}

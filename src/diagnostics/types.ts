/**
 * One type for every finding of every check: a code from a closed, documented
 * set, a severity, a message, the package it is about, and labels pointing
 * into real files (the real Cargo.lock line of the `[[package]]`, the deny.toml
 * entry, a member's Cargo.toml dependency line). Reporters render these and
 * never decide what is a finding.
 */
import type { Advisory } from '../advisories/types.js';

export type Severity = 'error' | 'warning' | 'note' | 'help';

/** The checks of the cargo-deny face; `build` is ours (cargo-deny folds it into bans). */
export type CheckName = 'advisories' | 'bans' | 'licenses' | 'sources' | 'build';

/** Where a diagnostic comes from: a check, or the loading of the config itself. */
export type DiagnosticSource = CheckName | 'config';

export interface Label {
  /** Path of the real file (absolute, or as the user named it). */
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  /** Characters highlighted from `column` on that line; 0 marks a point. */
  length: number;
  message: string;
  /** The primary label is the one the diagnostic is about; others give context (e.g. a `reason`). */
  primary: boolean;
}

/** The package a diagnostic is about, so reporters can draw how it is included. */
export interface DiagnosticPackage {
  /** Package id in the graph (the lockfile id scheme: `name@version`, disambiguated by source). */
  id: string;
  name: string;
  version: string;
  /** Raw source string (`registry+…`, `git+…`); undefined for path packages. */
  source: string | undefined;
}

export interface Diagnostic {
  source: DiagnosticSource;
  /** kebab-case, from the closed set in src/diagnostics/codes.ts */
  code: string;
  severity: Severity;
  message: string;
  labels: Label[];
  /** Free-text notes shown after the labels (advisory id, URL, solution, reasons…). */
  notes: string[];
  package?: DiagnosticPackage;
  /** For advisory diagnostics: the advisory, as cargo-deny's JSON carries it. */
  advisory?: Advisory;
}

/** A diagnostic code's documentation entry; each check declares its own codes. */
export interface CodeInfo {
  code: string;
  source: DiagnosticSource;
  /** The severity when nothing overrides it; `lint` means a config key decides (named in `lint`). */
  defaultSeverity: Severity | 'lint';
  /** For lint-controlled codes: the config key whose level decides the severity. */
  lint?: string;
  description: string;
}

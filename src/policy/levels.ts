/**
 * Lint levels and scopes as the checks use them, without zod: a run whose
 * policy is cargo-deny's defaults (no deny.toml) never builds a schema.
 * common.ts validates these values in deny.toml.
 */
import type { Severity } from '../diagnostics/types.js';

export const LINT_LEVELS = ['allow', 'warn', 'deny'] as const;
export type LintLevel = (typeof LINT_LEVELS)[number];

/** cargo-deny's mapping of a lint level to the severity of the diagnostic it controls. */
export const severityOfLint = (level: LintLevel): Severity =>
  level === 'deny' ? 'error' : level === 'warn' ? 'warning' : 'note';

export const SCOPES = ['all', 'workspace', 'transitive', 'none'] as const;
export type Scope = (typeof SCOPES)[number];

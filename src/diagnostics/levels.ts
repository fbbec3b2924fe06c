/**
 * What happens to diagnostics at the edge, after the checks: `-A/-W/-D`
 * severity overrides (a code first, then a whole level, as cargo-deny does),
 * `-L` deciding what is shown, the per-check counts and the exit code.
 */
import { configError } from '../errors.js';
import type { CheckName, Diagnostic, Severity } from './types.js';

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
export const LOG_LEVELS: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug', 'trace'];

/** Level words accepted by -A/-W/-D in place of a code. */
const LEVEL_WORDS: Record<string, Severity> = { allowed: 'note', warnings: 'warning', denied: 'error' };

export interface SeverityOverrides {
  codes: Map<string, Severity>;
  levels: Map<Severity, Severity>;
}

export function parseOverrides(allow: readonly string[], warn: readonly string[], deny: readonly string[], knownCodes: ReadonlySet<string>): SeverityOverrides {
  const codes = new Map<string, Severity>();
  const levels = new Map<Severity, Severity>();
  const given = new Set<string>();
  const add = (value: string, to: Severity, flag: string): void => {
    if (given.has(value)) throw configError(`'${value}' is given to more than one of -A/-W/-D`);
    given.add(value);
    // hasOwn: `-A toString` is a (wrong) code, not a prototype method.
    const level = Object.hasOwn(LEVEL_WORDS, value) ? LEVEL_WORDS[value] : undefined;
    if (level) levels.set(level, to);
    else if (knownCodes.has(value)) codes.set(value, to);
    else throw configError(`unknown diagnostic code or level '${value}' for ${flag} (levels: allowed, warnings, denied)`);
  };
  allow.forEach((v) => add(v, 'note', '--allow'));
  warn.forEach((v) => add(v, 'warning', '--warn'));
  deny.forEach((v) => add(v, 'error', '--deny'));
  return { codes, levels };
}

export function applyOverrides(diagnostics: readonly Diagnostic[], o: SeverityOverrides): Diagnostic[] {
  return diagnostics.map((d) => {
    const byCode = o.codes.get(d.code) ?? d.severity;
    const severity = o.levels.get(byCode) ?? byCode;
    return severity === d.severity ? d : { ...d, severity };
  });
}

/** cargo-deny: warn shows errors and warnings; info adds notes; debug and trace add help. */
export function isShown(severity: Severity, level: LogLevel): boolean {
  const rank: Record<Severity, number> = { error: 1, warning: 2, note: 3, help: 4 };
  const limit: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 4 };
  return rank[severity] <= limit[level];
}

export interface CheckCounts {
  errors: number;
  warnings: number;
  notes: number;
  helps: number;
}

export function countByCheck(diagnostics: readonly Diagnostic[], ran: readonly CheckName[]): Map<CheckName, CheckCounts> {
  const out = new Map<CheckName, CheckCounts>(ran.map((c) => [c, { errors: 0, warnings: 0, notes: 0, helps: 0 }]));
  for (const d of diagnostics) {
    if (d.source === 'config') continue;
    const c = out.get(d.source);
    if (!c) continue;
    if (d.severity === 'error') c.errors++;
    else if (d.severity === 'warning') c.warnings++;
    else if (d.severity === 'note') c.notes++;
    else c.helps++;
  }
  return out;
}

/** cargo-deny's exit bits, and ours for the build check. */
export const CHECK_BITS: Record<CheckName, number> = { advisories: 1, bans: 2, licenses: 4, sources: 8, build: 16 };

export function checkExitCode(counts: ReadonlyMap<CheckName, CheckCounts>): number {
  let code = 0;
  for (const [check, c] of counts) if (c.errors > 0) code |= CHECK_BITS[check];
  return code;
}

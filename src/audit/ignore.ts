/**
 * Ignore rules of the audit face. cargo-audit compares an ignore only with the
 * advisory's own id; we also accept its aliases (CVE, GHSA), because that is
 * the id a team usually has in its tracker, and let an ignore expire so an
 * accepted risk comes back for review instead of being silenced for ever.
 */
import type { Advisory } from '../advisories/types.js';
import type { IgnoreRule } from './settings.js';

export interface IgnoreOutcome<F> {
  /** Findings that still count, each with the ignore that expired on it, if any. */
  kept: { finding: F; expiredIgnore: IgnoreRule | undefined }[];
  ignored: { finding: F; rule: IgnoreRule }[];
  /** Rules that matched no finding (a stale ignore is worth removing). */
  unused: IgnoreRule[];
}

export const ruleMatches = (rule: IgnoreRule, advisory: Advisory): boolean =>
  rule.id === advisory.metadata.id || advisory.metadata.aliases.includes(rule.id);

/** An ignore holds through its expiry day and lapses the day after. */
export const isExpired = (rule: IgnoreRule, today: string): boolean => rule.expires !== undefined && today > rule.expires;

export function applyIgnores<F extends { advisory: Advisory | null }>(
  findings: readonly F[],
  rules: readonly IgnoreRule[],
  today: string,
): IgnoreOutcome<F> {
  const used = new Set<IgnoreRule>();
  const out: IgnoreOutcome<F> = { kept: [], ignored: [], unused: [] };
  for (const finding of findings) {
    const advisory = finding.advisory;
    const matching = advisory ? rules.filter((r) => ruleMatches(r, advisory)) : [];
    matching.forEach((r) => used.add(r));
    const active = matching.find((r) => !isExpired(r, today));
    if (active) out.ignored.push({ finding, rule: active });
    else out.kept.push({ finding, expiredIgnore: matching[0] });
  }
  out.unused = rules.filter((r) => !used.has(r));
  return out;
}

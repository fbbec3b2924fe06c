/**
 * Exit codes, computed once at the edge.
 *
 * The audit face keeps cargo-audit's 0/1/2 and gives operational failures
 * their own code (cargo-audit uses 1 both for "vulnerable" and for "database
 * could not be fetched"), so CI can tell "vulnerable" from "broken".
 *
 * The check face keeps cargo-deny's bitset of failed checks (advisories 1,
 * bans 2, licenses 4, sources 8) and adds build (16). cargo-deny exits 1 on a
 * fatal error, which reads as "advisories failed"; ours are 32 and 64, which no
 * combination of check bits can produce (a fatal run checks nothing, so they
 * never carry check bits).
 */
export const AuditExit = {
  /** No vulnerabilities and no denied warnings. */
  clean: 0,
  /** Vulnerabilities found, or warnings of a denied kind. */
  findings: 1,
  /** Bad input: lockfile, manifest, audit.toml or command-line arguments. */
  badInput: 2,
  /** Operational failure: the advisory database cannot be fetched, locked or loaded. */
  operational: 3,
  /** A bug in cargo-sentinel itself (an unexpected exception); 101, as a Rust panic exits. */
  internal: 101,
} as const;

export const CheckExit = {
  clean: 0,
  /** Bad input: deny.toml, Cargo.toml/Cargo.lock, metadata or arguments. */
  badInput: 32,
  /** Operational failure: database fetch/load, cargo metadata could not run, network. */
  operational: 64,
  internal: 101,
} as const;

export type Face = 'audit' | 'check';

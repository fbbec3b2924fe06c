/**
 * Exit codes of the `audit` face. cargo-audit uses 1 both for "vulnerable" and
 * for "database could not be fetched"; we keep 0/1/2 as cargo-audit has them and
 * give operational failures their own code so CI can tell "vulnerable" from "broken".
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
  /** A bug in cargo-sentinel itself (an unexpected exception). */
  internal: 4,
} as const;

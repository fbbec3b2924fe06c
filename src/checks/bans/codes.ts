/**
 * The bans check's diagnostic codes: cargo-deny's set (severities as in its
 * code), minus the build-time ones, which our build check owns, plus two notes
 * of ours that say when the graph could not support a rule.
 */
import type { CodeInfo, DiagnosticSource } from '../../diagnostics/types.js';

/** A code entry maker for one check (the build check uses it too). */
export const codesOf =
  (source: DiagnosticSource) =>
  (code: string, defaultSeverity: CodeInfo['defaultSeverity'], description: string, lint?: string): CodeInfo =>
    lint === undefined ? { code, source, defaultSeverity, description } : { code, source, defaultSeverity, lint, description };

const code = codesOf('bans');

export const bansCodes: readonly CodeInfo[] = [
  code('banned', 'error', 'a crate listed in `bans.deny` is in the graph'),
  code('allowed', 'note', 'a crate matched an entry of `bans.allow`'),
  code('not-allowed', 'error', '`bans.allow` is not empty and a crate matched none of its entries'),
  code('duplicate', 'lint', 'more than one version of a crate is in the graph (error for a `deny-multiple-versions` crate)', 'bans.multiple-versions'),
  code('skipped', 'note', 'a crate version matched `bans.skip` and was left out of duplicate detection'),
  code('skipped-by-root', 'note', 'a crate is in the tree of a `bans.skip-tree` root and was left out of duplicate detection'),
  code('wildcard', 'lint', 'a workspace or path crate declares a dependency with a `*` requirement', 'bans.wildcards'),
  code('unmatched-skip', 'warning', 'a `bans.skip` entry matched no crate'),
  code('unnecessary-skip', 'warning', 'a `bans.skip` entry matched a crate that has only one version'),
  code('unmatched-skip-root', 'warning', 'a `bans.skip-tree` entry matched no crate'),
  code('allowed-by-wrapper', 'note', 'a banned crate is allowed because its direct dependent is a listed wrapper'),
  code('unmatched-wrapper', 'warning', 'a direct dependent of a banned crate is not one of its wrappers'),
  code('unused-wrapper', 'warning', 'a wrapper of a banned crate never depends on it'),
  code('exact-features-mismatch', 'error', 'the enabled features of a crate differ from its `exact` allowed set'),
  code('feature-not-explicitly-allowed', 'error', 'a crate has a feature enabled that its `bans.features` allow list does not cover'),
  code('feature-banned', 'error', 'a crate has a feature enabled that `bans.features` denies'),
  code('unknown-feature', 'warning', 'a `bans.features` entry names a feature the crate does not have'),
  code('default-feature-enabled', 'lint', "a crate's `default` feature is enabled", 'bans.workspace-default-features / bans.external-default-features'),
  code('features-unknown', 'note', 'resolved features are unknown (no cargo metadata), so feature rules were not checked (cargo-sentinel)'),
  code('dependency-kinds-unknown', 'note', 'dependency kinds are unknown (no cargo metadata), so dev-only crates could not be told apart (cargo-sentinel)'),
];

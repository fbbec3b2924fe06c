/** The advisories check's diagnostic codes (cargo-deny's set, severities as in its code). */
import type { CodeInfo } from '../../diagnostics/types.js';

export const advisoriesCodes: readonly CodeInfo[] = [
  { code: 'vulnerability', source: 'advisories', defaultSeverity: 'error', description: 'a crate version has a security vulnerability' },
  { code: 'notice', source: 'advisories', defaultSeverity: 'error', description: 'a notice advisory applies to a crate version' },
  { code: 'unmaintained', source: 'advisories', defaultSeverity: 'error', description: 'a crate is unmaintained (subject to the `unmaintained` scope)' },
  { code: 'unsound', source: 'advisories', defaultSeverity: 'error', description: 'a crate version is unsound (subject to the `unsound` scope)' },
  { code: 'yanked', source: 'advisories', defaultSeverity: 'lint', lint: 'advisories.yanked', description: 'a crate version was yanked from its registry' },
  { code: 'advisory-ignored', source: 'advisories', defaultSeverity: 'note', description: 'an advisory matched but is ignored by the config' },
  { code: 'yanked-ignored', source: 'advisories', defaultSeverity: 'note', description: 'a yanked crate version is ignored by the config' },
  { code: 'index-failure', source: 'advisories', defaultSeverity: 'warning', description: "a crate's registry index entry could not be read, so its yanked status is unknown" },
  { code: 'index-cache-load-failure', source: 'advisories', defaultSeverity: 'error', description: "cargo's index cache could not be found" },
  { code: 'advisory-not-detected', source: 'advisories', defaultSeverity: 'lint', lint: 'advisories.unused-ignored-advisory', description: 'an ignored advisory matched no crate' },
  { code: 'yanked-not-detected', source: 'advisories', defaultSeverity: 'lint', lint: 'advisories.unused-ignored-advisory', description: 'an ignored yanked crate is not in the graph' },
  { code: 'unknown-advisory', source: 'advisories', defaultSeverity: 'warning', description: 'an ignored advisory id is in no advisory database' },
  { code: 'ignore-expired', source: 'advisories', defaultSeverity: 'warning', description: 'an ignore entry is past its expiry date and no longer applies (cargo-sentinel)' },
];

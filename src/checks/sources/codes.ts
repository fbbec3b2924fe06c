/** The sources check's diagnostic codes (cargo-deny's set, with its default severities). */
import type { CodeInfo } from '../../diagnostics/types.js';

export const sourcesCodes: readonly CodeInfo[] = [
  {
    code: 'git-source-underspecified',
    source: 'sources',
    defaultSeverity: 'error',
    description: 'a git source pins less than `required-git-spec` asks for (any < branch < tag < rev)',
  },
  {
    code: 'allowed-source',
    source: 'sources',
    defaultSeverity: 'note',
    description: "a package's registry or git repository is allowed by `allow-registry`, `allow-git` or `private`",
  },
  {
    code: 'allowed-by-organization',
    source: 'sources',
    defaultSeverity: 'note',
    description: "a package's git repository belongs to an organization listed in `allow-org`",
  },
  {
    code: 'source-not-allowed',
    source: 'sources',
    defaultSeverity: 'lint',
    lint: 'sources.unknown-registry / sources.unknown-git',
    description: "a package comes from a registry or git repository that no entry of `[sources]` allows",
  },
  {
    code: 'unmatched-source',
    source: 'sources',
    defaultSeverity: 'lint',
    lint: 'sources.unused-allowed-source',
    description: 'an entry of `allow-registry`, `allow-git` or `private` matched no package in the graph',
  },
  {
    code: 'unmatched-organization',
    source: 'sources',
    defaultSeverity: 'lint',
    lint: 'sources.unused-allowed-org',
    description: 'an organization in `allow-org` owns no git source in the graph',
  },
];

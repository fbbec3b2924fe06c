/**
 * The closed set of diagnostic codes, pinned: adding, renaming or changing the
 * default severity of a code is a deliberate change to this list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allCodes } from '../../src/diagnostics/codes.js';

const PINNED = [
  'advisories:vulnerability:error',
  'advisories:notice:error',
  'advisories:unmaintained:error',
  'advisories:unsound:error',
  'advisories:yanked:lint',
  'advisories:advisory-ignored:note',
  'advisories:yanked-ignored:note',
  'advisories:index-failure:warning',
  'advisories:index-cache-load-failure:error',
  'advisories:advisory-not-detected:lint',
  'advisories:yanked-not-detected:lint',
  'advisories:unknown-advisory:warning',
  'advisories:ignore-expired:warning',
  'bans:banned:error',
  'bans:allowed:note',
  'bans:not-allowed:error',
  'bans:duplicate:lint',
  'bans:skipped:note',
  'bans:skipped-by-root:note',
  'bans:wildcard:lint',
  'bans:unmatched-skip:warning',
  'bans:unnecessary-skip:warning',
  'bans:unmatched-skip-root:warning',
  'bans:allowed-by-wrapper:note',
  'bans:unmatched-wrapper:warning',
  'bans:unused-wrapper:warning',
  'bans:exact-features-mismatch:error',
  'bans:feature-not-explicitly-allowed:error',
  'bans:feature-banned:error',
  'bans:unknown-feature:warning',
  'bans:default-feature-enabled:lint',
  'bans:features-unknown:note',
  'bans:dependency-kinds-unknown:note',
  'build:build-script-not-allowed:error',
  'build:checksum-match:help',
  'build:checksum-mismatch:error',
  'build:denied-by-extension:error',
  'build:detected-executable:lint',
  'build:detected-executable-script:lint',
  'build:unable-to-check-path:error',
  'build:path-bypassed:help',
  'build:path-bypassed-by-glob:help',
  'build:features-enabled:note',
  'build:unmatched-bypass:warning',
  'build:unmatched-path-bypass:warning',
  'build:unmatched-glob:warning',
  'build:non-root-path:error',
  'build:non-utf8-path:warning',
  'build:proc-macro-not-allowed:error',
  'build:build-time-code:note',
  'licenses:rejected:error',
  'licenses:accepted:help',
  'licenses:unlicensed:error',
  'licenses:skipped-private-workspace-crate:note',
  'licenses:license-not-encountered:lint',
  'licenses:license-exception-not-encountered:lint',
  'licenses:missing-clarification-file:warning',
  'licenses:parse-error:warning',
  'licenses:empty-license-field:warning',
  'licenses:no-license-field:warning',
  'licenses:gather-failure:warning',
  'licenses:license-unknown:warning',
  'sources:git-source-underspecified:error',
  'sources:allowed-source:note',
  'sources:allowed-by-organization:note',
  'sources:source-not-allowed:lint',
  'sources:unmatched-source:lint',
  'sources:unmatched-organization:lint',
  'config:deprecated:warning',
  'config:config-warning:warning',
  'config:graph-warning:warning',
];

test('the full set of codes with their checks and default severities', () => {
  assert.deepEqual(allCodes.map((c) => `${c.source}:${c.code}:${c.defaultSeverity}`), PINNED);
  assert.equal(new Set(allCodes.map((c) => c.code)).size, allCodes.length, 'codes are unique across checks');
  for (const c of allCodes) {
    assert.match(c.code, /^[a-z]+(-[a-z0-9]+)*$/, 'kebab-case');
    assert.ok(c.description.length > 10, `${c.code} is documented`);
    if (c.defaultSeverity === 'lint') assert.ok(c.lint, `${c.code} names the config key that decides its severity`);
  }
});

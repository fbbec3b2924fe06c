import assert from 'node:assert/strict';
import { describe as group, it } from 'node:test';
import { parseDenyConfig } from '../../../src/policy/deny/parse.js';
import { SentinelError } from '../../../src/errors.js';
import { ENV, failure, problemsOf } from './support.js';

group('deny.toml: bad input', () => {
  it('malformed TOML: one error at the place the parser stopped', () => {
    const error = (() => {
      try {
        parseDenyConfig('[advisories]\nyanked = warn\n', 'deny.toml', ENV);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof SentinelError);
    assert.equal(error.kind, 'config');
    assert.equal(error.message, 'invalid TOML: invalid value');
    assert.deepEqual(error.place, { file: 'deny.toml', line: 2, column: 10 });
    assert.equal(error.describe(), 'deny.toml:2:10: invalid TOML: invalid value');
  });

  it('wrong types, in every section', () => {
    const text = [
      '[graph]',
      'all-features = "yes"',
      'targets = [1]',
      '[output]',
      'feature-depth = -1',
      '[advisories]',
      'db-urls = "https://example.org/db"',
      'ignore = [5]',
      'disable-yank-checking = 1',
      '[sources]',
      'allow-git = [true]',
      '',
    ].join('\n');
    assert.deepEqual(problemsOf(text), [
      '2:1 `graph.all-features`: expected boolean',
      '3:12 `graph.targets[0]`: expected string or table',
      '5:1 `output.feature-depth`: expected a number >= 0',
      '7:1 `advisories.db-urls`: expected array',
      '8:11 `advisories.ignore[0]`: expected string or table',
      '9:1 `advisories.disable-yank-checking`: expected boolean',
      '11:14 `sources.allow-git[0]`: expected string',
    ]);
  });

  it('unknown keys, at the root and nested in tables, arrays and inline tables', () => {
    const text = [
      'unknown-root = 1',
      '[advisories]',
      'db-url = "https://github.com/rustsec/advisory-db"',
      '[sources.allow-org]',
      'github = []',
      'gitea = ["x"]',
      '[bans]',
      'deny = [{ crate = "openssl", resaon = "typo" }]',
      '[graph]',
      'targets = [{ triple = "x86_64-unknown-linux-gnu", feature = ["a"] }]',
      '',
    ].join('\n');
    assert.deepEqual(problemsOf(text), [
      '1:1 unknown key `unknown-root`',
      '3:1 unknown key `advisories.db-url`',
      '6:1 unknown key `sources.allow-org.gitea`',
      '8:30 unknown key `bans.deny[0].resaon`',
      '10:51 unknown key `graph.targets[0].feature`',
    ]);
  });

  it('removed keys say what replaced them', () => {
    const text = '[advisories]\nseverity-threshold = "high"\n[licenses]\ndeny = ["GPL-3.0"]\n';
    assert.deepEqual(problemsOf(text), [
      '2:1 `advisories.severity-threshold` has been removed: there is no severity threshold; to accept an advisory whatever its severity, add its id to `advisories.ignore`',
      '4:1 `licenses.deny` has been removed: every license not in `licenses.allow` is rejected; remove it from `allow` instead',
    ]);
  });

  it('invalid package specs, in string, table and deprecated forms', () => {
    const text = [
      '[bans]',
      'deny = ["open ssl", { crate = "openssl@1.x.y" }]',
      'skip = [{ name = "foo", version = "not a req" }]',
      '[advisories]',
      'ignore = ["serde:>>1", { crate = "" }]',
      '',
    ].join('\n');
    assert.deepEqual(problemsOf(text), [
      '2:9 `bans.deny[0]`: invalid crate name "open ssl" in package spec "open ssl"',
      '2:23 `bans.deny[1].crate`: invalid version "1.x.y" in package spec "openssl@1.x.y"',
      '3:25 `bans.skip[0]`: invalid version requirement "not a req" in package spec "foo:not a req"',
      '5:11 `advisories.ignore[0]`: expected an advisory id (such as RUSTSEC-2019-0036) or a package spec of a yanked crate (name, name@version or name:requirement): invalid version requirement ">>1" in package spec "serde:>>1"',
      '5:26 `advisories.ignore[1].crate`: invalid crate name "" in package spec ""',
    ]);
  });

  it('a bad duration names the character where it goes wrong', () => {
    assert.deepEqual(problemsOf('[advisories]\nmaximum-db-staleness = "P90X"\n'), [
      `2:1 \`advisories.maximum-db-staleness\`: invalid duration "P90X" at character 4: unexpected 'X' (expected Y, M, W, D or 'T')`,
    ]);
    assert.deepEqual(problemsOf('[advisories]\nmaximum-db-staleness = "90 days"\n'), [
      `2:1 \`advisories.maximum-db-staleness\`: invalid duration "90 days" at character 1: a duration starts with 'P', as in "P90D"`,
    ]);
    // A single problem is the error's own message and place.
    const error = failure('\n\n[advisories]\n  maximum-db-staleness = "PT"\n');
    assert.equal(error.message, `\`advisories.maximum-db-staleness\`: invalid duration "PT" at character 3: expected H, M or S after 'T'`);
    assert.deepEqual(error.place, { file: 'deny.toml', line: 4, column: 3 });
  });

  it('a database URL needs a host', () => {
    const text = '[advisories]\ndb-urls = [\n  "https://github.com/rustsec/advisory-db",\n  "file:///srv/advisory-db",\n  "not a url",\n]\n';
    assert.deepEqual(problemsOf(text), [
      '4:3 `advisories.db-urls[1]`: "file:///srv/advisory-db" has no host (expected a URL such as https://github.com/rustsec/advisory-db)',
      '5:3 `advisories.db-urls[2]`: "not a url" is not a URL',
    ]);
  });

  it('an invalid lint level lists the valid ones', () => {
    const text = '[advisories]\nyanked = "error"\n[sources]\nunknown-git = "Deny"\n[bans]\nmultiple-versions = true\n';
    assert.deepEqual(problemsOf(text), [
      '2:1 `advisories.yanked`: expected one of "allow", "warn", "deny"',
      '4:1 `sources.unknown-git`: expected one of "allow", "warn", "deny"',
      '6:1 `bans.multiple-versions`: expected one of "allow", "warn", "deny"',
    ]);
  });

  it('old lint values of unmaintained/unsound and unknown scopes explain the scopes', () => {
    const scopes =
      '"all" (every crate), "workspace" (crates a workspace member depends on directly), ' +
      '"transitive" (crates no workspace member depends on directly) or "none"';
    assert.deepEqual(problemsOf('[advisories]\nunmaintained = "warn"\nunsound = "some"\n'), [
      `2:1 \`advisories.unmaintained\`: "warn" is a lint level, but this key now takes a scope saying which unmaintained advisories are reported: ${scopes}`,
      `3:1 \`advisories.unsound\`: expected a scope saying which unsound advisories are reported: ${scopes}`,
    ]);
  });

  it('an unset variable in db-path is an error at the key', () => {
    assert.deepEqual(problemsOf('[advisories]\ndb-path = "$NOPE/dbs"\n'), [
      '2:1 `advisories.db-path`: environment variable `NOPE` is not set (write `${NOPE:-fallback}` to give a default)',
    ]);
  });

  it('every problem of a file is reported together, in file order, with the moved-key warnings alongside', () => {
    const text = [
      'exclude-dev = true',
      '[advisories]',
      'vulnerability = "deny"',
      'yanked = "never"',
      'maximum-db-staleness = "P1Y2W"',
      'db-urls = ["mailto:security@example.com"]',
      '[bans]',
      'skip = [{ crate = "a b" }]',
      'wildcards = "warn"',
      'wild-cards = "warn"',
      '[sources]',
      'allow-registry = ["not a url"]',
      'required-git-spec = "commit"',
      '',
    ].join('\n');
    const error = failure(text);
    assert.equal(error.message, '8 problems in deny.toml');
    assert.deepEqual(error.place, { file: 'deny.toml' });
    assert.deepEqual(error.problems.map((p) => `${p.place?.line}:${p.place?.column} ${p.message}`), [
      '3:1 `advisories.vulnerability` has been removed: vulnerabilities are always errors; to accept one, add its id to `advisories.ignore`',
      '4:1 `advisories.yanked`: expected one of "allow", "warn", "deny"',
      `5:1 \`advisories.maximum-db-staleness\`: invalid duration "P1Y2W" at character 5: a week duration is written alone, as in "P2W"`,
      '6:12 `advisories.db-urls[0]`: "mailto:security@example.com" has no host (expected a URL such as https://github.com/rustsec/advisory-db)',
      '8:11 `bans.skip[0].crate`: invalid crate name "a b" in package spec "a b"',
      '10:1 unknown key `bans.wild-cards`',
      '12:19 `sources.allow-registry[0]`: "not a url" is not a URL with a host',
      '13:1 `sources.required-git-spec`: expected one of "any", "branch", "tag", "rev"',
    ]);
    assert.deepEqual(error.warnings.map((p) => `${p.place?.line}:${p.place?.column} ${p.message}`), [
      '1:1 `exclude-dev` is deprecated: use `graph.exclude-dev` instead',
    ]);
  });
});

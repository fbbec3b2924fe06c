import assert from 'node:assert/strict';
import { describe as group, it } from 'node:test';
import fc from 'fast-check';
import { advisoriesSection } from '../../../src/checks/advisories/config.js';
import { DurationError, parseDuration } from '../../../src/policy/deny/duration.js';
import { expandPath, PathExpansionError } from '../../../src/policy/deny/expand-path.js';
import { parse, problemsOf } from './support.js';

group('[advisories]', () => {
  it("defaults are cargo-deny's, with db-path expanded by the loader", () => {
    assert.deepEqual(parse('').config.advisories, {
      'db-path': '/opt/cargo/advisory-dbs',
      'db-urls': [],
      ignore: [],
      yanked: 'warn',
      'disable-yank-checking': false,
      unmaintained: 'all',
      unsound: 'workspace',
      'git-fetch-with-cli': false,
      'maximum-db-staleness': 90,
      'unused-ignored-advisory': 'warn',
    });
    // The section alone keeps the path as written.
    assert.equal(advisoriesSection.parse({})['db-path'], '$CARGO_HOME/advisory-dbs');
  });

  it('ignore: advisory ids (with reason and expiry) and yanked crate specs, each with its place in deny.toml', () => {
    const text = [
      '[advisories]',
      'ignore = [',
      '  "RUSTSEC-2020-0001",',
      '  { id = "GHSA-aaaa-bbbb-cccc", reason = "not reachable", expires = 2030-01-31 },',
      '  { id = "CVE-2020-1234", expires = "2031-02-28" },',
      '  { crate = "yanked@0.1.1", reason = "no fix yet" },',
      '  "yanked:>=0.2",',
      ']',
      'git-fetch-with-cli = true',
      'version = 2',
      '',
    ].join('\n');
    const { config, warnings } = parse(text);
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.advisories.ignore, [
      { kind: 'advisory', id: 'RUSTSEC-2020-0001', reason: undefined, expires: undefined, path: ['advisories', 'ignore', 0] },
      { kind: 'advisory', id: 'GHSA-aaaa-bbbb-cccc', reason: 'not reachable', expires: '2030-01-31', path: ['advisories', 'ignore', 1] },
      { kind: 'advisory', id: 'CVE-2020-1234', reason: undefined, expires: '2031-02-28', path: ['advisories', 'ignore', 2] },
      { kind: 'yanked', spec: { name: 'yanked', req: '=0.1.1', text: 'yanked@0.1.1' }, reason: 'no fix yet', path: ['advisories', 'ignore', 3] },
      { kind: 'yanked', spec: { name: 'yanked', req: '>=0.2', text: 'yanked:>=0.2' }, reason: undefined, path: ['advisories', 'ignore', 4] },
    ]);
    assert.equal(config.advisories['git-fetch-with-cli'], true);
    assert.equal(config.advisories.version, 2);
  });

  it('ignore: a table with `id` is judged as an advisory, one with `crate` as a yanked crate', () => {
    const text = [
      '[advisories]',
      'ignore = [',
      '  { id = "rustsec-2020-0001" },',
      '  { id = "RUSTSEC-2020-0002", expires = "soon" },',
      '  { crate = "x@1.0.0", expires = "2030-01-01" },',
      '  { reason = "no id" },',
      ']',
      '',
    ].join('\n');
    assert.deepEqual(problemsOf(text), [
      '3:5 `advisories.ignore[0].id`: expected an advisory id: an upper-case prefix and a dash, such as RUSTSEC-2019-0036 or GHSA-xxxx-xxxx-xxxx',
      '4:31 `advisories.ignore[1].expires`: expected a date YYYY-MM-DD',
      '5:24 unknown key `advisories.ignore[2].expires`',
      '6:3 `advisories.ignore[3].crate`: expected string',
    ]);
  });

  it('db-path: ~, $VAR, ${VAR}, ${VAR:-fallback} and $CARGO_HOME', () => {
    const dbPath = (written: string) => parse(`[advisories]\ndb-path = ${JSON.stringify(written)}\n`).config.advisories['db-path'];
    assert.equal(dbPath('~/dbs'), '/home/tester/dbs');
    assert.equal(dbPath('$DBS/x'), '/srv/dbs/x');
    assert.equal(dbPath('${DBS}x'), '/srv/dbsx');
    assert.equal(dbPath('${UNSET:-/tmp/fallback}/x'), '/tmp/fallback/x');
    assert.equal(dbPath('${DBS:-/tmp/fallback}'), '/srv/dbs');
    assert.equal(dbPath('$CARGO_HOME/advisory-dbs'), '/opt/cargo/advisory-dbs');
    assert.equal(dbPath('relative/$5/a~b'), 'relative/$5/a~b');
  });

  it('expandPath: CARGO_HOME falls back to ~/.cargo; an empty variable is empty; errors are precise', () => {
    const context = { env: { EMPTY: '' }, home: '/home/u' };
    assert.equal(expandPath('$CARGO_HOME/advisory-dbs', context), '/home/u/.cargo/advisory-dbs');
    assert.equal(expandPath('~', context), '/home/u');
    assert.equal(expandPath('a$EMPTY/b', context), 'a/b');
    assert.equal(expandPath('${EMPTY:-x}', context), 'x');
    assert.throws(() => expandPath('${UNSET}', context), new PathExpansionError('environment variable `UNSET` is not set (write `${UNSET:-fallback}` to give a default)'));
    assert.throws(() => expandPath('/a/${DBS', context), new PathExpansionError('`${` at character 4 has no closing `}`'));
    assert.throws(() => expandPath('${1X}', context), new PathExpansionError('`${1X}` does not name a variable (letters, digits and _)'));
  });

  it('maximum-db-staleness: RFC 3339 durations in days', () => {
    const days = (text: string) => parse(`[advisories]\nmaximum-db-staleness = "${text}"\n`).config.advisories['maximum-db-staleness'];
    assert.equal(days('P90D'), 90);
    assert.equal(days('P2W'), 14);
    assert.equal(days('P1Y'), 365);
    assert.equal(days('P1M'), 30.43);
    assert.equal(days('PT36H'), 1.5);
    assert.equal(days('P1DT12H'), 1.5);
    assert.equal(days('P0.5D'), 0.5);
    assert.equal(days('p3d'), 3);
  });

  it('parseDuration: where each malformed duration goes wrong', () => {
    const failure = (text: string) => {
      try {
        parseDuration(text);
      } catch (e) {
        assert.ok(e instanceof DurationError);
        return `${e.offset}: ${e.message}`;
      }
      return 'accepted';
    };
    assert.equal(failure(''), `0: a duration starts with 'P', as in "P90D"`);
    assert.equal(failure('P'), `1: expected at least one component after 'P', as in "P90D"`);
    assert.equal(failure('PD'), `1: expected a number before 'D'`);
    assert.equal(failure('P1D2Y'), `4: 'Y' is out of order (the order is Y, M, D)`);
    assert.equal(failure('P1DT2S3H'), `7: 'H' is out of order (the order is H, M, S)`);
    assert.equal(failure('PT1D'), `3: unexpected 'D' (expected H, M or S)`);
    assert.equal(failure('P1DT'), `4: expected H, M or S after 'T'`);
    assert.equal(failure('P1.D'), `3: expected a digit after '.'`);
    assert.equal(failure('P12'), `3: the number 12 has no unit (Y, M, W or D; H, M or S after 'T')`);
    assert.equal(failure('P1W1D'), `2: a week duration is written alone, as in "P2W"`);
    assert.equal(failure('PT1HT'), `4: 'T' appears twice`);
  });

  it('parseDuration: any well-formed combination is the sum of its parts (property)', () => {
    const part = fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, part, part, (y, mo, d, h, mi, s) => {
        const date = [y === undefined ? '' : `${y}Y`, mo === undefined ? '' : `${mo}M`, d === undefined ? '' : `${d}D`].join('');
        const time = [h === undefined ? '' : `${h}H`, mi === undefined ? '' : `${mi}M`, s === undefined ? '' : `${s}S`].join('');
        fc.pre(date !== '' || time !== '');
        const text = `P${date}${time === '' ? '' : `T${time}`}`;
        const expected = (y ?? 0) * 365 + (mo ?? 0) * 30.43 + (d ?? 0) + (h ?? 0) / 24 + (mi ?? 0) / 1440 + (s ?? 0) / 86_400;
        assert.ok(Math.abs(parseDuration(text) - expected) < 1e-9, text);
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import semver from 'semver';
import {
  affectedRanges,
  increment,
  intervalsOverlap,
  isVulnerable,
  parseRequirement,
  parseVersion,
  permitsNewer,
  RequirementError,
  type Bound,
  type VersionInterval,
} from '../../src/advisories/version-range.js';

const show = (b: Bound): string => (b.kind === 'unbounded' ? '*' : `${b.kind === 'inclusive' ? '=' : '~'}${b.version.version}`);
const interval = (req: string): string => {
  const { start, end } = parseRequirement(req);
  return `${show(start)} .. ${show(end)}`;
};

describe('parseRequirement', () => {
  it('turns each operator into one interval (rustsec unaffected_range cases)', () => {
    const cases: [string, string][] = [
      ['=1.0', '=1.0.0 .. =1.0.0'],
      ['^1.2.3', '=1.2.3 .. ~2.0.0-0'],
      ['^1.2', '=1.2.0 .. ~2.0.0-0'],
      ['^1', '=1.0.0 .. ~2.0.0-0'],
      ['^0.2.3', '=0.2.3 .. ~0.3.0-0'],
      ['^0.2', '=0.2.0 .. ~0.3.0-0'],
      ['^0.0.3', '=0.0.3 .. ~0.0.4-0'],
      ['^0.0', '=0.0.0 .. ~0.1.0-0'],
      ['^0', '=0.0.0 .. ~1.0.0-0'],
      ['~1.2.3', '=1.2.3 .. ~1.3.0-0'],
      ['~1.2', '=1.2.0 .. ~1.3.0-0'],
      ['~1', '=1.0.0 .. ~2.0.0-0'],
      ['1.2.3', '=1.2.3 .. ~2.0.0-0'],
      ['>= 1.2.3', '=1.2.3 .. *'],
      ['>1.2.3', '~1.2.3 .. *'],
      ['< 0.12', '* .. ~0.12.0'],
      ['<= 1.2', '* .. =1.2.0'],
      ['> 0', '~0.0.0 .. *'],
      ['>= 2', '=2.0.0 .. *'],
      ['>= 1.0.0-rc.2', '=1.0.0-rc.2 .. *'],
      ['>= 1.2.3, < 1.3', '=1.2.3 .. ~1.3.0'],
      ['< 0.25.0-alpha.3, >= 0.20.0', '=0.20.0 .. ~0.25.0-alpha.3'],
      ['>= 1.0.0, <= 1.0.0', '=1.0.0 .. =1.0.0'],
      ['>= 0.0.8 ', '=0.0.8 .. *'],
      ['>=1.2.3+build.5', '=1.2.3 .. *'],
      ['*', '* .. *'],
    ];
    for (const [req, expected] of cases) assert.equal(interval(req), expected, req);
  });

  it('rejects what rustsec rejects', () => {
    const bad = [
      '', ' ', '1.*', '1.2.*', '>= 1.x', '*, < 2', '>= 1, < 2, < 3', '>= 1, > 2', '< 1, <= 2', '=1, < 2', '^1, < 2',
      '~1, > 0', '>= 2, < 1', '> 1.0.0, < 1.0.0', '>= 1.0.0, < 1.0.0', '> 1.0.0, <= 1.0.0', '!= 1.0.0', '== 1.0.0',
      '~> 1.0', '01.2.3', '1.02.3', '1.2.3-01', '1.2-alpha', 'v1.2.3', '>= 1.2.3 < 2.0.0', '1.2.3.4', '>= , < 2',
    ];
    for (const req of bad) assert.throws(() => parseRequirement(req), RequirementError, JSON.stringify(req));
  });

  it('names the requirement in its error', () => {
    assert.throws(() => parseRequirement('>= 1, > 2'), {
      name: 'RequirementError',
      message: 'invalid version requirement ">= 1, > 2": two lower bounds',
    });
  });
});

describe('increment', () => {
  it('gives the smallest greater version (rustsec increment() cases)', () => {
    const cases: [string, string][] = [
      ['1.2.3', '1.2.4-0'],
      ['1.2.3-9', '1.2.3-9.0'],
      ['1.2.3-alpha1', '1.2.3-alpha1.0'],
      ['1.2.3-alpha.1', '1.2.3-alpha.1.0'],
      ['0.0.0', '0.0.1-0'],
      ['1.2.3+build', '1.2.4-0'],
    ];
    for (const [v, expected] of cases) assert.equal(increment(parseVersion(v)).version, expected, v);
  });
});

describe('affectedRanges and isVulnerable (reference table, cargo-audit.md §1.6)', () => {
  const cases: [patched: string[], unaffected: string[], version: string, vulnerable: boolean][] = [
    [['>= 1.2.3'], [], '1.2.3-alpha.1', true],
    [['>= 1.2.3, < 1.3'], [], '1.3.0-alpha', false],
    [['^0.4.5'], [], '0.4.9', false],
    [['^0.4.5'], [], '0.5.0-rc.1', true],
    [['^0.4.5'], [], '0.5.0', true],
    [['1.2.3'], [], '1.9.0', false],
    [['=0.2.0'], [], '0.2.0', false],
    [['=1.0'], [], '1.0.5', true],
    [[], ['> 0'], '0.0.1', false],
    [[], ['> 0'], '0.0.0', true],
    [['>= 1.0.0-rc.2'], [], '1.0.0-rc.1', true],
    [['>= 1.0.0-rc.2'], [], '1.0.0-rc.10', false],
    [[], [], '0.0.0', true],
    [[], [], '99.0.0-alpha', true],
    [['>= 1.2.3, < 1.3.0', '>= 1.3.4'], ['<= 0.1.2'], '1.3.2', true],
    [['>= 1.2.3, < 1.3.0', '>= 1.3.4'], ['<= 0.1.2'], '0.1.2', false],
    [['>= 1.2.3, < 1.3.0', '>= 1.3.4'], ['<= 0.1.2'], '0.1.3-alpha', true],
    [['>= 1.2.3, < 1.3.0', '>= 1.3.4'], ['<= 0.1.2'], '1.2.9', false],
    [['>= 1.2.3, < 1.3.0', '>= 1.3.4'], ['<= 0.1.2'], '1.3.4', false],
    [[], ['< 0.25.0-alpha.3', '>= 0.26.0-beta.1'], '0.25.2', true],
    [[], ['< 0.25.0-alpha.3', '>= 0.26.0-beta.1'], '0.26.0-beta.1', false],
    [[], ['< 0.25.0-alpha.3', '>= 0.26.0-beta.1'], '0.25.0-alpha.2', false],
    [['>= 0.5.2'], [], '0.5.1', true],
    [['>= 0.5.2'], [], '0.5.2+build', false],
  ];
  for (const [patched, unaffected, version, vulnerable] of cases) {
    it(`${JSON.stringify({ patched, unaffected })} ${version} -> ${vulnerable ? 'vulnerable' : 'not vulnerable'}`, () => {
      assert.equal(isVulnerable(affectedRanges(patched, unaffected), version), vulnerable);
    });
  }

  it('complements into [introduced, fixed) ranges with inc() at the edges', () => {
    assert.deepEqual(affectedRanges(['>= 1.2.3, < 1.3.0', '>= 1.3.4'], ['<= 0.1.2']), [
      { introduced: '0.1.3-0', fixed: '1.2.3' },
      { introduced: '1.3.0', fixed: '1.3.4' },
    ]);
    assert.deepEqual(affectedRanges([], []), [{ introduced: undefined, fixed: undefined }]);
    assert.deepEqual(affectedRanges(['> 0.2.0'], []), [{ introduced: undefined, fixed: '0.2.1-0' }]);
    assert.deepEqual(affectedRanges(['=0.2.0'], []), [
      { introduced: undefined, fixed: '0.2.0' },
      { introduced: '0.2.1-0', fixed: undefined },
    ]);
    assert.deepEqual(affectedRanges(['< 1.0.0', '>= 1.0.0'], []), []);
  });

  it('rejects overlapping requirements across patched and unaffected', () => {
    assert.throws(() => affectedRanges(['>= 1.2'], ['< 1.3']), {
      message: 'invalid version requirement ">= 1.2": overlaps with "< 1.3"',
    });
    assert.throws(() => affectedRanges(['<= 1.0.0', '>= 1.0.0'], []), RequirementError);
    assert.doesNotThrow(() => affectedRanges(['< 1.0.0', '>= 1.0.0'], []));
  });

  it('does not take a version that is not strict SemVer', () => {
    for (const v of ['v1.2.3', ' 1.2.3', '1.2', '1.02.3', '1.2.3-01']) {
      assert.throws(() => isVulnerable([], v), TypeError, v);
    }
  });
});

describe('permitsNewer (cargo-audit presenter cases)', () => {
  const cases: [string, string, boolean][] = [
    ['>=5.0.0', '1.5.0', true],
    ['>1.5.0', '1.5.0', true],
    ['<1.0.0', '1.5.0', false],
    ['^0.4', '0.6.0', false],
    ['=1.2.3', '1.5.0', false],
    ['=1.2.3', '1.2.3', false],
    ['>= 0.26.0-beta.1', '0.25.2', true],
    ['< 0.25.0-alpha.3', '0.25.2', false],
    ['<= 1.5.0', '1.5.0', false],
    ['< 1.5.1', '1.5.0', true],
    ['^1.2', '1.0.0', true],
  ];
  for (const [req, version, expected] of cases) {
    it(`${req} vs ${version} -> ${expected}`, () => assert.equal(permitsNewer(req, version), expected));
  }
});

// Property tests: a small version space, so that generated bounds and versions collide often.
const PRE = [undefined, '0', '1', 'alpha', 'alpha.1', 'alpha.2', 'beta', 'rc.2', 'rc.10'] as const;
const versionArb = fc
  .tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.constantFrom(...PRE))
  .map(([major, minor, patch, pre]) => `${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}`);
const versionsArb = fc.array(versionArb, { minLength: 1, maxLength: 30 });
const SEED = { seed: 20260821, numRuns: 400 };

const cmp = (a: string, b: string): number => semver.compare(a, b);

describe('properties', () => {
  it('one full-version requirement covers what node-semver (with pre-releases) says it covers', () => {
    const toNode = (op: string, v: string): string => `${op === '' ? '^' : op}${v}`;
    const single = fc.tuple(fc.constantFrom('>=', '>', '<', '<=', '=', '^', '~', ''), fc.constantFrom('', ' '), versionArb);
    fc.assert(
      fc.property(single, versionsArb, ([op, blank, bound], versions) => {
        const { start, end } = parseRequirement(`${op}${blank}${bound}`);
        for (const v of versions) {
          const expected = semver.satisfies(v, toNode(op, bound), { includePrerelease: true });
          assert.equal(covers({ start, end }, v), expected, `${op}${bound} ${v}`);
        }
      }),
      SEED,
    );
  });

  it('a lower+upper pair parses exactly when its bounds leave room, and covers what it says', () => {
    const pair = fc.tuple(fc.constantFrom('>=', '>'), versionArb, fc.constantFrom('<', '<='), versionArb, fc.boolean());
    fc.assert(
      fc.property(pair, versionsArb, ([lowOp, low, highOp, high, upperFirst], versions) => {
        const text = upperFirst ? `${highOp} ${high}, ${lowOp} ${low}` : `${lowOp} ${low}, ${highOp} ${high}`;
        const order = cmp(low, high);
        const valid = order < 0 || (order === 0 && lowOp === '>=' && highOp === '<=');
        if (!valid) {
          assert.throws(() => parseRequirement(text), RequirementError);
          return;
        }
        const parsed = parseRequirement(text);
        for (const v of versions) {
          const expected = semver.satisfies(v, `${lowOp}${low} ${highOp}${high}`, { includePrerelease: true });
          assert.equal(covers(parsed, v), expected, `${text} ${v}`);
        }
      }),
      SEED,
    );
  });

  it('vulnerable exactly when no patched/unaffected interval covers the version; ranges sorted and disjoint', () => {
    fc.assert(
      fc.property(disjointRequirementsArb, versionsArb, ({ patched, unaffected, intervals }, versions) => {
        const ranges = affectedRanges(patched, unaffected);
        for (const v of versions) {
          const covered = intervals.some((iv) => iv.covers(v));
          assert.equal(isVulnerable(ranges, v), !covered, `${v} in ${JSON.stringify({ patched, unaffected, ranges })}`);
        }
        assertSortedAndDisjoint(ranges);
      }),
      SEED,
    );
  });

  it('with any requirements (partial, caret, tilde), a vulnerable version is covered by none of them', () => {
    const partial = fc.oneof(
      versionArb,
      fc.tuple(fc.nat(3), fc.nat(3)).map(([a, b]) => `${a}.${b}`),
      fc.nat(3).map(String),
    );
    const req = fc.tuple(fc.constantFrom('>=', '>', '<', '<=', '=', '^', '~', ''), partial).map(([op, v]) => `${op}${v}`);
    fc.assert(
      fc.property(fc.array(req, { maxLength: 3 }), fc.array(req, { maxLength: 2 }), versionsArb, (patched, unaffected, versions) => {
        const intervals = [...patched, ...unaffected].map(parseRequirement);
        const overlapping = intervals.some((a, i) => intervals.some((b, j) => i < j && intervalsOverlap(a, b)));
        if (overlapping) {
          assert.throws(() => affectedRanges(patched, unaffected), RequirementError);
          return;
        }
        const ranges = affectedRanges(patched, unaffected);
        for (const v of versions) assert.equal(isVulnerable(ranges, v), !intervals.some((iv) => covers(iv, v)), v);
        assertSortedAndDisjoint(ranges);
      }),
      SEED,
    );
  });

  it('increment(v) is above v and nothing generated lies between them', () => {
    fc.assert(
      fc.property(versionArb, versionsArb, (v, others) => {
        const next = increment(parseVersion(v)).version;
        assert.ok(cmp(v, next) < 0);
        for (const w of others) assert.ok(!(cmp(v, w) < 0 && cmp(w, next) < 0), `${w} between ${v} and ${next}`);
      }),
      SEED,
    );
  });
});

/** Interval membership straight from the bounds, independent of the complement. */
function covers({ start, end }: VersionInterval, v: string): boolean {
  const above = start.kind === 'unbounded' || (start.kind === 'inclusive' ? cmp(v, start.version.version) >= 0 : cmp(v, start.version.version) > 0);
  const below = end.kind === 'unbounded' || (end.kind === 'inclusive' ? cmp(v, end.version.version) <= 0 : cmp(v, end.version.version) < 0);
  return above && below;
}

function assertSortedAndDisjoint(ranges: ReturnType<typeof affectedRanges>): void {
  ranges.forEach((r, i) => {
    if (r.introduced !== undefined && r.fixed !== undefined) assert.ok(cmp(r.introduced, r.fixed) < 0, 'non-empty range');
    const next = ranges[i + 1];
    if (next) {
      assert.ok(r.fixed !== undefined && next.introduced !== undefined, 'only the ends are open');
      assert.ok(cmp(r.fixed, next.introduced) <= 0, 'sorted and disjoint');
    }
  });
}

interface BuiltInterval {
  covers(v: string): boolean;
}

/**
 * Requirements built from sorted distinct points, so they never overlap, each
 * with its own membership test written from the requirement text's meaning.
 */
const disjointRequirementsArb = fc
  .uniqueArray(versionArb, { minLength: 0, maxLength: 8, comparator: (a, b) => cmp(a, b) === 0 })
  .chain((points) => {
    const sorted = [...points].sort(cmp);
    const count = Math.floor(sorted.length / 2);
    return fc.tuple(
      fc.constant(sorted),
      fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), { minLength: count, maxLength: count }),
      fc.boolean(),
      fc.boolean(),
    );
  })
  .map(([sorted, shapes, openStart, openEnd]) => {
    const patched: string[] = [];
    const unaffected: string[] = [];
    const intervals: BuiltInterval[] = [];
    shapes.forEach(([lowInclusive, highInclusive, isPatched], i) => {
      const low = sorted[2 * i]!;
      const high = sorted[2 * i + 1]!;
      const first = i === 0 && openStart;
      const last = i === shapes.length - 1 && openEnd;
      const lower = `${lowInclusive ? '>=' : '>'} ${low}`;
      const upper = `${highInclusive ? '<=' : '<'} ${high}`;
      const text = first && last ? '*' : first ? upper : last ? lower : `${lower}, ${upper}`;
      (isPatched ? patched : unaffected).push(text);
      intervals.push({
        covers: (v) =>
          (first || (lowInclusive ? cmp(v, low) >= 0 : cmp(v, low) > 0)) &&
          (last || (highInclusive ? cmp(v, high) <= 0 : cmp(v, high) < 0)),
      });
    });
    return { patched, unaffected, intervals };
  });

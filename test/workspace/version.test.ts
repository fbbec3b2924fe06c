import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareVersions, isSemver } from '../../src/workspace/version.js';

describe('package versions', () => {
  it('accepts exactly semver', () => {
    for (const v of ['0.0.0', '1.2.3', '10.20.30', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-0.3.7', '1.0.0-x.7.z.92', '1.0.0+20130313144700', '1.0.0-beta+exp.sha.5114f85', '1.0.0+001', '49.0.0-dev']) {
      assert.ok(isSemver(v), v);
    }
    for (const v of ['1', '1.2', 'v1.2.3', '=1.2.3', ' 1.2.3', '01.2.3', '1.02.3', '1.2.3-01', '1.2.3-', '1.2.3+', '1.2.3-a..b', '1.2.3.4', '']) {
      assert.ok(!isSemver(v), v);
    }
  });

  it('orders by semver precedence', () => {
    const ordered = ['0.9.0', '0.10.0', '1.0.0-0', '1.0.0-2', '1.0.0-10', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.0+a', '1.0.0+b', '2.0.0', '18446744073709551616.0.0'];
    const shuffled = [...ordered].reverse().sort(compareVersions);
    assert.deepEqual(shuffled, ordered);
  });

  it('is a total order consistent with equality', () => {
    const versionArb = fc
      .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.constantFrom('a', 'a.1', '1', 'b.2', 'rc'), { nil: undefined }))
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ? `-${pre}` : ''}`);
    fc.assert(
      fc.property(versionArb, versionArb, versionArb, (a, b, c) => {
        assert.equal(Math.sign(compareVersions(a, b)), -Math.sign(compareVersions(b, a)));
        assert.equal(compareVersions(a, b) === 0, a === b);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) assert.ok(compareVersions(a, c) <= 0);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSeverity, CvssError, cvssRating, scoreCvss, severityOf } from '../../src/advisories/cvss.js';

describe('scoreCvss', () => {
  it('scores vectors from the advisory database', () => {
    assert.deepEqual(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), { version: '3.1', score: 9.8, severity: 'critical' });
    // crates/base64/RUSTSEC-2017-0004.md
    assert.deepEqual(scoreCvss('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), { version: '3.0', score: 9.8, severity: 'critical' });
    assert.deepEqual(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), { version: '3.1', score: 10, severity: 'critical' });
    assert.deepEqual(scoreCvss('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N'), { version: '3.1', score: 0, severity: 'none' });
  });

  it('scores CVSS 4.0 like the specification examples', () => {
    const cases: [string, number][] = [
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.7],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', 6.9],
      ['CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.3],
      ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.7],
      ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 5.2],
      ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N', 8.3],
      ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.6],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N', 5.3],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
    ];
    for (const [vector, score] of cases) {
      assert.deepEqual(scoreCvss(vector), { version: '4.0', score, severity: severityOf(score) }, vector);
    }
  });

  it('agrees with the CVSS 3.0 and 3.1 base formulas on every base vector', () => {
    let checked = 0;
    for (const version of ['3.0', '3.1'] as const) {
      for (const metrics of allV3BaseVectors()) {
        const vector = `CVSS:${version}/${Object.entries(metrics).map(([k, v]) => `${k}:${v}`).join('/')}`;
        assert.equal(scoreCvss(vector).score, v3BaseScore(metrics, version), vector);
        checked++;
      }
    }
    assert.equal(checked, 2 * 2592);
  });

  it('rejects incomplete and malformed vectors', () => {
    const bad = [
      'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q',
      'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      '',
    ];
    for (const vector of bad) assert.throws(() => scoreCvss(vector), CvssError, vector);
    assert.equal(cvssRating('CVSS:3.1/AV:N'), undefined);
    assert.deepEqual(cvssRating('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), { version: '3.1', score: 9.8, severity: 'critical' });
  });
});

describe('severity', () => {
  it('maps scores to the qualitative scale', () => {
    const cases: [number, string][] = [[0, 'none'], [0.1, 'low'], [3.9, 'low'], [4, 'medium'], [6.9, 'medium'], [7, 'high'], [8.9, 'high'], [9, 'critical'], [10, 'critical']];
    for (const [score, rating] of cases) assert.equal(severityOf(score), rating, String(score));
  });

  it('orders ratings', () => {
    assert.ok(compareSeverity('low', 'medium') < 0);
    assert.ok(compareSeverity('critical', 'high') > 0);
    assert.equal(compareSeverity('none', 'none'), 0);
  });
});

type V3Metrics = Record<'AV' | 'AC' | 'PR' | 'UI' | 'S' | 'C' | 'I' | 'A', string>;

function* allV3BaseVectors(): Generator<V3Metrics> {
  for (const AV of 'NALP') for (const AC of 'LH') for (const PR of 'NLH') for (const UI of 'NR')
    for (const S of 'UC') for (const C of 'HLN') for (const I of 'HLN') for (const A of 'HLN')
      yield { AV, AC, PR, UI, S, C, I, A };
}

/** The base equations of the 3.0 and 3.1 specifications, written out independently of the library. */
function v3BaseScore(m: V3Metrics, version: '3.0' | '3.1'): number {
  const changed = m.S === 'C';
  const av = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }[m.AV]!;
  const ac = { L: 0.77, H: 0.44 }[m.AC]!;
  const pr = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 }[m.PR]!;
  const ui = { N: 0.85, R: 0.62 }[m.UI]!;
  const cia = (x: string): number => ({ H: 0.56, L: 0.22, N: 0 })[x]!;
  const iss = 1 - (1 - cia(m.C)) * (1 - cia(m.I)) * (1 - cia(m.A));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const roundup = version === '3.1' ? roundup31 : (x: number): number => Math.ceil(x * 10) / 10;
  return roundup(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}

/** 3.1 Appendix A: rounding that floating-point noise cannot push up a tenth. */
function roundup31(x: number): number {
  const scaled = Math.round(x * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/**
 * SPDX expressions as cargo-deny reads them: strict then lax parsing, the
 * licensee form of `allow`, and satisfaction (or-later, exceptions,
 * LicenseRef, pedantic GNU ids). Property tests: printing and parsing
 * round-trip; OR and AND mean what they say.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CONFIG_STRICT,
  evaluate,
  exprToString,
  LAX,
  MANIFEST_STRICT,
  parseExpression,
  parseLicensee,
  parseManifestLicense,
  requirements,
  satisfies,
  SpdxParseError,
  type ExprNode,
  type Licensee,
  type LicenseReq,
} from '../../../src/checks/licenses/spdx.js';

const lic = (text: string): Licensee => parseLicensee(text);
const req = (text: string): LicenseReq => {
  const reqs = requirements(parseExpression(text, { mode: 'strict', allowDeprecated: true, allowSlash: false }));
  assert.equal(reqs.length, 1);
  return reqs[0]!;
};
const printed = (text: string) => exprToString(parseManifestLicense(text).expr);

/** The expression without term positions, for structural comparison. */
function shape(node: ExprNode): unknown {
  return node.kind === 'req' ? { req: node.req } : { kind: node.kind, left: shape(node.left), right: shape(node.right) };
}

describe('parsing a manifest license field', () => {
  it('reads the slash form as OR without complaint, as cargo-deny does', () => {
    const r = parseManifestLicense('Apache-2.0/ISC/MIT');
    assert.equal(r.strictError, undefined);
    assert.equal(exprToString(r.expr), 'Apache-2.0 OR ISC OR MIT');
    assert.equal(printed('MIT/Apache-2.0'), 'MIT OR Apache-2.0');
    assert.equal(printed('Unlicense/MIT'), 'Unlicense OR MIT');
  });

  it('parses the expressions the fixture workspaces use', () => {
    assert.equal(printed('Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT'), 'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT');
    assert.equal(printed('(Apache-2.0 OR MIT) AND BSD-3-Clause'), '(Apache-2.0 OR MIT) AND BSD-3-Clause');
    assert.equal(printed('0BSD OR MIT OR Apache-2.0'), '0BSD OR MIT OR Apache-2.0');
    assert.equal(printed('LicenseRef-Acme-Proprietary'), 'LicenseRef-Acme-Proprietary');
    assert.equal(printed('DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2'), 'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2');
    assert.equal(printed('Apache-2.0+'), 'Apache-2.0+');
  });

  it('gives AND precedence over OR', () => {
    const e = parseExpression('MIT OR ISC AND Zlib', MANIFEST_STRICT);
    assert.equal(e.kind, 'or');
    assert.equal(exprToString(e), 'MIT OR ISC AND Zlib');
    assert.equal(exprToString(parseExpression('(MIT OR ISC) AND Zlib', MANIFEST_STRICT)), '(MIT OR ISC) AND Zlib');
  });

  it('falls back to lax reading with the strict error kept for a parse-error warning', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['Apache 2.0', 'Apache-2.0', /unknown SPDX license id `Apache`/],
      ['MIT license', 'MIT', /unknown SPDX license id `license`/],
      ['MIT License', 'MIT', /`license`|`License`/],
      ['GPL-2.0+', 'GPL-2.0-or-later', /write `GPL-2.0-or-later`/],
      ['mit or apache-2.0', 'MIT OR Apache-2.0', /unknown SPDX license id `mit`/],
      ['MIT and Apache-2.0', 'MIT AND Apache-2.0', /operators must be upper case/],
      ['GPL-2.0', 'GPL-2.0', /deprecated SPDX license id/],
      ['Apache License 2.0 / MIT', 'Apache-2.0 OR MIT', /unknown SPDX license id `Apache`/],
    ];
    for (const [text, expected, error] of cases) {
      const r = parseManifestLicense(text);
      assert.equal(exprToString(r.expr), expected, text);
      assert.ok(r.strictError instanceof SpdxParseError, text);
      assert.match(r.strictError.message, error, text);
    }
  });

  it('keeps the or-later meaning of GPL-2.0+ and of -or-later ids', () => {
    assert.deepEqual(requirements(parseManifestLicense('GPL-2.0+').expr)[0], { license: { kind: 'spdx', id: 'GPL-2.0-or-later' }, orLater: true, exception: undefined });
    assert.equal(req('LGPL-2.1-or-later').orLater, true);
    assert.equal(req('LGPL-2.1-only').orLater, false);
    assert.equal(req('Apache-1.1+').orLater, true);
  });

  it('rejects what neither mode can read, with the offending term', () => {
    for (const [text, message] of [
      ['', /empty expression/],
      ['Foo', /unknown SPDX license id `Foo`/],
      ['MIT OR', /incomplete expression/],
      ['MIT WITH Foo-exception', /unknown SPDX exception `Foo-exception`/],
      ['(MIT', /invalid expression/],
      ['MIT; ISC', /unexpected character `;`/],
    ] as const) {
      assert.throws(() => parseManifestLicense(text), (e: unknown) => e instanceof SpdxParseError && message.test(e.message), text);
    }
    assert.throws(() => parseExpression('Foo OR MIT', LAX), (e: unknown) => e instanceof SpdxParseError && e.offset === 0 && e.length === 3);
  });

  it('records where each term is written, its exception included', () => {
    const e = parseExpression('Apache-2.0 WITH LLVM-exception OR MIT/ISC', MANIFEST_STRICT);
    const spans: unknown[] = [];
    const walk = (n: ExprNode): void => {
      if (n.kind === 'req') spans.push(n.span);
      else {
        walk(n.left);
        walk(n.right);
      }
    };
    walk(e);
    assert.deepEqual(spans, [
      { offset: 0, length: 30 },
      { offset: 34, length: 3 },
      { offset: 38, length: 3 },
    ]);
  });
});

describe('licensees (allow entries)', () => {
  it('accepts an id, an id WITH an exception, a LicenseRef and deprecated ids', () => {
    assert.deepEqual(lic('MIT'), { license: { kind: 'spdx', id: 'MIT' }, exception: undefined });
    assert.deepEqual(lic('Apache-2.0 WITH LLVM-exception'), { license: { kind: 'spdx', id: 'Apache-2.0' }, exception: 'LLVM-exception' });
    assert.deepEqual(lic('LicenseRef-Acme-Proprietary'), { license: { kind: 'ref', id: 'LicenseRef-Acme-Proprietary' }, exception: undefined });
    assert.deepEqual(lic('GPL-2.0'), { license: { kind: 'spdx', id: 'GPL-2.0' }, exception: undefined });
  });

  it('refuses +, /, operators, imprecise names and wrong case', () => {
    for (const [text, message] of [
      ['Apache-2.0+', /cannot use `\+`/],
      ['GPL-2.0+', /write `GPL-2.0-or-later`/],
      ['MIT/Apache-2.0', /`\/` is not an SPDX operator/],
      ['MIT OR Apache-2.0', /one license, optionally `WITH` one exception/],
      ['Apache 2.0', /unknown SPDX license id `Apache`/],
      ['mit', /unknown SPDX license id `mit`/],
      ['', /empty licensee/],
    ] as const) {
      assert.throws(() => parseLicensee(text), (e: unknown) => e instanceof SpdxParseError && message.test(e.message), text);
    }
  });
});

describe('satisfaction', () => {
  it('matches ids exactly, GNU ids pedantically', () => {
    assert.equal(satisfies(lic('MIT'), req('MIT')), true);
    assert.equal(satisfies(lic('MIT'), req('MIT-0')), false);
    assert.equal(satisfies(lic('GPL-2.0-only'), req('GPL-2.0')), false);
    assert.equal(satisfies(lic('GPL-2.0'), req('GPL-2.0-only')), false);
    assert.equal(satisfies(lic('GPL-2.0-only'), req('GPL-2.0-only')), true);
  });

  it('satisfies or-later terms with the same license in an equal or later version', () => {
    assert.equal(satisfies(lic('GPL-3.0-only'), req('GPL-2.0-or-later')), true);
    assert.equal(satisfies(lic('GPL-2.0-or-later'), req('GPL-2.0-or-later')), true);
    assert.equal(satisfies(lic('GPL-2.0-only'), req('GPL-3.0-or-later')), false);
    assert.equal(satisfies(lic('LGPL-3.0-only'), req('GPL-2.0-or-later')), false);
    assert.equal(satisfies(lic('GPL-3.0'), req('GPL-2.0-or-later')), false, 'the deprecated bare id is a different license');
    assert.equal(satisfies(lic('Apache-2.0'), req('Apache-1.1+')), true);
    assert.equal(satisfies(lic('Apache-1.0'), req('Apache-1.1+')), false);
    assert.equal(satisfies(lic('Apache-2.0'), req('Apache-1.1')), false, 'without + only the same version');
  });

  it('needs the identical exception and the identical LicenseRef', () => {
    assert.equal(satisfies(lic('Apache-2.0'), req('Apache-2.0 WITH LLVM-exception')), false);
    assert.equal(satisfies(lic('Apache-2.0 WITH LLVM-exception'), req('Apache-2.0')), false);
    assert.equal(satisfies(lic('Apache-2.0 WITH LLVM-exception'), req('Apache-2.0 WITH LLVM-exception')), true);
    assert.equal(satisfies(lic('LicenseRef-Acme-Proprietary'), req('LicenseRef-Acme-Proprietary')), true);
    assert.equal(satisfies(lic('LicenseRef-Acme'), req('LicenseRef-Acme-Proprietary')), false);
  });
});

// ------------------------------------------------------------ properties

const LEAVES = ['MIT', 'Apache-2.0', 'ISC', 'Zlib', 'BSD-3-Clause', 'MPL-2.0', 'GPL-2.0-only', 'GPL-3.0-or-later', 'LGPL-2.1-only', 'Unlicense', 'LicenseRef-Acme'];

const leafText = fc.oneof(
  fc.constantFrom(...LEAVES),
  fc.constantFrom('Apache-2.0 WITH LLVM-exception', 'GPL-2.0-or-later WITH Classpath-exception-2.0', 'Apache-1.1+', 'MPL-1.1+'),
);

const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafText,
    fc.tuple(tie('expr'), fc.constantFrom(' AND ', ' OR '), tie('expr'), fc.boolean()).map(([a, op, b, paren]) => (paren ? `(${a}${op}${b})` : `(${a})${op}(${b})`)),
  ),
})).expr;

const licensees = fc.subarray(['MIT', 'Apache-2.0', 'ISC', 'Zlib', 'MPL-2.0', 'GPL-3.0-only', 'GPL-2.0-only', 'LGPL-2.1-only', 'Apache-2.0 WITH LLVM-exception', 'LicenseRef-Acme']);

const accepts = (allowed: readonly string[]) => (r: LicenseReq) => allowed.some((a) => satisfies(parseLicensee(a), r));
const satisfiable = (text: string, allowed: readonly string[]) => evaluate(parseExpression(text, CONFIG_STRICT), accepts(allowed));

describe('properties', () => {
  it('printing then parsing gives the same expression', () => {
    fc.assert(
      fc.property(expression, (text) => {
        const parsed = parseExpression(text, CONFIG_STRICT);
        const again = parseExpression(exprToString(parsed), CONFIG_STRICT);
        assert.deepEqual(shape(again), shape(parsed));
        assert.equal(exprToString(again), exprToString(parsed));
      }),
      { seed: 20240611, numRuns: 400 },
    );
  });

  it('A OR B is satisfied iff A or B is; A AND B iff both are', () => {
    fc.assert(
      fc.property(expression, expression, licensees, (a, b, allowed) => {
        const sa = satisfiable(a, allowed);
        const sb = satisfiable(b, allowed);
        assert.equal(satisfiable(`(${a}) OR (${b})`, allowed), sa || sb);
        assert.equal(satisfiable(`(${a}) AND (${b})`, allowed), sa && sb);
      }),
      { seed: 7341, numRuns: 400 },
    );
  });

  it('the slash form means the same as OR', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LEAVES.filter((l) => !l.endsWith('-or-later'))), { minLength: 2, maxLength: 4 }), licensees, (ids, allowed) => {
        const slash = parseExpression(ids.join('/'), MANIFEST_STRICT);
        const or = parseExpression(ids.join(' OR '), MANIFEST_STRICT);
        assert.deepEqual(shape(slash), shape(or));
        assert.equal(evaluate(slash, accepts(allowed)), ids.some((id) => allowed.includes(id)));
      }),
      { seed: 99, numRuns: 200 },
    );
  });
});


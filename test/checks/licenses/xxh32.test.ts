/**
 * XXH32 against the algorithm's published test vectors and cargo-deny's own
 * pinned hash of ring's LICENSE (0xbd0eed23 in its gather tests), and the
 * line-ending normalisation clarification hashes depend on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatLicenseHash, licenseTextHash, normalizeLicenseText, xxh32 } from '../../../src/checks/licenses/xxh32.js';
import { fixture } from '../../helpers/paths.js';

const hashOf = (s: string, seed = 0) => formatLicenseHash(xxh32(new TextEncoder().encode(s), seed));

describe('xxh32', () => {
  it('matches the reference vectors', () => {
    assert.equal(hashOf(''), '0x02cc5d05');
    assert.equal(hashOf('a'), '0x550d7456');
    assert.equal(hashOf('abc'), '0x32d153ff');
    assert.equal(hashOf('Nobody inspects the spammish repetition'), '0xe2293b2f');
    assert.equal(hashOf('', 1), '0x0b2cb792');
  });

  it("hashes ring's LICENSE exactly as cargo-deny does", () => {
    const text = readFileSync(fixture('workspaces', 'registry-src', 'ring-0.16.20', 'LICENSE'), 'utf8');
    assert.equal(formatLicenseHash(licenseTextHash(text)), '0xbd0eed23');
    assert.equal(licenseTextHash(text.replaceAll('\n', '\r\n')), licenseTextHash(text), 'a CRLF checkout hashes the same');
  });

  it('normalises line endings like Rust str::lines', () => {
    assert.equal(normalizeLicenseText(''), '');
    assert.equal(normalizeLicenseText('a'), 'a\n');
    assert.equal(normalizeLicenseText('a\r\nb\r\n'), 'a\nb\n');
    assert.equal(normalizeLicenseText('a\n\n'), 'a\n\n');
    assert.equal(normalizeLicenseText('a\rb\r'), 'a\rb\r\n', 'a lone CR is not a line ending');
    assert.equal(normalizeLicenseText('a\r\n\r\nb'), 'a\n\nb\n');
  });

  it('gives the same hash with or without a final newline and with CRLF', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', 'é', '\r') }), { maxLength: 8 }), (lines) => {
        const lf = lines.join('\n');
        const crlf = lines.join('\r\n');
        if (lines.some((l) => l.endsWith('\r'))) return;
        assert.equal(licenseTextHash(crlf), licenseTextHash(lf));
        // A final line ending is optional: `x` and `x\n` are the same text (when x does not already end one).
        if (lf !== '' && !lf.endsWith('\n')) assert.equal(licenseTextHash(lf + '\n'), licenseTextHash(lf));
      }),
      { seed: 5150, numRuns: 300 },
    );
  });
});

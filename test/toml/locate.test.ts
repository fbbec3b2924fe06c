import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify, parse } from 'smol-toml';
import { locateToml, pathKey, type PathSegment } from '../../src/toml/locate.js';

test('positions of keys, inline-table keys, array elements and arrays of tables', () => {
  const text = [
    '# comment',
    '[advisories]',
    'ignore = [',
    '  "RUSTSEC-2020-0001", # why',
    '  { id = "CVE-2021-1", reason = "x" },',
    ']',
    '',
    '[[bans.deny]]',
    'crate = "openssl"',
    '[[bans.deny]]',
    '"quoted key" = """multi',
    'line = not a key',
    '"""',
    'after = 1',
  ].join('\n');
  const l = locateToml(text);
  assert.deepEqual(l.get(['advisories']), { line: 2, column: 1 });
  assert.deepEqual(l.get(['advisories', 'ignore']), { line: 3, column: 1 });
  assert.deepEqual(l.get(['advisories', 'ignore', 0]), { line: 4, column: 3 });
  assert.deepEqual(l.get(['advisories', 'ignore', 1, 'reason']), { line: 5, column: 24 });
  assert.deepEqual(l.get(['bans', 'deny', 0, 'crate']), { line: 9, column: 1 });
  assert.deepEqual(l.get(['bans', 'deny', 1, 'quoted key']), { line: 11, column: 1 });
  assert.equal(l.get(['bans', 'deny', 1, 'line']), undefined);
  assert.deepEqual(l.get(['bans', 'deny', 1, 'after']), { line: 14, column: 1 });
  assert.deepEqual(l.nearest(['advisories', 'ignore', 1, 'missing']), { line: 5, column: 3 });
});

const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 12 }));
const table = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { maxLength: 3 }), tie('table')),
  table: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).table as fc.Arbitrary<Record<string, unknown>>;

function paths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

test('property: every key and element of a generated document has a position on a line that mentions it', () => {
  fc.assert(
    fc.property(table, (doc) => {
      const text = stringify(doc);
      assert.deepEqual(parse(text), parse(text)); // the document is valid TOML
      const lines = text.split('\n');
      const l = locateToml(text);
      for (const p of paths(doc)) {
        const pos = l.get(p);
        assert.ok(pos, `no position for ${pathKey(p)} in\n${text}`);
        const last = p[p.length - 1];
        if (typeof last === 'string') assert.ok(lines[pos.line - 1]!.includes(last), `${pathKey(p)} -> line ${pos.line}`);
      }
    }),
    { seed: 42, numRuns: 300 },
  );
});

test('property: arbitrary text never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      locateToml(text);
    }),
    { seed: 7, numRuns: 2000 },
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseIndexFile, describeSkipped, defaultIndexLimits } from '../../../src/advisories/yanked/index-entries.js';
import { fixtureLines } from './helpers.js';

const yankedOf = (lines: string[], crate: string) =>
  parseIndexFile(Buffer.from(lines.join('\n') + '\n'), crate).entries.filter((e) => e.yanked).map((e) => e.vers);

test('a real index file (serde, 315 versions, no pubtime) parses completely', () => {
  const parsed = parseIndexFile(Buffer.from(fixtureLines('se/rd/serde').join('\n') + '\n'), 'serde');
  assert.equal(parsed.entries.length, 315);
  assert.equal(parsed.skipped, 0);
  assert.equal(parsed.cutShort, false);
  assert.deepEqual(yankedOf(fixtureLines('se/rd/serde'), 'serde'), ['0.7.6', '1.0.31', '1.0.95']);
  assert.equal(parsed.entries.every((e) => e.pubtime === undefined), true);
});

test('pubtime is kept where the index has it (cfg-if)', () => {
  const parsed = parseIndexFile(Buffer.from(fixtureLines('cf/g-/cfg-if').join('\n')), 'cfg-if');
  assert.deepEqual(parsed.entries[0], { name: 'cfg-if', vers: '0.1.0', yanked: false, pubtime: '2015-07-08T01:11:24Z' });
  assert.deepEqual(parsed.entries.filter((e) => e.yanked).map((e) => e.vers), ['1.0.2']);
});

test('versions are kept verbatim, build metadata included (wasip3)', () => {
  const parsed = parseIndexFile(Buffer.from(fixtureLines('wa/si/wasip3').join('\n')), 'wasip3');
  assert.equal(parsed.entries[7]?.vers, '0.4.0+wasi-0.3.0-rc-2026-01-06');
});

test('malformed lines are skipped and counted, the rest still parse', () => {
  const [first, second] = fixtureLines('cf/g-/cfg-if');
  const body = [
    first,
    '<!doctype html>',
    '{"name":"cfg-if","vers":1}',
    '{"name":"serde","vers":"1.0.0","yanked":false}',
    '{"name":"cfg-if","vers":"9.9.9","yanked":"yes"}',
    '[1,2]',
    second,
  ].join('\r\n');
  const parsed = parseIndexFile(Buffer.from(body), 'cfg-if');
  assert.deepEqual(parsed.entries.map((e) => e.vers), ['0.1.0', '0.1.1']);
  assert.equal(parsed.skipped, 5);
  assert.match(parsed.firstProblem ?? '', /^line 2: /);
  assert.equal(
    describeSkipped(parsed, defaultIndexLimits.maxLines),
    `skipped 5 malformed entries (first: ${parsed.firstProblem})`,
  );
});

test('a missing "yanked" reads as not yanked, as cargo reads it', () => {
  const parsed = parseIndexFile(Buffer.from('{"name":"x","vers":"1.0.0"}\n'), 'x');
  assert.deepEqual(parsed.entries, [{ name: 'x', vers: '1.0.0', yanked: false, pubtime: undefined }]);
});

test('invalid UTF-8 is a malformed line', () => {
  const bad = Buffer.concat([Buffer.from('{"name":"x","vers":"1.0.0'), Buffer.from([0xff]), Buffer.from('"}\n')]);
  const parsed = parseIndexFile(bad, 'x');
  assert.equal(parsed.entries.length, 0);
  assert.equal(parsed.skipped, 1);
});

test('lines over the length limit are skipped; lines over the count limit are not read', () => {
  const lines = fixtureLines('cf/g-/cfg-if');
  const limits = { maxLineBytes: 200, maxLines: 10 };
  const parsed = parseIndexFile(Buffer.from(lines.join('\n')), 'cfg-if', limits);
  const short = lines.slice(0, 10).filter((l) => Buffer.byteLength(l) <= 200).length;
  assert.equal(parsed.entries.length, short);
  assert.equal(parsed.skipped, 10 - short);
  assert.equal(parsed.cutShort, true);
  assert.match(describeSkipped(parsed, 10) ?? '', /read only the first 10 entries$/);
});

test('an empty file has no entries and nothing skipped', () => {
  assert.deepEqual(parseIndexFile(Buffer.alloc(0), 'x'), { entries: [], skipped: 0, firstProblem: undefined, cutShort: false });
});

test('property: any list of entries survives serialisation as index lines', () => {
  const entry = fc.record({
    vers: fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(-[a-z0-9.]{1,8})?(\+[a-z0-9.-]{1,12})?$/),
    yanked: fc.boolean(),
    extra: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.jsonValue()),
  });
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
      const lines = entries.map((e) => JSON.stringify({ ...e.extra, name: 'demo', vers: e.vers, yanked: e.yanked }));
      const parsed = parseIndexFile(Buffer.from(lines.join('\n') + '\n'), 'demo');
      assert.equal(parsed.skipped, 0);
      assert.deepEqual(
        parsed.entries.map((e) => [e.vers, e.yanked]),
        entries.map((e) => [e.vers, e.yanked]),
      );
    }),
  );
});

test('property: arbitrary bytes never throw, and every non-empty line is either an entry or counted', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const parsed = parseIndexFile(bytes, 'demo');
      const lines = Buffer.from(bytes)
        .toString('latin1')
        .split('\n')
        .map((l) => l.replace(/\r$/, ''))
        .filter((l) => l !== '').length;
      assert.equal(parsed.entries.length + parsed.skipped, lines);
    }),
  );
});

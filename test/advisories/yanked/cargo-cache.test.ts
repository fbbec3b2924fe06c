import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseCargoCache } from '../../../src/advisories/yanked/cargo-cache.js';
import { defaultIndexLimits } from '../../../src/advisories/yanked/index-entries.js';
import { cargoCacheBytes, fixtureLines } from './helpers.js';

test('a cargo .cache file of a real index file gives every entry and the index version', () => {
  const lines = fixtureLines('cr/os/crossbeam-channel');
  const parsed = parseCargoCache(cargoCacheBytes('etag: "abc123"', lines), 'crossbeam-channel', defaultIndexLimits);
  assert.ok(typeof parsed !== 'string');
  assert.equal(parsed.indexVersion, 'etag: "abc123"');
  assert.equal(parsed.entries.length, 43);
  assert.equal(parsed.skipped, 0);
  assert.deepEqual(
    parsed.entries.filter((e) => e.yanked).map((e) => e.vers),
    ['0.3.5', '0.4.1', '0.4.3', '0.5.1', '0.5.2', '0.5.3', '0.5.4', '0.5.5', '0.5.6', '0.5.7', '0.5.12', '0.5.13', '0.5.14'],
  );
});

test('cache format version 2 has the same layout and is read; others are refused', () => {
  const lines = fixtureLines('cf/g-/cfg-if');
  const v2 = parseCargoCache(cargoCacheBytes('0123abcd', lines, 2), 'cfg-if', defaultIndexLimits);
  assert.ok(typeof v2 !== 'string');
  assert.equal(v2.entries.length, 16);
  assert.equal(parseCargoCache(cargoCacheBytes('x', lines, 1), 'cfg-if', defaultIndexLimits), 'unknown cache format version 1');
  assert.equal(parseCargoCache(cargoCacheBytes('x', lines, 4), 'cfg-if', defaultIndexLimits), 'unknown cache format version 4');
});

test('broken headers are reasons, not exceptions', () => {
  assert.equal(parseCargoCache(Buffer.alloc(0), 'x', defaultIndexLimits), 'the file is empty');
  assert.equal(parseCargoCache(Buffer.from([3, 2, 0]), 'x', defaultIndexLimits), 'the header is cut short');
  assert.equal(parseCargoCache(Buffer.from([3, 2, 0, 0, 0, 0x65, 0x74]), 'x', defaultIndexLimits), 'the index version is not terminated');
});

test('a file cut mid-entry keeps the complete entries and counts the broken one', () => {
  const full = cargoCacheBytes('etag: "e"', fixtureLines('cf/g-/cfg-if'));
  const parsed = parseCargoCache(full.subarray(0, full.length - 40), 'cfg-if', defaultIndexLimits);
  assert.ok(typeof parsed !== 'string');
  assert.equal(parsed.entries.length, 15);
  assert.equal(parsed.skipped, 1);
  assert.equal(parsed.firstProblem, 'the last entry is cut short');
});

test('a malformed JSON blob is skipped and counted', () => {
  const lines = fixtureLines('cf/g-/cfg-if').slice(0, 3);
  const data = Buffer.concat([cargoCacheBytes('v', lines), Buffer.from('9.9.9\0{not json\0')]);
  const parsed = parseCargoCache(data, 'cfg-if', defaultIndexLimits);
  assert.ok(typeof parsed !== 'string');
  assert.equal(parsed.entries.length, 3);
  assert.equal(parsed.skipped, 1);
  assert.match(parsed.firstProblem ?? '', /^entry 4: /);
});

test('property: whatever cargo would write, we read back the same versions and yanked flags', () => {
  const entry = fc.record({
    vers: fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(\+[a-z0-9-]{1,10})?$/),
    yanked: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0')), fc.array(entry, { maxLength: 25 }), (indexVersion, entries) => {
      const lines = entries.map((e) => JSON.stringify({ name: 'demo', vers: e.vers, deps: [], yanked: e.yanked }));
      const parsed = parseCargoCache(cargoCacheBytes(indexVersion, lines), 'demo', defaultIndexLimits);
      assert.ok(typeof parsed !== 'string');
      assert.equal(parsed.indexVersion, indexVersion);
      assert.deepEqual(parsed.entries.map((e) => [e.vers, e.yanked]), entries.map((e) => [e.vers, e.yanked]));
    }),
  );
});

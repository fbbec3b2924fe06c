import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { indexPath } from '../../../src/advisories/yanked/index-path.js';

test('indexPath follows the index layout for each name length', () => {
  assert.equal(indexPath('a'), '1/a');
  assert.equal(indexPath('cc'), '2/cc');
  assert.equal(indexPath('syn'), '3/s/syn');
  assert.equal(indexPath('libc'), 'li/bc/libc');
  assert.equal(indexPath('serde'), 'se/rd/serde');
  assert.equal(indexPath('cfg-if'), 'cf/g-/cfg-if');
  assert.equal(indexPath('cfg_aliases'), 'cf/g_/cfg_aliases');
  assert.equal(indexPath('r-efi'), 'r-/ef/r-efi');
});

test('indexPath lowercases', () => {
  assert.equal(indexPath('Inflector'), 'in/fl/inflector');
  assert.equal(indexPath('SYN'), '3/s/syn');
});

test('indexPath rejects the empty name', () => {
  assert.throws(() => indexPath(''), RangeError);
});

test('indexPath: every crate name maps into its lowercased name, under the right prefix', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/), (name) => {
      const lower = name.toLowerCase();
      const parts = indexPath(name).split('/');
      assert.equal(parts.at(-1), lower);
      if (lower.length <= 2) assert.deepEqual(parts, [String(lower.length), lower]);
      else if (lower.length === 3) assert.deepEqual(parts, ['3', lower.slice(0, 1), lower]);
      else assert.deepEqual(parts, [lower.slice(0, 2), lower.slice(2, 4), lower]);
    }),
  );
});

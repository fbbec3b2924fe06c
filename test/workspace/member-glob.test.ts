import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { expandMemberPattern, segmentRegExp } from '../../src/workspace/member-glob.js';

describe('member patterns', () => {
  it('segment patterns: *, ?, classes, negation, literals', () => {
    assert.ok(segmentRegExp('uv-*').test('uv-cache'));
    assert.ok(!segmentRegExp('uv-*').test('xuv-cache'));
    assert.ok(segmentRegExp('a?c').test('abc'));
    assert.ok(!segmentRegExp('a?c').test('ac'));
    assert.ok(segmentRegExp('[ab]x').test('bx'));
    assert.ok(segmentRegExp('[a-c]x').test('cx'));
    assert.ok(!segmentRegExp('[!a]x').test('ax'));
    assert.ok(segmentRegExp('[!a]x').test('zx'));
    assert.ok(segmentRegExp('a.b+(c)').test('a.b+(c)'));
    assert.ok(!segmentRegExp('a.b').test('axb'));
    assert.ok(segmentRegExp('[x').test('[x'));
  });

  it('expands against the directories that exist, sorted, skipping hidden ones', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'sentinel-glob-'));
    for (const dir of ['crates/b', 'crates/a', 'crates/.hidden', 'crates/a/nested', 'tools/x']) mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, 'crates', 'file.txt'), '');
    const rel = (dirs: string[]) => dirs.map((d) => path.relative(root, d).split(path.sep).join('/'));
    assert.deepEqual(rel(expandMemberPattern(root, 'crates/*')), ['crates/a', 'crates/b']);
    assert.deepEqual(rel(expandMemberPattern(root, 'crates/.*')), ['crates/.hidden']);
    assert.deepEqual(rel(expandMemberPattern(root, '*/a')), ['crates/a']);
    assert.deepEqual(rel(expandMemberPattern(root, 'crates/**')), ['crates', 'crates/a', 'crates/a/nested', 'crates/b']);
    assert.deepEqual(rel(expandMemberPattern(root, 'missing/*')), []);
    // Without glob characters the entry is taken as written, existing or not.
    assert.deepEqual(rel(expandMemberPattern(root, 'tools/y')), ['tools/y']);
  });
});

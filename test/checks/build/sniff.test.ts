import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_GLOBS, compileGlob } from '../../../src/checks/build/globs.js';
import { hasShebang, nativeFormat, shebangInterpreter } from '../../../src/checks/build/sniff.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

test('native formats by magic bytes', () => {
  assert.equal(nativeFormat(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1)), 'elf');
  assert.equal(nativeFormat(bytes(0x4d, 0x5a, 0x90, 0)), 'pe');
  assert.equal(nativeFormat(bytes(0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1)), 'mach');
  assert.equal(nativeFormat(bytes(0xfe, 0xed, 0xfa, 0xce)), 'mach');
  // A fat Mach-O with two architectures, and a Java class file (version 52) with the same first 4 bytes.
  assert.equal(nativeFormat(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2)), 'mach');
  assert.equal(nativeFormat(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52)), undefined);
  assert.equal(nativeFormat(Buffer.from('!<arch>\nfoo')), 'archive');
  assert.equal(nativeFormat(Buffer.from('fn main() {}')), undefined);
  assert.equal(nativeFormat(bytes()), undefined);
});

test('shebangs and their interpreters; `#![attr]` in a .rs file is none', () => {
  assert.equal(hasShebang(Buffer.from('#!/bin/sh'), 'x.sh'), true);
  assert.equal(hasShebang(Buffer.from('#![no_std]'), 'src/lib.rs'), false);
  assert.equal(hasShebang(Buffer.from('#![no_std]'), 'notes.txt'), true);
  assert.equal(shebangInterpreter('#!/bin/sh'), 'sh');
  assert.equal(shebangInterpreter('#! /usr/bin/python3 -u'), 'python3');
  assert.equal(shebangInterpreter('#!/usr/bin/env perl'), 'perl');
  assert.equal(shebangInterpreter('#!/usr/bin/env -S VAR=1 node --flag'), 'node');
  assert.equal(shebangInterpreter('#!'), '');
});

test('globs match across directories, as cargo-deny matches them', () => {
  const py = compileGlob('*.py');
  assert.ok(py.test('gen.py') && py.test('scripts/deep/gen.py') && !py.test('gen.pyc'));
  const dir = compileGlob('scripts/**');
  assert.ok(dir.test('scripts/a/b.sh') && !dir.test('src/scripts/a'));
  assert.ok(compileGlob('bin/tool-?').test('bin/tool-1'));
  assert.ok(compileGlob('*.{sh,bash}').test('a.bash') && !compileGlob('*.{sh,bash}').test('a.zsh'));
  assert.ok(compileGlob('[!a]*.txt').test('b.txt') && !compileGlob('[!a]*.txt').test('a.txt'));
  assert.ok(compileGlob('a+b(c).txt').test('a+b(c).txt'), 'regex characters are literal');
  assert.ok(BUILTIN_GLOBS.includes('*.py') && BUILTIN_GLOBS.includes('*.ps1') && BUILTIN_GLOBS.includes('*.sh'));
});

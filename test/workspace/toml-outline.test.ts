import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outlineToml, TomlLines } from '../../src/workspace/toml-outline.js';

const entry = (line: number, kind: 'table' | 'array-table' | 'key', ...path: string[]) => ({ line, kind, path });

describe('TOML outline', () => {
  it('headers and keys, with dotted and quoted keys', () => {
    const text = [
      'version = 4', //                                    1
      '[package]', //                                      2
      'name = "a"', //                                     3
      'version.workspace = true', //                       4
      "[target.'cfg(windows)'.dependencies]", //           5
      '"quoted.key" = { version = "1", features = [] }', // 6
      '[ dependencies . "serde\\u0020x" ]  # comment', //   7
      '[[bin]]', //                                        8
    ].join('\n');
    assert.deepEqual(outlineToml(text), [
      entry(1, 'key', 'version'),
      entry(2, 'table', 'package'),
      entry(3, 'key', 'package', 'name'),
      entry(4, 'key', 'package', 'version', 'workspace'),
      entry(5, 'table', 'target', 'cfg(windows)', 'dependencies'),
      entry(6, 'key', 'target', 'cfg(windows)', 'dependencies', 'quoted.key'),
      entry(7, 'table', 'dependencies', 'serde x'),
      entry(8, 'array-table', 'bin'),
    ]);
  });

  it('skips what is inside strings and multi-line arrays', () => {
    const text = [
      'a = """', //                                   1
      '[[package]]', //                                2
      'fake = "x" \\""" still inside', //             3
      '"""', //                                       4
      "b = '''", //                                   5
      '[not.a.table]', //                              6
      "'''", //                                       7
      'c = [', //                                     8
      '  [1, 2],', //                                 9
      '  { x = 1 },', //                             10
      '  "]", # ] [', //                             11
      ']', //                                        12
      'd = "[[package]]" # [[package]]', //          13
      "e = '''one line'''", //                       14
      'f = """a""""', //                             15
      '[[package]]', //                              16
    ].join('\r\n');
    assert.deepEqual(outlineToml(text), [
      entry(1, 'key', 'a'),
      entry(5, 'key', 'b'),
      entry(8, 'key', 'c'),
      entry(13, 'key', 'd'),
      entry(14, 'key', 'e'),
      entry(15, 'key', 'f'),
      entry(16, 'array-table', 'package'),
    ]);
  });

  it('finds the first line at or below a path', () => {
    const lines = TomlLines.of(['[dependencies]', 'serde.workspace = true', '', '[dependencies.tokio]', 'version = "1"'].join('\n'));
    assert.equal(lines.lineOf('dependencies'), 1);
    assert.equal(lines.lineOf('dependencies', 'serde'), 2);
    assert.equal(lines.lineOf('dependencies', 'tokio'), 4);
    assert.equal(lines.lineOf('dependencies', 'tokio', 'version'), 5);
    assert.equal(lines.lineOf('dev-dependencies'), undefined);
  });
});

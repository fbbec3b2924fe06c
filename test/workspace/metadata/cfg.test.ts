/**
 * `cfg()` expressions: parsing, Cargo's spelling, evaluation on the built-in
 * targets (checked against rustc itself when it is installed), and the
 * boolean identities over generated expressions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  builtinTarget,
  builtinTriples,
  CfgParseError,
  cfgHoldsOn,
  evaluateCfg,
  formatCfg,
  normalizePlatform,
  parseCfg,
  parsePlatform,
  type CfgExpr,
} from '../../../src/workspace/metadata/index.js';
import { fixture } from '../../helpers/paths.js';

const holds = (cfg: string, triple: string, features: string[] = []): boolean => {
  const target = builtinTarget(triple);
  assert.ok(target, `${triple} is built in`);
  return cfgHoldsOn(parseCfg(cfg), target, features);
};

describe('cfg expressions', () => {
  it('parse and print the way Cargo prints them', () => {
    const cases: Array<[string, string, CfgExpr]> = [
      ['unix', 'unix', { kind: 'name', name: 'unix' }],
      ['target_os="linux"', 'target_os = "linux"', { kind: 'pair', key: 'target_os', value: 'linux' }],
      ['not( windows )', 'not(windows)', { kind: 'not', item: { kind: 'name', name: 'windows' } }],
      ['any()', 'any()', { kind: 'any', items: [] }],
      ['all(unix,)', 'all(unix)', { kind: 'all', items: [{ kind: 'name', name: 'unix' }] }],
      ['true', 'true', { kind: 'bool', value: true }],
      ['feature = "a\\"b"', 'feature = "a\\"b"', { kind: 'pair', key: 'feature', value: 'a"b' }],
      [
        'all(  target_arch="wasm32" ,not(target_os = "wasi"))',
        'all(target_arch = "wasm32", not(target_os = "wasi"))',
        { kind: 'all', items: [{ kind: 'pair', key: 'target_arch', value: 'wasm32' }, { kind: 'not', item: { kind: 'pair', key: 'target_os', value: 'wasi' } }] },
      ],
    ];
    for (const [text, printed, expr] of cases) {
      assert.deepEqual(parseCfg(text), expr, text);
      assert.equal(formatCfg(parseCfg(text)), printed, text);
    }
  });

  it('reject what is not a cfg expression, saying where', () => {
    const cases: Array<[string, string, number]> = [
      ['', 'expected a cfg name, `all`, `any` or `not`, found the end of the expression', 0],
      ['all(unix', 'expected `)` or `,`, found the end of the expression', 8],
      ['not(unix, windows)', '`not()` takes exactly one predicate', 17],
      ['not()', '`not()` takes exactly one predicate', 4],
      ['target_os = linux', 'expected a quoted value, found `linux`', 12],
      ['unix windows', 'unexpected `windows` after the expression', 5],
      ['all(,)', 'expected a cfg name, `all`, `any` or `not`, found `,`', 4],
      ['foo(bar)', 'unexpected `(` after the expression', 3],
      ['target_os = "linux', 'unterminated string', 12],
      ['unix && windows', 'unexpected character `&`', 5],
    ];
    for (const [text, message, offset] of cases) {
      assert.throws(() => parseCfg(text), (e: unknown) => e instanceof CfgParseError && e.message === message && e.offset === offset, text);
    }
    assert.throws(() => parseCfg('not('.repeat(100) + 'unix' + ')'.repeat(100)), /nested too deeply/);
  });

  it('platforms: `cfg(…)` or a triple, normalized to Cargo\'s spelling', () => {
    assert.deepEqual(parsePlatform('cfg(unix)'), { kind: 'cfg', expr: { kind: 'name', name: 'unix' } });
    assert.deepEqual(parsePlatform('x86_64-pc-windows-gnu'), { kind: 'triple', triple: 'x86_64-pc-windows-gnu' });
    assert.deepEqual(parsePlatform('thumbv8m.main-none-eabi'), { kind: 'triple', triple: 'thumbv8m.main-none-eabi' });
    assert.equal(normalizePlatform('cfg(all(unix,target_os="linux"))'), 'cfg(all(unix, target_os = "linux"))');
    assert.equal(normalizePlatform('cfg(all(unix'), 'cfg(all(unix');
    assert.throws(() => parsePlatform('cfg(unix'), CfgParseError);
    assert.throws(() => parsePlatform('cfg(all(unix)'), (e: unknown) => e instanceof CfgParseError && e.offset === 12);
  });

  it('evaluate on built-in targets as rustc sets their cfg values', () => {
    const cases: Array<[string, string, boolean]> = [
      ['unix', 'x86_64-unknown-linux-gnu', true],
      ['unix', 'x86_64-pc-windows-msvc', false],
      ['unix', 'wasm32-unknown-unknown', false],
      ['unix', 'wasm32-unknown-emscripten', true],
      ['windows', 'x86_64-pc-windows-gnu', true],
      ['target_family = "wasm"', 'wasm32-unknown-emscripten', true],
      ['target_family = "wasm"', 'wasm32-wasip1', true],
      ['target_os = "wasi"', 'wasm32-wasi', true],
      ['target_env = "msvc"', 'x86_64-pc-windows-msvc', true],
      ['target_env = "msvc"', 'x86_64-pc-windows-gnu', false],
      ['all(target_arch = "wasm32", target_vendor = "unknown", target_os = "unknown", target_env = "")', 'wasm32-unknown-unknown', true],
      ['target_env = "musl"', 'x86_64-unknown-linux-musl', true],
      ['target_pointer_width = "32"', 'i686-pc-windows-msvc', true],
      ['target_endian = "big"', 's390x-unknown-linux-gnu', true],
      ['target_has_atomic = "128"', 'aarch64-apple-darwin', true],
      ['target_has_atomic = "128"', 'x86_64-unknown-linux-gnu', false],
      ['panic = "abort"', 'wasm32-unknown-unknown', true],
      ['all(target_vendor = "apple", target_os = "ios")', 'aarch64-apple-ios', true],
      ['target_os = "macos"', 'x86_64-apple-darwin', true],
      ['target_os = "android"', 'aarch64-linux-android', true],
      ['target_os = "freebsd"', 'x86_64-unknown-freebsd', true],
      ['target_abi = "eabihf"', 'armv7-unknown-linux-gnueabihf', true],
      ['debug_assertions', 'x86_64-unknown-linux-gnu', true],
      ['any(test, miri, docsrs, proc_macro, tracing_unstable)', 'x86_64-unknown-linux-gnu', false],
      ['feature = "std"', 'x86_64-unknown-linux-gnu', false],
      ['any(constructor = "x", __proto__ = "y", toString)', 'x86_64-unknown-linux-gnu', false],
      ['target_feature = "sse2"', 'x86_64-unknown-linux-gnu', false],
      ['not(any(target_arch = "wasm32", target_arch = "wasm64"))', 'x86_64-pc-windows-msvc', true],
    ];
    for (const [cfg, triple, expected] of cases) assert.equal(holds(cfg, triple), expected, `${cfg} on ${triple}`);
    assert.equal(holds('target_feature = "sse2"', 'x86_64-unknown-linux-gnu', ['sse2']), true);
  });

  it('the built-in table covers every triple of the corpus deny.toml files and the fixtures', () => {
    const triples = new Set<string>();
    for (const project of ['cargo-deny', 'cargo-deny-2021', 'wasmtime']) {
      const text = readFileSync(fixture('corpus', project, 'deny.toml'), 'utf8');
      const block = /^targets = \[([^\]]*)\]/m.exec(text)?.[1] ?? '';
      for (const m of block.matchAll(/"([a-z0-9_.-]+)"/g)) triples.add(m[1] as string);
    }
    assert.deepEqual([...triples].sort(), [
      'aarch64-apple-darwin', 'aarch64-linux-android', 'aarch64-unknown-linux-gnu', 'x86_64-apple-darwin',
      'x86_64-pc-windows-msvc', 'x86_64-unknown-linux-gnu', 'x86_64-unknown-linux-musl',
    ]);
    for (const triple of [...triples, 'i686-pc-windows-gnu', 'x86_64-pc-windows-gnu', 'i686-unknown-linux-gnu', 'aarch64-unknown-linux-musl', 'wasm32-unknown-unknown', 'wasm32-wasip1', 'wasm32-wasi', 'aarch64-apple-ios', 'x86_64-unknown-freebsd']) {
      assert.ok(builtinTarget(triple), triple);
    }
    assert.equal(builtinTriples().length, 108);
    assert.equal(builtinTarget('riscv64gc-unknown-linux-gnu-custom'), undefined);
  });

  it('tier 1 rows equal `rustc --print cfg` (when rustc is installed)', (t) => {
    const tier1 = ['aarch64-apple-darwin', 'aarch64-unknown-linux-gnu', 'i686-pc-windows-msvc', 'i686-unknown-linux-gnu', 'x86_64-pc-windows-gnu', 'x86_64-pc-windows-msvc', 'x86_64-unknown-linux-gnu'];
    if (spawnSync('rustc', ['--version']).status !== 0) return t.skip('rustc is not on PATH');
    for (const triple of tier1) {
      const lines = spawnSync('rustc', ['--print', 'cfg', '--target', triple], { encoding: 'utf8' }).stdout.split('\n');
      const values = (key: string): string[] => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => JSON.parse(l.slice(key.length + 1)) as string);
      const target = builtinTarget(triple);
      assert.deepEqual(
        target && [target.arch, target.os, target.env, target.vendor, target.abi, target.families, target.pointerWidth, target.endian, [...target.atomics].sort(), target.panic],
        [values('target_arch')[0], values('target_os')[0], values('target_env')[0], values('target_vendor')[0], values('target_abi')[0] ?? '', values('target_family'), values('target_pointer_width')[0], values('target_endian')[0], values('target_has_atomic').sort(), values('panic')[0]],
        triple,
      );
    }
  });
});

describe('cfg evaluation properties', () => {
  const names = ['unix', 'windows', 'test', 'miri'];
  const pairs: Array<[string, string]> = [['target_os', 'linux'], ['target_os', 'windows'], ['target_arch', 'x86_64'], ['target_env', '']];
  const leaf = fc.oneof(
    fc.constantFrom(...names).map((name): CfgExpr => ({ kind: 'name', name })),
    fc.constantFrom(...pairs).map(([key, value]): CfgExpr => ({ kind: 'pair', key, value })),
    fc.boolean().map((value): CfgExpr => ({ kind: 'bool', value })),
  );
  const { expr } = fc.letrec<{ expr: CfgExpr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('expr'), { maxLength: 3 }).map((items): CfgExpr => ({ kind: 'all', items })),
      fc.array(tie('expr'), { maxLength: 3 }).map((items): CfgExpr => ({ kind: 'any', items })),
      tie('expr').map((item): CfgExpr => ({ kind: 'not', item })),
    ),
  }));
  /** An environment: which names and pairs hold. */
  const environment = fc.record({ names: fc.subarray(names), pairs: fc.subarray(pairs.map(([k, v]) => `${k}=${v}`)) });
  const evaluate = (e: CfgExpr, env: { names: string[]; pairs: string[] }): boolean =>
    evaluateCfg(e, (l) => (l.kind === 'name' ? env.names.includes(l.name) : env.pairs.includes(`${l.key}=${l.value}`)));
  const options = { seed: 20260901, numRuns: 400 };

  it('not(not(e)) ≡ e', () => {
    fc.assert(fc.property(expr, environment, (e, env) => evaluate({ kind: 'not', item: { kind: 'not', item: e } }, env) === evaluate(e, env)), options);
  });

  it('all() is true, any() is false, and each is the identity of the other\'s absorbing side', () => {
    fc.assert(
      fc.property(expr, environment, (e, env) => {
        const value = evaluate(e, env);
        return (
          evaluate({ kind: 'all', items: [] }, env) &&
          !evaluate({ kind: 'any', items: [] }, env) &&
          evaluate({ kind: 'all', items: [e] }, env) === value &&
          evaluate({ kind: 'any', items: [e] }, env) === value &&
          evaluate({ kind: 'all', items: [e, { kind: 'all', items: [] }] }, env) === value &&
          evaluate({ kind: 'any', items: [e, { kind: 'any', items: [] }] }, env) === value &&
          evaluate({ kind: 'not', item: { kind: 'all', items: [e, e] } }, env) === evaluate({ kind: 'any', items: [{ kind: 'not', item: e }, { kind: 'not', item: e }] }, env)
        );
      }),
      options,
    );
  });

  it('printing then parsing gives the same expression', () => {
    fc.assert(fc.property(expr, (e) => assert.deepEqual(parseCfg(formatCfg(e)), e)), options);
  });
});

import assert from 'node:assert/strict';
import { describe as group, it } from 'node:test';
import { z } from 'zod';
import { legacySpecTable, legacySpecText } from '../../../src/policy/deny/legacy-spec.js';
import { describe, parse, problemsOf } from './support.js';

group('deprecated forms and duplicate items', () => {
  it('root keys moved to [graph] and [output] are honoured, with a warning each', () => {
    const text = [
      'targets = ["x86_64-unknown-linux-gnu"]',
      'exclude = ["xtask"]',
      'features = ["serde"]',
      'all-features = true',
      'no-default-features = true',
      'exclude-dev = true',
      'feature-depth = 3',
      '',
    ].join('\n');
    const { config, warnings } = parse(text);
    assert.deepEqual(config.graph, {
      targets: [{ triple: 'x86_64-unknown-linux-gnu', features: [] }],
      exclude: ['xtask'],
      features: ['serde'],
      'all-features': true,
      'no-default-features': true,
      'exclude-dev': true,
      'exclude-unpublished': false,
    });
    assert.equal(config.output['feature-depth'], 3);
    assert.deepEqual(describe(warnings), [
      '1:1 `targets` is deprecated: use `graph.targets` instead',
      '2:1 `exclude` is deprecated: use `graph.exclude` instead',
      '3:1 `features` is deprecated: use `graph.features` instead',
      '4:1 `all-features` is deprecated: use `graph.all-features` instead',
      '5:1 `no-default-features` is deprecated: use `graph.no-default-features` instead',
      '6:1 `exclude-dev` is deprecated: use `graph.exclude-dev` instead',
      '7:1 `feature-depth` is deprecated: use `output.feature-depth` instead',
    ]);
  });

  it('a moved key loses to its new place, and its errors point where it is written', () => {
    const { config } = parse('exclude-dev = true\n[graph]\nexclude-dev = false\n');
    assert.equal(config.graph['exclude-dev'], false);
    assert.deepEqual(problemsOf('\ntargets = [\n  { triple = 5 },\n]\n'), ['3:5 `graph.targets[0].triple`: expected string']);
  });

  it('old spec tables are rewritten wherever specs are accepted, keeping their other keys', () => {
    const text = [
      '[advisories]',
      'ignore = [{ name = "yanked", version = "=0.1.1", reason = "r" }]',
      '[bans]',
      'deny = [{ name = "openssl", version = "<0.10", wrappers = ["native-tls"] }]',
      'skip-tree = [{ name = "windows-sys", version = "0.48", depth = 2 }]',
      '[bans.build]',
      'allow-build-scripts = [{ name = "cc" }]',
      '',
    ].join('\n');
    const { config, warnings } = parse(text);
    assert.deepEqual(config.advisories.ignore, [
      { kind: 'yanked', spec: { name: 'yanked', req: '=0.1.1', text: 'yanked@0.1.1' }, reason: 'r', path: ['advisories', 'ignore', 0] },
    ]);
    assert.deepEqual(config.bans.deny.map((d) => [d.spec.text, d.spec.req, d.wrappers]), [['openssl:<0.10', '<0.10', ['native-tls']]]);
    assert.deepEqual(config.bans['skip-tree'].map((d) => [d.spec.text, d.spec.req, d.depth]), [['windows-sys:0.48', '0.48', 2]]);
    assert.deepEqual(config.bans.build?.['allow-build-scripts']?.map((d) => d.spec.text), ['cc']);
    assert.deepEqual(describe(warnings), [
      '2:11 `advisories.ignore[0]`: `name` and `version` are deprecated; write `crate = "yanked@0.1.1"` instead',
      '4:9 `bans.deny[0]`: `name` and `version` are deprecated; write `crate = "openssl:<0.10"` instead',
      '5:14 `bans.skip-tree[0]`: `name` and `version` are deprecated; write `crate = "windows-sys:0.48"` instead',
      '7:24 `bans.build.allow-build-scripts[0]`: `name` is deprecated; write `crate = "cc"` instead',
    ]);
  });

  it('an old spec table with a bad name or version is one error, at that key', () => {
    assert.deepEqual(problemsOf('[bans]\nskip = [\n  { name = 5 },\n  { name = "x", version = 1 },\n  { name = "x y" },\n]\n'), [
      '3:5 `bans.skip[0].name`: expected string',
      '4:17 `bans.skip[1].version`: expected string',
      '5:5 `bans.skip[2]`: invalid crate name "x y" in package spec "x y"',
    ]);
  });

  it('legacySpecText: exact versions become `@`, other requirements `:`', () => {
    assert.equal(legacySpecText('a', undefined), 'a');
    assert.equal(legacySpecText('a', '=1.2.3'), 'a@1.2.3');
    assert.equal(legacySpecText('a', '= 1.2'), 'a@1.2');
    assert.equal(legacySpecText('a', '1.2'), 'a:1.2');
    assert.equal(legacySpecText('a', '>=1, <2'), 'a:>=1, <2');
  });

  it('legacySpecTable: the zod form for schemas that parse specs outside the loader', () => {
    const entry = legacySpecTable({ depth: z.number().optional() });
    assert.deepEqual(entry.parse({ name: 'x', version: '=1.0.0', depth: 2 }), {
      spec: { name: 'x', req: '=1.0.0', text: 'x@1.0.0' },
      reason: undefined,
      depth: 2,
    });
    const bad = entry.safeParse({ name: 'x', version: 'nope' });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues.map((i) => [i.path, i.message]), [[['version'], 'invalid version requirement "nope" in package spec "x:nope"']]);
  });

  it('duplicate items are warnings at the repeat, naming the first', () => {
    const text = [
      '[advisories]',
      'ignore = ["RUSTSEC-2020-0001", { id = "RUSTSEC-2020-0001", reason = "again" }]',
      'db-urls = ["https://github.com/rustsec/advisory-db", "https://github.com/RustSec/advisory-db.git"]',
      '[licenses]',
      'allow = ["MIT", "Apache-2.0", "MIT"]',
      '[bans]',
      'skip = ["a@1.0.0", { crate = "a@1.0.0", reason = "twice" }, "a@2.0.0"]',
      '[sources]',
      'allow-git = ["https://github.com/a/b", "https://GitHub.com/a/b.git/"]',
      'allow-registry = ["https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io/"]',
      '[sources.allow-org]',
      'github = ["Acme", "acme"]',
      '',
    ].join('\n');
    const { warnings } = parse(text);
    assert.deepEqual(describe(warnings), [
      '2:32 `advisories.ignore[1]`: duplicate items detected: this is the same as `advisories.ignore[0]`',
      '3:54 `advisories.db-urls[1]`: duplicate items detected: this is the same as `advisories.db-urls[0]`',
      '5:31 `licenses.allow[2]`: duplicate items detected: this is the same as `licenses.allow[0]`',
      '7:20 `bans.skip[1]`: duplicate items detected: this is the same as `bans.skip[0]`',
      '9:40 `sources.allow-git[1]`: duplicate items detected: this is the same as `sources.allow-git[0]`',
      '10:67 `sources.allow-registry[1]`: duplicate items detected: this is the same as `sources.allow-registry[0]`',
      '12:19 `sources.allow-org.github[1]`: duplicate items detected: this is the same as `sources.allow-org.github[0]`',
    ]);
  });
});

/**
 * The `[licenses]` section: cargo-deny's defaults, both exception forms,
 * clarifications, and config errors (bad SPDX, removed keys, unknown keys)
 * at the line and column of the offending element.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLicensesConfig } from '../../../src/checks/licenses/config.js';
import { exprToString } from '../../../src/checks/licenses/spdx.js';
import { SentinelError } from '../../../src/errors.js';
import { loadLicenses } from './deny-toml.js';

function problems(text: string): string[] {
  try {
    loadLicenses(text);
  } catch (e) {
    assert.ok(e instanceof SentinelError);
    assert.equal(e.kind, 'config');
    const list = e.problems.length > 0 ? e.problems : [{ message: e.message, place: e.place }];
    return list.map((p) => `${p.place?.line}:${p.place?.column} ${p.message}`);
  }
  assert.fail('expected a config error');
}

describe('[licenses] config', () => {
  it("has cargo-deny's defaults", () => {
    const c = defaultLicensesConfig();
    assert.deepEqual(c, {
      allow: [],
      exceptions: [],
      'confidence-threshold': 0.8,
      clarify: [],
      private: { ignore: false, registries: [], 'ignore-sources': [] },
      'unused-allowed-license': 'warn',
      'unused-license-exception': 'warn',
      'include-dev': false,
      'include-build': true,
    });
  });

  it('reads allow, both exception forms, clarify and private', () => {
    const { config } = loadLicenses(`
[licenses]
version = 2
allow = ["MIT", "Apache-2.0 WITH LLVM-exception", "LicenseRef-Acme-Proprietary"]
confidence-threshold = 0.93
exceptions = [
  { crate = "colored", allow = ["MPL-2.0"], reason = "terminal colours only" },
  { name = "untrusted", version = "0.7", allow = ["ISC"] },
]
private = { ignore = true, registries = ["acme"], ignore-sources = ["https://cargo.acme.example/index/"] }
unused-allowed-license = "deny"
include-dev = true

[[licenses.clarify]]
crate = "ring@0.16.20"
expression = "MIT AND ISC AND OpenSSL"
license-files = [{ path = "LICENSE", hash = 0xbd0eed23 }]
`);
    assert.deepEqual(config.allow.map((a) => a.text), ['MIT', 'Apache-2.0 WITH LLVM-exception', 'LicenseRef-Acme-Proprietary']);
    assert.deepEqual(config.allow[1]!.licensee, { license: { kind: 'spdx', id: 'Apache-2.0' }, exception: 'LLVM-exception' });
    assert.equal(config['confidence-threshold'], 0.93);
    assert.deepEqual(config.exceptions[0]!.spec, { name: 'colored', req: undefined, text: 'colored' });
    assert.equal(config.exceptions[0]!.reason, 'terminal colours only');
    assert.deepEqual(config.exceptions[1]!.spec, { name: 'untrusted', req: '0.7', text: 'untrusted:0.7' });
    assert.deepEqual(config.private, { ignore: true, registries: ['acme'], 'ignore-sources': ['https://cargo.acme.example/index/'] });
    assert.equal(config['unused-allowed-license'], 'deny');
    assert.equal(config['include-dev'], true);
    assert.equal(config['include-build'], true);
    const clarify = config.clarify[0]!;
    assert.deepEqual(clarify.spec, { name: 'ring', req: '=0.16.20', text: 'ring@0.16.20' });
    assert.equal(exprToString(clarify.expression.expr), 'MIT AND ISC AND OpenSSL');
    assert.deepEqual(clarify.licenseFiles, [{ path: 'LICENSE', hash: 0xbd0eed23 }]);
  });

  it('reports an invalid licensee at its element', () => {
    assert.deepEqual(
      problems(`[licenses]
allow = [
  "MIT",
  "Apache 2.0",
  "MIT/Apache-2.0",
]
`),
      [
        '4:3 `licenses.allow[1]`: invalid licensee "Apache 2.0": unknown SPDX license id `Apache`',
        '5:3 `licenses.allow[2]`: invalid licensee "MIT/Apache-2.0": `/` is not an SPDX operator: write `OR`',
      ],
    );
    assert.deepEqual(problems('[licenses]\nexceptions = [{ crate = "ring", allow = ["GPL-2.0+"] }]\n'), [
      '2:42 `licenses.exceptions[0].allow[0]`: invalid licensee "GPL-2.0+": `GPL-2.0+`: write `GPL-2.0-or-later`',
    ]);
  });

  it('reports an invalid clarification expression and a missing crate', () => {
    assert.deepEqual(problems('[[licenses.clarify]]\ncrate = "ring"\nexpression = "MIT AND Bogus"\n'), [
      '3:1 `licenses.clarify[0].expression`: invalid license expression "MIT AND Bogus": unknown SPDX license id `Bogus`',
    ]);
    assert.deepEqual(problems('[licenses]\nexceptions = [{ allow = ["MIT"] }]\n'), ['2:15 `licenses.exceptions[0]`: missing `crate`']);
  });

  it('refuses a license file path that is absolute or has a `..` component, at the path', () => {
    assert.deepEqual(
      problems(`[[licenses.clarify]]
crate = "ring"
expression = "MIT"
license-files = [
  { path = "/etc/passwd", hash = 1 },
  { path = "../x", hash = 2 },
  { path = "a/../../x", hash = 3 },
  { path = "a/../LICENSE", hash = 4 },
  { path = 'C:\\LICENSE', hash = 5 },
  { path = 'src\\..\\LICENSE', hash = 6 },
  { path = "", hash = 7 },
]
`),
      [
        "5:5 `licenses.clarify[0].license-files[0].path`: \"/etc/passwd\" is absolute; give a path relative to the crate's root",
        "6:5 `licenses.clarify[0].license-files[1].path`: \"../x\" has a `..` component; give a path relative to the crate's root, without `..`",
        "7:5 `licenses.clarify[0].license-files[2].path`: \"a/../../x\" has a `..` component; give a path relative to the crate's root, without `..`",
        "8:5 `licenses.clarify[0].license-files[3].path`: \"a/../LICENSE\" has a `..` component; give a path relative to the crate's root, without `..`",
        "9:5 `licenses.clarify[0].license-files[4].path`: \"C:\\\\LICENSE\" is absolute; give a path relative to the crate's root",
        "10:5 `licenses.clarify[0].license-files[5].path`: \"src\\\\..\\\\LICENSE\" has a `..` component; give a path relative to the crate's root, without `..`",
        "11:5 `licenses.clarify[0].license-files[6].path`: the path is empty; give a path relative to the crate's root",
      ],
    );
  });

  it('accepts relative license file paths, `.` and names that merely start with dots included', () => {
    const { config } = loadLicenses(`[[licenses.clarify]]
crate = "ring"
expression = "MIT"
license-files = [{ path = "LICENSE", hash = 1 }, { path = "third_party/fiat/LICENSE", hash = 2 }, { path = "./COPYING", hash = 3 }, { path = "..LICENSE", hash = 4 }]
`);
    assert.deepEqual(config.clarify[0]!.licenseFiles, [
      { path: 'LICENSE', hash: 1 },
      { path: 'third_party/fiat/LICENSE', hash: 2 },
      { path: './COPYING', hash: 3 },
      { path: '..LICENSE', hash: 4 },
    ]);
  });

  it('makes removed keys errors that say what replaced them, and unknown keys errors', () => {
    assert.deepEqual(problems('[licenses]\nunlicensed = "deny"\ncopyleft = "warn"\nallow = ["MIT"]\n'), [
      '2:1 `licenses.unlicensed` has been removed: unlicensed crates are always an error now; give the crate a license with `[[licenses.clarify]]` or an `exceptions` entry',
      '3:1 `licenses.copyleft` has been removed: licenses are no longer allowed by category; list each one in `licenses.allow`',
    ]);
    assert.deepEqual(problems('[licenses]\ndeny = ["GPL-3.0"]\n'), [
      '2:1 `licenses.deny` has been removed: every license not in `licenses.allow` is rejected; remove it from `allow` instead',
    ]);
    assert.deepEqual(problems('[licenses]\nallow-list = []\n'), ['2:1 unknown key `licenses.allow-list`']);
    const threshold = problems('[licenses]\nconfidence-threshold = 1.5\n');
    assert.equal(threshold.length, 1);
    assert.match(threshold[0]!, /^2:1 `licenses.confidence-threshold`: .*1/);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseAdvisory } from '../../src/advisories/advisory.js';
import { isSentinelError } from '../../src/errors.js';
import { sharedCheckout } from '../helpers/git-fixtures.js';

const FULL_V3 = `\`\`\`toml
[advisory]
id = "RUSTSEC-2021-0001"
package = "demo-crate"
date = "2021-01-31"
withdrawn = "2021-03-01"
url = "https://example.com/advisory"
references = ["https://github.com/demo/demo/issues/1"]
informational = "unsound"
categories = ["memory-corruption", "thread-safety"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
keywords = ["example", "freeform"]
aliases = ["CVE-2021-0001", "GHSA-aaaa-bbbb-cccc"]
related = ["CVE-2020-9999"]
license = "CC-BY-4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
expect-deleted = true

[affected]
arch = ["x86"]
os = ["windows", "linux"]

[affected.functions]
"demo_crate::MyStruct::vulnerable_fn" = [">= 1.3.0, < 1.3.4"]

[versions]
patched = [">= 1.2.3, < 1.3.0", ">= 1.3.4"]
unaffected = ["<= 0.1.2"]
\`\`\`

# Advisory Title Goes Here

First paragraph.

- a list
`;

const REL = 'crates/demo-crate/RUSTSEC-2021-0001.md';

/** The problem parseAdvisory reports, as `file[:line]: message`. */
function problem(text: string, relPath = REL): string {
  try {
    parseAdvisory(text, relPath);
  } catch (e) {
    if (isSentinelError(e)) {
      assert.equal(e.kind, 'operational');
      return e.describe();
    }
    throw e;
  }
  assert.fail('expected the advisory to be rejected');
}

const minimal = (frontMatter: string, body = '# Title\n\nBody.\n'): string => `\`\`\`toml\n${frontMatter}\n\`\`\`\n\n${body}`;
const MINIMAL = '[advisory]\nid = "RUSTSEC-2021-0001"\npackage = "demo-crate"\ndate = "2021-01-31"\n\n[versions]\npatched = []';

describe('parseAdvisory', () => {
  it('reads crates/base64/RUSTSEC-2017-0004.md from the real database, field by field', () => {
    const rel = 'crates/base64/RUSTSEC-2017-0004.md';
    const advisory = parseAdvisory(readFileSync(path.join(sharedCheckout(), rel), 'utf8'), rel);
    assert.deepEqual(advisory.metadata, {
      id: 'RUSTSEC-2017-0004',
      package: 'base64',
      title: 'Integer overflow leads to heap-based buffer overflow in encode_config_buf',
      description: readFileSync(path.join(sharedCheckout(), rel), 'utf8').split('encode_config_buf\n\n')[1]!.trim(),
      date: '2017-05-03',
      aliases: ['CVE-2017-1000430', 'GHSA-x67x-vg9m-65c3'],
      related: [],
      collection: 'crates',
      categories: [],
      keywords: ['memory-corruption'],
      cvss: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      informational: null,
      references: [],
      source: null,
      url: 'https://github.com/alicemaz/rust-base64/commit/24ead980daf11ba563e4fb2516187a56a71ad319',
      withdrawn: null,
      license: 'CC0-1.0',
      'expect-deleted': false,
    });
    assert.ok(advisory.metadata.description.startsWith('Affected versions of this crate suffered from an integer overflow'));
    assert.ok(advisory.metadata.description.endsWith('the size of the buffer.'));
    assert.deepEqual(advisory.versions, { patched: ['>= 0.5.2'], unaffected: [] });
    assert.equal(advisory.affected, null);
    assert.deepEqual(advisory.ranges, [{ introduced: undefined, fixed: '0.5.2' }]);
    assert.deepEqual(advisory.severity, { version: '3.0', score: 9.8, severity: 'critical' });
    assert.equal(advisory.path, rel);
  });

  it('reads every key of the V3 format', () => {
    const advisory = parseAdvisory(FULL_V3, REL);
    assert.deepEqual(advisory, {
      metadata: {
        id: 'RUSTSEC-2021-0001',
        package: 'demo-crate',
        title: 'Advisory Title Goes Here',
        description: 'First paragraph.\n\n- a list',
        date: '2021-01-31',
        aliases: ['CVE-2021-0001', 'GHSA-aaaa-bbbb-cccc'],
        related: ['CVE-2020-9999'],
        collection: 'crates',
        categories: ['memory-corruption', 'thread-safety'],
        keywords: ['example', 'freeform'],
        cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        informational: 'unsound',
        references: ['https://github.com/demo/demo/issues/1'],
        source: 'registry+https://github.com/rust-lang/crates.io-index',
        url: 'https://example.com/advisory',
        withdrawn: '2021-03-01',
        license: 'CC-BY-4.0',
        'expect-deleted': true,
      },
      versions: { patched: ['>= 1.2.3, < 1.3.0', '>= 1.3.4'], unaffected: ['<= 0.1.2'] },
      affected: {
        arch: ['x86'],
        os: ['windows', 'linux'],
        functions: { 'demo_crate::MyStruct::vulnerable_fn': ['>= 1.3.0, < 1.3.4'] },
      },
      ranges: [
        { introduced: '0.1.3-0', fixed: '1.2.3' },
        { introduced: '1.3.0', fixed: '1.3.4' },
      ],
      severity: { version: '3.1', score: 10, severity: 'critical' },
      path: REL,
    });
  });

  it('reads the V4 format (no [advisory] header) the same way', () => {
    const v4 = FULL_V3.replace('[advisory]\n', '');
    assert.notEqual(v4, FULL_V3);
    assert.deepEqual(parseAdvisory(v4, REL), parseAdvisory(FULL_V3, REL));
  });

  it('fills defaults for absent keys', () => {
    const advisory = parseAdvisory(minimal(MINIMAL), REL);
    assert.deepEqual(advisory.metadata, {
      id: 'RUSTSEC-2021-0001', package: 'demo-crate', title: 'Title', description: 'Body.', date: '2021-01-31',
      aliases: [], related: [], collection: 'crates', categories: [], keywords: [], cvss: null, informational: null,
      references: [], source: null, url: null, withdrawn: null, license: 'CC0-1.0', 'expect-deleted': false,
    });
    assert.deepEqual(advisory.versions, { patched: [], unaffected: [] });
    assert.equal(advisory.affected, null);
    assert.deepEqual(advisory.ranges, [{ introduced: undefined, fixed: undefined }]);
    assert.equal(advisory.severity, null);
    const withAffected = parseAdvisory(minimal(`${MINIMAL}\n\n[affected]\nos = ["linux"]`), REL);
    assert.deepEqual(withAffected.affected, { arch: [], os: ['linux'], functions: {} });
  });

  it('keeps an unknown informational kind verbatim and takes the collection from the path', () => {
    const text = minimal(MINIMAL.replace('date =', 'informational = "something-new"\ndate =').replace('RUSTSEC-2021-0001', 'CVE-2021-12345').replace('demo-crate', 'std'));
    const advisory = parseAdvisory(text, 'rust/std/CVE-2021-12345.md');
    assert.equal(advisory.metadata.informational, 'something-new');
    assert.equal(advisory.metadata.collection, 'rust');
  });

  it('rejects malformed advisories with the file and a reason', () => {
    const cases: [string, string, string?][] = [
      ['# no front matter', `${REL}:1: malformed advisory: the file must start with \`\`\`toml`],
      ['```toml\n[advisory]\nid = "x"\n', `${REL}: malformed advisory: the \`\`\`toml front matter is never closed`],
      [minimal(MINIMAL, 'Title without hash\n'), `${REL}: malformed advisory: expected a "# Title" line after the front matter`],
      [minimal(MINIMAL, '# Title only'), `${REL}: malformed advisory: no Markdown body after the title`],
      [minimal(MINIMAL.replace('date =', 'title = "x"\ndate =')), `${REL}: malformed advisory: \`title\` must not be set in the front matter`],
      [minimal(MINIMAL.replace('date =', 'description = "x"\ndate =')), `${REL}: malformed advisory: \`description\` must not be set in the front matter`],
      [minimal(MINIMAL.replace('date =', 'collection = "crates"\ndate =')), `${REL}: malformed advisory: \`collection\` must not be set in the front matter`],
      [minimal(MINIMAL.replace('RUSTSEC-2021-0001', 'RUSTSEC-2021-0002')), `${REL}: malformed advisory: id "RUSTSEC-2021-0002" does not match the file name "RUSTSEC-2021-0001.md"`],
      [minimal(MINIMAL.replace('package = "demo-crate"', 'package = "other"')), `${REL}: malformed advisory: package "other" does not match its directory "demo-crate"`],
      [minimal(MINIMAL.replace('package = "demo-crate"\n', '')), `${REL}: malformed advisory: [advisory] must have a non-empty \`package\``],
      [minimal(MINIMAL.replace('2021-01-31', '31/01/2021')), `${REL}: malformed advisory: \`date\` must be a date written "YYYY-MM-DD", not "31/01/2021"`],
      [minimal(MINIMAL.replace('date = "2021-01-31"', 'date = 2021-01-31')), `${REL}: malformed advisory: \`date\` must be a string`],
      [minimal(MINIMAL.replace('date =', 'cvss = "CVSS:3.1/AV:N"\ndate =')), `${REL}: malformed advisory: invalid CVSS vector "CVSS:3.1/AV:N": missing base metric AC, PR, UI, S, C, I, A`],
      [minimal(MINIMAL.replace('date =', 'keywords = "one"\ndate =')), `${REL}: malformed advisory: [advisory] \`keywords\` must be a list of strings`],
      [minimal(MINIMAL.replace('date =', 'expect-deleted = "yes"\ndate =')), `${REL}: malformed advisory: \`expect-deleted\` must be true or false`],
      [minimal(MINIMAL.replace('date =', 'url = "not a url"\ndate =')), `${REL}: malformed advisory: \`url\` has an invalid URL "not a url"`],
      [minimal(MINIMAL.replace('date =', 'source = "crates.io"\ndate =')), `${REL}: malformed advisory: \`source\` is not a Cargo source id: unsupported source \`crates.io\` (Cargo.lock sources start with \`registry+\`, \`sparse+\` or \`git+\`)`],
      [minimal(MINIMAL.replace('patched = []', 'patched = [">= 1.2"]\nunaffected = ["< 1.3"]')), `${REL}: malformed advisory: invalid version requirement ">= 1.2": overlaps with "< 1.3"`],
      [minimal(MINIMAL.replace('patched = []', 'patched = ["1.*"]')), `${REL}: malformed advisory: invalid version requirement "1.*": wildcards are not supported in advisories`],
      [minimal(MINIMAL.replace('patched = []', 'unaffected = []')), `${REL}: malformed advisory: [versions] must have \`patched\` (an empty list if nothing is fixed)`],
      [minimal(MINIMAL.replace('\n\n[versions]\npatched = []', '')), `${REL}: malformed advisory: missing [versions] table`],
      [minimal(`${MINIMAL}\n\n[affected.functions]\n"demo_crate" = ["< 1.0"]`), `${REL}: malformed advisory: invalid function path "demo_crate" in [affected.functions]`],
      [minimal(MINIMAL.replace('date = "2021-01-31"', 'date = "2021-01-31\nx')), `${REL}:5: malformed advisory: invalid TOML: control characters are not allowed in strings`],
      [minimal(MINIMAL.replace('[advisory]\n', '').replace('date = "2021-01-31"', 'date = "2021-01-31" x')), `${REL}:4: malformed advisory: invalid TOML: each key-value declaration must be followed by an end-of-line`],
      [minimal(MINIMAL.replace('RUSTSEC-2021-0001', 'RUSTSEC-1999-0001')), `${REL}: malformed advisory: id "RUSTSEC-1999-0001" has an impossible year`],
      [minimal(MINIMAL), 'crates/RUSTSEC-2021-0001.md: malformed advisory: expected crates/<package>/<id>.md', 'crates/RUSTSEC-2021-0001.md'],
      [minimal(MINIMAL), 'other/demo-crate/RUSTSEC-2021-0001.md: malformed advisory: an advisory must live under crates/ or rust/', 'other/demo-crate/RUSTSEC-2021-0001.md'],
      [minimal(MINIMAL), 'crates/demo-crate/RUSTSEC-2021-0001.toml: malformed advisory: an advisory file name must end in .md', 'crates/demo-crate/RUSTSEC-2021-0001.toml'],
    ];
    for (const [text, expected, relPath] of cases) assert.equal(problem(text, relPath), expected);
  });

  it('accepts a draft named RUSTSEC-0000-0000.md whatever its id', () => {
    const advisory = parseAdvisory(minimal(MINIMAL), 'crates/demo-crate/RUSTSEC-0000-0000.md');
    assert.equal(advisory.metadata.id, 'RUSTSEC-2021-0001');
  });
});

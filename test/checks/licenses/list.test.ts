/**
 * `list` on confgen: every format and layout against a golden file (path
 * sources written as {WORKSPACE}), and the per-crate licenses against the
 * README's table.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { defaultLicensesConfig } from '../../../src/checks/licenses/config.js';
import { gatherLicenses } from '../../../src/checks/licenses/gather.js';
import { licenseListing, renderLicenseList, type ListFormat, type ListLayout } from '../../../src/checks/licenses/list.js';
import { loadLicenses } from './deny-toml.js';
import { lockfileGraph, metadataGraph, workspacesDir } from './metadata-graph.js';
import { repoRoot } from '../../helpers/paths.js';
import { readmeRows } from '../../workspace/metadata/fixtures.js';

async function listing(config = defaultLicensesConfig()) {
  const graph = await metadataGraph('confgen');
  return licenseListing(graph, await gatherLicenses(graph, config), config);
}

const golden = (name: string) => readFileSync(path.join(repoRoot, 'test', 'checks', 'licenses', 'golden', name), 'utf8');
const portable = (text: string) => text.replaceAll(path.join(workspacesDir, 'confgen'), '{WORKSPACE}');

describe('list (confgen)', () => {
  const cases: Array<[ListFormat, ListLayout, string]> = [
    ['human', 'license', 'confgen-human-license.txt'],
    ['human', 'crate', 'confgen-human-crate.txt'],
    ['json', 'license', 'confgen-json-license.txt'],
    ['json', 'crate', 'confgen-json-crate.txt'],
    ['tsv', 'license', 'confgen-tsv.txt'],
  ];
  for (const [format, layout, file] of cases) {
    it(`renders ${format} by ${layout} as the golden file`, async () => {
      assert.equal(portable(renderLicenseList(await listing(), format, layout)), golden(file));
    });
  }

  it("gives each crate the licenses of the README's table", async () => {
    const rows = readmeRows('confgen');
    const byCrate = new Map((await listing()).crates.map((c) => [`${c.name}@${c.version}`, c]));
    assert.equal(rows.length, byCrate.size);
    for (const { crate, version, license } of rows) {
      const listed = byCrate.get(`${crate}@${version}`)!;
      const terms = license.split(/[\s/()]+/).filter((t) => t !== '' && t !== 'OR' && t !== 'AND');
      if (license === 'none') assert.equal(listed.status, 'unlicensed');
      else assert.deepEqual(listed.licenses, [...new Set(terms)], `${crate}@${version}`);
    }
  });

  it('uses clarifications only when given the config, and lists unknown crates apart', async () => {
    const { config } = loadLicenses('[[licenses.clarify]]\ncrate = "xtask"\nexpression = "MIT"\n');
    assert.deepEqual((await listing(config)).unlicensed, []);
    const graph = await lockfileGraph('confgen', []);
    const unknown = licenseListing(graph, await gatherLicenses(graph, defaultLicensesConfig()));
    assert.equal(unknown.unknown.length, 46);
    const human = renderLicenseList(unknown, 'human', 'license');
    assert.equal(human.split('\n')[0], 'Apache-2.0 (1): yaml-rust@0.4.5');
    assert.match(human, /^Unknown \(46\): atty@0\.2\.14, autocfg@1\.1\.0, /m);
    assert.deepEqual(Object.keys(JSON.parse(renderLicenseList(unknown, 'json', 'license'))), ['licenses', 'unlicensed', 'unknown']);
  });
});

/**
 * cargo-sentinel's own supply chain: scripts/sbom-self.mjs writes a valid
 * CycloneDX 1.6 SBOM of exactly the runtime dependencies package-lock.json
 * holds (read here from its dev/devOptional flags, not the way the script
 * walks the graph), reproducibly; and no locked package runs an install
 * script (scripts/check-install-scripts.mjs fails CI on one; this says which
 * packages were looked at, from the same lockfile).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { cyclonedxValidator, EPOCH } from '../report/sbom/helpers.js';

interface LockEntry {
  version: string;
  integrity?: string;
  license?: string;
  dev?: boolean;
  devOptional?: boolean;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
}

interface Component {
  group?: string;
  name: string;
  version: string;
  purl: string;
  'bom-ref': string;
  scope?: string;
  hashes: { alg: string; content: string }[];
  licenses: { license?: { id: string }; expression?: string }[];
}

interface Bom {
  serialNumber: string;
  metadata: { timestamp: string; component: Component };
  components: Component[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}

const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const locked = Object.entries(lock.packages).filter(([key]) => key !== '');
/** npm marks what `npm install --omit=dev` leaves out; everything else is installed with cargo-sentinel. */
const runtime = locked.filter(([, entry]) => !entry.dev && !entry.devOptional);
const nameOf = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
const fullName = (c: Component): string => (c.group ? `${c.group}/${c.name}` : c.name);

function sbomSelf(env: Record<string, string> = { SOURCE_DATE_EPOCH: EPOCH }): string {
  return execFileSync(process.execPath, [path.join(repoRoot, 'scripts/sbom-self.mjs')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
}

let text: string;
let bom: Bom;
before(() => {
  text = sbomSelf();
  bom = JSON.parse(text) as Bom;
});

test('the SBOM is valid CycloneDX 1.6 and reproducible with SOURCE_DATE_EPOCH', () => {
  const validate = cyclonedxValidator('1.6');
  assert.ok(validate(bom), JSON.stringify(validate.errors, null, 2));
  assert.equal(bom.metadata.timestamp, '2023-11-14T22:13:20.000Z');
  assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(sbomSelf(), text);
  assert.notEqual(sbomSelf({ SOURCE_DATE_EPOCH: '1700000001' }), text);
});

test('it lists exactly the runtime dependencies of package-lock.json, none of the dev ones', () => {
  const listed = bom.components.map((c) => `${fullName(c)}@${c.version}`).sort();
  assert.deepEqual(listed, runtime.map(([key, entry]) => `${nameOf(key)}@${entry.version}`).sort());
  for (const dev of ['typescript', 'ajv', 'fast-check', '@types/node', 'esbuild-wasm', 'playwright-core']) {
    assert.ok(!listed.some((l) => l.startsWith(`${dev}@`)), dev);
  }
  const self = bom.metadata.component;
  assert.deepEqual([self.name, self.purl, self.licenses], ['cargo-sentinel', 'pkg:npm/cargo-sentinel@0.1.0', [{ expression: 'MIT OR Apache-2.0' }]]);
});

test('each component carries its purl, the lockfile integrity as SHA-512, and its license', () => {
  for (const [key, entry] of runtime) {
    const name = nameOf(key);
    const c = bom.components.find((x) => fullName(x) === name);
    assert.ok(c, name);
    const purlName = name.replace(/^@/, '%40');
    assert.equal(c.purl, `pkg:npm/${purlName}@${entry.version}`);
    assert.equal(c['bom-ref'], c.purl);
    assert.equal(c.scope, 'required');
    const sri = Buffer.from(c.hashes[0]!.content, 'hex').toString('base64');
    assert.deepEqual(c.hashes.map((h) => h.alg), ['SHA-512']);
    assert.equal(`sha512-${sri}`, entry.integrity);
    // npm copies `license` from each package.json into the lockfile: the two agree.
    assert.deepEqual(c.licenses, [{ license: { id: entry.license } }], name);
  }
});

test('dependency relationships follow the lockfile: the root depends on its direct dependencies', () => {
  const edges = new Map(bom.dependencies.map((d) => [d.ref, [...(d.dependsOn ?? [])].sort()]));
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const purl = (name: string): string => {
    const entry = lock.packages[`node_modules/${name}`]!;
    return `pkg:npm/${name.replace(/^@/, '%40')}@${entry.version}`;
  };
  assert.deepEqual(edges.get('pkg:npm/cargo-sentinel@0.1.0'), Object.keys(pkg.dependencies).map(purl).sort());
  for (const [key, entry] of runtime) {
    const required = Object.keys(entry.dependencies ?? {}).map(purl);
    for (const to of required) assert.ok(edges.get(purl(nameOf(key)))?.includes(to), `${key} -> ${to}`);
  }
  assert.deepEqual(edges.get(purl('simple-git')), ['@kwsites/file-exists', '@kwsites/promise-deferred', '@simple-git/args-pathspec', '@simple-git/argv-parser', 'debug'].map(purl).sort());
});

test('no locked package declares an install script', () => {
  const offenders = locked.filter(([, entry]) => entry.hasInstallScript).map(([key]) => key);
  assert.deepEqual(offenders, []);
  const ci = execFileSync(process.execPath, [path.join(repoRoot, 'scripts/check-install-scripts.mjs')], { encoding: 'utf8' });
  assert.equal(ci, `install scripts: none in ${locked.length} locked packages\n`);
});

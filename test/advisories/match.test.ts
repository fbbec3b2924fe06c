import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { parseAdvisory } from '../../src/advisories/advisory.js';
import { assembleDatabase } from '../../src/advisories/assemble.js';
import { loadDatabaseCached } from '../../src/advisories/index-cache.js';
import { findAdvisories, type AdvisoryFinding, type MatchOptions } from '../../src/advisories/match.js';
import type { AdvisoryDatabase } from '../../src/advisories/types.js';
import { isVulnerable } from '../../src/advisories/version-range.js';
import { parseLockfile } from '../../src/workspace/lockfile.js';
import type { LockPackage, SourceId } from '../../src/workspace/types.js';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';
import { corpusProjects, DB_HEAD, fixture } from '../helpers/paths.js';

interface Expected {
  id: string;
  kind: string;
  package: string;
  version: string;
}

const summary = (findings: readonly AdvisoryFinding[]): Expected[] =>
  findings.map((f) => ({ id: f.advisory.metadata.id, kind: f.kind, package: f.package.name, version: f.package.version }));

const expectedFor = (project: string): Expected[] =>
  JSON.parse(readFileSync(fixture('expected', 'advisories', `${project}.json`), 'utf8')) as Expected[];

const lockfileOf = (project: string) => {
  const file = fixture('corpus', project, 'Cargo.lock');
  return parseLockfile(readFileSync(file, 'utf8'), file);
};

describe('findAdvisories on the corpus (reference findings of rustsec 0.33)', () => {
  const dbs: [string, AdvisoryDatabase][] = [];
  before(async () => {
    const dir = sharedCheckout();
    const cacheDir = tempDir('sentinel-cache-');
    const info = { path: dir, commit: DB_HEAD, commitDate: null };
    const built = await loadDatabaseCached({ dir, info, cacheDir });
    const cached = await loadDatabaseCached({ dir, info, cacheDir });
    assert.deepEqual([built.fromCache, cached.fromCache], [false, true]);
    dbs.push(['parsed', built], ['from the index', cached]);
  });

  for (const project of corpusProjects) {
    it(`${project}: exactly the expected findings, in order`, () => {
      const lockfile = lockfileOf(project);
      const expected = expectedFor(project).filter((e) => e.kind !== 'withdrawn-skipped');
      for (const [how, db] of dbs) assert.deepEqual(summary(findAdvisories(lockfile.packages, db)), expected, how);
    });
  }

  it('skips withdrawn advisories that would otherwise match', () => {
    const [, db] = dbs[0]!;
    let skipped = 0;
    for (const project of corpusProjects) {
      const packages = lockfileOf(project).packages;
      for (const e of expectedFor(project).filter((x) => x.kind === 'withdrawn-skipped')) {
        const advisory = db.advisories.find((a) => a.metadata.id === e.id)!;
        const pkg = packages.find((p) => p.name === e.package && p.version === e.version)!;
        assert.notEqual(advisory.metadata.withdrawn, null, e.id);
        assert.ok(pkg.source?.isCratesIo && isVulnerable(advisory.ranges, pkg.version), `${e.id} ${e.package} ${e.version}`);
        skipped++;
      }
    }
    assert.equal(skipped, 23);
  });
});

const CRATES_IO_GIT: SourceId = {
  kind: 'registry',
  url: 'https://github.com/rust-lang/crates.io-index',
  isCratesIo: true,
  raw: 'registry+https://github.com/rust-lang/crates.io-index',
};
const CRATES_IO_SPARSE: SourceId = { kind: 'sparse', url: 'https://index.crates.io/', isCratesIo: true, raw: 'sparse+https://index.crates.io/' };
const OTHER_REGISTRY: SourceId = { kind: 'sparse', url: 'https://my.registry/', isCratesIo: false, raw: 'sparse+https://my.registry/' };
const GIT: SourceId = {
  kind: 'git', url: 'https://github.com/demo/demo', reference: undefined, commit: 'abc', isCratesIo: false, raw: 'git+https://github.com/demo/demo#abc',
};

/** `'path'` stands for a package without a source (a path dependency or workspace member). */
const pkg = (name: string, version: string, from: SourceId | 'path' = CRATES_IO_GIT): LockPackage => ({
  id: from === 'path' ? `${name}@${version} (path)` : `${name}@${version} (${from.raw})`,
  name, version, source: from === 'path' ? undefined : from, checksum: undefined, dependencies: [], line: 1,
});

/** An advisory for `demo` written inline; `extra` lines go into [advisory]. */
function advisory(id: string, extra: string, affected = '', patched = '[">= 1.0.0"]', collection = 'crates') {
  const name = collection === 'rust' ? 'std' : 'demo';
  const text = `\`\`\`toml\n[advisory]\nid = "${id}"\npackage = "${name}"\ndate = "2021-01-01"\n${extra}\n${affected}\n[versions]\npatched = ${patched}\n\`\`\`\n\n# ${id}\n\nBody.\n`;
  return parseAdvisory(text, `${collection}/${name}/${id}.md`);
}

const ids = (findings: readonly AdvisoryFinding[]): string[] => findings.map((f) => `${f.advisory.metadata.id} ${f.kind} ${f.package.version}`);

describe('findAdvisories rules', () => {
  const db = assembleDatabase({ path: '', commit: null, commitDate: null }, [
    advisory('RUSTSEC-2021-0001', 'cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"'),
    advisory('RUSTSEC-2021-0002', 'cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"'),
    advisory('RUSTSEC-2021-0003', ''),
    advisory('RUSTSEC-2021-0004', 'informational = "unmaintained"', '', '[]'),
    advisory('RUSTSEC-2021-0005', 'informational = "unsound"'),
    advisory('RUSTSEC-2021-0006', 'informational = "notice"'),
    advisory('RUSTSEC-2021-0007', 'informational = "something-new"'),
    advisory('RUSTSEC-2021-0008', 'withdrawn = "2021-02-01"'),
    advisory('RUSTSEC-2021-0009', '', '[affected]\narch = ["x86"]\nos = ["windows"]\n'),
    advisory('RUSTSEC-2021-0010', 'source = "sparse+https://my.registry/"'),
    advisory('RUSTSEC-2021-0011', 'source = "sparse+https://index.crates.io/"'),
    advisory('CVE-2021-0001', '', '', '[">= 1.0.0"]', 'rust'),
  ], []);
  const all = (options: MatchOptions = {}): string[] => ids(findAdvisories([pkg('demo', '0.9.0')], db, options));

  it('reports vulnerable crates.io versions, with the default informational kinds', () => {
    assert.deepEqual(all(), [
      'RUSTSEC-2021-0001 vulnerability 0.9.0',
      'RUSTSEC-2021-0002 vulnerability 0.9.0',
      'RUSTSEC-2021-0003 vulnerability 0.9.0',
      'RUSTSEC-2021-0004 unmaintained 0.9.0',
      'RUSTSEC-2021-0005 unsound 0.9.0',
      'RUSTSEC-2021-0006 notice 0.9.0',
      'RUSTSEC-2021-0009 vulnerability 0.9.0',
      'RUSTSEC-2021-0011 vulnerability 0.9.0',
    ]);
    assert.deepEqual(ids(findAdvisories([pkg('demo', '1.0.0')], db)), ['RUSTSEC-2021-0004 unmaintained 1.0.0']);
  });

  it('matches only crates.io packages, under either of its names', () => {
    const sources: [SourceId | 'path', number][] = [[CRATES_IO_GIT, 8], [CRATES_IO_SPARSE, 8], [OTHER_REGISTRY, 0], [GIT, 0], ['path', 0]];
    for (const [from, n] of sources) {
      assert.equal(findAdvisories([pkg('demo', '0.9.0', from)], db).length, n, from === 'path' ? from : from.raw);
    }
    assert.deepEqual(findAdvisories([pkg('std', '0.9.0'), pkg('other', '0.1.0'), pkg('demo', 'not-a-version')], db), []);
  });

  it('chooses informational kinds; unknown kinds are never reported', () => {
    assert.deepEqual(all({ informationalWarnings: ['unsound', 'something-new'] }).filter((s) => !s.includes('vulnerability')), [
      'RUSTSEC-2021-0005 unsound 0.9.0',
    ]);
    assert.equal(all({ informationalWarnings: [] }).length, 5);
  });

  it('filters by severity only advisories that have a CVSS vector', () => {
    // RUSTSEC-2021-0002 scores 5.3 (medium); the advisory without a vector stays.
    assert.deepEqual(all({ severityThreshold: 'high' }), all().filter((s) => !s.startsWith('RUSTSEC-2021-0002')));
    assert.deepEqual(all({ severityThreshold: 'critical' }), all().filter((s) => !s.startsWith('RUSTSEC-2021-0002')));
    assert.equal(all({ severityThreshold: 'none' }).length, 8);
    assert.equal(all({ severityThreshold: null }).length, 8);
  });

  it('filters by arch and os only when both sides name some, and they share none', () => {
    const has9 = (options: MatchOptions): boolean => all(options).includes('RUSTSEC-2021-0009 vulnerability 0.9.0');
    assert.equal(has9({ targetArch: ['x86', 'arm'] }), true);
    assert.equal(has9({ targetArch: ['mips', 'mips64'] }), false);
    assert.equal(has9({ targetOs: ['windows', 'linux'] }), true);
    assert.equal(has9({ targetOs: ['macos', 'freebsd'] }), false);
    assert.equal(has9({ targetArch: [], targetOs: [] }), true);
    assert.equal(all({ targetOs: ['macos'] }).length, 7);
  });

  it('sorts by advisory id, package name and version precedence, whatever the input order', () => {
    const packages = [pkg('demo', '0.10.0'), pkg('demo', '0.9.0'), pkg('demo', '0.9.0-alpha')];
    const sorted = ids(findAdvisories(packages, db, { informationalWarnings: [] })).slice(0, 3);
    assert.deepEqual(sorted, ['RUSTSEC-2021-0001 vulnerability 0.9.0-alpha', 'RUSTSEC-2021-0001 vulnerability 0.9.0', 'RUSTSEC-2021-0001 vulnerability 0.10.0']);
    assert.deepEqual(ids(findAdvisories([...packages].reverse(), db)), ids(findAdvisories(packages, db)));
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe as group, it } from 'node:test';
import { checkSources } from '../../../src/checks/sources/check.js';
import { sourcesCodes } from '../../../src/checks/sources/codes.js';
import { sourcesSection } from '../../../src/checks/sources/config.js';
import type { Diagnostic } from '../../../src/diagnostics/types.js';
import { parseDenyConfig } from '../../../src/policy/deny/parse.js';
import type { PackageGraph } from '../../../src/workspace/package-graph.js';
import { LEDGER_LOCK, loadLedger, withSource } from './ledger.js';

const ENV = { env: {}, home: '/home/tester' };
const LEDGER = await loadLedger();
const GIT_SOURCE = 'git+https://git.example.com/acme/ledger-proto.git?tag=v0.7.0#2be5e7a5c65c3f074b5bfa45c92d45754b65fdde';
/** The git dependency with another URL or reference (same Cargo.lock entry). */
const gitVariant = (from: string, to: string) => withSource(LEDGER, 'ledger-proto@0.7.0', GIT_SOURCE.replace(from, to));
/** The same workspace with its git dependency hosted on GitHub under `Acme`. */
const ON_GITHUB = gitVariant('https://git.example.com/acme/', 'https://github.com/Acme/');

/** Run the check with `deny` as the deny.toml text. */
function check(deny: string, graph: PackageGraph = LEDGER): Diagnostic[] {
  const { config, locations } = parseDenyConfig(deny, 'deny.toml', ENV);
  return checkSources({ graph, config: config.sources, policy: { file: 'deny.toml', locations } });
}

/** `code severity package "message" file:line:column+length` per label (`*` = primary). */
const summary = (diagnostics: Diagnostic[]): string[] =>
  diagnostics.map((d) => {
    const labels = d.labels.map((l) => `${path.basename(l.file)}:${l.line}:${l.column}+${l.length}${l.primary ? '*' : ''}`);
    return `${d.code} ${d.severity} ${d.package?.name ?? '-'} "${d.message}" ${labels.join(' ')}`;
  });

group('sources check on fixtures/workspaces/ledger', () => {
  it('default policy: the git source and the alternate registry are not allowed; crates.io is', () => {
    const diagnostics = check('');
    assert.deepEqual(diagnostics, [
      {
        source: 'sources',
        code: 'source-not-allowed',
        severity: 'warning',
        message: "detected 'registry' source not explicitly allowed",
        labels: [
          { file: LEDGER_LOCK, line: 5, column: 1, length: 11, message: 'source `sparse+https://cargo.acme.example/index/`', primary: true },
        ],
        notes: ['to allow this registry, add "https://cargo.acme.example/index/" to `sources.allow-registry`'],
        package: { id: 'acme-metrics@1.4.0', name: 'acme-metrics', version: '1.4.0', source: 'sparse+https://cargo.acme.example/index/' },
      },
      {
        source: 'sources',
        code: 'source-not-allowed',
        severity: 'warning',
        message: "detected 'git' source not explicitly allowed",
        labels: [{ file: LEDGER_LOCK, line: 265, column: 1, length: 11, message: `source \`${GIT_SOURCE}\``, primary: true }],
        notes: ['to allow this repository, add "https://git.example.com/acme/ledger-proto.git" to `sources.allow-git`'],
        package: { id: 'ledger-proto@0.7.0', name: 'ledger-proto', version: '0.7.0', source: GIT_SOURCE },
      },
    ]);
  });

  it('git not allowed, under unknown-git = "deny"', () => {
    assert.deepEqual(summary(check('[sources]\nunknown-git = "deny"\nunknown-registry = "allow"\n')), [
      `source-not-allowed note acme-metrics "detected 'registry' source not explicitly allowed" Cargo.lock:5:1+11*`,
      `source-not-allowed error ledger-proto "detected 'git' source not explicitly allowed" Cargo.lock:265:1+11*`,
    ]);
  });

  it('allow-git: the same repository however it is spelled', () => {
    for (const url of [
      'https://git.example.com/acme/ledger-proto',
      'https://git.example.com/acme/ledger-proto.git',
      'https://GIT.example.com/acme/ledger-proto/',
      'ssh://git@git.example.com/acme/ledger-proto.git',
    ]) {
      assert.deepEqual(
        summary(check(`[sources]\nunknown-git = "deny"\nallow-git = [\n  "${url}",\n]\n`)),
        [
          `source-not-allowed warning acme-metrics "detected 'registry' source not explicitly allowed" Cargo.lock:5:1+11*`,
          `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11* deny.toml:4:3+0`,
        ],
        url,
      );
    }
    // Another path on the same host is another repository.
    assert.deepEqual(summary(check('[sources]\nallow-git = ["https://git.example.com/acme/ledger"]\n')).slice(1), [
      `source-not-allowed warning ledger-proto "detected 'git' source not explicitly allowed" Cargo.lock:265:1+11*`,
      `unmatched-source warning - "allowed source was not encountered" deny.toml:2:14+0*`,
    ]);
  });

  it('allow-org: the owner of a GitHub repository, without regard to case; other hosts never match', () => {
    const deny = '[sources]\nunknown-git = "deny"\n[sources.allow-org]\ngithub = ["acme"]\ngitlab = ["acme"]\n';
    assert.deepEqual(summary(check(deny, ON_GITHUB)), [
      `source-not-allowed warning acme-metrics "detected 'registry' source not explicitly allowed" Cargo.lock:5:1+11*`,
      `allowed-by-organization note ledger-proto "source allowed by organization allowance" Cargo.lock:265:1+11* deny.toml:4:11+0`,
      `unmatched-organization warning - "allowed 'gitlab.com' organization was not encountered" deny.toml:5:11+0*`,
    ]);
    // On git.example.com the organization list does not apply.
    assert.deepEqual(summary(check(deny)).slice(1), [
      `source-not-allowed error ledger-proto "detected 'git' source not explicitly allowed" Cargo.lock:265:1+11*`,
      `unmatched-organization warning - "allowed 'github.com' organization was not encountered" deny.toml:4:11+0*`,
      `unmatched-organization warning - "allowed 'gitlab.com' organization was not encountered" deny.toml:5:11+0*`,
    ]);
    // The hint names the organization when the host has them.
    const [, denied] = check('', ON_GITHUB);
    assert.deepEqual(denied?.notes, [
      'to allow this repository, add "https://github.com/Acme/ledger-proto.git" to `sources.allow-git`',
      'to allow every repository of its owner, add "acme" to `sources.allow-org.github`',
    ]);
  });

  it('required-git-spec: the ledger pins a tag, so "rev" is not met and "tag" is', () => {
    const allowed = '[sources]\nallow-git = ["https://git.example.com/acme/ledger-proto"]\nallow-registry = ["https://github.com/rust-lang/crates.io-index", "sparse+https://cargo.acme.example/index/"]\n';
    const withSpec = (spec: string) => summary(check(`${allowed}required-git-spec = "${spec}"\n`));
    assert.deepEqual(withSpec('rev'), [
      `allowed-source note acme-metrics "'registry' source explicitly allowed" Cargo.lock:5:1+11* deny.toml:3:67+0`,
      `git-source-underspecified error ledger-proto "'git' source is underspecified, expected 'rev', but found 'tag'" Cargo.lock:265:1+11* deny.toml:4:1+0`,
      `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11* deny.toml:2:14+0`,
    ]);
    const met = [
      `allowed-source note acme-metrics "'registry' source explicitly allowed" Cargo.lock:5:1+11* deny.toml:3:67+0`,
      `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11* deny.toml:2:14+0`,
    ];
    assert.deepEqual(withSpec('tag'), met);
    assert.deepEqual(withSpec('branch'), met);
    assert.deepEqual(withSpec('any'), met);
    // A branch (or no reference at all) is weaker than a tag; the spec is judged even when the source is not allowed.
    const onBranch = gitVariant('?tag=v0.7.0#', '?branch=main#');
    const unpinned = gitVariant('?tag=v0.7.0#', '#');
    assert.deepEqual(summary(check('[sources]\nrequired-git-spec = "tag"\n', onBranch)).filter((s) => s.startsWith('git-source')), [
      `git-source-underspecified error ledger-proto "'git' source is underspecified, expected 'tag', but found 'branch'" Cargo.lock:265:1+11* deny.toml:2:1+0`,
    ]);
    assert.deepEqual(summary(check('[sources]\nrequired-git-spec = "branch"\n', unpinned)).filter((s) => s.startsWith('git-source')), [
      `git-source-underspecified error ledger-proto "'git' source is underspecified, expected 'branch', but found 'any'" Cargo.lock:265:1+11* deny.toml:2:1+0`,
    ]);
  });

  it('unknown registry: the alternate sparse registry, under unknown-registry = "deny"', () => {
    assert.deepEqual(summary(check('[sources]\nunknown-registry = "deny"\nallow-git = ["https://git.example.com/acme/ledger-proto"]\n')), [
      `source-not-allowed error acme-metrics "detected 'registry' source not explicitly allowed" Cargo.lock:5:1+11*`,
      `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11* deny.toml:3:14+0`,
    ]);
    // allow-registry = [] allows no registry, crates.io included: its 93 packages and acme-metrics are reported.
    const none = check('[sources]\nallow-registry = []\nunknown-git = "allow"\n');
    const counts = new Map<string, number>();
    for (const d of none) {
      const key = `${d.code} ${d.severity} ${d.package?.source?.split('+')[0]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.deepEqual([...counts], [
      ['source-not-allowed warning sparse', 1],
      ['source-not-allowed warning registry', 93],
      ['source-not-allowed note git', 1],
    ]);
    assert.deepEqual(summary(none.filter((d) => d.package?.name === 'ahash')), [
      `source-not-allowed warning ahash "detected 'registry' source not explicitly allowed" Cargo.lock:15:1+11*`,
    ]);
  });

  it("crates.io's sparse index is the same registry as its git index", () => {
    assert.deepEqual(summary(check('[sources]\nallow-registry = ["sparse+https://index.crates.io/", "https://cargo.acme.example/index"]\nallow-git = ["https://git.example.com/acme/ledger-proto"]\n')), [
      `allowed-source note acme-metrics "'registry' source explicitly allowed" Cargo.lock:5:1+11* deny.toml:2:54+0`,
      `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11* deny.toml:3:14+0`,
    ]);
  });

  it('private: any source under the prefix, in whole path segments', () => {
    const deny = '[sources]\nunknown-git = "deny"\nunknown-registry = "deny"\nprivate = ["https://cargo.acme.example", "https://git.example.com/acme"]\n';
    assert.deepEqual(summary(check(deny)), [
      `allowed-source note acme-metrics "'registry' source explicitly allowed" Cargo.lock:5:1+11* deny.toml:4:12+0`,
      `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11* deny.toml:4:42+0`,
    ]);
    assert.deepEqual(summary(check('[sources]\nprivate = ["https://git.example.com/ac"]\n')).slice(1), [
      `source-not-allowed warning ledger-proto "detected 'git' source not explicitly allowed" Cargo.lock:265:1+11*`,
      `unmatched-source warning - "allowed source was not encountered" deny.toml:2:12+0*`,
    ]);
  });

  it('unused allowed sources: each reported at its entry, with its lint level; crates.io never', () => {
    const deny = [
      '[sources]',
      'unused-allowed-source = "deny"',
      'unused-allowed-org = "allow"',
      'allow-registry = [',
      '  "https://github.com/rust-lang/crates.io-index",',
      '  "sparse+https://cargo.acme.example/index/",',
      '  "https://registry.unused.example/index",',
      ']',
      'allow-git = ["https://git.example.com/acme/ledger-proto", "https://github.com/other/repo"]',
      'private = ["https://git.example.com/acme"]',
      '[sources.allow-org]',
      'bitbucket = ["atlassian"]',
      '',
    ].join('\n');
    assert.deepEqual(summary(check(deny)), [
      `allowed-source note acme-metrics "'registry' source explicitly allowed" Cargo.lock:5:1+11* deny.toml:6:3+0`,
      `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11* deny.toml:9:14+0`,
      `unmatched-source error - "allowed source was not encountered" deny.toml:7:3+0*`,
      `unmatched-source error - "allowed source was not encountered" deny.toml:9:59+0*`,
      // The first matching entry is the one counted: the private prefix came after allow-git's entry.
      `unmatched-source error - "allowed source was not encountered" deny.toml:10:12+0*`,
      `unmatched-organization note - "allowed 'bitbucket.org' organization was not encountered" deny.toml:12:14+0*`,
    ]);
  });

  it('nothing at all when both unknown-registry and unknown-git are allow', () => {
    const deny = '[sources]\nunknown-registry = "allow"\nunknown-git = "allow"\nrequired-git-spec = "rev"\nallow-git = ["https://github.com/unused/repo"]\n';
    assert.deepEqual(check(deny), []);
  });

  it('without a deny.toml: the same verdicts, labelled in Cargo.lock only', () => {
    const diagnostics = checkSources({ graph: LEDGER, config: sourcesSection.parse({ 'allow-git': ['https://git.example.com/acme/ledger-proto'] }), policy: { file: undefined, locations: undefined } });
    assert.deepEqual(summary(diagnostics), [
      `source-not-allowed warning acme-metrics "detected 'registry' source not explicitly allowed" Cargo.lock:5:1+11*`,
      `allowed-source note ledger-proto "'git' source explicitly allowed" Cargo.lock:265:1+11*`,
    ]);
  });

  it('declares its six codes with their default severities', () => {
    assert.deepEqual(sourcesCodes.map((c) => [c.code, c.defaultSeverity, c.lint]), [
      ['git-source-underspecified', 'error', undefined],
      ['allowed-source', 'note', undefined],
      ['allowed-by-organization', 'note', undefined],
      ['source-not-allowed', 'lint', 'sources.unknown-registry / sources.unknown-git'],
      ['unmatched-source', 'lint', 'sources.unused-allowed-source'],
      ['unmatched-organization', 'lint', 'sources.unused-allowed-org'],
    ]);
    assert.ok(sourcesCodes.every((c) => c.source === 'sources' && c.description.length > 0));
  });
});

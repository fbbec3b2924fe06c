import assert from 'node:assert/strict';
import { describe as group, it } from 'node:test';
import { sourcesSection } from '../../../src/checks/sources/config.js';
import { sameLocation, sourceLocation, underLocation } from '../../../src/checks/sources/url.js';
import { parseDenyConfig } from '../../../src/policy/deny/parse.js';
import { ConfigFileError } from '../../../src/policy/toml-config.js';

group('[sources] config', () => {
  it("defaults are cargo-deny's: crates.io only, unknown sources warn", () => {
    const config = sourcesSection.parse({});
    assert.deepEqual(config, {
      'unknown-registry': 'warn',
      'unknown-git': 'warn',
      'allow-registry': [
        {
          text: 'https://github.com/rust-lang/crates.io-index',
          location: { host: 'github.com', segments: ['rust-lang', 'crates.io-index'], isCratesIo: true },
        },
      ],
      'allow-git': [],
      private: [],
      'allow-org': { github: [], gitlab: [], bitbucket: [] },
      'unused-allowed-source': 'warn',
      'unused-allowed-org': 'warn',
    });
    assert.deepEqual(sourcesSection.parse({ 'allow-registry': [] })['allow-registry'], []);
  });

  it('URLs without a host and organization names with a slash are errors at the entry', () => {
    const text = '[sources]\nallow-git = ["git@github.com:acme/repo.git"]\nprivate = ["file:///srv/git"]\n[sources.allow-org]\ngithub = ["acme/repo"]\n';
    assert.throws(
      () => parseDenyConfig(text, 'deny.toml', { env: {}, home: '/h' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigFileError);
        assert.deepEqual(e.problems.map((p) => `${p.place?.line}:${p.place?.column} ${p.message}`), [
          '2:14 `sources.allow-git[0]`: "git@github.com:acme/repo.git" is not a URL with a host',
          '3:12 `sources.private[0]`: "file:///srv/git" is not a URL with a host',
          '5:11 `sources.allow-org.github[0]`: expected an organization or user name, without slashes',
        ]);
        return true;
      },
    );
  });

  it('source locations: prefixes stripped, host case, trailing slash and .git ignored; crates.io in both forms', () => {
    assert.deepEqual(sourceLocation('sparse+https://Cargo.Acme.example/index/'), { host: 'cargo.acme.example', segments: ['index'], isCratesIo: false });
    assert.deepEqual(sourceLocation('registry+https://github.com/rust-lang/crates.io-index'), { host: 'github.com', segments: ['rust-lang', 'crates.io-index'], isCratesIo: true });
    assert.deepEqual(sourceLocation('sparse+https://index.crates.io/'), { host: 'index.crates.io', segments: [], isCratesIo: true });
    assert.deepEqual(sourceLocation('https://github.com/Acme/Repo.git/'), { host: 'github.com', segments: ['acme', 'repo'], isCratesIo: false });
    assert.deepEqual(sourceLocation('https://gitlab.com/Acme/Repo'), { host: 'gitlab.com', segments: ['Acme', 'Repo'], isCratesIo: false });
    assert.equal(sourceLocation('not a url'), undefined);

    const at = (url: string) => sourceLocation(url)!;
    assert.equal(sameLocation(at('https://index.crates.io'), at('https://github.com/rust-lang/crates.io-index.git')), true);
    assert.equal(sameLocation(at('https://example.com/a'), at('http://example.com/a/')), true);
    assert.equal(sameLocation(at('https://example.com/a'), at('https://example.com/a/b')), false);
    assert.equal(underLocation(at('https://example.com/a'), at('https://example.com/a/b')), true);
    assert.equal(underLocation(at('https://example.com/a'), at('https://example.com/ab')), false);
    assert.equal(underLocation(at('https://example.com'), at('https://other.example.com/a')), false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSentinelError } from '../../src/errors.js';
import { canonicalUrl, parseSourceId, referencesSource, sourceKey } from '../../src/workspace/source-id.js';

describe('parseSourceId', () => {
  it('crates.io, in both its index spellings', () => {
    assert.deepEqual(parseSourceId('registry+https://github.com/rust-lang/crates.io-index'), {
      kind: 'registry',
      url: 'https://github.com/rust-lang/crates.io-index',
      isCratesIo: true,
      raw: 'registry+https://github.com/rust-lang/crates.io-index',
    });
    assert.equal(parseSourceId('registry+https://github.com/rust-lang/crates.io-index.git').isCratesIo, true);
    assert.equal(parseSourceId('registry+https://github.com/rust-lang/crates.io-index/').isCratesIo, true);
    assert.equal(parseSourceId('sparse+https://index.crates.io/').isCratesIo, true);
    assert.equal(parseSourceId('sparse+https://index.crates.io').isCratesIo, true);
  });

  it('other registries', () => {
    assert.deepEqual(parseSourceId('sparse+https://cargo.acme.example/index/'), {
      kind: 'sparse',
      url: 'https://cargo.acme.example/index/',
      isCratesIo: false,
      raw: 'sparse+https://cargo.acme.example/index/',
    });
    assert.equal(parseSourceId('registry+https://github.com/rust-lang/crates.io-index-mirror').isCratesIo, false);
    // The sparse crates.io URL is not crates.io when written as a git registry, nor the reverse.
    assert.equal(parseSourceId('registry+https://index.crates.io/').isCratesIo, false);
  });

  it('git sources with each reference kind', () => {
    const raw = 'git+https://git.example.com/acme/ledger-proto.git?tag=v0.7.0#2be5e7a5c65c3f074b5bfa45c92d45754b65fdde';
    assert.deepEqual(parseSourceId(raw), {
      kind: 'git',
      url: 'https://git.example.com/acme/ledger-proto.git',
      reference: { kind: 'tag', value: 'v0.7.0' },
      commit: '2be5e7a5c65c3f074b5bfa45c92d45754b65fdde',
      isCratesIo: false,
      raw,
    });
    const ref = (s: string) => {
      const id = parseSourceId(s);
      return id.kind === 'git' ? [id.reference, id.commit] : undefined;
    };
    assert.deepEqual(ref('git+https://h/r?branch=main#abc'), [{ kind: 'branch', value: 'main' }, 'abc']);
    assert.deepEqual(ref('git+https://h/r?rev=19ab216'), [{ kind: 'rev', value: '19ab216' }, undefined]);
    // `ref=` is old Cargo's spelling of a branch.
    assert.deepEqual(ref('git+https://h/r?ref=dev#abc'), [{ kind: 'branch', value: 'dev' }, 'abc']);
    assert.deepEqual(ref('git+https://h/r#abc'), [undefined, 'abc']);
    // Unknown query keys are ignored, as Cargo does.
    assert.deepEqual(ref('git+https://h/r?foo=bar#abc'), [undefined, 'abc']);
  });

  it('decodes URL-encoded query values (v4), keeping invalid encodings as written', () => {
    const id = parseSourceId('git+https://h/r?tag=a-_%2B%23%24%29z#0123');
    assert.deepEqual(id.kind === 'git' && id.reference, { kind: 'tag', value: 'a-_+#$)z' });
    const bad = parseSourceId('git+https://h/r?branch=100%#0123');
    assert.deepEqual(bad.kind === 'git' && bad.reference, { kind: 'branch', value: '100%' });
  });

  it('rejects kinds Cargo never writes into a lockfile, and empty URLs', () => {
    for (const raw of ['path+file:///src/a', 'directory+file:///vendor', 'local-registry+file:///r', 'https://github.com/x', '']) {
      assert.throws(
        () => parseSourceId(raw, { file: 'Cargo.lock', line: 9 }),
        (e: unknown) =>
          isSentinelError(e) &&
          e.kind === 'input' &&
          e.message === `unsupported source \`${raw}\` (Cargo.lock sources start with \`registry+\`, \`sparse+\` or \`git+\`)` &&
          e.place?.line === 9,
      );
    }
    assert.throws(() => parseSourceId('registry+'), { message: 'malformed source `registry+`: the URL is empty' });
    assert.throws(() => parseSourceId('git+?branch=x'), { message: 'malformed source `git+?branch=x`: the URL is empty' });
    assert.throws(() => parseSourceId('git+https://h/r#'), { message: 'malformed source `git+https://h/r#`: the `#` is not followed by a commit' });
    assert.throws(() => parseSourceId('sparse+https://a b/'), { message: 'malformed source `sparse+https://a b/`: the URL contains white space' });
  });
});

describe('comparing sources', () => {
  it('a dependency reference without a commit designates the package with one', () => {
    const pkg = parseSourceId('git+https://github.com/nushell/reedline?branch=main#e4fe8edf');
    assert.equal(referencesSource(parseSourceId('git+https://github.com/nushell/reedline?branch=main'), pkg), true);
    assert.equal(referencesSource(parseSourceId('git+https://github.com/nushell/reedline?branch=main#e4fe8edf'), pkg), true);
    assert.equal(referencesSource(parseSourceId('git+https://github.com/nushell/reedline?branch=main#00000000'), pkg), false);
    assert.equal(referencesSource(parseSourceId('git+https://github.com/nushell/reedline?branch=dev'), pkg), false);
    assert.equal(referencesSource(parseSourceId('git+https://github.com/nushell/reedline'), pkg), false);
    assert.equal(referencesSource(parseSourceId('git+https://github.com/nushell/reedline'), undefined), false);
  });

  it('an encoded and a plain query value are the same reference', () => {
    const v4 = parseSourceId('git+https://h/r?branch=feat%2Fx#1');
    const v3 = parseSourceId('git+https://h/r?branch=feat/x');
    assert.equal(referencesSource(v3, v4), true);
  });

  it('canonical URLs and source keys', () => {
    assert.equal(canonicalUrl('HTTPS://GitHub.com/Owner/Repo.git/'), 'https://github.com/Owner/Repo');
    assert.equal(sourceKey(undefined), 'path');
    assert.equal(sourceKey(parseSourceId('registry+https://github.com/rust-lang/crates.io-index/')), 'registry+https://github.com/rust-lang/crates.io-index');
    assert.equal(sourceKey(parseSourceId('git+https://h/r.git?tag=v1#abc')), 'git+https://h/r?tag=v1#abc');
    assert.notEqual(sourceKey(parseSourceId('registry+https://h/i')), sourceKey(parseSourceId('sparse+https://h/i')));
  });
});

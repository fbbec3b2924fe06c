import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe as group, it } from 'node:test';
import { findDenyConfig, findDenyExceptions } from '../../../src/policy/deny/discover.js';
import { loadDenyExceptions } from '../../../src/policy/deny/exceptions.js';
import { loadDenyConfig } from '../../../src/policy/deny/load.js';
import { SentinelError } from '../../../src/errors.js';
import { describe, ENV } from './support.js';

group('deny.toml discovery', () => {
  let root: string;
  const at = (...parts: string[]) => path.join(root, ...parts);
  const write = (file: string, text = '') => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'sentinel-deny-'));
    mkdirSync(at('ws', 'crates', 'member'), { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('walks up from the manifest directory; in each directory deny.toml, then .deny.toml, then .cargo/deny.toml', () => {
    const member = at('ws', 'crates', 'member');
    assert.equal(findDenyConfig(member), undefined);

    write(at('deny.toml'));
    assert.equal(findDenyConfig(member), at('deny.toml'));

    write(at('ws', '.cargo', 'deny.toml'));
    assert.equal(findDenyConfig(member), at('ws', '.cargo', 'deny.toml'));

    write(at('ws', '.deny.toml'));
    assert.equal(findDenyConfig(member), at('ws', '.deny.toml'));

    write(at('ws', 'deny.toml'));
    assert.equal(findDenyConfig(member), at('ws', 'deny.toml'));

    // A directory with the name is not a config file.
    mkdirSync(at('ws', 'crates', 'member', 'deny.toml'));
    assert.equal(findDenyConfig(member), at('ws', 'deny.toml'));
  });

  it('--config overrides the search and is relative to the working directory', () => {
    write(at('elsewhere', 'policy.toml'));
    const member = at('ws', 'crates', 'member');
    assert.equal(findDenyConfig(member, { config: 'elsewhere/policy.toml', cwd: root }), at('elsewhere', 'policy.toml'));
    assert.equal(findDenyConfig(member, { config: at('elsewhere', 'policy.toml'), cwd: '/' }), at('elsewhere', 'policy.toml'));
    assert.throws(
      () => findDenyConfig(member, { config: 'missing.toml', cwd: root }),
      (e: unknown) => e instanceof SentinelError && e.kind === 'config' && e.message === `config file ${at('missing.toml')} does not exist`,
    );
  });

  it('no file: the defaults, and a warning that says where the search started', async () => {
    const loaded = await loadDenyConfig(undefined, { ...ENV, searchedFrom: '/work/project' });
    assert.equal(loaded.file, undefined);
    assert.equal(loaded.locations.size, 0);
    assert.deepEqual(describe(loaded.warnings), [
      '-:- no config file found (deny.toml, .deny.toml, .cargo/deny.toml) in /work/project or its parent directories; using the default configuration',
    ]);
    assert.equal(loaded.config.advisories['db-path'], '/opt/cargo/advisory-dbs');
    assert.equal(loaded.config.bans['multiple-versions'], 'warn');
    assert.deepEqual(loaded.config.sources['allow-registry'].map((a) => a.text), ['https://github.com/rust-lang/crates.io-index']);
  });

  it('the exceptions companion is found the same way and holds only `exceptions`', async () => {
    const member = at('ws', 'crates', 'member');
    assert.equal(findDenyExceptions(member), undefined);
    write(at('ws', '.cargo', 'deny.exceptions.toml'), 'exceptions = [{ crate = "ring", allow = ["OpenSSL"] }]\n');
    assert.equal(findDenyExceptions(member), at('ws', '.cargo', 'deny.exceptions.toml'));
    write(at('ws', 'deny.exceptions.toml'), 'exceptions = [\n  { name = "ring", allow = ["ISC"] },\n  { crate = "webpki", allow = ["ISC"] },\n]\n');
    const file = findDenyExceptions(member);
    assert.equal(file, at('ws', 'deny.exceptions.toml'));

    const loaded = await loadDenyExceptions(file!);
    assert.deepEqual(loaded.exceptions.map((e) => [e.spec.text, e.allow.map((a) => a.text)]), [
      ['ring', ['ISC']],
      ['webpki', ['ISC']],
    ]);
    assert.deepEqual(describe(loaded.warnings), ['2:3 `exceptions[0]`: `name` is deprecated; write `crate = "ring"` instead']);

    write(at('bad.exceptions.toml'), 'exceptions = []\nallow = ["MIT"]\n');
    await assert.rejects(loadDenyExceptions(at('bad.exceptions.toml')), (e: unknown) => {
      assert.ok(e instanceof SentinelError);
      assert.deepEqual(describe(e.problems), ['2:1 unknown key `allow`']);
      assert.equal(e.describe(), `${at('bad.exceptions.toml')}:2:1: unknown key \`allow\``);
      return true;
    });
  });
});

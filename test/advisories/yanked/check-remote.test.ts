import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { checkYanked, type YankedCheckOptions } from '../../../src/advisories/yanked/index.js';
import { indexPath } from '../../../src/advisories/yanked/index-path.js';
import { repoRoot } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/git-fixtures.js';
import { cratesIoPackage, fdPackages, SPARSE_ROOT, withIndexServer, writeFileAt, type Route } from './helpers.js';

const remote = (indexUrl: string, extra: Partial<YankedCheckOptions> = {}): YankedCheckOptions => ({
  cargoHome: undefined,
  cacheDir: undefined,
  fetch: true,
  indexUrl,
  timeoutMs: 2_000,
  ...extra,
});

const pins = (packages: { name: string; version: string }[]) => packages.map((p) => `${p.name} ${p.version}`);

/** The 52 crates fd pins that fixtures/sparse-index does not hold (its README lists them). */
const FD_CRATES_NOT_IN_FIXTURE = [
  'bstr', 'cc', 'clap', 'clap_builder', 'clap_complete', 'clap_derive', 'defmt', 'defmt-macros', 'dispatch2',
  'equivalent', 'getrandom', 'globset', 'hashbrown', 'ignore', 'indexmap', 'jiff', 'libc', 'linux-raw-sys', 'log',
  'lscolors', 'nix', 'objc2', 'portable-atomic', 'portable-atomic-util', 'proc-macro2', 'quote', 'regex',
  'regex-automata', 'rustix', 'serde_derive', 'serde_json', 'syn', 'tempfile', 'terminal_size', 'tikv-jemalloc-sys',
  'tikv-jemallocator', 'wasm-encoder', 'wasm-metadata', 'wasmparser', 'winapi', 'windows-sys',
  'windows_aarch64_gnullvm', 'windows_i686_gnu', 'windows_i686_gnullvm', 'windows_i686_msvc', 'windows_x86_64_gnu',
  'wit-bindgen', 'wit-bindgen-core', 'wit-bindgen-rust', 'wit-bindgen-rust-macro', 'wit-component', 'wit-parser',
];

test('fd: none of its pins is yanked; every crate the index lacks is an error, not a pass', async () => {
  await withIndexServer({}, async (server) => {
    const result = await checkYanked(fdPackages(), remote(server.url));
    assert.deepEqual(result.yanked, []);
    assert.deepEqual(result.errors.map((e) => [e.name, e.version, e.reason]), FD_CRATES_NOT_IN_FIXTURE.map((n) => [n, undefined, 'not-in-index']));
    assert.equal(
      result.errors[0]?.message,
      `couldn't check if the package is yanked: not found: no crate named "bstr" in the index (HTTP 404 from ${server.url}bs/tr/bstr)`,
    );
    assert.deepEqual(result.warnings, []);
    // 125 crates.io names (bitflags, hashbrown, nix, windows-sys pinned twice); the path package fd-find is never asked for.
    assert.equal(server.requests.length, 125);
    assert.equal(new Set(server.requests.map((r) => r.path)).size, 125);
    assert.equal(server.requests.some((r) => r.path.endsWith('/fd-find')), false);
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(server.requests[0]?.headers['user-agent'], `cargo-sentinel/${version}`);
    assert.equal(server.requests[0]?.headers['cargo-protocol'], 'version=1');
  });
});

test('yanked versions from the real index data are found; string-compared versions; one request per crate', async () => {
  await withIndexServer({}, async (server) => {
    const gitSerde = { ...cratesIoPackage('serde', '1.0.95'), source: undefined };
    const packages = [
      cratesIoPackage('serde', '1.0.228'),
      cratesIoPackage('serde', '1.0.95'),
      cratesIoPackage('once_cell', '1.20.0'),
      cratesIoPackage('bitflags', '2.12.0'),
      cratesIoPackage('bitflags', '2.11.0'),
      cratesIoPackage('cfg-if', '1.0.4'),
      cratesIoPackage('cfg-if', '1.0.2'),
      cratesIoPackage('crossbeam-channel', '0.5.12'),
      cratesIoPackage('crossbeam-channel', '0.5.15'),
      cratesIoPackage('wasip3', '0.4.0+wasi-0.3.0-rc-2026-01-06'),
      // The index has 0.4.0 only with build metadata: a bare 0.4.0 is not that version.
      cratesIoPackage('wasip3', '0.4.0'),
      cratesIoPackage('serde', '1.0.999'),
      gitSerde,
    ];
    const result = await checkYanked(packages, remote(server.url));
    assert.deepEqual(pins(result.yanked), ['bitflags 2.12.0', 'cfg-if 1.0.2', 'crossbeam-channel 0.5.12', 'once_cell 1.20.0', 'serde 1.0.95']);
    assert.deepEqual(result.errors, [
      {
        name: 'serde',
        version: '1.0.999',
        reason: 'version-not-in-index',
        message: `couldn't check if the package is yanked: serde 1.0.999 is not listed in ${server.url}se/rd/serde`,
      },
      {
        name: 'wasip3',
        version: '0.4.0',
        reason: 'version-not-in-index',
        message: `couldn't check if the package is yanked: wasip3 0.4.0 is not listed in ${server.url}wa/si/wasip3`,
      },
    ]);
    assert.deepEqual(server.requests.map((r) => r.path).sort(), ['/bi/tf/bitflags', '/cf/g-/cfg-if', '/cr/os/crossbeam-channel', '/on/ce/once_cell', '/se/rd/serde', '/wa/si/wasip3']);
    // Same packages in another order: same answer.
    const again = await checkYanked(packages.slice().reverse(), remote(server.url));
    assert.deepEqual(again, result);
  });
});

test('our cache: a second run asks with If-None-Match, gets 304, and answers from the cached copy', async () => {
  const cacheDir = tempDir('sentinel-yank-cache-');
  await withIndexServer({}, async (server) => {
    const packages = [cratesIoPackage('serde', '1.0.95'), cratesIoPackage('cfg-if', '1.0.4')];
    const first = await checkYanked(packages, remote(server.url, { cacheDir }));
    assert.deepEqual(pins(first.yanked), ['serde 1.0.95']);
    assert.deepEqual(first.errors, []);
    const cached = path.join(cacheDir, 'sparse-index', 'se', 'rd', 'serde');
    assert.deepEqual(await readFile(cached), await readFile(path.join(SPARSE_ROOT, 'se/rd/serde')));
    const validator = JSON.parse(await readFile(`${cached}.validator`, 'utf8')) as { url: string; etag: string };
    assert.equal(validator.url, `${server.url}se/rd/serde`);
    assert.match(validator.etag, /^"[0-9a-f]{16}"$/);
    assert.equal(server.requests.every((r) => r.headers['if-none-match'] === undefined), true);

    server.requests.length = 0;
    const second = await checkYanked(packages, remote(server.url, { cacheDir }));
    assert.deepEqual(second, first);
    const serdeRequest = server.requests.find((r) => r.path === '/se/rd/serde');
    assert.equal(serdeRequest?.headers['if-none-match'], validator.etag);
    assert.equal(server.requests.length, 2);
  });
});

test('our cache: Last-Modified is sent back as If-Modified-Since when the server gives no ETag', async () => {
  const cacheDir = tempDir('sentinel-yank-cache-');
  await withIndexServer({ validator: 'last-modified' }, async (server) => {
    const packages = [cratesIoPackage('once_cell', '1.20.0')];
    await checkYanked(packages, remote(server.url, { cacheDir }));
    server.requests.length = 0;
    const second = await checkYanked(packages, remote(server.url, { cacheDir }));
    assert.deepEqual(pins(second.yanked), ['once_cell 1.20.0']);
    assert.equal(server.requests[0]?.headers['if-modified-since'], 'Tue, 14 Jul 2026 10:00:00 GMT');
    assert.equal(server.requests[0]?.headers['if-none-match'], undefined);
  });
});

test('our cache: a corrupt cached copy is not revalidated but downloaded again', async () => {
  const cacheDir = tempDir('sentinel-yank-cache-');
  await withIndexServer({}, async (server) => {
    const cached = path.join(cacheDir, 'sparse-index', 'cf', 'g-', 'cfg-if');
    await writeFileAt(cached, '<html>oops</html>\n');
    await writeFileAt(`${cached}.validator`, JSON.stringify({ url: `${server.url}cf/g-/cfg-if`, etag: '"stale"' }));
    const result = await checkYanked([cratesIoPackage('cfg-if', '1.0.2')], remote(server.url, { cacheDir }));
    assert.deepEqual(pins(result.yanked), ['cfg-if 1.0.2']);
    assert.equal(server.requests[0]?.headers['if-none-match'], undefined);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]?.message ?? '', /^ignored the cached copy .*cfg-if: line 1: /);
    assert.deepEqual(await readFile(cached), await readFile(path.join(SPARSE_ROOT, 'cf/g-/cfg-if')));
  });
});

test('a 404 removes our cached copy, so a later offline run cannot answer from it', async () => {
  const cacheDir = tempDir('sentinel-yank-cache-');
  await withIndexServer({}, async (server) => {
    const cached = path.join(cacheDir, 'sparse-index', 'li', 'bc', 'libc');
    await writeFileAt(cached, '{"name":"libc","vers":"0.2.189","yanked":false}\n');
    const result = await checkYanked([cratesIoPackage('libc', '0.2.189')], remote(server.url, { cacheDir }));
    assert.deepEqual(result.errors.map((e) => e.reason), ['not-in-index']);
    assert.equal(existsSync(cached), false);
  });
});

/** One index line for version 1.0.0 of `name`. */
const line = (name: string, yanked: boolean) => `${JSON.stringify({ name, vers: '1.0.0', deps: [], yanked })}\n`;

/** Crates whose index path misbehaves in one way each, as a proxy or a broken mirror might. */
function failureRoutes(): Record<string, Route> {
  const at = (name: string) => `/${indexPath(name)}`;
  return {
    [at('five-hundred')]: (_req, res) => void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
    [at('never-answers')]: () => {
      // No response at all: only the client's deadline ends this.
    },
    [at('trickles')]: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    },
    [at('truncated')]: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 1000 });
      res.write(line('truncated', false), () => res.destroy());
    },
    [at('announced-huge')]: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 10 * 1024 * 1024 });
      res.write('x'.repeat(1024));
    },
    [at('endless')]: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = line('endless', false).repeat(200);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    },
    [at('loops')]: (_req, res) => void res.writeHead(302, { location: at('loops') }).end(),
    [at('html-page')]: (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><p>Sign in</p>'),
    [at('html-as-text')]: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('<!doctype html>\n<p>Sign in</p>\n'),
    [at('moved')]: (_req, res) => void res.writeHead(301, { location: '/elsewhere/moved' }).end(),
    '/elsewhere/moved': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(line('moved', true)),
  };
}

test('each way a server can fail ends as a per-crate error within the deadline', async () => {
  const timeoutMs = 300;
  await withIndexServer({ routes: failureRoutes() }, async (server) => {
    const names = ['five-hundred', 'never-answers', 'trickles', 'truncated', 'announced-huge', 'endless', 'loops', 'html-page', 'html-as-text', 'moved', 'not-there'];
    const started = Date.now();
    const result = await checkYanked(
      names.map((n) => cratesIoPackage(n, '1.0.0')),
      remote(server.url, { timeoutMs, maxBodyBytes: 64 * 1024, maxRedirects: 3 }),
    );
    const elapsed = Date.now() - started;
    assert.deepEqual(pins(result.yanked), ['moved 1.0.0']);
    const url = (n: string) => `${server.url}${indexPath(n)}`;
    const expected: Array<[string, string, RegExp]> = [
      ['announced-huge', 'fetch-failed', new RegExp(`^${esc(url('announced-huge'))} announced 10485760 bytes, more than the limit of 65536$`)],
      ['endless', 'fetch-failed', new RegExp(`^${esc(url('endless'))} sent more than 65536 bytes$`)],
      ['five-hundred', 'fetch-failed', new RegExp(`^${esc(url('five-hundred'))} answered HTTP 500 Internal Server Error$`)],
      ['html-as-text', 'invalid-index-file', new RegExp(`^${esc(url('html-as-text'))} did not send an index file \\(line 1: .+\\)$`)],
      ['html-page', 'fetch-failed', new RegExp(`^${esc(url('html-page'))} sent text/html; charset=utf-8, not an index file$`)],
      ['loops', 'fetch-failed', new RegExp(`^more than 3 redirects \\(last from ${esc(url('loops'))}\\)$`)],
      ['never-answers', 'fetch-failed', new RegExp(`^no complete answer from ${esc(url('never-answers'))} within 300 ms$`)],
      ['not-there', 'not-in-index', new RegExp(`^not found: no crate named "not-there" in the index \\(HTTP 404 from ${esc(url('not-there'))}\\)$`)],
      ['trickles', 'fetch-failed', new RegExp(`^no complete answer from ${esc(url('trickles'))} within 300 ms$`)],
      ['truncated', 'fetch-failed', new RegExp(`^the body from ${esc(url('truncated'))} broke off after ${Buffer.byteLength(line('truncated', false))} of 1000 bytes: terminated \\(other side closed\\)$`)],
    ];
    assert.deepEqual(result.errors.map((e) => [e.name, e.version, e.reason]), expected.map(([n, r]) => [n, undefined, r]));
    result.errors.forEach((e, i) => {
      const prefix = "couldn't check if the package is yanked: ";
      assert.ok(e.message.startsWith(prefix), e.message);
      assert.match(e.message.slice(prefix.length), expected[i]![2]);
    });
    assert.equal(server.requests.filter((r) => r.path === `/${indexPath('loops')}`).length, 4);
    // All run at once (concurrency 8 > 11 / 2), so the whole run is bounded by about one deadline.
    assert.ok(elapsed < timeoutMs * 2 + 500, `took ${elapsed} ms`);
  });
});

test('an unreachable index is a per-crate error naming the cause', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const result = await checkYanked([cratesIoPackage('serde', '1.0.95')], remote(`http://127.0.0.1:${port}/`));
  assert.deepEqual(result.yanked, []);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]?.reason, 'fetch-failed');
  assert.match(result.errors[0]?.message ?? '', /request to http:\/\/127\.0\.0\.1:\d+\/se\/rd\/serde failed: fetch failed \(connect ECONNREFUSED/);
});

test('concurrency: the server never sees more requests at once than the bound', async () => {
  await withIndexServer({ delayMs: 8 }, async (server) => {
    await checkYanked(fdPackages(), remote(server.url, { concurrency: 4 }));
    assert.equal(server.requests.length, 125);
    assert.equal(server.maxInFlight(), 4);
  });
});

test('bad options are config errors', async () => {
  await assert.rejects(checkYanked([], remote('ftp://example.org/')), { kind: 'config', message: 'index URL must be http(s): ftp://example.org/' });
  await assert.rejects(checkYanked([], remote('http://127.0.0.1/', { concurrency: 0 })), { kind: 'config' });
  await assert.rejects(checkYanked([], remote('http://127.0.0.1/', { timeoutMs: 0 })), { kind: 'config' });
});

test('a sparse+ index URL without a trailing slash still joins paths under it', async () => {
  const routes: Record<string, Route> = { '/mirror/cf/g-/cfg-if': (_req, res) => void res.writeHead(200).end(readFileSync(path.join(SPARSE_ROOT, 'cf/g-/cfg-if'))) };
  await withIndexServer({ routes }, async (server) => {
    const result = await checkYanked([cratesIoPackage('cfg-if', '1.0.2')], remote(`sparse+${server.url}mirror`));
    assert.deepEqual(pins(result.yanked), ['cfg-if 1.0.2']);
  });
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

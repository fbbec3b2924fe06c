/**
 * Test helpers for the yanked lookups: a local sparse-index server over
 * fixtures/sparse-index, cargo's `.cache` format written the way cargo writes
 * it, and the fd lockfile read into LockPackages.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, mkdir, writeFile, utimes } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'smol-toml';
import type { LockPackage, SourceId } from '../../../src/workspace/types.js';
import { fixture } from '../../helpers/paths.js';

export const SPARSE_ROOT = fixture('sparse-index');

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface IndexServer {
  /** Base URL ending in `/`. */
  url: string;
  requests: SeenRequest[];
  /** The most requests the server ever had open at once. */
  maxInFlight: () => number;
  close: () => Promise<void>;
}

export interface ServerOptions {
  /** Handlers for exact paths (e.g. `/se/rd/serde`), taking precedence over files. */
  routes?: Record<string, Route>;
  /** Hold every file response this long, so overlapping requests can be observed. */
  delayMs?: number;
  /** Which validator file responses carry; crates.io sends an ETag. */
  validator?: 'etag' | 'last-modified';
}

/** Serves fixtures/sparse-index as index.crates.io does: files as text/plain, 404 for unknown crates, 304 for a matching validator. */
export async function startIndexServer(options: ServerOptions = {}): Promise<IndexServer> {
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path: urlPath, headers: req.headers });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // 'finish' comes before the client can have read the end of the body; 'close' covers aborted requests.
    let done = false;
    const settle = () => {
      if (!done) inFlight -= 1;
      done = true;
    };
    res.once('finish', settle);
    res.once('close', settle);
    const route = options.routes?.[urlPath];
    if (route) return route(req, res);
    setTimeout(() => void serveFile(urlPath, req, res, options.validator ?? 'etag'), options.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serveFile(urlPath: string, req: http.IncomingMessage, res: http.ServerResponse, validator: 'etag' | 'last-modified') {
  const file = path.join(SPARSE_ROOT, ...urlPath.split('/').filter((s) => s !== '' && s !== '..'));
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  const lastModified = 'Tue, 14 Jul 2026 10:00:00 GMT';
  const headers = validator === 'etag' ? { etag } : { 'last-modified': lastModified };
  const fresh = validator === 'etag' ? req.headers['if-none-match'] === etag : req.headers['if-modified-since'] === lastModified;
  if (fresh) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length, ...headers }).end(body);
}

/** Runs `fn` against a fresh server and always closes it. */
export async function withIndexServer<T>(options: ServerOptions, fn: (server: IndexServer) => Promise<T>): Promise<T> {
  const server = await startIndexServer(options);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** The raw lines of a fixture index file. */
export function fixtureLines(relative: string): string[] {
  return readFileSync(path.join(SPARSE_ROOT, relative), 'utf8').split('\n').filter((l) => l !== '');
}

/**
 * A `.cache` file as cargo writes it (cache version 3, index schema 2):
 * header, NUL, then `version NUL json NUL` for each line. The version key is
 * cut out of the text (not parsed) so broken lines can be written too.
 */
export function cargoCacheBytes(indexVersion: string, lines: readonly string[], cacheVersion = 3): Buffer {
  const schema = Buffer.alloc(4);
  schema.writeUInt32LE(2);
  const parts: Buffer[] = [Buffer.from([cacheVersion]), schema, Buffer.from(indexVersion), Buffer.from([0])];
  for (const line of lines) {
    const vers = /"vers":"([^"]+)"/.exec(line)?.[1] ?? '0.0.0';
    parts.push(Buffer.from(vers), Buffer.from([0]), Buffer.from(line), Buffer.from([0]));
  }
  return Buffer.concat(parts);
}

/** Writes a file, creating its directories, with a chosen modification time (seconds since the epoch) when given. */
export async function writeFileAt(file: string, data: Buffer | string, mtimeSeconds?: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
  if (mtimeSeconds !== undefined) await utimes(file, mtimeSeconds, mtimeSeconds);
}

const CRATES_IO_GIT = 'registry+https://github.com/rust-lang/crates.io-index';

export const cratesIoSource: SourceId = {
  kind: 'registry',
  url: 'https://github.com/rust-lang/crates.io-index',
  isCratesIo: true,
  raw: CRATES_IO_GIT,
};

/** A crates.io package as the lockfile reader would produce it. */
export function cratesIoPackage(name: string, version: string, line = 1): LockPackage {
  return { id: `${name}@${version}`, name, version, source: cratesIoSource, checksum: undefined, dependencies: [], line };
}

/** corpus/fd's Cargo.lock as LockPackages (only the fields the yanked check reads are exact). */
export function fdPackages(): LockPackage[] {
  const text = readFileSync(fixture('corpus', 'fd', 'Cargo.lock'), 'utf8');
  const headerLines = text.split('\n').flatMap((l, i) => (l.trim() === '[[package]]' ? [i + 1] : []));
  const doc = parse(text) as { package: Array<{ name: string; version: string; source?: string; checksum?: string }> };
  return doc.package.map((p, i) => {
    const pkg = cratesIoPackage(p.name, p.version, headerLines[i] ?? 0);
    if (p.source === undefined) return { ...pkg, source: undefined };
    if (p.source !== CRATES_IO_GIT) throw new Error(`unexpected source in fd's lockfile: ${p.source}`);
    return { ...pkg, checksum: p.checksum };
  });
}

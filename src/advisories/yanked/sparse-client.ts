/**
 * One index file from a sparse index (RFC 2789) over HTTP, with every
 * resource bounded: one deadline for the whole exchange (redirects and body
 * included), a body size cap enforced while streaming, and a redirect limit.
 * Never throws: every way a request can go wrong comes back as a value.
 */

export interface IndexFileRequest {
  url: string;
  userAgent: string;
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  /** Validators of a copy we already hold, for a conditional request. */
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export type IndexFileResponse =
  | { kind: 'ok'; body: Buffer; etag: string | undefined; lastModified: string | undefined }
  | { kind: 'not-modified' }
  | { kind: 'not-found'; status: number }
  | { kind: 'failed'; message: string };

/** What the sparse protocol treats as "no such crate" (cargo's `http_remote.rs` does the same). */
const NOT_FOUND = new Set([404, 410, 451]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);

class Deadline extends Error {}
class TooLarge extends Error {}

export async function fetchIndexFile(request: IndexFileRequest): Promise<IndexFileResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Deadline()), request.timeoutMs);
  let url = request.url;
  try {
    for (let redirects = 0; ; redirects += 1) {
      const response = await fetch(url, { headers: headersFor(request), redirect: 'manual', signal: controller.signal });
      const { status } = response;
      if (REDIRECT.has(status)) {
        await discard(response);
        if (redirects >= request.maxRedirects) return failed(`more than ${request.maxRedirects} redirects (last from ${url})`);
        const next = redirectTarget(url, response.headers.get('location'));
        if (typeof next !== 'string') return failed(next.problem);
        url = next;
        continue;
      }
      if (status === 304) {
        await discard(response);
        if (request.etag === undefined && request.lastModified === undefined) {
          return failed(`${url} answered 304 Not Modified to a request that had no validators`);
        }
        return { kind: 'not-modified' };
      }
      if (NOT_FOUND.has(status)) {
        await discard(response);
        return { kind: 'not-found', status };
      }
      if (status !== 200) {
        await discard(response);
        return failed(`${url} answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`);
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (/html/i.test(contentType)) {
        await discard(response);
        return failed(`${url} sent ${contentType}, not an index file`);
      }
      const body = await readBody(response, url, request.maxBodyBytes, controller);
      if (typeof body !== 'string') {
        return { kind: 'ok', body, etag: header(response, 'etag'), lastModified: header(response, 'last-modified') };
      }
      return failed(body);
    }
  } catch (e) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof Deadline) return failed(`no complete answer from ${url} within ${request.timeoutMs} ms`);
    if (reason instanceof TooLarge) return failed(`${url} sent more than ${request.maxBodyBytes} bytes`);
    return failed(`request to ${url} failed: ${describe(e)}`);
  } finally {
    clearTimeout(timer);
  }
}

function headersFor(request: IndexFileRequest): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': request.userAgent,
    accept: 'text/plain',
    // Lets the server tell sparse-protocol clients from browsers, as cargo does.
    'cargo-protocol': 'version=1',
  };
  if (request.etag !== undefined) headers['if-none-match'] = request.etag;
  if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified;
  return headers;
}

function redirectTarget(from: string, location: string | null): string | { problem: string } {
  if (location === null) return { problem: `${from} redirected without a Location header` };
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return { problem: `${from} redirected to an invalid URL: ${location}` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { problem: `${from} redirected to an unsupported URL: ${target.href}` };
  }
  return target.href;
}

/**
 * Streams the body, aborting the request as soon as it passes `maxBytes`, so an
 * endless or huge answer costs at most the cap in memory. The declared length
 * is checked first so an announced oversize body is refused without reading it.
 */
async function readBody(
  response: Response,
  url: string,
  maxBytes: number,
  controller: AbortController,
): Promise<Buffer | string> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared > maxBytes) {
    controller.abort(new TooLarge());
    return `${url} announced ${declared} bytes, more than the limit of ${maxBytes}`;
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > maxBytes) {
        controller.abort(new TooLarge());
        return `${url} sent more than ${maxBytes} bytes`;
      }
      chunks.push(value);
    }
  } catch (e) {
    if (controller.signal.aborted) throw e;
    const of = declared === undefined ? '' : ` of ${declared}`;
    return `the body from ${url} broke off after ${received}${of} bytes: ${describe(e)}`;
  }
  if (declared !== undefined && received !== declared) {
    return `the body from ${url} has ${received} bytes but ${declared} were announced`;
  }
  return Buffer.concat(chunks);
}

/** The declared length only describes what we read when the body is not content-encoded. */
function declaredLength(response: Response): number | undefined {
  if (response.headers.get('content-encoding')) return undefined;
  const raw = response.headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function header(response: Response, name: string): string | undefined {
  return response.headers.get(name) ?? undefined;
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body is unwanted; failing to drain it changes nothing.
  }
}

/** undici wraps the useful part ("connect ECONNREFUSED …", "other side closed") in `cause`. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause && cause !== e.message ? `${e.message} (${cause})` : e.message;
}

const failed = (message: string): IndexFileResponse => ({ kind: 'failed', message });

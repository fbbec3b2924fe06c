/**
 * One advisory file of the RustSec database: ```` ```toml ```` front matter
 * (`[advisory]`, `[versions]`, optional `[affected]`), then `# Title`, then the
 * Markdown description. Parsing is strict where a mistake would change what
 * matches (versions, ids, names) and rejects what RustSec rejects, so the
 * database loader can skip one bad file with a warning.
 */
import { smolToml } from '../toml/smol.js';
import { operationalError } from '../errors.js';
import { parseSourceId } from '../workspace/source-id.js';
import { CvssError, scoreCvss } from './cvss.js';
import type { Advisory, AdvisoryAffected, AdvisoryMetadata, AdvisoryVersions, Collection, CvssScore } from './types.js';
import { affectedRanges, RequirementError } from './version-range.js';

const FENCE_OPEN = '```toml';
const FENCE_CLOSE = '\n```';
/** Drafts carry this id; they are checked but never part of the database. */
export const PLACEHOLDER_ID = 'RUSTSEC-0000-0000';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_IN_ID = /^(?:RUSTSEC|CVE|TALOS)-(\d{4})-\d+$/;
const FUNCTION_SEGMENT = /^[A-Za-z_<>,][A-Za-z0-9_<>,]*$/;
/** RUSTSEC-, CVE-, GHSA- and TALOS- ids all fit; the id is a file name and gets printed, so nothing else does. */
const ID_CHARS = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Crate names and the `rust/` components (std, cargo, rustdoc). */
const PACKAGE_CHARS = /^[A-Za-z0-9_-]+$/;
/**
 * Never in an advisory: C0 controls but tab and line ends, DEL, C1 controls,
 * and the bidirectional overrides and isolates. Printed, they would move the
 * cursor, recolour or rewrite a terminal, or reorder what a reader sees.
 */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** The same in a TOML string, where escapes can spell them; a one-line value has no business with tabs or newlines either. */
const CONTROL_IN_VALUE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

type Table = Record<string, unknown>;

/** Thrown inside this module and turned into a SentinelError carrying the file. */
class FormatError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  /** Scores a CVSS vector; the database loader passes one that remembers repeated vectors. */
  scoreCvss?: (vector: string) => CvssScore;
}

/**
 * Parses the text of `relPath` (relative to the database root, `/`-separated,
 * e.g. `crates/base64/RUSTSEC-2017-0004.md`). Throws an operational
 * SentinelError naming the file when the advisory is malformed.
 */
export function parseAdvisory(text: string, relPath: string, options: ParseOptions = {}): Advisory {
  try {
    return parseParts(text, relPath, options.scoreCvss ?? scoreCvss);
  } catch (e) {
    const known = e instanceof FormatError || e instanceof RequirementError || e instanceof CvssError;
    if (!known) throw e;
    const line = e instanceof FormatError ? e.line : undefined;
    throw operationalError(`malformed advisory: ${e.message}`, { file: relPath, line }, e);
  }
}

interface Place {
  collection: Collection;
  packageDir: string;
  fileName: string;
}

function placeOf(relPath: string): Place {
  const [collection, packageDir, fileName, extra] = relPath.split('/');
  if (collection !== 'crates' && collection !== 'rust') {
    throw new FormatError('an advisory must live under crates/ or rust/');
  }
  if (!packageDir || !fileName || extra !== undefined) {
    throw new FormatError(`expected ${collection}/<package>/<id>.md`);
  }
  if (!fileName.endsWith('.md')) throw new FormatError('an advisory file name must end in .md');
  return { collection, packageDir, fileName };
}

function parseParts(text: string, relPath: string, score: (vector: string) => CvssScore): Advisory {
  const place = placeOf(relPath);
  const { frontMatter, frontMatterLine, title, description } = splitFile(text);
  const toml = parseToml(frontMatter, frontMatterLine);
  const advisoryTable = table(toml, 'advisory', true)!;
  const metadata = parseMetadata(advisoryTable, place, title, description);
  const versions = parseVersions(table(toml, 'versions', true)!);
  const affectedTable = table(toml, 'affected', false);
  const affected = affectedTable === undefined ? null : parseAffected(affectedTable);
  return {
    metadata,
    versions,
    affected,
    ranges: affectedRanges(versions.patched, versions.unaffected),
    severity: metadata.cvss === null ? null : score(metadata.cvss),
    path: relPath,
  };
}

interface FileParts {
  frontMatter: string;
  /** 1-based line of the file where `frontMatter` starts. */
  frontMatterLine: number;
  title: string;
  description: string;
}

function splitFile(text: string): FileParts {
  const control = CONTROL_IN_TEXT.exec(text);
  if (control) throw new FormatError(`control character ${codePoint(control[0])} in the file`, 1 + countNewlines(text.slice(0, control.index)));
  if (!text.startsWith(FENCE_OPEN)) throw new FormatError('the file must start with ```toml', 1);
  const close = text.indexOf(FENCE_CLOSE, FENCE_OPEN.length);
  if (close < 0) throw new FormatError('the ```toml front matter is never closed');
  const raw = text.slice(FENCE_OPEN.length, close);
  const leading = raw.length - raw.trimStart().length;
  const frontMatterLine = 1 + countNewlines(raw.slice(0, leading));
  const markdown = text.slice(close + FENCE_CLOSE.length).trimStart();
  if (!markdown.startsWith('# ')) throw new FormatError('expected a "# Title" line after the front matter');
  const newline = markdown.indexOf('\n');
  if (newline < 0) throw new FormatError('no Markdown body after the title');
  return {
    frontMatter: raw.trim(),
    frontMatterLine,
    title: markdown.slice(2, newline).trimEnd(),
    description: markdown.slice(newline + 1).trim(),
  };
}

const countNewlines = (s: string): number => s.split('\n').length - 1;
const codePoint = (c: string): string => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

function parseToml(frontMatter: string, firstLine: number): Table {
  // The V4 format leaves out the `[advisory]` header.
  const v4 = !frontMatter.startsWith('[advisory]');
  const source = v4 ? `[advisory]\n${frontMatter}` : frontMatter;
  try {
    return smolToml().parse(source) as Table;
  } catch (e) {
    if (!(e instanceof smolToml().TomlError)) throw e;
    const line = firstLine + e.line - 1 - (v4 ? 1 : 0);
    const reason = e.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '');
    throw new FormatError(`invalid TOML: ${reason}`, line);
  }
}

function table(parent: Table, key: string, required: boolean): Table | undefined {
  const value = parent[key];
  if (value === undefined) {
    if (required) throw new FormatError(`missing [${key}] table`);
    return undefined;
  }
  if (!isTable(value)) throw new FormatError(`[${key}] must be a table`);
  return value;
}

const isTable = (value: unknown): value is Table =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function parseMetadata(t: Table, place: Place, title: string, description: string): AdvisoryMetadata {
  for (const key of ['title', 'description', 'collection']) {
    if (key in t) throw new FormatError(`\`${key}\` must not be set in the front matter`);
  }
  const id = requiredString(t, 'id');
  checkId(id, place.fileName);
  const pkg = requiredString(t, 'package');
  if (!PACKAGE_CHARS.test(pkg)) throw new FormatError('`package` must be a crate name (letters, digits, `-` and `_`)');
  if (pkg !== place.packageDir) {
    throw new FormatError(`package "${pkg}" does not match its directory "${place.packageDir}"`);
  }
  return {
    id,
    package: pkg,
    title,
    description,
    date: date(t, 'date', true)!,
    aliases: stringList(t, 'aliases'),
    related: stringList(t, 'related'),
    collection: place.collection,
    categories: stringList(t, 'categories'),
    keywords: stringList(t, 'keywords'),
    cvss: optionalString(t, 'cvss'),
    informational: optionalString(t, 'informational'),
    references: stringList(t, 'references').map((url) => checkUrl(url, 'references')),
    source: nullableMap(optionalString(t, 'source'), checkSource),
    url: nullableMap(optionalString(t, 'url'), (url) => checkUrl(url, 'url')),
    withdrawn: date(t, 'withdrawn', false),
    license: optionalString(t, 'license') ?? 'CC0-1.0',
    'expect-deleted': optionalBoolean(t, 'expect-deleted') ?? false,
  };
}

function checkId(id: string, fileName: string): void {
  if (!ID_CHARS.test(id)) throw new FormatError('`id` must be letters, digits, `-`, `_` and `.`, such as RUSTSEC-2019-0036');
  const year = YEAR_IN_ID.exec(id)?.[1];
  if (year !== undefined && id !== PLACEHOLDER_ID && (Number(year) < 2000 || Number(year) > 2100)) {
    throw new FormatError(`id "${id}" has an impossible year`);
  }
  if (id.startsWith('RUSTSEC-') && !/^RUSTSEC-\d{4}-\d{4,}$/.test(id)) {
    throw new FormatError(`id "${id}" is not of the form RUSTSEC-YYYY-NNNN`);
  }
  if (fileName !== `${id}.md` && fileName !== `${PLACEHOLDER_ID}.md`) {
    throw new FormatError(`id "${id}" does not match the file name "${fileName}"`);
  }
}

function parseVersions(t: Table): AdvisoryVersions {
  if (!('patched' in t)) throw new FormatError('[versions] must have `patched` (an empty list if nothing is fixed)');
  return { patched: stringList(t, 'patched', 'versions'), unaffected: stringList(t, 'unaffected', 'versions') };
}

function parseAffected(t: Table): AdvisoryAffected {
  const functions: Record<string, string[]> = {};
  const raw = t.functions ?? {};
  if (!isTable(raw)) throw new FormatError('[affected] `functions` must be a table');
  for (const path of Object.keys(raw)) {
    checkFunctionPath(path);
    functions[path] = stringList(raw, path, 'affected.functions');
  }
  return { arch: stringList(t, 'arch', 'affected'), os: stringList(t, 'os', 'affected'), functions };
}

function checkFunctionPath(path: string): void {
  const segments = path.split('::');
  if (segments.length < 2 || !segments.every((s) => FUNCTION_SEGMENT.test(s))) {
    throw new FormatError(`invalid function path "${path}" in [affected.functions]`);
  }
}

function requiredString(t: Table, key: string): string {
  const value = optionalString(t, key);
  if (value === null || value === '') throw new FormatError(`[advisory] must have a non-empty \`${key}\``);
  return value;
}

function optionalString(t: Table, key: string): string | null {
  const value = t[key];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new FormatError(`\`${key}\` must be a string`);
  return checkPrintable(value, key);
}

function optionalBoolean(t: Table, key: string): boolean | null {
  const value = t[key];
  if (value === undefined) return null;
  if (typeof value !== 'boolean') throw new FormatError(`\`${key}\` must be true or false`);
  return value;
}

function stringList(t: Table, key: string, tableName = 'advisory'): string[] {
  const value = t[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((x): x is string => typeof x === 'string')) {
    throw new FormatError(`[${tableName}] \`${key}\` must be a list of strings`);
  }
  for (const item of value) checkPrintable(item, key);
  return value;
}

function checkPrintable(value: string, key: string): string {
  const control = CONTROL_IN_VALUE.exec(value);
  if (control) throw new FormatError(`\`${key}\` holds the control character ${codePoint(control[0])}`);
  return value;
}

function date(t: Table, key: string, required: boolean): string | null {
  const value = optionalString(t, key);
  if (value === null) {
    if (required) throw new FormatError(`[advisory] must have a \`${key}\``);
    return null;
  }
  const m = DATE.exec(value);
  const [month, day] = [Number(m?.[2]), Number(m?.[3])];
  if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new FormatError(`\`${key}\` must be a date written "YYYY-MM-DD", not "${value}"`);
  }
  return value;
}

function checkSource(source: string): string {
  try {
    parseSourceId(source);
  } catch (e) {
    throw new FormatError(`\`source\` is not a Cargo source id: ${(e as Error).message}`);
  }
  return source;
}

function checkUrl(url: string, key: string): string {
  if (!URL.canParse(url)) throw new FormatError(`\`${key}\` has an invalid URL "${url}"`);
  return url;
}

const nullableMap = <T, U>(value: T | null, f: (v: T) => U): U | null => (value === null ? null : f(value));

/**
 * The compiled advisory index, as bytes. Loading it is on every run's path, so
 * it is laid out to be read without parsing what a run does not touch:
 *
 *   <header JSON>\n<index JSON>\n<details>
 *
 * The header names the format, the commit and the byte lengths (a truncated
 * file is caught before anything is parsed). The index holds, per advisory,
 * only what matching needs (id, package, collection, informational, withdrawn,
 * source, CVSS score, compiled ranges) as a flat tuple. Everything else
 * (title, description, date, lists, `[versions]`, `[affected]`) is one JSON
 * object per advisory, concatenated; each is decoded and parsed only when a
 * reporter first reads one of its fields. The objects handed out read their
 * fields straight from the tuple, so building 1,200 of them costs next to nothing.
 */
import type {
  Advisory,
  AdvisoryAffected,
  AdvisoryMetadata,
  AdvisoryVersions,
  AdvisoryWarning,
  AffectedRange,
  Collection,
  CvssScore,
  Informational,
} from './types.js';

/** Bump whenever the layout or the meaning of a parsed field changes. */
export const INDEX_FORMAT = 1;

export interface IndexHeader {
  format: number;
  commit: string;
  commitDate: string | null;
  advisoryCount: number;
  indexBytes: number;
  detailsBytes: number;
}

type Details = Omit<AdvisoryMetadata, 'id' | 'package' | 'collection' | 'informational' | 'withdrawn' | 'source'> & {
  versions: AdvisoryVersions;
  affected: AdvisoryAffected | null;
};

type Entry = [
  id: string,
  pkg: string,
  collection: Collection,
  informational: Informational | null,
  withdrawn: string | null,
  source: string | null,
  severity: CvssScore | null,
  /** introduced, fixed, introduced, fixed, …; null for an open end */
  ranges: (string | null)[],
  detailsStart: number,
  detailsEnd: number,
];
const ENTRY_LENGTH = 10;

export function encodeIndex(
  advisories: readonly Advisory[],
  warnings: readonly AdvisoryWarning[],
  commit: string,
  commitDate: string | null,
): Buffer {
  const details: Buffer[] = [];
  const entries: Entry[] = [];
  let offset = 0;
  for (const a of advisories) {
    const bytes = Buffer.from(JSON.stringify(detailsOf(a)), 'utf8');
    details.push(bytes);
    entries.push(entryOf(a, offset, offset + bytes.length));
    offset += bytes.length;
  }
  const index = Buffer.from(JSON.stringify({ warnings, entries }), 'utf8');
  const header: IndexHeader = {
    format: INDEX_FORMAT,
    commit,
    commitDate,
    advisoryCount: advisories.length,
    indexBytes: index.length,
    detailsBytes: offset,
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), index, Buffer.from('\n'), ...details]);
}

/** Field by field, so that it also works on an advisory whose fields are getters. */
function detailsOf(a: Advisory): Details {
  const m = a.metadata;
  return {
    title: m.title, description: m.description, date: m.date, aliases: m.aliases, related: m.related,
    categories: m.categories, keywords: m.keywords, cvss: m.cvss, references: m.references, url: m.url,
    license: m.license, 'expect-deleted': m['expect-deleted'], versions: a.versions, affected: a.affected,
  };
}

function entryOf(a: Advisory, detailsStart: number, detailsEnd: number): Entry {
  const m = a.metadata;
  const ranges = a.ranges.flatMap((r) => [r.introduced ?? null, r.fixed ?? null]);
  return [m.id, m.package, m.collection, m.informational, m.withdrawn, m.source, a.severity, ranges, detailsStart, detailsEnd];
}

export class IndexFormatError extends Error {}

/** Reads only the header line; undefined unless it describes exactly these bytes. */
/** `totalLength`: the whole file's size, when `bytes` holds only its beginning. */
export function decodeHeader(bytes: Buffer, totalLength: number = bytes.length): IndexHeader | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(bytes.toString('utf8', 0, newline)) as Partial<IndexHeader>;
    const ok =
      typeof header.format === 'number' && typeof header.commit === 'string' &&
      typeof header.indexBytes === 'number' && typeof header.detailsBytes === 'number' &&
      typeof header.advisoryCount === 'number' &&
      newline + 1 + header.indexBytes + 1 + header.detailsBytes === totalLength;
    return ok ? (header as IndexHeader) : undefined;
  } catch {
    return undefined;
  }
}

/** Throws an IndexFormatError when the index part is not what encodeIndex wrote. */
export function decodeIndex(bytes: Buffer, header: IndexHeader): { advisories: Advisory[]; warnings: AdvisoryWarning[] } {
  const indexStart = bytes.indexOf(0x0a) + 1;
  let parsed: { warnings?: unknown; entries?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8', indexStart, indexStart + header.indexBytes)) as typeof parsed;
  } catch (e) {
    throw new IndexFormatError(`unreadable index: ${(e as Error).message}`);
  }
  const { warnings, entries } = parsed;
  if (!Array.isArray(warnings) || !Array.isArray(entries) || entries.length !== header.advisoryCount) {
    throw new IndexFormatError('index does not match its header');
  }
  const details = bytes.subarray(indexStart + header.indexBytes + 1);
  const advisories = entries.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== ENTRY_LENGTH) throw new IndexFormatError('malformed index entry');
    return new IndexedAdvisory(entry as Entry, details);
  });
  return { advisories, warnings: warnings as AdvisoryWarning[] };
}

/** An Advisory read from the index; what matching does not need is parsed on first use. */
class IndexedAdvisory implements Advisory {
  readonly metadata: IndexedMetadata;
  readonly #entry: Entry;
  readonly #detailBytes: Buffer;
  #details: Details | undefined;
  #ranges: AffectedRange[] | undefined;

  constructor(entry: Entry, detailBytes: Buffer) {
    this.#entry = entry;
    this.#detailBytes = detailBytes;
    this.metadata = new IndexedMetadata(entry, this);
  }

  details(): Details {
    if (this.#details) return this.#details;
    const [id, pkg, , , , , , , start, end] = this.#entry;
    try {
      this.#details = JSON.parse(this.#detailBytes.toString('utf8', start, end)) as Details;
    } catch (e) {
      throw new IndexFormatError(`compiled advisory index is corrupt at ${id} (${pkg}): ${(e as Error).message}`);
    }
    return this.#details;
  }

  get ranges(): AffectedRange[] { return (this.#ranges ??= rangesOf(this.#entry[7])); }
  get severity(): CvssScore | null { return this.#entry[6]; }
  get path(): string { return `${this.#entry[2]}/${this.#entry[1]}/${this.#entry[0]}.md`; }
  get versions(): AdvisoryVersions { return this.details().versions; }
  get affected(): AdvisoryAffected | null { return this.details().affected; }

  /** The getters live on the prototype; this makes JSON.stringify see every field. */
  toJSON(): Advisory {
    const { metadata, versions, affected, ranges, severity, path } = this;
    return { metadata: metadata.toJSON(), versions, affected, ranges, severity, path };
  }
}

class IndexedMetadata implements AdvisoryMetadata {
  readonly #entry: Entry;
  readonly #advisory: IndexedAdvisory;

  constructor(entry: Entry, advisory: IndexedAdvisory) {
    this.#entry = entry;
    this.#advisory = advisory;
  }

  get id(): string { return this.#entry[0]; }
  get package(): string { return this.#entry[1]; }
  get collection(): Collection { return this.#entry[2]; }
  get informational(): Informational | null { return this.#entry[3]; }
  get withdrawn(): string | null { return this.#entry[4]; }
  get source(): string | null { return this.#entry[5]; }
  get title(): string { return this.#advisory.details().title; }
  get description(): string { return this.#advisory.details().description; }
  get date(): string { return this.#advisory.details().date; }
  get aliases(): string[] { return this.#advisory.details().aliases; }
  get related(): string[] { return this.#advisory.details().related; }
  get categories(): string[] { return this.#advisory.details().categories; }
  get keywords(): string[] { return this.#advisory.details().keywords; }
  get cvss(): string | null { return this.#advisory.details().cvss; }
  get references(): string[] { return this.#advisory.details().references; }
  get url(): string | null { return this.#advisory.details().url; }
  get license(): string { return this.#advisory.details().license; }
  get 'expect-deleted'(): boolean { return this.#advisory.details()['expect-deleted']; }

  /** In the field order of cargo-audit's JSON. */
  toJSON(): AdvisoryMetadata {
    const d = this.#advisory.details();
    return {
      id: this.id, package: this.package, title: d.title, description: d.description, date: d.date,
      aliases: d.aliases, related: d.related, collection: this.collection, categories: d.categories,
      keywords: d.keywords, cvss: d.cvss, informational: this.informational, references: d.references,
      source: this.source, url: d.url, withdrawn: this.withdrawn, license: d.license,
      'expect-deleted': d['expect-deleted'],
    };
  }
}

function rangesOf(flat: (string | null)[]): AffectedRange[] {
  const ranges: AffectedRange[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    ranges.push({ introduced: flat[i] ?? undefined, fixed: flat[i + 1] ?? undefined });
  }
  return ranges;
}

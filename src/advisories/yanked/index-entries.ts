/**
 * Index files are newline-delimited JSON, one object per published version.
 * Only the fields a yanked check needs are kept. Lines are judged one by one:
 * crates.io has published entries that strict parsers reject (invalid semver,
 * odd fields), so a bad line is skipped and counted, never fatal.
 */

export interface IndexEntry {
  name: string;
  /** The version exactly as the index writes it; compared as a string, never parsed as semver. */
  vers: string;
  yanked: boolean;
  /** RFC 3339 publication time; older index files do not have it. */
  pubtime: string | undefined;
}

export interface IndexLimits {
  /** Lines (or cache blobs) longer than this are skipped. */
  maxLineBytes: number;
  /** Lines past this count are not read at all. */
  maxLines: number;
}

export const defaultIndexLimits: IndexLimits = { maxLineBytes: 1024 * 1024, maxLines: 100_000 };

export interface ParsedIndexFile {
  entries: IndexEntry[];
  /** Non-empty lines that did not give a usable entry. */
  skipped: number;
  /** Why the first skipped line was skipped, for the warning. */
  firstProblem: string | undefined;
  /** More lines than `maxLines`: the rest were not read. */
  cutShort: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Judges one entry. Returns the entry, or why it is unusable. `yanked` may be
 * absent: cargo reads a missing field as "not yanked", and so do we.
 */
export function parseIndexEntry(bytes: Uint8Array, crate: string): IndexEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { name, vers, yanked, pubtime } = value as Record<string, unknown>;
  if (typeof name !== 'string') return '"name" is missing or not a string';
  if (typeof vers !== 'string' || vers === '') return '"vers" is missing or not a string';
  if (yanked !== undefined && yanked !== null && typeof yanked !== 'boolean') return '"yanked" is not a boolean';
  if (name.toLowerCase() !== crate.toLowerCase()) return `entry is for crate "${name}", not "${crate}"`;
  return { name, vers, yanked: yanked === true, pubtime: typeof pubtime === 'string' ? pubtime : undefined };
}

/** Collects entries and counts what was skipped; shared by index files and cargo's cache blobs. */
export class EntryCollector {
  readonly entries: IndexEntry[] = [];
  skipped = 0;
  firstProblem: string | undefined;
  cutShort = false;
  private seen = 0;

  constructor(
    private readonly crate: string,
    private readonly limits: IndexLimits,
    /** "line" or "entry": how a problem names the place it was found. */
    private readonly unit: string,
  ) {}

  /** Returns false once the count limit is reached; the caller stops reading. */
  add(bytes: Uint8Array): boolean {
    if (this.seen >= this.limits.maxLines) {
      this.cutShort = true;
      return false;
    }
    this.seen += 1;
    const entry =
      bytes.length > this.limits.maxLineBytes
        ? `longer than ${this.limits.maxLineBytes} bytes`
        : parseIndexEntry(bytes, this.crate);
    if (typeof entry === 'string') this.skip(`${this.unit} ${this.seen}: ${entry}`);
    else this.entries.push(entry);
    return true;
  }

  skip(problem: string): void {
    this.skipped += 1;
    this.firstProblem ??= problem;
  }

  result(): ParsedIndexFile {
    return { entries: this.entries, skipped: this.skipped, firstProblem: this.firstProblem, cutShort: this.cutShort };
  }
}

/** Parses a whole index file as served by the sparse index (or stored by us). */
export function parseIndexFile(body: Uint8Array, crate: string, limits: IndexLimits = defaultIndexLimits): ParsedIndexFile {
  const collector = new EntryCollector(crate, limits, 'line');
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    let line = body.subarray(start, end);
    start = end + 1;
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (line.length === 0) continue;
    if (!collector.add(line)) break;
  }
  return collector.result();
}

/** The warning text for a file that had skipped lines, or undefined when it was clean. */
export function describeSkipped(parsed: ParsedIndexFile, maxLines: number): string | undefined {
  const parts: string[] = [];
  if (parsed.skipped > 0) {
    const noun = parsed.skipped === 1 ? 'malformed entry' : 'malformed entries';
    parts.push(`skipped ${parsed.skipped} ${noun} (first: ${parsed.firstProblem ?? 'unknown'})`);
  }
  if (parsed.cutShort) parts.push(`read only the first ${maxLines} entries`);
  return parts.length === 0 ? undefined : parts.join('; ');
}

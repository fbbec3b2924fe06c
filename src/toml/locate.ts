/**
 * Positions of keys and array elements in a TOML document.
 *
 * smol-toml gives values but no positions, and every config diagnostic must
 * point at a file, line and column. This scanner walks the text once and
 * records where each key (and each array element) starts, keyed by a path
 * such as `advisories.ignore[2].id`. It never throws: on text it does not
 * understand it simply records fewer positions, and callers fall back to the
 * nearest known parent (see `nearestPosition`). Values themselves are always
 * taken from smol-toml, which is the authority on what the document means.
 */

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export type PathSegment = string | number;

/** `['a', 'b c', 0, 'd']` -> `a."b c"[0].d` */
export function pathKey(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const bare = /^[A-Za-z0-9_-]+$/.test(seg) ? seg : JSON.stringify(seg);
      out += out === '' ? bare : `.${bare}`;
    }
  }
  return out;
}

export class TomlLocations {
  constructor(private readonly positions: ReadonlyMap<string, Position>) {}

  get(path: readonly PathSegment[]): Position | undefined {
    return this.positions.get(pathKey(path));
  }

  /** The position of `path`, or of its closest ancestor that has one. */
  nearest(path: readonly PathSegment[]): Position | undefined {
    for (let n = path.length; n > 0; n--) {
      const p = this.positions.get(pathKey(path.slice(0, n)));
      if (p) return p;
    }
    return undefined;
  }

  get size(): number {
    return this.positions.size;
  }
}

/** Scan `text` and return the positions of its keys, tables and array elements. */
export function locateToml(text: string): TomlLocations {
  return new TomlLocations(new Scanner(text).run());
}

class Scanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly out = new Map<string, Position>();
  /** How many `[[x]]` entries each array-of-tables path has seen. */
  private readonly arrayTables = new Map<string, number>();

  constructor(private readonly s: string) {}

  run(): Map<string, Position> {
    let table: PathSegment[] = [];
    // A hostile document cannot make this loop spin: every iteration consumes input.
    while (this.i < this.s.length) {
      const before = this.i;
      this.skipWsCommentsNewlines();
      if (this.i >= this.s.length) break;
      const c = this.s[this.i];
      if (c === '[') table = this.header() ?? table;
      else this.keyValue(table);
      this.skipToLineEnd();
      if (this.i === before) this.i++;
    }
    return this.out;
  }

  private pos(): Position {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private record(path: PathSegment[], p: Position): void {
    const k = pathKey(path);
    if (!this.out.has(k)) this.out.set(k, p);
  }

  private advance(): void {
    if (this.s[this.i] === '\n') {
      this.line++;
      this.lineStart = this.i + 1;
    }
    this.i++;
  }

  private skipWs(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  private skipWsCommentsNewlines(): void {
    for (;;) {
      this.skipWs();
      const c = this.s[this.i];
      if (c === '#') this.skipComment();
      else if (c === '\n' || c === '\r') this.advance();
      else return;
    }
  }

  private skipComment(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  /** Skip the rest of the line (trailing comment or garbage) but not the newline. */
  private skipToLineEnd(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') {
      if (this.s[this.i] === '"' || this.s[this.i] === "'") this.skipString();
      else this.i++;
    }
  }

  private header(): PathSegment[] | undefined {
    const start = this.pos();
    const isArray = this.s[this.i + 1] === '[';
    this.i += isArray ? 2 : 1;
    const keys = this.dottedKey();
    if (!keys) return undefined;
    this.skipWs();
    this.i += isArray ? 2 : 1;
    // `[a.b]` defines `a` implicitly: point at its first mention too.
    for (let n = 1; n < keys.length; n++) this.record(keys.slice(0, n), start);
    if (!isArray) {
      this.record(keys, start);
      return keys;
    }
    const k = pathKey(keys);
    const index = this.arrayTables.get(k) ?? 0;
    this.arrayTables.set(k, index + 1);
    const path = [...keys, index];
    this.record(keys, start);
    this.record(path, start);
    return path;
  }

  /** `key = value` under `table`; false when the text here is not a key/value pair. */
  private keyValue(table: PathSegment[]): boolean {
    const start = this.pos();
    const keys = this.dottedKey();
    if (!keys) return false;
    this.skipWs();
    if (this.s[this.i] !== '=') return false;
    this.i++;
    this.skipWs();
    const path = [...table, ...keys];
    for (let n = 1; n < keys.length; n++) this.record([...table, ...keys.slice(0, n)], start);
    this.record(path, start);
    this.value(path);
    return true;
  }

  /** Parse `a.b."c d"` and return its segments, or undefined if this is not a key. */
  private dottedKey(): string[] | undefined {
    const keys: string[] = [];
    for (;;) {
      this.skipWs();
      const c = this.s[this.i];
      if (c === '"' || c === "'") {
        const k = this.readSimpleString();
        if (k === undefined) return undefined;
        keys.push(k);
      } else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.s.slice(this.i, this.i + 256));
        if (!m) return undefined;
        keys.push(m[0]);
        this.i += m[0].length;
      }
      this.skipWs();
      if (this.s[this.i] !== '.') return keys;
      this.i++;
    }
  }

  /** A single-line basic or literal string used as a key. */
  private readSimpleString(): string | undefined {
    const q = this.s[this.i];
    let j = this.i + 1;
    let out = '';
    while (j < this.s.length && this.s[j] !== q && this.s[j] !== '\n') {
      if (q === '"' && this.s[j] === '\\') {
        const next = this.s[j + 1] ?? '';
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        j += 2;
      } else out += this.s[j++];
    }
    if (this.s[j] !== q) return undefined;
    this.i = j + 1;
    return out;
  }

  private value(path: PathSegment[]): void {
    const c = this.s[this.i];
    if (c === '"' || c === "'") this.skipString();
    else if (c === '[') this.array(path);
    else if (c === '{') this.inlineTable(path);
    else {
      // number, boolean, date: runs until a delimiter
      while (this.i < this.s.length && !/[,\]}\n#\r]/.test(this.s[this.i]!)) this.i++;
    }
  }

  private skipString(): void {
    const q = this.s[this.i]!;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    if (triple) {
      this.i += 3;
      while (this.i < this.s.length && !this.s.startsWith(q.repeat(3), this.i)) {
        if (q === '"' && this.s[this.i] === '\\') this.i++;
        this.advance();
      }
      this.i += 3;
      // Up to two more quotes may belong to the string's content.
      while (this.s[this.i] === q) this.i++;
      return;
    }
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== q && this.s[this.i] !== '\n') {
      if (q === '"' && this.s[this.i] === '\\') this.i++;
      this.i++;
    }
    if (this.s[this.i] === q) this.i++;
  }

  private array(path: PathSegment[]): void {
    this.i++; // [
    let index = 0;
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.i >= this.s.length) return;
      if (this.s[this.i] === ']') {
        this.i++;
        return;
      }
      const before = this.i;
      const elementPath = [...path, index];
      this.record(elementPath, this.pos());
      this.value(elementPath);
      index++;
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']' && this.i === before) return; // not TOML we understand
    }
  }

  private inlineTable(path: PathSegment[]): void {
    this.i++; // {
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.i >= this.s.length) return;
      if (this.s[this.i] === '}') {
        this.i++;
        return;
      }
      if (!this.keyValue(path)) return;
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ',') this.i++;
    }
  }
}

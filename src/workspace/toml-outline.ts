/**
 * Where things are in a TOML document. smol-toml returns values without
 * positions, so this lexer walks a document that already parsed and reports
 * the line of every table header and every top-level key, skipping what is
 * inside strings (a multi-line string may hold a line that looks like
 * `[[package]]`) and inside multi-line arrays.
 */

export interface OutlineEntry {
  /** 1-based. */
  line: number;
  kind: 'table' | 'array-table' | 'key';
  /** Full dotted path: a header's table path, or the enclosing table's path plus the key's. */
  path: string[];
}

// Pieces of the grammar, as regular expressions: the regex engine skips what
// does not matter (plain values, string bodies) far faster than a loop over
// characters, which matters on cold start with a hundred manifests.
const BASIC = '"(?:[^"\\\\\\n]|\\\\.)*"';
const LITERAL = "'[^'\\n]*'";
const SEGMENT = `(?:[A-Za-z0-9_-]+|${BASIC}|${LITERAL})`;
const KEY_PATH = `${SEGMENT}(?:[ \\t]*\\.[ \\t]*${SEGMENT})*`;
const HEADER = new RegExp(`(\\[\\[?)[ \\t]*(${KEY_PATH})[ \\t]*(\\]\\]?)`, 'y');
const KEY = new RegExp(`(${KEY_PATH})[ \\t]*=`, 'y');
const SEGMENTS = /[A-Za-z0-9_-]+|"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'/g;
const LINE_INDENT = /[ \t\r]*/y;
/** What changes the lexer's state: multi-line string openers, strings, comments, brackets, line ends. */
const TOKEN = new RegExp(`"""|\'\'\'|${BASIC}|${LITERAL}|#[^\\n]*|[[\\]{}\\n]`, 'g');

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\',
};

/** Decodes the escapes of a single-line basic string; an impossible escape is kept as written. */
function decodeBasic(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)/g, (all, esc: string) => {
    if (esc.length === 1) return SIMPLE_ESCAPES[esc] ?? all;
    const code = Number.parseInt(esc.slice(1), 16);
    return code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : all;
  });
}

function splitKeyPath(text: string): string[] {
  const path: string[] = [];
  SEGMENTS.lastIndex = 0;
  for (let m = SEGMENTS.exec(text); m; m = SEGMENTS.exec(text)) {
    path.push(m[1] !== undefined ? decodeBasic(m[1]) : m[2] ?? m[0]);
  }
  return path;
}

/** Index just past the multi-line string whose opening quotes start at `open`. */
function endOfMultilineString(text: string, open: number): number {
  const quote = text[open] as string;
  const closing = quote.repeat(3);
  let from = open + 3;
  for (;;) {
    const at = text.indexOf(closing, from);
    if (at < 0) return text.length;
    let backslashes = 0;
    if (quote === '"') while (text[at - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 1) {
      from = at + 1;
      continue;
    }
    let end = at + 3;
    // Up to two more quotes belong to the string's content.
    for (let extra = 0; extra < 2 && text[end] === quote; extra++) end++;
    return end;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

export function outlineToml(text: string): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  const n = text.length;
  let pos = 0;
  let line = 1;
  let depth = 0;
  let table: string[] = [];

  while (pos < n) {
    if (depth === 0) {
      LINE_INDENT.lastIndex = pos;
      LINE_INDENT.exec(text);
      pos = LINE_INDENT.lastIndex;
      const header = text[pos] === '[' ? ((HEADER.lastIndex = pos), HEADER.exec(text)) : null;
      if (header && (header[1] as string).length === (header[3] as string).length) {
        table = splitKeyPath(header[2] as string);
        entries.push({ line, kind: header[1] === '[[' ? 'array-table' : 'table', path: table });
        pos = HEADER.lastIndex;
      } else if (!header) {
        KEY.lastIndex = pos;
        const key = KEY.exec(text);
        if (key) {
          entries.push({ line, kind: 'key', path: [...table, ...splitKeyPath(key[1] as string)] });
          pos = KEY.lastIndex;
        }
      }
    }
    // The rest of the line: values, brackets, comment.
    TOKEN.lastIndex = pos;
    pos = n;
    for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
      const token = m[0];
      if (token === '\n') {
        line++;
        pos = TOKEN.lastIndex;
        break;
      }
      if (token === '"""' || token === "'''") {
        const end = endOfMultilineString(text, m.index);
        line += countNewlines(text, m.index, end);
        TOKEN.lastIndex = end;
      } else if (token === '[' || token === '{') depth++;
      else if ((token === ']' || token === '}') && depth > 0) depth--;
    }
  }
  return entries;
}

const joinPath = (path: readonly string[]): string => path.join('\u0000');

/**
 * Line of the first entry at or below each path prefix, e.g. the line of
 * `serde = …`, `serde.workspace = true` or `[dependencies.serde]` for
 * `['dependencies', 'serde']`.
 */
export class TomlLines {
  private readonly first = new Map<string, number>();

  constructor(entries: readonly OutlineEntry[]) {
    for (const entry of entries) {
      let key = '';
      entry.path.forEach((segment, i) => {
        key = i === 0 ? segment : `${key}\u0000${segment}`;
        if (!this.first.has(key)) this.first.set(key, entry.line);
      });
    }
  }

  static of(text: string): TomlLines {
    return new TomlLines(outlineToml(text));
  }

  /** The lookup as `[joined path, line]` pairs, to store (see parsed-cache.ts). */
  toEntries(): Array<[string, number]> {
    return [...this.first];
  }

  /** A lookup from stored pairs; undefined when they are not pairs of a string and a line number. */
  static fromEntries(entries: unknown): TomlLines | undefined {
    if (!Array.isArray(entries)) return undefined;
    const lines = new TomlLines([]);
    for (const entry of entries) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isSafeInteger(entry[1])) return undefined;
      lines.first.set(entry[0], entry[1] as number);
    }
    return lines;
  }

  lineOf(...path: string[]): number | undefined {
    return this.first.get(joinPath(path));
  }

  /** The line of `path`, or of its closest ancestor that has one (keys inside inline tables have none). */
  nearestLineOf(...path: string[]): number | undefined {
    for (let n = path.length; n > 0; n--) {
      const line = this.first.get(joinPath(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

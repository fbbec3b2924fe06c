/**
 * The fast path: Cargo writes lockfiles in one fixed layout, which this
 * scanner reads several times faster than a general TOML parser (it matters
 * most on a cold start, where per-line JavaScript runs interpreted), with
 * every line number for free. Any line outside that layout (other spacing,
 * escapes, other tables, duplicate keys…) makes it give up and return
 * undefined, so whatever it accepts is valid TOML that smol-toml would read
 * the same way.
 */
import type { LockDocument, RawPackage } from './lock-document.js';

// TOML allows no control character but tab, in strings or out of them, and CR only before LF.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_CR = /\r(?!\n)/;
const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;
// No leading zeros, no sign, no underscores: exactly the integers Cargo writes.
const VERSION = /^version = (0|[1-9][0-9]{0,5})$/;
/** The items of a multi-line array as Cargo writes them, one ` "string",` per line. */
const ARRAY_ITEMS = /^(?: "[^"\\\n]*",\r?\n)*$/;
const ITEM_SEPARATOR = /",\r?\n "/;

type Table = Record<string, unknown>;

// Plain objects, not null-prototype ones: V8 keeps those in slow dictionary mode.
// `__proto__` is left to the full parser, which stores it as an ordinary key.
const newTable = (): Table => ({});

/** The body of a basic string that needs no unescaping, or undefined. */
const plainString = (body: string): string | undefined =>
  body.includes('"') || body.includes('\\') ? undefined : body;

/** `key = "value"` → [key, value]; `key = [` → [key, undefined]. */
function fieldLine(l: string): [string, string | undefined] | undefined {
  const eq = l.indexOf(' = ');
  if (eq < 0) return undefined;
  const key = l.slice(0, eq);
  if (!BARE_KEY.test(key) || key === '__proto__') return undefined;
  const value = l.slice(eq + 3);
  if (value === '[') return [key, undefined];
  if (value.length < 2 || value[0] !== '"' || !value.endsWith('"')) return undefined;
  const body = plainString(value.slice(1, -1));
  return body === undefined ? undefined : [key, body];
}

/** `"key" = "value"`, the only form `[metadata]` entries take. */
function metadataEntry(l: string): [string, string] | undefined {
  const eq = l.indexOf('" = "');
  if (eq < 0 || l[0] !== '"' || !l.endsWith('"')) return undefined;
  const key = plainString(l.slice(1, eq));
  const value = plainString(l.slice(eq + 5, -1));
  return key === undefined || value === undefined || key === '__proto__' ? undefined : [key, value];
}

/**
 * The items of the array whose `key = [` line ends at `from` (the index of
 * its `\n`), read in one go, and the index of the closing `]` line.
 */
function readArray(text: string, from: number): { items: string[]; close: number } | undefined {
  const close = text.indexOf('\n]', from);
  if (close < 0) return undefined;
  const block = text.slice(from + 1, close + 1);
  if (!ARRAY_ITEMS.test(block)) return undefined;
  if (block === '') return { items: [], close: close + 1 };
  const end = block.endsWith('\r\n') ? -4 : -3;
  // A plain separator splits several times faster than the pattern, which is only needed for CRLF files.
  const items = block.includes('\r') ? block.slice(2, end).split(ITEM_SEPARATOR) : block.slice(2, end).split('",\n "');
  return { items, close: close + 1 };
}

export function scanCargoLayout(text: string): LockDocument | undefined {
  if (CONTROL_CHARACTER.test(text) || (text.includes('\r') && LONE_CR.test(text))) return undefined;
  const packages: RawPackage[] = [];
  let version: number | undefined;
  let versionLine: number | undefined;
  let metadata: Table | undefined;
  let metadataLine: number | undefined;
  let section: 'top' | 'package' | 'metadata' = 'top';
  let current: Table = newTable();

  let line = 0;
  for (let start = 0; start <= text.length; ) {
    line++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let l = text.slice(start, end);
    if (l.endsWith('\r')) l = l.slice(0, -1);
    const lineEnd = end;
    start = end + 1;

    const first = l[0];
    if (first === undefined || first === ' ' || first === '\t' || first === '#') {
      if (BLANK_OR_COMMENT.test(l)) continue;
      return undefined;
    }
    if (l === '[[package]]') {
      section = 'package';
      current = newTable();
      packages.push({ line, fields: current });
      continue;
    }
    if (l === '[metadata]') {
      if (metadata) return undefined;
      section = 'metadata';
      metadata = newTable();
      metadataLine = line;
      continue;
    }
    if (section === 'package') {
      const field = fieldLine(l);
      if (!field || Object.hasOwn(current, field[0])) return undefined;
      if (field[1] !== undefined) {
        current[field[0]] = field[1];
        continue;
      }
      const array = readArray(text, lineEnd);
      if (!array) return undefined;
      current[field[0]] = array.items;
      line += array.items.length + 1;
      const closeEnd = text.indexOf('\n', array.close);
      // Only a bare `]` closes the array in Cargo's layout.
      const closeLine = text.slice(array.close, closeEnd < 0 ? text.length : closeEnd);
      if (closeLine !== ']' && closeLine !== ']\r') return undefined;
      start = closeEnd < 0 ? text.length + 1 : closeEnd + 1;
      continue;
    }
    if (section === 'metadata' && metadata) {
      const entry = metadataEntry(l);
      if (!entry || Object.hasOwn(metadata, entry[0])) return undefined;
      metadata[entry[0]] = entry[1];
      continue;
    }
    const v = VERSION.exec(l);
    if (section !== 'top' || !v || version !== undefined) return undefined;
    version = Number(v[1]);
    versionLine = line;
  }
  return { version, versionLine, packages, metadata, metadataLine };
}

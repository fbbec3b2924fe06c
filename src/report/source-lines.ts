/**
 * The lines of the files diagnostics point at, by number. A label shows one
 * or three lines of a file, and Cargo.lock can have hundreds of thousands:
 * the file is indexed by where its lines start, and a line is cut out only
 * when it is shown (splitting a 50,000-package lockfile into strings cost more
 * than rendering all its diagnostics).
 */
import { readFileSync } from 'node:fs';

export interface SourceLines {
  /** Line `n` (1-based) without its line break; undefined past the end. */
  line(n: number): string | undefined;
}

export function sourceLines(text: string): SourceLines {
  let starts: number[] | undefined;
  const index = (): number[] => {
    if (starts) return starts;
    starts = [0];
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    return starts;
  };
  return {
    line(n) {
      const all = index();
      const start = all[n - 1];
      if (start === undefined || !Number.isInteger(n)) return undefined;
      const next = all[n];
      const end = next === undefined ? text.length : next - 1;
      return text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    },
  };
}

/**
 * Reads each file once; a file that cannot be read is shown without its lines.
 * `known` are files whose text is already in memory (the Cargo.lock the graph
 * was read from: tens of megabytes at 50,000 packages, not worth reading twice).
 */
export function lineReader(known: Iterable<readonly [file: string, text: string]> = []): (file: string) => SourceLines | undefined {
  const cache = new Map<string, SourceLines | undefined>();
  for (const [file, text] of known) cache.set(file, sourceLines(text));
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, sourceLines(readFileSync(file, 'utf8')));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

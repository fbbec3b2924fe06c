/**
 * Human diagnostics, rustc-style: `error[code]: message`, then each labelled
 * line of the real file it points at (the `[[package]]` entry in Cargo.lock,
 * the entry in deny.toml, the dependency line in a member's Cargo.toml) with
 * carets, then notes and the inclusion path. Pure: file text comes from a
 * provider and the inclusion graph from a callback.
 */
import path from 'node:path';
import type { Diagnostic, Label, Severity } from '../diagnostics/types.js';
import type { SourceLines } from './source-lines.js';
import type { Style } from './style.js';

export interface HumanOptions {
  style: Style;
  /** The lines of a file, or undefined when it cannot be shown. */
  readLines: (file: string) => SourceLines | undefined;
  /** The inclusion graph of a package, already drawn, or undefined to omit it. */
  inclusionGraph?: (packageId: string) => readonly string[] | undefined;
  /** Paths are shown relative to this directory. */
  cwd: string;
}

/** How many lines after a Cargo.lock `[[package]]` header are shown, so the name and version are visible. */
const LOCK_CONTEXT = 2;

export function renderHumanDiagnostic(d: Diagnostic, o: HumanOptions): string {
  const s = o.style;
  const head = severityWord(d.severity, s);
  let out = `${head}${d.code ? s.bold(`[${d.code}]`) : ''}${s.bold(`: ${d.message}`)}\n`;
  const byFile = groupByFile(d.labels);
  const width = Math.max(1, ...d.labels.map((l) => String(l.line + contextAfter(l)).length));
  const gutter = ' '.repeat(width);
  for (const [file, labels] of byFile) {
    const primary = labels.find((l) => l.primary) ?? labels[0]!;
    out += `${gutter}${s.cyan('-->')} ${display(file, o.cwd)}:${primary.line}:${primary.column}\n`;
    out += `${gutter} ${s.cyan('|')}\n`;
    const lines = o.readLines(file);
    let previousLine: number | undefined;
    for (const label of labels.sort((a, b) => a.line - b.line || a.column - b.column)) {
      const text = lines?.line(label.line);
      if (text === undefined) {
        out += `${gutter} ${s.cyan('=')} ${label.message}\n`;
        continue;
      }
      if (previousLine !== undefined && label.line > previousLine + 1) out += `${s.cyan('...')}\n`;
      // Several labels on one line share its text, as in rustc.
      if (label.line !== previousLine) out += `${s.cyan(String(label.line).padStart(width))} ${s.cyan('|')} ${text}\n`;
      const length = label.length > 0 ? label.length : tokenLength(text, label.column - 1);
      const marker = (label.primary ? '^' : '-').repeat(Math.max(1, length));
      const paint = label.primary ? (d.severity === 'error' ? s.boldRed : d.severity === 'warning' ? s.boldYellow : s.bold) : s.cyan;
      out += `${gutter} ${s.cyan('|')} ${' '.repeat(Math.max(0, label.column - 1))}${paint(`${marker} ${label.message}`)}\n`;
      previousLine = label.line;
      for (let i = 1; i <= contextAfter(label); i++) {
        const next = lines?.line(label.line + i);
        if (next === undefined || next.startsWith('[')) break;
        out += `${s.cyan(String(label.line + i).padStart(width))} ${s.cyan('|')} ${next}\n`;
        previousLine = label.line + i;
      }
    }
    out += `${gutter} ${s.cyan('|')}\n`;
  }
  for (const note of d.notes) {
    const [first, ...rest] = note.split('\n');
    out += `${gutter} ${s.cyan('=')} ${first}\n`;
    for (const line of rest) out += `${gutter}   ${line}\n`;
  }
  const graph = d.package && o.inclusionGraph?.(d.package.id);
  if (graph && graph.length > 0) {
    out += `${gutter} ${s.cyan('=')} ${graph[0]}\n`;
    for (const line of graph.slice(1)) out += `${gutter}   ${line}\n`;
  }
  return `${out}\n`;
}

/**
 * A label that only knows where an entry starts (deny.toml positions) gets
 * the whole token underlined: a string with its quotes, a `{ … }` table on
 * that line, or a bare key.
 */
export function tokenLength(text: string, start: number): number {
  const c = text[start];
  if (c === '"' || c === "'") {
    const end = text.indexOf(c, start + 1);
    return end > start ? end - start + 1 : text.length - start;
  }
  if (c === '{') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) return i - start + 1;
    }
    return text.length - start;
  }
  const m = /^[A-Za-z0-9_.-]+/.exec(text.slice(start));
  return m ? m[0].length : 1;
}

/** A `[[package]]` label in a Cargo.lock (the length test first: it is the cheap one). */
function contextAfter(label: Label): number {
  return label.length === '[[package]]'.length && path.basename(label.file) === 'Cargo.lock' ? LOCK_CONTEXT : 0;
}

function severityWord(severity: Severity, s: Style): string {
  switch (severity) {
    case 'error':
      return s.boldRed('error');
    case 'warning':
      return s.boldYellow('warning');
    case 'note':
      return s.bold('note');
    case 'help':
      return s.bold('help');
  }
}

function groupByFile(labels: readonly Label[]): Map<string, Label[]> {
  const out = new Map<string, Label[]>();
  // The primary label's file comes first.
  for (const l of [...labels].sort((a, b) => Number(b.primary) - Number(a.primary))) {
    const list = out.get(l.file) ?? [];
    list.push(l);
    out.set(l.file, list);
  }
  return out;
}

function display(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

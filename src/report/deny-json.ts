/**
 * `--format json` of the cargo-deny face: one JSON object per line with the
 * fields cargo-deny emits (`type` log / diagnostic / summary), so scripts
 * written for `cargo deny --format json` read ours unchanged.
 */
import type { CheckCounts } from '../diagnostics/levels.js';
import type { CheckName, Diagnostic } from '../diagnostics/types.js';
import { advisoryJson } from './cargo-audit-json.js';
import { tokenLength } from './human.js';
import type { GraphNode } from './inclusion.js';
import type { SourceLines } from './source-lines.js';

export function diagnosticJsonLine(
  d: Diagnostic,
  readLines: (file: string) => SourceLines | undefined,
  graph: GraphNode | undefined,
): string {
  const fields: Record<string, unknown> = { severity: d.severity, message: d.message };
  if (d.code) fields.code = d.code;
  if (d.labels.length > 0) {
    fields.labels = d.labels.map((l) => {
      const text = readLines(l.file)?.line(l.line) ?? '';
      const start = l.column - 1;
      const span = text.slice(start, start + (l.length > 0 ? l.length : tokenLength(text, start)));
      return { message: l.message, span: span.replace(/^"|"$/g, ''), line: l.line, column: l.column };
    });
  }
  if (d.notes.length > 0) fields.notes = d.notes;
  if (graph) fields.graphs = [graph];
  if (d.advisory) fields.advisory = advisoryJson(d.advisory);
  return `${JSON.stringify({ type: 'diagnostic', fields })}\n`;
}

export function summaryJsonLine(counts: ReadonlyMap<CheckName, CheckCounts>): string {
  const fields: Record<string, CheckCounts> = {};
  for (const [check, c] of counts) fields[check] = c;
  return `${JSON.stringify({ type: 'summary', fields })}\n`;
}

export function logJsonLine(level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG', message: string, now: Date): string {
  return `${JSON.stringify({ type: 'log', fields: { timestamp: now.toISOString(), level, message } })}\n`;
}

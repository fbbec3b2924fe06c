/** Test-only: a diagnostic reduced to what the tests pin, with paths made short. */
import path from 'node:path';
import type { Diagnostic } from '../../../src/diagnostics/types.js';
import { fixture } from '../../helpers/paths.js';

export interface Summary {
  code: string;
  severity: string;
  message: string;
  /** `file:line[:column] message`, primary labels marked with `*`. */
  labels: string[];
  notes?: string[];
}

export function summarize(d: Diagnostic, roots: Record<string, string> = {}): Summary {
  const base = fixture('workspaces') + path.sep;
  const short = (file: string): string => {
    for (const [from, to] of Object.entries(roots)) if (file.startsWith(from)) return to + file.slice(from.length);
    return file.startsWith(base) ? file.slice(base.length) : file;
  };
  const labels = d.labels.map((l) => `${l.primary ? '*' : ''}${short(l.file)}:${l.line}${l.file.endsWith('.toml') && !l.file.endsWith('Cargo.toml') ? `:${l.column}` : ''} ${l.message}`);
  const out: Summary = { code: d.code, severity: d.severity, message: d.message, labels };
  if (d.notes.length > 0) out.notes = d.notes;
  return out;
}

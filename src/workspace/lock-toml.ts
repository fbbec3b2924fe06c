/**
 * The general path for lockfiles not in Cargo's exact layout (hand-edited,
 * re-formatted, very old): full TOML parsing, then the outline lexer to find
 * the line of each package header.
 */
import { inputError } from '../errors.js';
import type { LockDocument, RawPackage } from './lock-document.js';
import { outlineToml, type OutlineEntry } from './toml-outline.js';
import { isTable, parseToml } from './toml-parse.js';

const isHeader = (entry: OutlineEntry, kind: OutlineEntry['kind'], name: string): boolean =>
  entry.kind === kind && entry.path.length === 1 && entry.path[0] === name;

export function parseLockToml(text: string, file: string): LockDocument {
  const doc = parseToml(text, file);
  const outline = outlineToml(text);
  const lineOf = (kind: OutlineEntry['kind'], name: string): number | undefined =>
    outline.find((e) => isHeader(e, kind, name))?.line;

  const rawPackages = doc['package'];
  if (rawPackages !== undefined && !(Array.isArray(rawPackages) && rawPackages.every(isTable))) {
    throw inputError('`package` must be an array of tables (`[[package]]`)', { file, line: lineOf('key', 'package') });
  }
  const tables = (rawPackages ?? []) as Record<string, unknown>[];
  const headerLines = outline.filter((e) => isHeader(e, 'array-table', 'package')).map((e) => e.line);
  // Misattributed lines would point every later diagnostic at the wrong package.
  if (headerLines.length !== tables.length) {
    throw inputError(
      `cannot locate the \`[[package]]\` headers: found ${headerLines.length} header lines for ${tables.length} packages`,
      { file },
    );
  }
  const packages: RawPackage[] = tables.map((fields, i) => ({ line: headerLines[i] as number, fields }));

  const root = doc['root'];
  if (root !== undefined) {
    const line = lineOf('table', 'root');
    if (!isTable(root) || line === undefined) throw inputError('`root` must be a `[root]` table', { file, line });
    packages.unshift({ line, fields: root });
  }

  const metadata = doc['metadata'];
  const metadataLine = lineOf('table', 'metadata') ?? lineOf('key', 'metadata');
  if (metadata !== undefined && !isTable(metadata)) {
    throw inputError('`metadata` must be a table', { file, line: metadataLine });
  }
  return {
    version: doc['version'],
    versionLine: lineOf('key', 'version'),
    packages,
    metadata,
    metadataLine,
  };
}

/**
 * Which license expression a package has, in cargo-deny's order of
 * precedence: a clarification whose license files all still hash the same,
 * then the manifest's `license` field (strict, then lax), then its license
 * files (whose text we do not identify yet), else none. Pure: the file
 * hashes come from gather.ts. Shared by the check and by `list`.
 */
import type { PackageNode } from '../../workspace/package-graph.js';
import type { LicensesConfig } from './config.js';
import type { FileHash, PackageLicenseFacts } from './gather.js';
import { parseManifestLicense, SpdxParseError, type ExprNode } from './spdx.js';
import { formatLicenseHash } from './xxh32.js';

export type ExpressionOrigin =
  | { kind: 'clarify'; index: number }
  | { kind: 'manifest' };

/** Something noticed while gathering, reported before the verdict (cargo-deny's gather diagnostics). */
export type GatherEvent =
  | { kind: 'empty-license-field' }
  | { kind: 'no-license-field' }
  | { kind: 'parse-error'; text: string; error: SpdxParseError; recovered: boolean }
  | { kind: 'missing-clarification-file'; clarifyIndex: number; fileIndex: number; file: FileHash }
  | { kind: 'clarification-mismatch'; clarifyIndex: number; file: FileHash; expected: number }
  | { kind: 'license-files-not-identified'; files: FileHash[] };

export type LicenseResolution =
  | { kind: 'expression'; expr: ExprNode; text: string; origin: ExpressionOrigin; events: GatherEvent[] }
  | { kind: 'unlicensed'; events: GatherEvent[] }
  /** The manifest could not be read: nothing is known, nothing is guessed. */
  | { kind: 'unknown' };

export function resolveLicense(node: PackageNode, facts: PackageLicenseFacts | undefined, config: LicensesConfig): LicenseResolution {
  if (node.license === undefined) return { kind: 'unknown' };
  const events: GatherEvent[] = [];

  const clarification = facts?.clarification;
  if (clarification) {
    const entry = config.clarify[clarification.index]!;
    let matches = true;
    clarification.files.forEach((file, fileIndex) => {
      const expected = entry.licenseFiles[fileIndex]!.hash;
      if (file.hash === undefined) {
        events.push({ kind: 'missing-clarification-file', clarifyIndex: clarification.index, fileIndex, file });
        matches = false;
      } else if (file.hash !== expected) {
        events.push({ kind: 'clarification-mismatch', clarifyIndex: clarification.index, file, expected });
        matches = false;
      }
    });
    if (matches) {
      return { kind: 'expression', expr: entry.expression.expr, text: entry.expression.text, origin: { kind: 'clarify', index: clarification.index }, events };
    }
  }

  if (node.license === null) {
    events.push({ kind: 'no-license-field' });
  } else if (node.license.trim() === '') {
    events.push({ kind: 'empty-license-field' });
  } else {
    try {
      const parsed = parseManifestLicense(node.license);
      if (parsed.strictError) events.push({ kind: 'parse-error', text: node.license, error: parsed.strictError, recovered: true });
      return { kind: 'expression', expr: parsed.expr, text: node.license, origin: { kind: 'manifest' }, events };
    } catch (e) {
      if (!(e instanceof SpdxParseError)) throw e;
      events.push({ kind: 'parse-error', text: node.license, error: e, recovered: false });
    }
  }

  const files = facts?.licenseFiles ?? [];
  if (files.length > 0) events.push({ kind: 'license-files-not-identified', files });
  return { kind: 'unlicensed', events };
}

/** The `[[licenses.clarify]]` entry a user could add for these files (the hashes are the real ones). */
export function clarifySuggestion(node: PackageNode, files: readonly FileHash[]): string {
  const hashed = files.filter((f) => f.hash !== undefined);
  const list = hashed.map((f) => `{ path = ${JSON.stringify(f.path)}, hash = ${formatLicenseHash(f.hash!)} }`).join(', ');
  return `[[licenses.clarify]]\ncrate = "${node.name}@${node.version}"\nexpression = "<the SPDX expression these files state>"\nlicense-files = [${list}]`;
}

/**
 * A package's declared license as an SBOM can state it: an SPDX expression
 * in canonical form (`MIT/Apache-2.0` becomes `MIT OR Apache-2.0`), read the
 * way the licenses check reads a manifest (strict, then lax); or the text as
 * written when it is not an expression; or the fact that there is none.
 */
import { exprToString, parseManifestLicense, requirements, SpdxParseError } from '../../checks/licenses/spdx.js';
import type { PackageNode } from '../../workspace/package-graph.js';

export type DeclaredLicense =
  | { kind: 'expression'; expression: string; /** `LicenseRef-…` (and `DocumentRef-…:LicenseRef-…`) terms, sorted */ refs: string[] }
  /** A `license` field that is no SPDX expression, as written. */
  | { kind: 'unparsed'; text: string }
  /** No `license` field; `licenseFile` tells whether a `license-file` stands in for it. */
  | { kind: 'none'; licenseFile: boolean }
  /** The manifest could not be read. */
  | { kind: 'unknown' };

export function declaredLicense(node: Pick<PackageNode, 'license' | 'licenseFile'>): DeclaredLicense {
  if (node.license === undefined) return { kind: 'unknown' };
  if (node.license === null) return { kind: 'none', licenseFile: node.licenseFile !== null && node.licenseFile !== undefined };
  try {
    const { expr } = parseManifestLicense(node.license);
    const refs = [...new Set(requirements(expr).filter((r) => r.license.kind === 'ref').map((r) => r.license.id))].sort();
    return { kind: 'expression', expression: exprToString(expr), refs };
  } catch (e) {
    if (!(e instanceof SpdxParseError)) throw e;
    return { kind: 'unparsed', text: node.license };
  }
}

/**
 * SPDX 2.3 JSON, written by hand: no well-kept JavaScript library writes
 * SPDX 2.3 JSON (the SPDX project's own tools are for Python and Java), and
 * the format is small enough that plain objects in a fixed key order are
 * clearer than a dependency.
 *
 * - Every package of the graph, `filesAnalyzed: false`, with its purl as a
 *   PACKAGE-MANAGER reference, its Cargo.lock SHA-256, and its `license` field as
 *   `licenseDeclared` (`licenseConcluded` stays NOASSERTION: concluding would
 *   need a review of the sources, which we do not make).
 * - The document DESCRIBES each workspace member; edges are DEPENDS_ON, or
 *   DEV_DEPENDENCY_OF / BUILD_DEPENDENCY_OF when the manifest says so.
 * - `documentNamespace` ends in a name-based UUID of the rest of the document.
 */
import { createHash } from 'node:crypto';
import { compareStrings } from '../../advisories/assemble.js';
import { advisoryUrl } from '../audit-terminal.js';
import type { Inventory, SbomPackage } from './inventory.js';
import { cratesIoDownloadUrl, gitLocation } from './purl.js';
import { contentUuid, utcSeconds } from './reproducible.js';

export interface SpdxOptions {
  /** `creationInfo.created` (SOURCE_DATE_EPOCH or now). */
  created: Date;
  toolVersion: string;
  /** Texts of `LicenseRef-…` licenses, when a package's `license-file` holds one. */
  licenseTexts: ReadonlyMap<string, string>;
}

interface SpdxExternalRef {
  referenceCategory: 'PACKAGE-MANAGER' | 'SECURITY';
  referenceType: 'purl' | 'advisory';
  referenceLocator: string;
  comment?: string;
}

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo: string;
  downloadLocation: string;
  filesAnalyzed: false;
  checksums?: { algorithm: 'SHA256'; checksumValue: string }[];
  licenseConcluded: 'NOASSERTION';
  licenseDeclared: string;
  licenseComments?: string;
  copyrightText: 'NOASSERTION';
  sourceInfo?: string;
  externalRefs?: SpdxExternalRef[];
  primaryPackagePurpose: 'APPLICATION' | 'LIBRARY';
}

interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'DEPENDS_ON' | 'DEV_DEPENDENCY_OF' | 'BUILD_DEPENDENCY_OF';
  relatedSpdxElement: string;
}

interface ExtractedLicense {
  licenseId: string;
  extractedText: string;
  name: string;
  comment?: string;
}

const DOCUMENT = 'SPDXRef-DOCUMENT';
const NAMESPACE_BASE = 'https://spdx.org/spdxdocs/cargo-sentinel';

export function renderSpdx(inventory: Inventory, options: SpdxOptions): string {
  const ids = spdxIds(inventory.packages);
  const advisories = advisoriesByPackage(inventory);
  const extracted = extractedLicenses(inventory, options.licenseTexts);
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: DOCUMENT,
    name: inventory.name,
    documentNamespace: '',
    creationInfo: {
      created: utcSeconds(options.created),
      creators: [`Tool: cargo-sentinel-${options.toolVersion}`],
    },
    packages: inventory.packages.map((p) => spdxPackage(p, ids.get(p.id) as string, p.id === inventory.rootPackage, advisories.get(p.id) ?? [])),
    relationships: relationships(inventory, ids),
    ...(extracted.length > 0 ? { hasExtractedLicensingInfos: extracted } : {}),
  };
  document.documentNamespace = `${NAMESPACE_BASE}/${encodeURIComponent(inventory.name)}-${contentUuid(JSON.stringify(document))}`;
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `SPDXRef-Package-<name>-<version>` with every character SPDX ids forbid (`_`, `+`) as `-`; a clash gets a hash of the package id. */
function spdxIds(packages: readonly SbomPackage[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9.-]/g, '-');
  for (const p of packages) {
    let id = `SPDXRef-Package-${clean(p.name)}-${clean(p.version)}`;
    if (used.has(id)) id = `${id}-${createHash('sha256').update(p.id).digest('hex').slice(0, 12)}`;
    used.add(id);
    ids.set(p.id, id);
  }
  return ids;
}

function downloadLocation(p: SbomPackage): string {
  switch (p.origin.kind) {
    case 'crates-io':
      return cratesIoDownloadUrl(p.name, p.version);
    case 'git':
      return gitLocation(p.origin);
    default:
      return 'NOASSERTION';
  }
}

function declared(p: SbomPackage): { licenseDeclared: string; licenseComments?: string } {
  const l = p.license;
  switch (l.kind) {
    case 'expression':
      // A license of another document would need an externalDocumentRefs entry we cannot write.
      return l.refs.some((r) => r.startsWith('DocumentRef-'))
        ? { licenseDeclared: 'NOASSERTION', licenseComments: `Cargo.toml declares \`${l.expression}\`, which refers to another SPDX document.` }
        : { licenseDeclared: l.expression };
    case 'unparsed':
      return { licenseDeclared: 'NOASSERTION', licenseComments: `Cargo.toml declares \`${l.text}\`, which is not an SPDX license expression.` };
    case 'none':
      return l.licenseFile
        ? { licenseDeclared: 'NOASSERTION', licenseComments: 'Cargo.toml names a license-file instead of a license expression.' }
        : { licenseDeclared: 'NONE' };
    case 'unknown':
      return { licenseDeclared: 'NOASSERTION' };
  }
}

function spdxPackage(p: SbomPackage, id: string, isRoot: boolean, advisories: readonly SpdxExternalRef[]): SpdxPackage {
  const externalRefs: SpdxExternalRef[] = [];
  if (p.purl !== undefined) externalRefs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl });
  externalRefs.push(...advisories);
  return {
    SPDXID: id,
    name: p.name,
    versionInfo: p.version,
    downloadLocation: downloadLocation(p),
    filesAnalyzed: false,
    ...(p.sha256 !== undefined ? { checksums: [{ algorithm: 'SHA256' as const, checksumValue: p.sha256 }] } : {}),
    licenseConcluded: 'NOASSERTION',
    ...declared(p),
    copyrightText: 'NOASSERTION',
    ...(p.origin.kind === 'path' && p.origin.dir !== undefined ? { sourceInfo: localSource(p.origin.dir, p.isMember) } : {}),
    ...(externalRefs.length > 0 ? { externalRefs } : {}),
    primaryPackagePurpose: isRoot || (p.isMember && p.hasBinary) ? 'APPLICATION' : 'LIBRARY',
  };
}

const localSource = (dir: string, isMember: boolean): string =>
  `${isMember ? 'workspace member' : 'path dependency'} in ${dir === '.' ? 'the workspace root' : `${dir} (relative to the workspace root)`}`;

function relationships(inventory: Inventory, ids: ReadonlyMap<string, string>): SpdxRelationship[] {
  const out: SpdxRelationship[] = inventory.members.map((id) => ({
    spdxElementId: DOCUMENT,
    relationshipType: 'DESCRIBES',
    relatedSpdxElement: ids.get(id) as string,
  }));
  for (const p of inventory.packages) {
    const from = ids.get(p.id) as string;
    for (const d of p.dependencies) {
      const to = ids.get(d.id);
      if (to === undefined) continue;
      // Unknown kinds (a manifest that was not read) are stated as the plain dependency they at least are.
      if (d.kinds.length === 0 || d.kinds.includes('normal')) out.push({ spdxElementId: from, relationshipType: 'DEPENDS_ON', relatedSpdxElement: to });
      if (d.kinds.includes('build')) out.push({ spdxElementId: to, relationshipType: 'BUILD_DEPENDENCY_OF', relatedSpdxElement: from });
      if (d.kinds.includes('dev')) out.push({ spdxElementId: to, relationshipType: 'DEV_DEPENDENCY_OF', relatedSpdxElement: from });
    }
  }
  return out;
}

/** Every `LicenseRef-` a declared license uses, with its text when a package's license-file gave it. */
function extractedLicenses(inventory: Inventory, texts: ReadonlyMap<string, string>): ExtractedLicense[] {
  const users = new Map<string, string[]>();
  for (const p of inventory.packages) {
    if (p.license.kind !== 'expression' || p.license.refs.some((r) => r.startsWith('DocumentRef-'))) continue;
    for (const ref of p.license.refs) users.set(ref, [...(users.get(ref) ?? []), `${p.name} ${p.version}`]);
  }
  return [...users.keys()].sort(compareStrings).map((licenseId) => {
    const text = texts.get(licenseId);
    return {
      licenseId,
      extractedText: text?.trim()
        ? text
        : `The text of ${licenseId} was not available to cargo-sentinel: no package declaring it has a readable license-file.`,
      name: licenseId.slice('LicenseRef-'.length),
      comment: `Declared in the Cargo.toml license field of ${(users.get(licenseId) as string[]).join(', ')}.`,
    };
  });
}

/** `--with-vulnerabilities`: each affected package points at its advisories (SPDX 2.3 has no vulnerability section). */
function advisoriesByPackage(inventory: Inventory): Map<string, SpdxExternalRef[]> {
  const out = new Map<string, SpdxExternalRef[]>();
  const findings = [...(inventory.vulnerabilities ?? [])].sort((a, b) => compareStrings(a.advisory.metadata.id, b.advisory.metadata.id));
  for (const f of findings) {
    const url = advisoryUrl(f.advisory);
    if (!url) continue;
    const refs = out.get(f.package.id) ?? [];
    refs.push({ referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: url, comment: `${f.advisory.metadata.id}: ${f.advisory.metadata.title}` });
    out.set(f.package.id, refs);
  }
  return out;
}

/**
 * CycloneDX 1.6 (or 1.5) JSON, built with OWASP's @cyclonedx/cyclonedx-library
 * and serialized by its normalizer for the chosen specification version, with
 * sorted lists.
 *
 * - The document describes the workspace: `metadata.component` is the root
 *   manifest's package, or for a virtual workspace an `application` named after
 *   its directory that depends on every member. The other members are
 *   components like any package (type `application` when they have a binary).
 * - Every other package of the graph is a `library` with its purl, the SHA-256
 *   of Cargo.lock, its license expression, and scope `required`, or `excluded`
 *   when only dev-dependencies or build-dependencies bring it in.
 * - bom-refs are purls, and for path packages `path+<dir>#<name>@<version>`;
 *   every component and vulnerability gets one, since the library's serializer
 *   would otherwise invent random ones.
 * - `serialNumber` is a name-based UUID of the rest of the document.
 */
import { createRequire } from 'node:module';
import type * as CycloneDx from '@cyclonedx/cyclonedx-library';
import { compareStrings } from '../../advisories/assemble.js';
import type { AdvisoryFinding } from '../../advisories/match.js';
import type { Advisory, CvssScore } from '../../advisories/types.js';
import { advisoryUrl, solution } from '../audit-terminal.js';
import type { Inventory, SbomPackage } from './inventory.js';
import { cratesIoDownloadUrl } from './purl.js';
import { contentUuid } from './reproducible.js';

export type CycloneDxSpecVersion = '1.6' | '1.5';

export interface CycloneDxOptions {
  specVersion: CycloneDxSpecVersion;
  /** `metadata.timestamp` (SOURCE_DATE_EPOCH or now). */
  timestamp: Date;
  toolVersion: string;
}

/** Our property names, outside the `cdx:` taxonomy. */
const PROPERTY = {
  path: 'cargo-sentinel:path',
  target: 'cargo-sentinel:target',
  graph: 'cargo-sentinel:graph-origin',
} as const;

type Library = typeof CycloneDx;
type ModelsModule = Library['Models'];

/**
 * The library is loaded from node_modules when the command runs, never
 * bundled: its Serialize entry point also loads its XML and validation
 * plugins, which require optional peers (xmlbuilder2, libxmljs2,
 * ajv-formats-draft2019) a bundler cannot resolve. A specifier built at run
 * time keeps bundlers from following it. It is one copy of the library
 * either way, which matters: the normalizers tell models apart with instanceof.
 */
async function loadLibrary(): Promise<Library> {
  const specifier = ['@cyclonedx', 'cyclonedx-library'].join('/');
  // Its CommonJS build, through require: the bundle runs as a vm.Script
  // (src/launch/), where a dynamic import() of a package has no loader.
  return createRequire(import.meta.url)(specifier) as Library;
}

export async function renderCycloneDx(inventory: Inventory, options: CycloneDxOptions): Promise<string> {
  const lib = await loadLibrary();
  const spec = options.specVersion === '1.5' ? lib.Spec.Spec1dot5 : lib.Spec.Spec1dot6;
  const serializer = new lib.Serialize.JsonSerializer(new lib.Serialize.JSON.Normalize.Factory(spec));
  const bom = buildBom(lib, inventory, options);
  const render = (): string => `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
  bom.serialNumber = `urn:uuid:${contentUuid(render())}`;
  return render();
}

function buildBom(lib: Library, inventory: Inventory, options: CycloneDxOptions): CycloneDx.Models.Bom {
  const { Enums, Models } = lib;
  const refs = bomRefs(inventory);
  const components = new Map<string, CycloneDx.Models.Component>();
  for (const p of inventory.packages) components.set(p.id, component(lib, p, refs.get(p.id) as string, p.id === inventory.rootPackage));

  const bom = new Models.Bom();
  bom.metadata.timestamp = options.timestamp;
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'cargo-sentinel', { version: options.toolVersion }),
  );
  for (const triple of inventory.targets) bom.metadata.properties.add(new Models.Property(PROPERTY.target, triple));
  bom.metadata.properties.add(new Models.Property(PROPERTY.graph, inventory.origin));

  const described =
    inventory.rootPackage !== undefined
      ? (components.get(inventory.rootPackage) as CycloneDx.Models.Component)
      : new Models.Component(Enums.ComponentType.Application, inventory.name, { bomRef: `workspace:${inventory.name}` });
  bom.metadata.component = described;
  if (inventory.rootPackage === undefined) {
    for (const id of inventory.members) described.dependencies.add((components.get(id) as CycloneDx.Models.Component).bomRef);
  }
  for (const p of inventory.packages) {
    const c = components.get(p.id) as CycloneDx.Models.Component;
    for (const d of p.dependencies) {
      const to = components.get(d.id);
      if (to) c.dependencies.add(to.bomRef);
    }
    if (c !== described) bom.components.add(c);
  }
  for (const v of vulnerabilities(lib, inventory.vulnerabilities ?? [], components)) bom.vulnerabilities.add(v);
  return bom;
}

/** Unique refs: the purl, else a path form; a clash (two sources with one purl) falls back to the package id. */
function bomRefs(inventory: Inventory): Map<string, string> {
  const refs = new Map<string, string>();
  const used = new Set<string>();
  for (const p of inventory.packages) {
    const dir = p.origin.kind === 'path' ? p.origin.dir : undefined;
    let ref = p.purl ?? (dir !== undefined ? `path+${dir}#${p.name}@${p.version}` : p.id);
    if (used.has(ref)) ref = `${ref} (${p.id})`;
    used.add(ref);
    refs.set(p.id, ref);
  }
  return refs;
}

function component({ Enums, Models }: Library, p: SbomPackage, ref: string, isRoot: boolean): CycloneDx.Models.Component {
  const type = isRoot || (p.isMember && p.hasBinary) ? Enums.ComponentType.Application : Enums.ComponentType.Library;
  const c = new Models.Component(type, p.name, { version: p.version, bomRef: ref });
  if (p.purl !== undefined) c.purl = p.purl;
  if (!isRoot) c.scope = p.use === 'normal' ? Enums.ComponentScope.Required : Enums.ComponentScope.Excluded;
  if (p.sha256 !== undefined) c.hashes.set(Enums.HashAlgorithm['SHA-256'], p.sha256);
  if (p.license.kind === 'expression') c.licenses.add(new Models.LicenseExpression(p.license.expression));
  else if (p.license.kind === 'unparsed') c.licenses.add(new Models.NamedLicense(p.license.text));
  switch (p.origin.kind) {
    case 'crates-io':
      c.externalReferences.add(new Models.ExternalReference(cratesIoDownloadUrl(p.name, p.version), Enums.ExternalReferenceType.Distribution));
      break;
    case 'git':
      c.externalReferences.add(new Models.ExternalReference(p.origin.url, Enums.ExternalReferenceType.VCS));
      break;
    case 'path':
      if (p.origin.dir !== undefined) c.properties.add(new Models.Property(PROPERTY.path, p.origin.dir));
      break;
    case 'registry':
      break;
  }
  return c;
}

const RUSTSEC = 'RustSec';

/** One entry per advisory, affecting every package it matched. */
function vulnerabilities(
  lib: Library,
  findings: readonly AdvisoryFinding[],
  components: ReadonlyMap<string, CycloneDx.Models.Component>,
): CycloneDx.Models.Vulnerability.Vulnerability[] {
  const { Enums, Models } = lib;
  const byAdvisory = new Map<string, AdvisoryFinding[]>();
  for (const f of findings) {
    const list = byAdvisory.get(f.advisory.metadata.id) ?? [];
    list.push(f);
    byAdvisory.set(f.advisory.metadata.id, list);
  }
  return [...byAdvisory.keys()].sort(compareStrings).map((id) => {
    const group = byAdvisory.get(id) as AdvisoryFinding[];
    const advisory = (group[0] as AdvisoryFinding).advisory;
    const m = advisory.metadata;
    const url = advisoryUrl(advisory);
    // advisoryUrl prefers an imported advisory's own page; the source is RustSec's record of it.
    const source = new Models.Vulnerability.Source({ name: RUSTSEC, url: id.startsWith('RUSTSEC-') ? `https://rustsec.org/advisories/${id}` : url || undefined });
    const v = new Models.Vulnerability.Vulnerability({
      bomRef: `vulnerability:${id}`,
      id,
      source,
      description: m.title,
      detail: m.description.trim() || undefined,
      recommendation: solution(advisory, (group[0] as AdvisoryFinding).package.version),
      published: new Date(`${m.date}T00:00:00Z`),
    });
    const rating = ratingOf(lib, advisory);
    if (rating) v.ratings.add(rating);
    for (const alias of m.aliases) v.references.add(new Models.Vulnerability.Reference(alias, aliasSource(Models, alias)));
    if (url) v.advisories.add(new Models.Vulnerability.Advisory(url, { title: m.title }));
    for (const reference of [m.url, ...m.references]) {
      if (reference && reference !== url) v.advisories.add(new Models.Vulnerability.Advisory(reference));
    }
    for (const f of group) {
      const target = components.get(f.package.id);
      if (!target) continue;
      const versions = new Models.Vulnerability.AffectedVersionRepository([
        new Models.Vulnerability.AffectedSingleVersion(f.package.version, { status: Enums.Vulnerability.AffectStatus.Affected }),
      ]);
      v.affects.add(new Models.Vulnerability.Affect(target.bomRef, { versions }));
    }
    return v;
  });
}

function ratingOf({ Enums, Models }: Library, advisory: Advisory): CycloneDx.Models.Vulnerability.Rating | undefined {
  const s = advisory.severity;
  if (s === null || advisory.metadata.cvss === null) return undefined;
  const { RatingMethod, Severity } = Enums.Vulnerability;
  const methods: Record<CvssScore['version'], CycloneDx.Enums.Vulnerability.RatingMethod> = {
    '3.0': RatingMethod.CVSSv3,
    '3.1': RatingMethod.CVSSv31,
    '4.0': RatingMethod.CVSSv4,
  };
  const severities: Record<CvssScore['severity'], CycloneDx.Enums.Vulnerability.Severity> = {
    none: Severity.None,
    low: Severity.Low,
    medium: Severity.Medium,
    high: Severity.High,
    critical: Severity.Critical,
  };
  return new Models.Vulnerability.Rating({
    source: new Models.Vulnerability.Source({ name: RUSTSEC }),
    score: s.score,
    severity: severities[s.severity],
    method: methods[s.version],
    vector: advisory.metadata.cvss,
  });
}

/** Who publishes an alias: the CVE list, GitHub's advisory database, or (for other ids) RustSec's record of it. */
function aliasSource(Models: ModelsModule, alias: string): CycloneDx.Models.Vulnerability.Source {
  if (alias.startsWith('CVE-')) return new Models.Vulnerability.Source({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${alias}` });
  if (alias.startsWith('GHSA-')) return new Models.Vulnerability.Source({ name: 'GitHub', url: `https://github.com/advisories/${alias}` });
  return new Models.Vulnerability.Source({ name: RUSTSEC });
}

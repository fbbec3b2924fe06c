/**
 * What the SBOM tests share: the official schemas compiled once per test
 * process (fixtures/schemas), a reading of Cargo.lock that owes nothing to
 * the code under test, and the CLI run with a fixed SOURCE_DATE_EPOCH.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { fixture } from '../../helpers/paths.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';

// ajv and ajv-formats are CommonJS; require() gives their constructors without default-import interop.
const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const Ajv2019 = require('ajv/dist/2019.js') as typeof import('ajv/dist/2019.js').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

/** 2023-11-14T22:13:20Z */
export const EPOCH = '1700000000';

const schema = (name: string): Record<string, unknown> => JSON.parse(readFileSync(fixture('schemas', name), 'utf8')) as Record<string, unknown>;

/**
 * RFC 3987 IRI references, which ajv-formats 3 does not define and CycloneDX
 * uses for every URL: WHATWG URL parsing (relative references resolve against
 * a base) and none of the characters RFC 3987 excludes.
 */
function isIriReference(value: string): boolean {
  if (/[\s<>"{}|\\^`\u0000-\u001f\u007f]/.test(value)) return false;
  try {
    new URL(value, 'http://base.invalid/');
    return true;
  } catch {
    return false;
  }
}

let cyclonedx: Map<string, ValidateFunction> | undefined;
let spdx: ValidateFunction | undefined;

/** The CycloneDX schema for `version` (`1.6` or `1.5`), with the two schemas it refers to registered. */
export function cyclonedxValidator(version: string): ValidateFunction {
  if (!cyclonedx) {
    // The schemas use `meta:enum` annotations, which strict mode rejects as unknown keywords.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('iri-reference', isIriReference);
    ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
    ajv.addSchema(schema('cyclonedx-spdx.schema.json'));
    ajv.addSchema(schema('cyclonedx-jsf-0.82.schema.json'));
    cyclonedx = new Map(['1.5', '1.6'].map((v) => [v, ajv.compile(schema(`cyclonedx-bom-${v}.schema.json`))]));
  }
  const validate = cyclonedx.get(version);
  if (!validate) throw new Error(`no CycloneDX schema ${version}`);
  return validate;
}

export function spdxValidator(): ValidateFunction {
  if (!spdx) {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    spdx = ajv.compile(schema('spdx-2.3.schema.json'));
  }
  return spdx as ValidateFunction;
}

/** The schema errors of `document`, as short lines ('' when valid). */
export function schemaErrors(validate: ValidateFunction, document: unknown): string {
  return validate(document) ? '' : (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('\n');
}

/** `name@version` of every `[[package]]` of a Cargo.lock, sorted (a plain line reading, independent of src/). */
export function lockfilePackages(file: string): string[] {
  const out: string[] = [];
  for (const block of readFileSync(file, 'utf8').split(/^\[\[package\]\]$/m).slice(1)) {
    const name = /^name = "([^"]+)"$/m.exec(block)?.[1];
    const version = /^version = "([^"]+)"$/m.exec(block)?.[1];
    if (name === undefined || version === undefined) throw new Error(`a [[package]] without name or version in ${file}`);
    out.push(`${name}@${version}`);
  }
  return out.sort();
}

/** `cargo-sentinel <global…> sbom <args…>` with SOURCE_DATE_EPOCH set. */
export function runSbom(global: string[], args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return runCli([...global, 'sbom', ...args], { cwd: options.cwd, env: { SOURCE_DATE_EPOCH: EPOCH, ...options.env } });
}

export interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  'bom-ref'?: string;
  purl?: string;
  scope?: string;
  hashes?: { alg: string; content: string }[];
  licenses?: ({ expression: string } | { license: { id?: string; name?: string } })[];
  externalReferences?: { type: string; url: string }[];
  properties?: { name: string; value: string }[];
}

export interface CdxDocument {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; tools: { components: CdxComponent[] }; component: CdxComponent; properties?: { name: string; value: string }[] };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn?: string[] }[];
  vulnerabilities?: {
    'bom-ref': string;
    id: string;
    source: { name: string; url?: string };
    references?: { id: string; source: { name: string; url?: string } }[];
    ratings?: { score?: number; severity?: string; method?: string; vector?: string }[];
    description?: string;
    detail?: string;
    recommendation?: string;
    advisories?: { title?: string; url: string }[];
    published?: string;
    affects: { ref: string; versions?: { version?: string; status?: string }[] }[];
  }[];
}

export interface SpdxDocument {
  spdxVersion: string;
  dataLicense: string;
  SPDXID: string;
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: {
    SPDXID: string;
    name: string;
    versionInfo: string;
    downloadLocation: string;
    checksums?: { algorithm: string; checksumValue: string }[];
    licenseDeclared: string;
    licenseConcluded: string;
    licenseComments?: string;
    externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string; comment?: string }[];
    primaryPackagePurpose: string;
  }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  hasExtractedLicensingInfos?: { licenseId: string; extractedText: string; name?: string }[];
}

/** Every package a CycloneDX document lists: the described component (unless it is a virtual workspace) and the components. */
export function cdxPackages(doc: CdxDocument): CdxComponent[] {
  const described = doc.metadata.component;
  return described['bom-ref']?.startsWith('workspace:') ? doc.components : [described, ...doc.components];
}

/**
 * What the format tests share: the OASIS SARIF 2.1.0 schema compiled once,
 * golden files under fixtures/golden/formats (rewritten with
 * SENTINEL_UPDATE_GOLDEN=1), and a reading of Cargo.lock's `[[package]]` lines
 * that owes nothing to the code under test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { ValidateFunction } from 'ajv';
import { fixture } from '../../helpers/paths.js';

// ajv and ajv-formats are CommonJS; require() hands over their constructors without interop.
const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

let sarif: ValidateFunction | undefined;

/**
 * The schema is written for draft-04 (`id`, a draft-04 `$schema`); it uses no
 * keyword whose meaning changed since, so it is compiled as draft-07 with
 * `id` renamed to `$id`.
 */
export function sarifValidator(): ValidateFunction {
  if (!sarif) {
    const schema = JSON.parse(readFileSync(fixture('schemas', 'sarif-2.1.0.schema.json'), 'utf8')) as Record<string, unknown>;
    const { $schema: _draft04, id, ...rest } = schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    sarif = ajv.compile({ $id: String(id), ...rest });
  }
  return sarif;
}

export function assertValidSarif(doc: unknown): void {
  const validate = sarifValidator();
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
}

/** Compares with fixtures/golden/formats/<name>; SENTINEL_UPDATE_GOLDEN=1 writes it instead. */
export function assertGolden(name: string, actual: string): void {
  const file = fixture('golden', 'formats', name);
  if (process.env.SENTINEL_UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden file ${file}: run the tests with SENTINEL_UPDATE_GOLDEN=1 to write it`);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

/** `name@version` -> 1-based line of its `[[package]]` header, read straight from the file. */
export function packageLines(lockfile: string): Map<string, number> {
  const lines = readFileSync(lockfile, 'utf8').split('\n');
  const out = new Map<string, number>();
  lines.forEach((line, i) => {
    if (line !== '[[package]]') return;
    const name = /^name = "(.*)"$/.exec(lines[i + 1] ?? '')?.[1];
    const version = /^version = "(.*)"$/.exec(lines[i + 2] ?? '')?.[1];
    if (name && version) out.set(`${name}@${version}`, i + 1);
  });
  return out;
}

export interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: SarifRuleJson[] } };
    invocations: { executionSuccessful: boolean; exitCode: number; exitCodeDescription: string; toolExecutionNotifications?: { message: { text: string } }[] }[];
    results: SarifResultJson[];
  }[];
}

export interface SarifRuleJson {
  id: string;
  shortDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity'?: string };
}

export interface SarifResultJson {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } };
    logicalLocations?: { name: string }[];
  }[];
  partialFingerprints: Record<string, string>;
}

export const parseSarif = (text: string): SarifLog => JSON.parse(text) as SarifLog;

/** `<rule id> <security-severity>` for each rule that has one, in rule order. */
export const securitySeverities = (doc: SarifLog): string[] =>
  doc.runs[0]!.tool.driver.rules.filter((r) => r.properties['security-severity'] !== undefined).map((r) => `${r.id} ${r.properties['security-severity']}`);

/**
 * `audit --format sarif`: SARIF 2.1.0 for code scanning. Unlike cargo-audit's,
 * every result points at the package's real `[[package]]` line in Cargo.lock
 * (never a placeholder line 1), and the exit code is the same as for any other
 * format: uploading SARIF must not turn a failing gate green.
 */
import path from 'node:path';
import type { AuditFinding, AuditReport } from '../audit/report.js';
import { VERSION } from '../cli/version.js';
import { advisoryUrl, solution } from './audit-terminal.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function renderAuditSarif(report: AuditReport): string {
  const findings = [...report.vulnerabilities, ...report.warnings];
  const rules = new Map<string, unknown>();
  for (const f of findings) {
    const id = ruleId(f);
    if (!rules.has(id)) rules.set(id, rule(f));
  }
  const lockfileUri = toUri(path.relative(process.cwd(), report.settings.lockfile) || 'Cargo.lock');
  const doc = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cargo-sentinel',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://rustsec.org',
            rules: [...rules.values()],
          },
        },
        results: findings.map((f) => result(f, lockfileUri)),
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const ruleId = (f: AuditFinding): string => f.advisory?.metadata.id ?? f.kind;

function rule(f: AuditFinding): unknown {
  const a = f.advisory;
  if (!a) {
    return {
      id: f.kind,
      name: f.kind,
      shortDescription: { text: `${f.kind} crate` },
      fullDescription: { text: 'This version of the crate was yanked from the registry by its authors.' },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['security', 'warning'], precision: 'high', 'problem.severity': 'warning' },
    };
  }
  const m = a.metadata;
  const rating = a.severity;
  const url = advisoryUrl(a);
  return {
    id: m.id,
    name: m.id,
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    helpUri: url,
    help: { text: `For more information, see: ${url}`, markdown: `For more information, see: [${m.id}](${url})` },
    defaultConfiguration: { level: f.kind === 'vulnerability' ? 'error' : 'warning' },
    properties: {
      tags: ['security', f.kind === 'vulnerability' ? 'vulnerability' : f.kind],
      precision: f.kind === 'vulnerability' ? 'very-high' : 'high',
      ...(f.kind === 'vulnerability' ? {} : { 'problem.severity': 'warning' }),
      ...(rating ? { 'security-severity': rating.score.toFixed(1) } : {}),
    },
  };
}

function result(f: AuditFinding, lockfileUri: string): unknown {
  const p = f.package;
  const a = f.advisory;
  const text = a
    ? f.kind === 'vulnerability'
      ? `${p.name} ${p.version} is vulnerable to ${a.metadata.id} (${a.metadata.title}). ${solution(a, p.version)}`
      : `${p.name} ${p.version} has a ${f.kind} warning: ${a.metadata.title}`
    : `${p.name} ${p.version} is yanked`;
  return {
    ruleId: ruleId(f),
    level: f.denied ? 'error' : 'warning',
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: lockfileUri },
          region: { startLine: p.line, startColumn: 1 },
        },
        logicalLocations: [{ name: `${p.name}@${p.version}`, kind: 'package' }],
      },
    ],
    partialFingerprints: { 'cargo-sentinel/advisory/v1': `${ruleId(f)}:${p.name}:${p.version}` },
  };
}

const toUri = (p: string): string => p.split(path.sep).map(encodeURIComponent).join('/');

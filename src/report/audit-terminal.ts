/**
 * The human face of `audit`: cargo-audit's terminal layout (status lines, one
 * block per finding with its dependency tree, then the summary), so people who
 * know cargo-audit read it at a glance. Pure: it returns text for stdout and
 * stderr; the CLI writes it.
 */
import { permitsNewer } from '../advisories/version-range.js';
import type { Advisory } from '../advisories/types.js';
import type { AuditFinding, AuditReport } from '../audit/report.js';
import { renderInverseTree } from '../workspace/inverse-tree.js';
import { displayRequirement } from './cargo-audit-json.js';
import type { Style } from './style.js';

export interface TerminalText {
  stdout: string;
  stderr: string;
}

/** cargo's status style: the verb right-aligned in 12 columns. */
export const statusLine = (style: Style, verb: string, message: string): string =>
  `${style.boldGreen(verb.padStart(12))} ${message}\n`;

export function renderAuditTerminal(report: AuditReport, style: Style): TerminalText {
  let stdout = '';
  let stderr = '';
  const blocks = [...report.vulnerabilities, ...report.warnings];
  const treesShown = new Set<string>();
  for (const f of blocks) {
    stdout += findingBlock(f, report, style, treesShown);
    stdout += '\n';
  }

  const vulns = report.vulnerabilities.length;
  const denied = report.warnings.filter((w) => w.denied).length;
  const allowed = report.warnings.length - denied;
  if (vulns > 0) stderr += `${style.boldRed('error:')} ${vulns} ${vulns === 1 ? 'vulnerability' : 'vulnerabilities'} found!\n`;
  if (denied > 0) stderr += `${style.boldRed('error:')} ${denied} denied ${denied === 1 ? 'warning' : 'warnings'} found!\n`;
  if (allowed > 0) stdout += `${style.boldYellow('warning:')} ${allowed} allowed ${allowed === 1 ? 'warning' : 'warnings'} found\n`;
  return { stdout, stderr };
}

function findingBlock(f: AuditFinding, report: AuditReport, style: Style, treesShown: Set<string>): string {
  const paint = f.kind === 'vulnerability' || f.denied ? style.boldRed : style.boldYellow;
  const line = (label: string, value: string): string => `${paint(`${label}:`.padEnd(10))} ${value}\n`;
  let out = line('Crate', f.package.name) + line('Version', f.package.version);
  if (f.kind !== 'vulnerability') out += line('Warning', f.kind);
  const a = f.advisory;
  if (a) {
    const m = a.metadata;
    out += line('Title', m.title);
    out += line('Date', m.date);
    out += line('ID', m.id);
    out += line('URL', advisoryUrl(a));
    const rating = a.severity;
    if (rating) out += line('Severity', `${rating.score.toFixed(1)} (${rating.severity})`);
    if (f.kind === 'vulnerability') out += line('Solution', solution(a, f.package.version));
  }
  if (f.expiredIgnore) {
    const r = f.expiredIgnore;
    out += line('Note', `the ignore of ${r.id} in ${r.origin} expired on ${r.expires}${r.reason ? ` (reason: ${r.reason})` : ''}`);
  }
  const key = f.package.id;
  if (report.settings.showTree && !treesShown.has(key)) {
    // cargo-audit prints each package's tree once, however many advisories it has.
    treesShown.add(key);
    out += `${paint('Dependency tree:')}\n${renderInverseTree(report.graph, key).join('\n')}\n`;
  }
  return out;
}

/**
 * The RustSec page is preferred; an advisory imported under CC-BY-4.0 must
 * show its original URL (attribution), as cargo-audit does.
 */
export function advisoryUrl(a: Advisory): string {
  const m = a.metadata;
  if (m.license === 'CC-BY-4.0' && m.url) return m.url;
  if (m.id.startsWith('RUSTSEC-')) return `https://rustsec.org/advisories/${m.id}`;
  if (m.id.startsWith('CVE-')) return `https://www.cve.org/CVERecord?id=${m.id}`;
  if (m.id.startsWith('GHSA-')) return `https://github.com/advisories/${m.id}`;
  return m.url ?? '';
}

export function solution(a: Advisory, version: string): string {
  const { patched, unaffected } = a.versions;
  if (patched.length > 0) return `Upgrade to ${patched.map(displayRequirement).join(' OR ')} (patched)`;
  const newer = unaffected.filter((req) => permitsNewer(req, version));
  if (newer.length > 0) return `Upgrade to ${newer.map(displayRequirement).join(' OR ')} (unaffected)`;
  return 'No fixed upgrade is available!';
}

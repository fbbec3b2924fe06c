/**
 * The licenses check of the cargo-deny face: every package in scope
 * (`include-dev`, `include-build`, `private`) gets a verdict on its license
 * expression against `allow` plus its first matching exception, or is
 * reported unlicensed; unused `allow` entries and exceptions are linted.
 * Pure: what lives on disk (clarified files' hashes, where `license = …` is
 * written) comes in through `gathered` (see gather.ts).
 */
import path from 'node:path';
import type { Diagnostic, Label, Severity } from '../../diagnostics/types.js';
import { severityOfLint } from '../../policy/levels.js';
import { specMatches } from '../../policy/package-spec.js';
import type { PathSegment, TomlLocations } from '../../toml/locate.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import { canonicalUrl } from '../../workspace/source-id.js';
import { compareVersions } from '../../workspace/version.js';
import { configLabel, lockLabel, packageRef, type PolicyFile } from '../labels.js';
import type { LicenseException, LicensesConfig } from './config.js';
import type { GatheredLicenses, LicenseFieldPlace, PackageLicenseFacts } from './gather.js';
import { reachability as computeReachability, type Reach } from '../../workspace/metadata/reachability.js';
import { clarifySuggestion, resolveLicense, type GatherEvent, type LicenseResolution } from './resolve.js';
import { evaluate, isDeprecatedLicenseId, reqToString, satisfies, type ExprNode, type LicenseReq, type TermSpan } from './spdx.js';
import { formatLicenseHash } from './xxh32.js';

export interface LicensesInput {
  graph: PackageGraph;
  config: LicensesConfig;
  policy: PolicyFile;
  /** What gatherLicenses read from disk for this graph and config. */
  gathered: GatheredLicenses;
  /** How members reach each package; computed from the graph's edge kinds when absent. */
  reachability?: ReadonlyMap<string, Reach>;
  /**
   * Exceptions from `deny.exceptions.toml`: consulted after deny.toml's own,
   * never reported as unused.
   */
  extraExceptions?: { exceptions: LicenseException[]; file: string; locations: TomlLocations };
}

/** An exception with where it is written. */
interface PlacedException {
  exception: LicenseException;
  policy: PolicyFile;
  path: PathSegment[];
  /** Index into deny.toml's `exceptions` (unused ones are reported); undefined for the companion file's. */
  ownIndex: number | undefined;
}

function placedExceptions(input: LicensesInput): PlacedException[] {
  const own = input.config.exceptions.map((exception, i): PlacedException => ({ exception, policy: input.policy, path: ['licenses', 'exceptions', i], ownIndex: i }));
  const extra = input.extraExceptions;
  const more = (extra?.exceptions ?? []).map((exception, i): PlacedException => ({
    exception,
    policy: { file: extra!.file, locations: extra!.locations },
    path: ['exceptions', i],
    ownIndex: undefined,
  }));
  return [...own, ...more];
}

type Verdict = 'explicit-allowance' | 'explicit-exception' | 'not-allowed';

const VERDICT_TEXT: Record<Verdict, string> = {
  'explicit-allowance': 'accepted: license is explicitly allowed',
  'explicit-exception': 'accepted: license is explicitly allowed via an exception',
  'not-allowed': 'rejected: license is not explicitly allowed',
};

export const krateName = (node: PackageNode): string => `${node.name} = ${node.version}`;

export function checkLicenses(input: LicensesInput): Diagnostic[] {
  const { graph, config } = input;
  const reach = input.reachability ?? computeReachability(graph);
  const exceptions = placedExceptions(input);
  const usedAllow = new Set<number>();
  const usedExceptions = new Set<number>();
  const unknown: PackageNode[] = [];
  const out: Diagnostic[] = [];

  for (const node of sortedPackages(graph)) {
    if (!inScope(reach.get(node.id) ?? 'normal', config)) continue;
    if (config.private.ignore && isPrivate(node, config)) {
      out.push({
        source: 'licenses',
        code: 'skipped-private-workspace-crate',
        severity: 'note',
        message: `skipping private workspace crate '${krateName(node)}'`,
        labels: [lockLabel(graph, node, 'private crate')],
        notes: [],
        package: packageRef(node),
      });
      continue;
    }
    const facts = input.gathered.packages.get(node.id);
    const resolution = resolveLicense(node, facts, config);
    if (resolution.kind === 'unknown') {
      unknown.push(node);
      continue;
    }
    for (const event of resolution.events) {
      const diag = gatherDiagnostic(event, node, facts, input);
      if (diag) out.push(diag);
    }
    if (resolution.kind === 'unlicensed') out.push(unlicensedDiagnostic(node, resolution, facts, input));
    else out.push(verdictDiagnostic(node, resolution, facts, input, exceptions, usedAllow, usedExceptions));
  }

  if (unknown.length > 0) out.push(unknownSummary(unknown));
  out.push(...unusedLints(input, usedAllow, usedExceptions, unknown.length));
  return out;
}

function sortedPackages(graph: PackageGraph): PackageNode[] {
  return [...graph.packages.values()].sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || compareVersions(a.version, b.version) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function inScope(reach: Reach, config: LicensesConfig): boolean {
  if (reach === 'dev') return config['include-dev'];
  if (reach === 'build') return config['include-build'];
  return true;
}

/** Unpublished, published only to private registries, or from an ignored source. */
export function isPrivate(node: PackageNode, config: LicensesConfig): boolean {
  const { registries } = config.private;
  if (node.publish !== undefined && node.publish !== null) {
    if (node.publish.length === 0 || node.publish.every((r) => registries.includes(r))) return true;
  }
  const source = node.source;
  if (!source) return false;
  const own = canonicalUrl(source.url);
  return config.private['ignore-sources'].some((url) => canonicalUrl(url.replace(/^(registry|sparse|git)\+/, '')) === own);
}

// ------------------------------------------------------------------ verdict

interface TermResult {
  req: LicenseReq;
  span: TermSpan | undefined;
  verdict: Verdict;
  /** Index into `allow`, when an allow entry accepted the term. */
  allowIndex: number | undefined;
}

function evaluateTerms(
  expr: ExprNode,
  node: PackageNode,
  config: LicensesConfig,
  exceptions: readonly PlacedException[],
): { accepted: boolean; terms: TermResult[]; exception: PlacedException | undefined } {
  // Only the first exception matching the crate counts, as in cargo-deny.
  const exception = exceptions.find((e) => specMatches(e.exception.spec, node.name, node.version));
  const terms: TermResult[] = [];
  const judge = (req: LicenseReq, span: TermSpan | undefined): boolean => {
    if (exception?.exception.allow.some((a) => satisfies(a.licensee, req))) {
      terms.push({ req, span, verdict: 'explicit-exception', allowIndex: undefined });
      return true;
    }
    const allowIndex = firstIndex(config.allow.findIndex((a) => satisfies(a.licensee, req)));
    terms.push({ req, span, verdict: allowIndex === undefined ? 'not-allowed' : 'explicit-allowance', allowIndex });
    return allowIndex !== undefined;
  };
  // Judge every term (no short-circuit), so each one gets its label and marks the entries it used.
  const verdicts = new Map<LicenseReq, boolean>();
  visitReqs(expr, (req, span) => verdicts.set(req, judge(req, span)));
  const accepted = evaluate(expr, (req) => verdicts.get(req) === true);
  return { accepted, terms, exception };
}

const firstIndex = (i: number): number | undefined => (i < 0 ? undefined : i);

function visitReqs(node: ExprNode, visit: (req: LicenseReq, span: TermSpan | undefined) => void): void {
  if (node.kind === 'req') visit(node.req, node.span);
  else {
    visitReqs(node.left, visit);
    visitReqs(node.right, visit);
  }
}

function verdictDiagnostic(
  node: PackageNode,
  resolution: Extract<LicenseResolution, { kind: 'expression' }>,
  facts: PackageLicenseFacts | undefined,
  input: LicensesInput,
  exceptions: readonly PlacedException[],
  usedAllow: Set<number>,
  usedExceptions: Set<number>,
): Diagnostic {
  const { config, policy, graph } = input;
  const { accepted, terms, exception } = evaluateTerms(resolution.expr, node, config, exceptions);
  const exceptionUsed = terms.some((t) => t.verdict === 'explicit-exception');
  for (const t of terms) {
    if (t.allowIndex !== undefined) usedAllow.add(t.allowIndex);
  }
  if (exceptionUsed && exception?.ownIndex !== undefined) usedExceptions.add(exception.ownIndex);

  const labels: Label[] = [];
  const place = resolution.origin.kind === 'manifest' ? facts?.place : undefined;
  const writtenHere = place !== undefined && place.value === resolution.text;
  labels.push(primaryLabel(graph, node, place, accepted ? 'license requirements satisfied' : 'failed to satisfy license requirements'));
  labels.push(...inheritanceLabels(place));
  if (writtenHere) {
    for (const t of terms) {
      if (t.span) labels.push(manifestLabel(place, t.span.offset, t.span.length, VERDICT_TEXT[t.verdict], false));
    }
  }
  if (hasPolicyFile(policy)) {
    if (resolution.origin.kind === 'clarify') {
      labels.push(configLabel(policy, ['licenses', 'clarify', resolution.origin.index, 'expression'], 'license expression retrieved via user override'));
    }
    const allowIndices = [...new Set(terms.flatMap((t) => (t.allowIndex === undefined ? [] : [t.allowIndex])))];
    for (const i of allowIndices) labels.push(allowLabel(policy, config, i, 'allowed here'));
    // Without a `[licenses]` table there is nothing in deny.toml to point at.
    if (!accepted && policy.locations?.nearest(['licenses', 'allow'])) labels.push(configLabel(policy, ['licenses', 'allow'], 'the allowed licenses'));
  }

  if (exception && exceptionUsed && hasPolicyFile(exception.policy)) {
    labels.push(configLabel(exception.policy, exception.path, withReason('exception for this crate', exception.exception.reason)));
  }

  const notes = [expressionNote(resolution), ...terms.map(termNote)];
  return {
    source: 'licenses',
    code: accepted ? 'accepted' : 'rejected',
    severity: accepted ? 'help' : 'error',
    message: accepted ? 'license requirements satisfied' : 'failed to satisfy license requirements',
    labels,
    notes: [...notes, ...mismatchNotes(resolution.events, config)],
    package: packageRef(node),
  };
}

function expressionNote(resolution: Extract<LicenseResolution, { kind: 'expression' }>): string {
  const from = resolution.origin.kind === 'clarify' ? `\`[[licenses.clarify]]\` entry ${resolution.origin.index + 1}` : "the manifest's `license` field";
  return `license expression \`${resolution.text}\` (from ${from})`;
}

function termNote(t: TermResult): string {
  const id = reqToString(t.req);
  const deprecated = t.req.license.kind === 'spdx' && isDeprecatedLicenseId(t.req.license.id) ? ' (deprecated SPDX id)' : '';
  return `${id}${deprecated} - ${VERDICT_TEXT[t.verdict]}`;
}

/** A clarification that no longer applies explains why the crate's own license field was used. */
function mismatchNotes(events: readonly GatherEvent[], config: LicensesConfig): string[] {
  return events.flatMap((e) =>
    e.kind === 'clarification-mismatch'
      ? [
          `the clarification for '${config.clarify[e.clarifyIndex]!.spec.text}' does not apply: ${e.file.path} hashes to ${formatLicenseHash(e.file.hash!)}, not ${formatLicenseHash(e.expected)} (the file changed; check its license and update the hash)`,
        ]
      : [],
  );
}

// ------------------------------------------------------------- unlicensed

function unlicensedDiagnostic(
  node: PackageNode,
  resolution: Extract<LicenseResolution, { kind: 'unlicensed' }>,
  facts: PackageLicenseFacts | undefined,
  input: LicensesInput,
): Diagnostic {
  const files = facts?.licenseFiles.filter((f) => f.hash !== undefined) ?? [];
  const notes =
    files.length > 0
      ? [
          `license files found: ${files.map((f) => f.path).join(', ')}; cargo-sentinel does not identify license texts yet`,
          'state the license with a clarification (see the gather-failure warning for the entry to add)',
        ]
      : ['no license field and no license files: ask the authors to add a license, or state it with `[[licenses.clarify]]`'];
  return {
    source: 'licenses',
    code: 'unlicensed',
    severity: 'error',
    message: `${krateName(node)} is unlicensed`,
    labels: [primaryLabel(input.graph, node, facts?.place, 'a valid license expression could not be retrieved for the crate')],
    notes: [...notes, ...mismatchNotes(resolution.events, input.config)],
    package: packageRef(node),
  };
}

function gatherDiagnostic(event: GatherEvent, node: PackageNode, facts: PackageLicenseFacts | undefined, input: LicensesInput): Diagnostic | undefined {
  const { graph, policy } = input;
  const base = { source: 'licenses' as const, package: packageRef(node) };
  const place = facts?.place;
  switch (event.kind) {
    case 'no-license-field':
      return {
        ...base,
        code: 'no-license-field',
        severity: 'warning',
        message: `license expression was not specified in manifest for crate '${krateName(node)}'`,
        labels: [primaryLabel(graph, node, place, 'no `license` field')],
        notes: licenseFileNote(node),
      };
    case 'empty-license-field':
      return {
        ...base,
        code: 'empty-license-field',
        severity: 'warning',
        message: `license field was present but empty for crate '${krateName(node)}'`,
        labels: [primaryLabel(graph, node, place, 'empty field')],
        notes: [],
      };
    case 'parse-error': {
      const labels = [primaryLabel(graph, node, place, event.error.message)];
      if (place?.value === event.text && event.error.offset !== undefined) {
        labels.push(manifestLabel(place, event.error.offset, event.error.length, event.error.message, false));
      }
      return {
        ...base,
        code: 'parse-error',
        severity: 'warning',
        message: `license expression \`${event.text}\` of crate '${krateName(node)}' is not valid SPDX: ${event.error.message}`,
        labels,
        notes: [event.recovered ? 'read leniently (lower-case operators, imprecise names and deprecated ids are accepted)' : 'it could not be read leniently either; falling back to the license files'],
      };
    }
    case 'missing-clarification-file':
      return {
        ...base,
        code: 'missing-clarification-file',
        severity: 'warning',
        message: `license file '${event.file.path}' of the clarification for crate '${krateName(node)}' could not be read: ${event.file.error}`,
        labels: hasPolicyFile(policy)
          ? [configLabel(policy, ['licenses', 'clarify', event.clarifyIndex, 'license-files', event.fileIndex], 'missing license file', true)]
          : [lockLabel(graph, node, 'clarified crate')],
        notes: ['the clarification is not applied'],
      };
    case 'clarification-mismatch':
      return undefined;
    case 'license-files-not-identified': {
      const listed = event.files.map((f) => (f.hash === undefined ? `${f.path}: ${f.error}` : `${f.path} (hash ${formatLicenseHash(f.hash)})`));
      const readable = event.files.some((f) => f.hash !== undefined);
      return {
        ...base,
        code: 'gather-failure',
        severity: 'warning',
        message: `the license of crate '${krateName(node)}' could not be determined from its license files`,
        labels: [primaryLabel(graph, node, undefined, 'license files not identified')],
        notes: [
          ...listed,
          'license text detection is not implemented: cargo-sentinel does not guess a license from a file',
          ...(readable ? [`to state the license, add to deny.toml:\n${clarifySuggestion(node, event.files)}`] : []),
        ],
      };
    }
  }
}

function licenseFileNote(node: PackageNode): string[] {
  if (!node.licenseFile) return [];
  const shown = node.manifestPath ? path.relative(path.dirname(node.manifestPath), node.licenseFile).split(path.sep).join('/') : node.licenseFile;
  return [`the manifest names a license file instead: \`license-file = ${JSON.stringify(shown)}\``];
}

// ------------------------------------------------------------------ labels

/** A workspace or path crate's own Cargo.toml line when known, else its real Cargo.lock entry. */
function primaryLabel(graph: PackageGraph, node: PackageNode, place: LicenseFieldPlace | undefined, message: string): Label {
  if (place && node.source === undefined) {
    const length = place.kind === 'literal' ? place.value!.length : place.kind === 'missing' ? '[package]'.length : 'license'.length;
    return manifestLabel(place, 0, length, message, true);
  }
  return lockLabel(graph, node, message);
}

/** `license.workspace = true` in the member, when the value shown is the workspace's. */
const inheritanceLabels = (place: LicenseFieldPlace | undefined): Label[] =>
  place?.inheritedAt ? [manifestLabel(place.inheritedAt, 0, 'license'.length, 'inherited from the workspace', false)] : [];

function manifestLabel(place: LicenseFieldPlace, offset: number, length: number, message: string, primary: boolean): Label {
  return { file: place.file, line: place.line, column: place.column + offset, length, message, primary };
}

const hasPolicyFile = (policy: PolicyFile): boolean => policy.file !== undefined && policy.locations !== undefined;

function allowLabel(policy: PolicyFile, config: LicensesConfig, index: number, message: string): Label {
  const path: PathSegment[] = ['licenses', 'allow', index];
  const label = configLabel(policy, path, message);
  // The element's own position: underline the quoted licensee.
  return policy.locations?.get(path) ? { ...label, length: config.allow[index]!.text.length + 2 } : label;
}

const withReason = (message: string, reason: string | undefined): string => (reason ? `${message}: ${reason}` : message);

// ------------------------------------------------------------------- lints

/** Enough names to recognise the problem; the rest are counted. */
const MAX_LISTED = 20;

function unknownSummary(unknown: readonly PackageNode[]): Diagnostic {
  const n = unknown.length;
  return {
    source: 'licenses',
    code: 'license-unknown',
    // A warning, so it shows by default: the verdict above covers only the crates that could be read.
    severity: 'warning',
    message: `licenses unknown for ${n} crate${n === 1 ? '' : 's'} whose sources are not in the cargo cache`,
    labels: [],
    notes: [
      `not checked: ${unknown.slice(0, MAX_LISTED).map(krateName).join(', ')}${n > MAX_LISTED ? `, and ${n - MAX_LISTED} more` : ''}`,
      'run `cargo fetch` (or give cargo metadata output) so their manifests can be read',
    ],
  };
}

function unusedLints(input: LicensesInput, usedAllow: ReadonlySet<number>, usedExceptions: ReadonlySet<number>, unknownCount: number): Diagnostic[] {
  const { config, policy } = input;
  const out: Diagnostic[] = [];
  const caveat = unknownCount > 0 ? [`${unknownCount} crate${unknownCount === 1 ? ' was' : 's were'} not checked because ${unknownCount === 1 ? 'its license is' : 'their licenses are'} unknown`] : [];
  // With crates unchecked, "not encountered" is a guess: say it, but as a note.
  const unsure = (severity: Severity): Severity => (unknownCount > 0 && severity !== 'note' ? 'note' : severity);
  const exceptionSeverity: Severity = unsure(severityOfLint(config['unused-license-exception']));
  config.exceptions.forEach((exception, i) => {
    if (usedExceptions.has(i)) return;
    out.push({
      source: 'licenses',
      code: 'license-exception-not-encountered',
      severity: exceptionSeverity,
      message: 'license exception was not encountered',
      labels: [configLabel(policy, ['licenses', 'exceptions', i], `unmatched license exception for '${exception.spec.text}'`, true)],
      notes: caveat,
    });
  });
  const allowSeverity: Severity = unsure(severityOfLint(config['unused-allowed-license']));
  config.allow.forEach((allowed, i) => {
    if (usedAllow.has(i)) return;
    out.push({
      source: 'licenses',
      code: 'license-not-encountered',
      severity: allowSeverity,
      message: 'license was not encountered',
      labels: [{ ...allowLabel(policy, config, i, 'unmatched license allowance'), primary: true }],
      notes: [`\`${allowed.text}\` is allowed but no checked crate uses it`, ...caveat],
    });
  });
  return out;
}
